/**
 * Which figures a page shows (报送期 and 日期 kept in the address as ?period=&on=) and how a task's state is
 * written, so that 总览, 台账, 排名 and 任务详情 say the same thing in the same words as the server's outputs.
 */
import { ApiError } from '../api/client'
import type { Basis, Period, StatusItem } from '../api/types'

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>

export interface FiguresAt {
  period?: number
  on?: string
}

function first(v: string | null | (string | null)[] | undefined): string {
  if (Array.isArray(v)) return (v[0] ?? '').trim()
  return (v ?? '').trim()
}

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const d = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text
}

/** ?period=&on= of the address; anything malformed is dropped (the server's default then applies). */
export function figuresFromQuery(query: RouteQuery): FiguresAt {
  const out: FiguresAt = {}
  const period = Number(first(query.period))
  if (Number.isInteger(period) && period > 0) out.period = period
  const on = first(query.on)
  if (isDay(on)) out.on = on
  return out
}

/** The address's query with ``at`` in place of its period/on (an absent one is removed), other keys kept. */
export function queryWithFigures(query: RouteQuery, at: FiguresAt): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(query)) {
    if (k === 'period' || k === 'on') continue
    const val = first(v)
    if (val) out[k] = val
  }
  if (at.period) out.period = String(at.period)
  if (at.on) out.on = at.on
  return out
}

/** The 口径 line: `口径：2026年第三季度 · 截至2026年10月10日`. */
export function basisLine(basis: Basis | null | undefined): string {
  return basis?.label ? `口径：${basis.label}` : ''
}

/** Whether the figures are final, and why the day taken may differ from the day asked. */
export function finalWords(basis: Basis | null | undefined): string {
  if (!basis) return ''
  if (!basis.final) return '未定稿：随报告审核更新'
  if (basis.asked !== basis.on) return `已定稿：数据截至下期报送前一日（${basis.on}）`
  return '已定稿：数据截至下期报送前一日'
}

/** What the arrows compare with: `较上期：第2期通报（…）`, or that there is nothing to compare with. */
export function previousWords(basis: Basis | null | undefined): string {
  if (!basis) return ''
  return basis.previous ? `较上期：${basis.previous.label}` : '较上期：无上期数据（箭头均为持平）'
}

/** Whether a task counts: 不考核 tasks are shown but left out of colours, counts and ranks. */
export function isAssessed(st: Pick<StatusItem, 'assessed'> | null | undefined): boolean {
  return st?.assessed !== false
}

/** Whether the task has an approved report to show a figure of (older servers: assume so). */
export function hasReport(st: Pick<StatusItem, 'reported'>): boolean {
  return st.reported !== false
}

/**
 * The progress figure of a task as shown: `60%`, or `未报送` (this period missing) / `暂无报告` (nothing
 * approved yet) when no report stands behind it. Never `0%` for a task that has not reported.
 */
export function progressWords(st: Pick<StatusItem, 'reported' | 'missing' | 'progress'>): string {
  if (!hasReport(st)) return st.missing ? '未报送' : '暂无报告'
  return `${Math.round(st.progress)}%`
}

/** The state words beside the figure: the server's (`逾期（10月10日报送）`, `未报送`) or none. */
export function stateWords(st: Pick<StatusItem, 'state' | 'missing' | 'reported' | 'late' | 'submitted_on'>): string {
  if (st.state) return st.state
  if (st.missing) return '未报送'
  if (st.late && st.submitted_on) {
    const [, m, d] = st.submitted_on.split('-').map(Number)
    return `逾期（${m}月${d}日报送）`
  }
  return ''
}

/** The bar's caption: `60% / 序时 75%`, `未报送 / 序时 75%`, with late state words after. */
export function progressCaption(st: StatusItem): string {
  const words = stateWords(st)
  const main = `${progressWords(st)} / 序时 ${Math.round(st.schedule)}%`
  return words && words !== progressWords(st) ? `${main} · ${words}` : main
}

/** A 409 saying the period is not yet due (尚未到期): the page asks and may retry with force. */
export function isNotDue(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && e.message.includes('尚未到期')
}

/** The question asked before building the bulletin of a period not yet due. */
export function notDueQuestion(p: Pick<Period, 'name' | 'due'>): string {
  return `报送期“${p.name}”尚未到期（截止${p.due}），仍要生成吗？`
}
