/**
 * The one module that talks to the duban API: fetch with the session cookie, the CSRF header on writes,
 * and every failure turned into an ApiError whose message is Chinese (never raw JSON).
 */
import type * as T from './types'

const CSRF_KEY = 'duban.csrf'

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    /** The refusal's JSON body (e.g. an import's ``partial_plan`` and ``warnings``), or null. */
    public body: unknown = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

const STATUS_MESSAGES: Record<number, string> = {
  400: '请求有误，请检查填写的内容',
  401: '请先登录',
  403: '没有权限进行此操作',
  404: '要找的内容不存在',
  409: '操作冲突：内容已被修改或已存在，请刷新后重试',
  413: '文件太大',
  422: '填写的内容不符合要求',
  429: '操作过于频繁，请稍后再试',
}

/** The Chinese half of a `"中文 / English"` detail, or null when the text has no Chinese. */
export function chinesePart(text: string): string | null {
  const head = text.split(' / ')[0].trim()
  return /[\u4e00-\u9fff]/.test(head) ? head : null
}

/** Turn a status code and a response body into a message a clerk can read. */
export function errorMessage(status: number, body: unknown): string {
  if (body && typeof body === 'object' && 'detail' in body) {
    const detail = (body as { detail: unknown }).detail
    if (typeof detail === 'string') {
      const zh = chinesePart(detail)
      if (zh) return zh
    } else if (Array.isArray(detail) && status === 422) {
      return STATUS_MESSAGES[422]
    }
  }
  if (status === 0) return '无法连接服务器，请检查网络'
  if (status >= 500) return '服务器出错，请稍后再试'
  return STATUS_MESSAGES[status] ?? `请求失败（${status}）`
}

export function setCsrf(token: string | null): void {
  if (token) localStorage.setItem(CSRF_KEY, token)
  else localStorage.removeItem(CSRF_KEY)
}

type Query = Record<string, string | number | boolean | null | undefined>

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  }
  const s = params.toString()
  return s ? `${path}?${s}` : path
}

/** Called on 401 so the app can send the visitor to 登录. */
let onUnauthorized: (() => void) | null = null
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn
}

/**
 * Called when a write is refused for an ended session: the app asks for the password in a dialog and answers
 * whether the visitor signed in again, so that the write is sent once more instead of losing what was typed.
 */
let reauthenticate: (() => Promise<boolean>) | null = null
export function setReauthenticate(fn: () => Promise<boolean>): void {
  reauthenticate = fn
}

export async function request<R>(method: string, path: string, body?: unknown, query?: Query): Promise<R> {
  let res = await send(method, path, body, query)
  if (res.status === 401 && method !== 'GET' && reauthenticate && !path.startsWith('/api/session')) {
    if (await reauthenticate()) res = await send(method, path, body, query)
  }
  if (!res.ok) {
    if (res.status === 401 && onUnauthorized && path !== '/api/session') onUnauthorized()
    throw await refusal(res)
  }
  if (res.status === 204) return undefined as R
  return (await res.json()) as R
}

/** One fetch with the session cookie and (on writes) the current CSRF token. */
async function send(method: string, path: string, body?: unknown, query?: Query): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let payload: BodyInit | undefined
  if (body instanceof FormData) payload = body
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  if (method !== 'GET') {
    const csrf = localStorage.getItem(CSRF_KEY)
    if (csrf) headers['X-CSRF-Token'] = csrf
  }
  try {
    return await fetch(withQuery(path, query), { method, headers, body: payload, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, errorMessage(0, null))
  }
}

/** The ApiError of a refused answer: its status, the Chinese message and the body (when it is JSON). */
async function refusal(res: Response): Promise<ApiError> {
  let data: unknown = null
  try {
    data = await res.json()
  } catch {
    data = null
  }
  return new ApiError(res.status, errorMessage(res.status, data), data)
}

const get = <R>(path: string, query?: Query) => request<R>('GET', path, undefined, query)

/** The server's largest page. */
const PAGE_SIZE = 1000
/**
 * Every item of a paged list: the first page says how many there are, the rest are fetched together. A city's
 * plan has 3,000 tasks; showing only the first page would hide the rest silently (and the filters with them).
 */
