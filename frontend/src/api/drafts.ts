/** The 导入 page's own endpoints: names mapped for a 行政区, a new 行政区, and a draft plan's task edits. */
import { request } from './client'
import type { components } from './schema'

/** Generated from the response model NameMapping (src/duban/web/schemas/, `make types`). */
export type NameMapping = components['schemas']['NameMapping']
/** Generated from the response model DraftTask (src/duban/web/schemas/, `make types`). */
export type DraftTask = components['schemas']['DraftTask']
/** Generated from the response model CreatedJurisdiction (src/duban/web/schemas/, `make types`). */
export type CreatedJurisdiction = components['schemas']['CreatedJurisdiction']

export const draftsApi = {
  mapNames: (names: string[], jurisdictionId: number | null) =>
    request<{ items: NameMapping[]; total: number }>('POST', '/api/imports/names', { names, jurisdiction_id: jurisdictionId ?? undefined }),
  createCounty: (path: string) => request<CreatedJurisdiction>('POST', '/api/jurisdictions', { path }),
  addTask: (plan: number, body: { text: string; section_key?: string | null; after_task_id?: number; leaders?: string[]; units?: { name: string; role: string }[] }) =>
    request<DraftTask>('POST', `/api/drafts/${plan}/tasks`, body),
  deleteTask: (task: number) => request<void>('DELETE', `/api/drafts/tasks/${task}`),
  moveTask: (task: number, sectionKey: string | null, afterTaskId?: number) =>
    request<DraftTask>('POST', `/api/drafts/tasks/${task}/move`, { section_key: sectionKey, after_task_id: afterTaskId }),
  setLeaders: (task: number, leaders: string[]) => request<DraftTask>('PUT', `/api/drafts/tasks/${task}/leaders`, { leaders }),
  splitTask: (task: number, parts: string[]) => request<{ items: DraftTask[]; total: number }>('POST', `/api/drafts/tasks/${task}/split`, { parts }),
}
