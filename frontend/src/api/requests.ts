/**
 * 签收, 调整, 延期, 申诉, 领导批示, 牵头领导 (issue 21): types and calls of ``/api`` routes in
 * ``src/duban/web/routers/requests.py`` (response models in ``web/schemas/requests.py``).
 */
import type { components } from './schema'
import { request } from './client'

// Response shapes generated from the response models (src/duban/web/schemas/, `make types`).
type Schemas = components['schemas']

export type TaskBrief = Schemas['ReceiptTask']

export type Receipt = Schemas['Receipt']

export type Receipts = Schemas['Receipts']

export type RequestKind = UnitRequest['kind']

export type UnitRequest = Schemas['UnitRequest']

export type Answer = Schemas['Answer']

export type Instruction = Schemas['InstructionOut']

export type TaskRequests = Schemas['TaskRequests']

export type Queue = Schemas['Queue']

export type LeadingTask = Schemas['LeadingTask']

export type Leading = Schemas['Leading']

export type AdjustmentWhat = 'text' | 'lead' | 'not_ours'
export type AppealWhat = 'missing' | 'late' | 'colour'

export const ADJUST_WHAT: Record<AdjustmentWhat, string> = {
  text: '修改任务表述',
  lead: '更换牵头单位',
  not_ours: '非本单位职责',
}
export const APPEAL_WHAT: Record<AppealWhat, string> = {
  missing: '未报送',
  late: '逾期报送',
  colour: '状态颜色',
}

export const requestsApi = {
  confirm: (task: number) => request<Receipt>('POST', `/api/tasks/${task}/receipt`),
  receipts: (plan: number) => request<Receipts>('GET', `/api/plans/${plan}/receipts`),
  askAdjustment: (task: number, body: { what: AdjustmentWhat; reason: string; text?: string; unit?: string }) =>
    request<UnitRequest>('POST', `/api/tasks/${task}/adjustments`, body),
  askExtension: (task: number, body: { reason: string; due: string }) =>
    request<UnitRequest>('POST', `/api/tasks/${task}/extensions`, body),
  askAppeal: (task: number, body: { period: number; what: AppealWhat; reason: string }) =>
    request<UnitRequest>('POST', `/api/tasks/${task}/appeals`, body),
  decide: (kind: RequestKind, id: number, body: { grant: boolean; comment: string; version?: number }) =>
    request<UnitRequest>('POST', `/api/${kind}s/${id}/decision`, body),
  writeInstruction: (task: number, body: { text: string; report?: number; leader?: string }) =>
    request<Instruction>('POST', `/api/tasks/${task}/instructions`, body),
  answer: (instruction: number, text: string) =>
    request<Instruction>('POST', `/api/instructions/${instruction}/answers`, { text }),
  ofTask: (task: number) => request<TaskRequests>('GET', `/api/tasks/${task}/requests`),
  queue: (plan?: number | null, all = false) =>
    request<Queue>('GET', '/api/requests', undefined, { plan: plan ?? undefined, all: all || undefined }),
  leading: (plan?: number | null) => request<Leading>('GET', '/api/leading', undefined, { plan: plan ?? undefined }),
  setTaskLeaders: (task: number, leaders: string[]) =>
    request<{ task: number; leaders: string[]; changed: number }>('PUT', `/api/tasks/${task}/leaders`, { leaders }),
  setSectionLeaders: (plan: number, section: string, leaders: string[]) =>
    request<{ changed: number }>('PUT', `/api/plans/${plan}/sections/${encodeURIComponent(section)}/leaders`, {
      leaders,
    }),
  setLeaderName: (user: number, leaderName: string | null) =>
    request<{ id: number; leader_name: string | null }>('PUT', `/api/users/${user}/leader-name`, {
      leader_name: leaderName,
    }),
}

/** 已申诉免责: a status item whose case a granted 申诉 set aside for the period (``/api/status`` ``excused``). */
export function isExcused(item: object | null | undefined): boolean {
  return Boolean(item && (item as { excused?: boolean }).excused)
}
