/**
 * Types and calls of the chasing endpoints (issue 16): the bell, the 督办 page, 督办单 documents, unit contacts
 * and a plan's chasing rules. Kept apart from types.ts (which is generated from the OpenAPI document).
 */
import { download, request } from './client'

export type NoticeKind = 'remind' | 'chase' | 'returned' | 'yellow' | 'red'

export interface Delivery {
  id: number
  channel: 'email' | 'dingtalk' | 'wecom' | string
  target: string
  copied: boolean
  state: 'pending' | 'sent' | 'failed' | string
  attempts: number
  last_error: string | null
  next_try_at: string
  sent_at: string | null
}

export interface Notice {
  id: number
  kind: NoticeKind
  label: string
  state: 'issued' | 'answered' | string
  plan_id: number
  plan_title: string
  task_id: number
  task_no: string
  task_name: string
  unit_id: number
  unit_name: string
  period_id: number
  period_name: string
  day: string
  number: number | null
  number_text: string
  reason: string
  leaders: string[]
  respond_by: string | null
  answered_at: string | null
  answer_report_id: number | null
  read: boolean
  link: string
  deliveries: Delivery[]
}

export interface Waiting {
  kind: string
  label: string
  count: number
  link: string
}

export interface Bell {
  items: Notice[]
  unread: number
  waiting: Waiting[]
}

export interface ChasingPage {
  items: Notice[]
  open_documents: number
}

export interface Contact {
  unit_id: number
  person: string
  phone: string
  email: string
  robot_kind: 'dingtalk' | 'wecom' | null
  robot_url: string
  has_secret: boolean
}

export interface ContactInput {
  person: string
  phone: string
  email: string
  robot_kind: 'dingtalk' | 'wecom' | null
  robot_url: string
  /** Omitted (undefined): the stored secret is kept. */
  robot_secret?: string
}

export interface ChasingRules {
  remind_days: number
  escalate_days: number
  returned_days: number
  respond_days: number
  remind: boolean
  chase: boolean
  returned: boolean
  yellow: boolean
  red: boolean
  copy_leaders: boolean
  copy_emails: string[]
  robot_kind: 'dingtalk' | 'wecom' | null
  robot_url: string
  has_secret: boolean
}

export const DOCUMENT_KINDS: NoticeKind[] = ['yellow', 'red']

export const chasingApi = {
  bell: () => request<Bell>('GET', '/api/notices'),
  unread: () => request<{ unread: number }>('GET', '/api/notices/unread'),
  markRead: (ids: number[]) => request<{ marked: number; unread: number }>('POST', '/api/notices/read', { ids }),
  taskNotices: (task: number) => request<Notice[]>('GET', `/api/tasks/${task}/notices`),
  page: (query: { plan?: number; unit?: number; kind?: NoticeKind; delivery?: string } = {}) =>
    request<ChasingPage>('GET', '/api/chasing', undefined, query),
  openDocuments: () => request<{ open_documents: number }>('GET', '/api/chasing/open'),
  resend: (delivery: number) => request<{ ok: boolean }>('POST', `/api/chasing/deliveries/${delivery}/resend`),
  document: (notice: Notice) =>
    download(`/api/notices/${notice.id}/document.docx`, `${notice.number_text || '督办单'}.docx`),
  contact: (unit: number) => request<Contact>('GET', `/api/units/${unit}/contact`),
  saveContact: (unit: number, body: ContactInput) => request<Contact>('PUT', `/api/units/${unit}/contact`, body),
  rules: (plan: number) => request<ChasingRules>('GET', `/api/plans/${plan}/chasing-rules`),
  saveRules: (plan: number, body: Partial<Omit<ChasingRules, 'has_secret'>> & { robot_secret?: string }) =>
    request<ChasingRules>('PUT', `/api/plans/${plan}/chasing-rules`, body),
}
