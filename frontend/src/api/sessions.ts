/** The 账号 page's browser sessions: listed per account and ended one by one (GET/DELETE, see users.py). */
import { request } from './client'

/** A browser session as the API lists it: never its cookie. */
export interface LoginSessionInfo {
  id: number
  username: string
  created_at: string
  last_seen_at: string | null
  expires_at: string
  /** e.g. "Edge 120 · Windows"; null when the browser sent no name */
  browser: string | null
  address: string | null
}

export const sessionsApi = {
  list: (user: number) => request<{ items: LoginSessionInfo[]; total: number }>('GET', `/api/users/${user}/sessions`),
  end: (id: number) => request<void>('DELETE', `/api/sessions/${id}`),
}
