/**
 * Issue 21, plans half: 实施方案 (a unit's plan of dated nodes for a task it leads), 整改台账, and reporting
 * once (the form's starting values, supporting units' contributions, a report's changes word by word).
 * Types mirror src/duban/web/schemas/plans_nodes.py.
 */
import { request } from './client'

export interface PlanNode {
  id: number
  position: number
  due: string
  title: string
  level: number | null
  value: number | null
  done_on: string | null
}

export interface WorkPlan {
  id: number
  task: number
  unit: number
  unit_name: string
  state: 'draft' | 'submitted' | 'approved' | 'returned'
  state_label: string
  note: string
  submitted_at: string | null
  approved_at: string | null
  review_comment: string | null
  version: number
  /** The approved plan the figures follow today. */
  in_force: boolean
  nodes: PlanNode[]
}

export interface NodeInput {
  due: string
  title: string
  level: number | null
  value?: number | null
}

export interface Rectification {
  id: number
  plan: number
  task: number
  task_no: string
  task_name: string
  unit: number
  unit_name: string
  problem: string
  measures: string
  deadline: string
  state: 'open' | 'answered' | 'closed'
  /** 整改中 / 已答复 / 已销号, or 逾期 when open past the deadline. */
  state_label: string
  overdue: boolean
  answers: { at: string; by: string; text: string }[]
  opened_on: string
  closed_on: string | null
  close_comment: string | null
  version: number
}

export interface UnitRectifications {
  unit: number
  unit_name: string
  open: number
  overdue: number
  closed: number
}

export interface Contribution {
  id: number
  task: number
  unit: number
  unit_name: string
  period: number
  text: string
  updated_at: string
  version: number
}

export interface FormStart {
  task: number
  period: number
  /** this_period: the unit's report for the period; copied: its last report copied forward; empty. */
  origin: 'this_period' | 'copied' | 'empty'
  from_report: number | null
  from_period: string | null
  progress: number | null
  text: string
  problems: string
  next_steps: string
  completed: boolean
  values: { target: number; value: number }[]
  contributions: Contribution[]
}

export interface Segment {
  op: 'same' | 'added' | 'removed'
  text: string
}

export interface ReportChanges {
  report: number
  previous: number | null
  previous_period: string | null
  progress: { before: number | null; after: number }
  completed: { before: boolean | null; after: boolean }
  fields: { field: string; label: string; segments: Segment[]; changed: boolean }[]
  contributions: Contribution[]
}

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
