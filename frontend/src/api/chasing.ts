/**
 * Types and calls of the chasing endpoints (issue 16): the bell, the 督办 page, 督办单 documents, unit contacts
 * and a plan's chasing rules.
 */
import { download, request } from './client'

import type { components } from './schema'

type Schemas = components['schemas']

// The shapes are generated from the response models (src/duban/web/schemas/chasing.py, `make types`).
export type Delivery = Schemas['DeliveryOut']
export type Notice = Schemas['NoticeOut']
export type NoticeKind = Notice['kind']
export type Waiting = Schemas['WaitingOut']
export type Bell = Schemas['BellOut']
export type ChasingPage = Schemas['ChasingPageOut']
export type Contact = Schemas['ContactOut']
/** `robot_secret` omitted (undefined): the stored secret is kept. */
export type ContactInput = Schemas['ContactBody']
export type ChasingRules = Schemas['ChasingRulesOut']
/** A holiday (`workday` false) or 调休 working day (true) the office added over the Chinese calendar. */
export type CalendarDay = Schemas['CalendarDayOut']
export type CalendarCheck = Schemas['CalendarCheckOut']

export const DOCUMENT_KINDS: NoticeKind[] = ['yellow', 'red']

export const chasingApi = {
  bell: () => request<Bell>('GET', '/api/notices'),
  unread: () => request<Schemas['UnreadOut']>('GET', '/api/notices/unread'),
  markRead: (ids: number[]) => request<Schemas['MarkedOut']>('POST', '/api/notices/read', { ids }),
  taskNotices: (task: number) => request<Notice[]>('GET', `/api/tasks/${task}/notices`),
  page: (query: { plan?: number; unit?: number; kind?: NoticeKind; delivery?: string } = {}) =>
    request<ChasingPage>('GET', '/api/chasing', undefined, query),
  openDocuments: () => request<Schemas['OpenDocumentsOut']>('GET', '/api/chasing/open'),
  resend: (delivery: number) => request<Schemas['OkOut']>('POST', `/api/chasing/deliveries/${delivery}/resend`),
  document: (notice: Notice) =>
    download(`/api/notices/${notice.id}/document.docx`, `${notice.number_text || '督办单'}.docx`),
  contact: (unit: number) => request<Contact>('GET', `/api/units/${unit}/contact`),
  saveContact: (unit: number, body: ContactInput) => request<Contact>('PUT', `/api/units/${unit}/contact`, body),
  rules: (plan: number) => request<ChasingRules>('GET', `/api/plans/${plan}/chasing-rules`),
  saveRules: (plan: number, body: Partial<Omit<ChasingRules, 'has_secret'>> & { robot_secret?: string }) =>
    request<ChasingRules>('PUT', `/api/plans/${plan}/chasing-rules`, body),
  calendar: () => request<CalendarDay[]>('GET', '/api/chasing/calendar'),
  calendarDay: (day: string) => request<CalendarCheck>('GET', `/api/chasing/calendar/${day}`),
  setCalendarDay: (body: CalendarDay) => request<CalendarDay[]>('PUT', '/api/chasing/calendar', body),
  removeCalendarDay: (day: string) => request<CalendarDay[]>('DELETE', `/api/chasing/calendar/${day}`),
}
