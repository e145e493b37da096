/**
 * Issue 21, plans half: 实施方案 (a unit's plan of dated nodes for a task it leads), 整改台账, and reporting
 * once (the form's starting values, supporting units' contributions, a report's changes word by word).
 * Types mirror src/duban/web/schemas/plans_nodes.py.
 */
import type { components } from './schema'
import { request } from './client'

// Response shapes generated from the response models (src/duban/web/schemas/, `make types`).
type Schemas = components['schemas']

export type PlanNode = Schemas['NodeOut']

export type WorkPlan = Schemas['WorkPlanOut']

export interface NodeInput {
  due: string
  title: string
  level: number | null
  value?: number | null
}

export type Rectification = Schemas['RectificationOut']

export type UnitRectifications = Schemas['UnitRectifications']

export type Contribution = Schemas['ContributionOut']

export type FormStart = Schemas['FormStart']

export type Segment = Schemas['Segment']

export type ReportChanges = Schemas['ReportChanges']

const get = <R>(path: string, query?: Record<string, string | number | undefined>) => request<R>('GET', path, undefined, query)
const post = <R>(path: string, body?: unknown) => request<R>('POST', path, body ?? {})

export const plansApi = {
  workplans: (task: number) => get<{ items: WorkPlan[] }>(`/api/tasks/${task}/workplans`),
  saveWorkplan: (task: number, body: { nodes: NodeInput[]; note?: string; submit: boolean; version?: number }) =>
    post<WorkPlan>(`/api/tasks/${task}/workplans`, body),
  waitingWorkplans: () => get<{ items: WorkPlan[] }>('/api/workplans/waiting'),
  approveWorkplan: (id: number, version?: number) => post<WorkPlan>(`/api/workplans/${id}/approve`, { version }),
  returnWorkplan: (id: number, comment: string, version?: number) => post<WorkPlan>(`/api/workplans/${id}/return`, { comment, version }),
  nodeDone: (node: number) => post<WorkPlan>(`/api/workplan-nodes/${node}/done`, {}),
  rectifications: (query: { plan?: number; unit?: number; status?: string } = {}) =>
    get<{ items: Rectification[]; by_unit: UnitRectifications[] }>('/api/rectifications', query),
  openRectification: (body: { task: number; unit?: number | null; problem: string; measures?: string; deadline: string }) =>
    post<Rectification>('/api/rectifications', body),
  answerRectification: (id: number, text: string, measures?: string) => post<Rectification>(`/api/rectifications/${id}/answer`, { text, measures }),
  closeRectification: (id: number, comment?: string) => post<Rectification>(`/api/rectifications/${id}/close`, { comment }),
  reopenRectification: (id: number, comment: string) => post<Rectification>(`/api/rectifications/${id}/reopen`, { comment }),
  reportStart: (task: number, period: number) => get<FormStart>(`/api/tasks/${task}/report-start`, { period }),
  contributions: (task: number, period: number) => get<{ items: Contribution[] }>(`/api/tasks/${task}/contributions`, { period }),
  contribute: (task: number, period: number, text: string) => post<Contribution>(`/api/tasks/${task}/contributions`, { period, text }),
  reportChanges: (report: number) => get<ReportChanges>(`/api/reports/${report}/changes`),
}
