/** 台账 filters kept in the address bar, so that a filtered ledger can be bookmarked or sent. */
import type { Colour, StatusItem, Task } from '../api/types'

export interface LedgerFilters {
  section: string
  unit: string
  leader: string
  colour: Colour | ''
  kind: string
  q: string
}

export const FILTER_KEYS: (keyof LedgerFilters)[] = ['section', 'unit', 'leader', 'colour', 'kind', 'q']
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
    if (f.leader && !t.leaders.some((l) => l.includes(f.leader))) return false
    if (f.unit && !t.units.some((u) => u.name.includes(f.unit) || String(u.unit_id) === f.unit)) return false
    if (q && !`${t.name ?? ''}${t.text}`.toLowerCase().includes(q)) return false
    return true
  })
}
