/** 台账 filters kept in the address bar, so that a filtered ledger can be bookmarked or sent. */
import type { Colour, StatusItem, Task } from '../api/types'

export interface LedgerFilters {
  section: string
  unit: string
  leader: string
  colour: Colour | ''
  kind: string
  q: string
  /** with ``unit``: only tasks it leads (牵头) or only those it supports (协办/责任); '' both */
  role: '' | 'lead' | 'support'
}

export const FILTER_KEYS: (keyof LedgerFilters)[] = ['section', 'unit', 'role', 'leader', 'colour', 'kind', 'q']
const COLOURS = ['done', 'blue', 'yellow', 'red']

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>

function first(v: string | null | (string | null)[] | undefined): string {
  if (Array.isArray(v)) return (v[0] ?? '').trim()
  return (v ?? '').trim()
}

export function filtersFromQuery(query: RouteQuery): LedgerFilters {
  const colour = first(query.colour)
  return {
    section: first(query.section),
    unit: first(query.unit),
    leader: first(query.leader),
    colour: (COLOURS.includes(colour) ? colour : '') as Colour | '',
    kind: first(query.kind),
    q: first(query.q),
    role: (['lead', 'support'].includes(first(query.role)) ? first(query.role) : '') as LedgerFilters['role'],
  }
}

/** The query for the filters, keeping other keys (plan, on) and dropping empty filters. */
export function queryFromFilters(f: LedgerFilters, keep: RouteQuery = {}): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(keep)) {
    if (!(FILTER_KEYS as string[]).includes(k)) {
      const val = first(v)
      if (val) out[k] = val
    }
  }
  for (const k of FILTER_KEYS) {
    const v = f[k].trim()
    if (v) out[k] = v
  }
  return out
}

/** Apply the filters the server does not (section, kind) and the colour, on already-fetched rows. */
export function applyFilters(tasks: Task[], status: Map<number, StatusItem>, f: LedgerFilters): Task[] {
  const q = f.q.toLowerCase()
  return tasks.filter((t) => {
    if (f.section && t.section !== f.section) return false
    if (f.kind && t.kind !== f.kind) return false
    if (f.colour) {
      const st = status.get(t.id)
      // A 不考核 task has no colour to filter by.
      if (!st || st.assessed === false || st.colour !== f.colour) return false
    }
    // 单位 and 领导 are picked from lists: a whole name, so 县教育局 never matches 县教育局协办 tasks by accident.
    if (f.leader && !t.leaders.includes(f.leader)) return false
    if (f.unit && !t.units.some((u) => (u.name === f.unit || String(u.unit_id) === f.unit) && roleMatches(u.role, f.role))) {
      return false
    }
    if (q && !`${t.name ?? ''}${t.text}`.toLowerCase().includes(q)) return false
    return true
  })
}

function roleMatches(role: string, wanted: LedgerFilters['role']): boolean {
  if (!wanted) return true
  return wanted === 'lead' ? role === 'lead' : role !== 'lead'
}

/** The names to pick from: every unit and leader of the plan's tasks, in Chinese order. */
export function filterChoices(tasks: Task[]): { units: string[]; leaders: string[] } {
  const units = new Set<string>()
  const leaders = new Set<string>()
  for (const t of tasks) {
    for (const u of t.units) units.add(u.name)
    for (const l of t.leaders) leaders.add(l)
  }
  const zh = (a: string, b: string) => a.localeCompare(b, 'zh')
  return { units: [...units].sort(zh), leaders: [...leaders].sort(zh) }
}
