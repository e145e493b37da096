/** Small helpers shared by the 台账 table and its phone cards. */
import { computed } from 'vue'
import { useRoute } from 'vue-router'
import type { Task } from '../api/types'
import { figuresFromQuery, queryWithFigures, type FiguresAt } from './figures'

/**
 * 任务详情 of a task, on the figures of the ledger (?period=&on=) and with ``back``: the filtered 台账 to return
 * to (only an address of this app, never another site).
 */
export function taskHref(id: number, at: FiguresAt, back?: string): string {
  const query = queryWithFigures({}, at)
  if (back && back.startsWith('/ledger')) query.back = back
  const q = new URLSearchParams(query).toString()
  return q ? `/tasks/${id}?${q}` : `/tasks/${id}`
}

/**
 * The colour tooltip is CSS (hover or focus): Esc hides it (WCAG 1.4.13, dismissible) until the pointer or the
 * focus leaves the dot. Listened for on the whole table, not on each of hundreds of rows.
 */
export function hushTooltip(e: Event, hush = true): void {
  const wrap = (e.target as Element | null)?.closest?.('.dotw')
  if (!wrap) return
  const related = (e as FocusEvent | MouseEvent).relatedTarget
  if (!hush && related instanceof Node && wrap.contains(related)) return
  wrap.classList.toggle('hush', hush)
}

/** 汇总单位: the unit whose reports give the task its figures (the lead unit when none was chosen). */
export function reportingUnit(t: Task): string {
  const chosen = t.units.find((u) => u.unit_id === t.reporting_unit_id)
  return (chosen ?? t.units.find((u) => u.role === 'lead') ?? t.units[0])?.name ?? ''
}

/**
 * ``?period=&on=`` of the ledger as a string: a filter change alters the address but not this, so the hundreds
 * of row links that use it are not drawn again (an object or the full address would redraw every row).
 */
export function useFiguresSuffix() {
  const route = useRoute()
  return computed(() => {
    const q = new URLSearchParams(queryWithFigures({}, figuresFromQuery(route.query))).toString()
    return q ? `?${q}` : ''
  })
}