/** What every list answer has (`{items, total}` with the page asked). */
interface Paged {
  items: unknown[]
  total: number
  page?: number | null
  size?: number | null
}

export async function everyPage<R extends Paged>(path: string, query: Query = {}): Promise<R> {
  const first = await get<R>(path, { ...query, size: PAGE_SIZE, page: 1 })
  const pages = Math.ceil(first.total / PAGE_SIZE)
  if (pages <= 1) return first
  const rest = await Promise.all(
    Array.from({ length: pages - 1 }, (_, i) => get<R>(path, { ...query, size: PAGE_SIZE, page: i + 2 })),
  )
  return { ...first, items: first.items.concat(...rest.map((r) => r.items)), page: 1, size: first.total }
}

/** Which figures: ``period`` (id) and ``on`` (YYYY-MM-DD); absent ones are the server's defaults. */
export interface FiguresAt {
  period?: number
  on?: string
}

/** The file name of a Content-Disposition header (RFC 5987 ``filename*=UTF-8''…`` first). */
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      return fallback
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header)
  return plain ? plain[1] : fallback
}

/**
 * GET a document and hand it to the browser as a download. Failures become an ApiError with the server's
 * Chinese message (a 409 keeps its status so the page can ask before retrying with force).
 */
export async function download(path: string, fallback = '下载.docx'): Promise<string> {
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, errorMessage(0, null))
  }
  if (!res.ok) throw await refusal(res)
  const name = dispositionName(res.headers.get('Content-Disposition'), fallback)
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return name
}
const post = <R>(path: string, body?: unknown) => request<R>('POST', path, body)

