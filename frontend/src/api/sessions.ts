/** The 账号 page's browser sessions: listed per account and ended one by one (GET/DELETE, see users.py). */
import { request } from './client'
import type { components } from './schema'

/** Generated from the response model SessionOut (src/duban/web/schemas/, `make types`). */
export type LoginSessionInfo = components['schemas']['SessionOut']

export const sessionsApi = {
  list: (user: number) => request<{ items: LoginSessionInfo[]; total: number }>('GET', `/api/users/${user}/sessions`),
  end: (id: number) => request<void>('DELETE', `/api/sessions/${id}`),
}