export const api = {
  login: (username: string, password: string) => post<T.Me>('/api/session', { username, password }),
  me: () => get<T.Me>('/api/session'),
  logout: () => request<void>('DELETE', '/api/session'),
  plan: (id: number) => get<T.PlanDetail>(`/api/plans/${id}`),
  plans: () => get<T.PlanList>('/api/plans', { size: 1000 }),
  rules: (plan: number) => get<T.Rules>(`/api/plans/${plan}/rules`),
  publish: (plan: number) => post<T.Plan>(`/api/plans/${plan}/publish`),
  importPlan: (file: File, jurisdictionId?: number | null) => {
    const fd = new FormData()
    fd.append('file', file)
    return request<T.ImportResult>('POST', '/api/plans', fd, { jurisdiction_id: jurisdictionId ?? undefined })
  },
  jurisdictions: () => get<T.JurisdictionList>('/api/jurisdictions'),
  comparison: (jurisdiction: number, on?: string, year?: number) =>
    get<T.CountyComparison>(`/api/jurisdictions/${jurisdiction}/comparison`, { on, year }),
  importPreview: (file: File) => {
    const fd = new FormData()
    fd.append('file', file)
    return post<T.ImportPreview>('/api/imports/preview', fd)
  },
  tasks: (query: Query) => everyPage<T.TaskList>('/api/tasks', query),
  task: (id: number) => get<T.TaskDetail>(`/api/tasks/${id}`),
  correctTask: (id: number, body: Partial<{ text: string; due: string | null; units: { name: string; role: string }[] }>) =>
    request<T.Task>('PATCH', `/api/tasks/${id}`, body),
  taskReports: (id: number) => get<T.ReportList>(`/api/tasks/${id}/reports`, { size: 1000 }),
  writeReport: (task: number, body: T.ReportInput) => post<T.Report>(`/api/tasks/${task}/reports`, body),
  attach: (report: number, file: File) => {
    const fd = new FormData()
    fd.append('file', file)
    return post<unknown>(`/api/reports/${report}/attachments`, fd)
  },
  /** 通过, with an optional 审核意见 (shown to the unit with the report). */
  approve: (report: number, version?: number, comment?: string) =>
    post<T.Report>(`/api/reports/${report}/approve`, version !== undefined || comment ? { version, comment: comment || undefined } : undefined),
  returnReport: (report: number, comment: string, version?: number) =>
    post<T.Report>(`/api/reports/${report}/return`, version !== undefined ? { comment, version } : { comment }),
  /** The figures of ``period`` taken on ``on`` (both optional: the server's current period, today). */
  status: (plan: number, at: FiguresAt = {}) => everyPage<T.StatusList>('/api/status', { plan, ...at }),
  overview: (plan: number, at: FiguresAt = {}, leader?: string) => get<T.Overview>('/api/overview', { plan, ...at, leader }),
  review: (plan?: number) => get<T.ReviewList>('/api/review', { plan }),
  my: (plan?: number) => get<T.MyList>('/api/my', { plan }),
  periods: (plan: number) => get<T.PeriodList>('/api/periods', { plan, size: 1000 }),
  addPeriod: (plan: number, name: string, due: string) => post<T.Period>('/api/periods', { plan, name, due }),
  editPeriod: (id: number, body: { name?: string; due?: string }) => request<T.Period>('PATCH', `/api/periods/${id}`, body),
  deletePeriod: (id: number) => request<void>('DELETE', `/api/periods/${id}`),
  importReports: (period: number, file: File) => {
    const fd = new FormData()
    fd.append('file', file)
    return post<Record<string, unknown>>(`/api/periods/${period}/import-reports`, fd)
  },
  units: (q?: string) => get<T.UnitList>('/api/units', { q, size: 1000 }),
  addUnit: (name: string, jurisdictionId?: number | null) => post<T.UnitBrief>('/api/units', { name, jurisdiction_id: jurisdictionId ?? undefined }),
  addAlias: (unit: number, name: string) => post<T.UnitWithAliases>(`/api/units/${unit}/aliases`, { name }),
  setMembers: (unit: number, members: number[]) => request<T.Unit>('PUT', `/api/units/${unit}/members`, { members }),
  suggestions: () => get<T.MergeSuggestionList>('/api/units/suggestions'),
  merge: (keep: number, merge: number[]) => post<unknown>('/api/units/merge', { keep, merge }),
  rankings: (plan: number, at: FiguresAt = {}) => get<T.RankingList>('/api/rankings', { plan, ...at, size: 1000 }),
  changes: (object?: string) => get<T.ChangeList>('/api/changes', { object, size: 100 }),
  ledgerXlsx: (plan: number, at: FiguresAt = {}) => withQuery(`/api/plans/${plan}/ledger.xlsx`, { ...at }),
  setTask: (id: number, body: { assessed?: boolean; reporting_unit_id?: number | null }) => request<T.Task>('PATCH', `/api/tasks/${id}`, body),
  bulletins: (plan: number) => get<T.BulletinList>(`/api/plans/${plan}/bulletins`),
  issueBulletin: (period: number, body: { on?: string; force?: boolean; masthead?: boolean; copy_to?: string }) =>
    post<T.Bulletin>(`/api/periods/${period}/bulletins`, body),
  /** The draft (征求意见稿) of a period's bulletin, as a file; 409 (not yet due) unless ``force``. */
  bulletinDraft: (period: number, query: { on?: string; force?: boolean; masthead?: boolean; copy_to?: string }) =>
    download(withQuery(`/api/periods/${period}/bulletin.docx`, query)),
  bulletinDocx: (id: number) => `/api/bulletins/${id}.docx`,
  changePassword: (oldPassword: string, newPassword: string) =>
    request<void>('PUT', '/api/session/password', { old_password: oldPassword, new_password: newPassword }),
  users: () => get<T.AccountList>('/api/users', { size: 1000 }),
  createUser: (body: { username: string; role: T.Role; unit_id?: number | null; jurisdiction_id?: number | null }) =>
    post<T.AccountWithPassword>('/api/users', body),
  openUnitAccounts: (jurisdictionId?: number | null) =>
    post<T.NewAccountList>('/api/users/unit-accounts', { jurisdiction_id: jurisdictionId ?? undefined }),
  resetPassword: (id: number) => request<T.AccountWithPassword>('PUT', `/api/users/${id}/password`, {}),
  setActive: (id: number, active: boolean) => post<T.Account>(`/api/users/${id}/${active ? 'enable' : 'disable'}`),
  unlockUser: (id: number) => post<{ cleared: number }>(`/api/users/${id}/unlock`),
  tokens: () => get<T.ApiTokenList>('/api/tokens', { size: 1000 }),
  revokeToken: (id: number) => request<void>('DELETE', `/api/tokens/${id}`),
  download,
}
