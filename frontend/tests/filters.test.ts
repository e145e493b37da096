import { describe, expect, it } from 'vitest'
import { applyFilters, filterChoices, filtersFromQuery, queryFromFilters } from '../src/lib/filters'
import type { StatusItem, Task } from '../src/api/types'

const task = (id: number, extra: Partial<Task> = {}): Task => ({
  id, plan: 1, no: String(id), section: 's1', kind: 'task', name: `任务${id}`, text: '推进项目建设',
  leaders: ['张三'], units: [{ unit_id: 7, name: '县发改局', role: 'lead' }], reporting_unit_id: 7, due: null, assessed: true, ...extra,
})
const st = (task: number, colour: StatusItem['colour']): StatusItem => ({
  task, no: null, colour, colour_label: '', arrow: 'same', progress: 0, schedule: 0, missing_periods: [], reporting_unit_id: 7,
  reason: '', reported: true, missing: false, late: false, submitted_on: null, state: '', assessed: true,
})

describe('filters ↔ URL query', () => {
  it('reads every filter from the query and ignores unknown colours', () => {
    const f = filtersFromQuery({ section: 's2', unit: '县教育局', leader: '李四', colour: 'purple', kind: 'target', q: ' 学校 ' })
    expect(f).toEqual({ section: 's2', unit: '县教育局', leader: '李四', colour: '', kind: 'target', q: '学校', role: '' })
  })
  it('takes the first of repeated parameters', () => {
    expect(filtersFromQuery({ colour: ['red', 'blue'] }).colour).toBe('red')
  })
  it('round-trips and keeps plan/on while dropping empty filters', () => {
    const f = filtersFromQuery({ colour: 'red', q: '学校' })
    const q = queryFromFilters(f, { plan: '3', on: '2026-06-30', colour: 'blue', unit: 'old' })
    expect(q).toEqual({ plan: '3', on: '2026-06-30', colour: 'red', q: '学校' })
    expect(filtersFromQuery(q)).toEqual(f)
  })
  it('filters rows by section, kind, colour, leader, unit and keyword', () => {
    const tasks = [task(1), task(2, { section: 's2' }), task(3, { leaders: ['王五'], text: '建设学校' })]
    const status = new Map([[1, st(1, 'red')], [2, st(2, 'blue')], [3, st(3, 'red')]])
    const all = filtersFromQuery({})
    expect(applyFilters(tasks, status, all).map((t) => t.id)).toEqual([1, 2, 3])
    expect(applyFilters(tasks, status, { ...all, colour: 'red' }).map((t) => t.id)).toEqual([1, 3])
    expect(applyFilters(tasks, status, { ...all, section: 's2' }).map((t) => t.id)).toEqual([2])
    expect(applyFilters(tasks, status, { ...all, leader: '王五' }).map((t) => t.id)).toEqual([3])
    expect(applyFilters(tasks, status, { ...all, q: '学校' }).map((t) => t.id)).toEqual([3])
    expect(applyFilters(tasks, status, { ...all, unit: '教育' }).map((t) => t.id)).toEqual([])
  })
  it('matches a picked unit by its whole name, as 牵头 or 协办', () => {
    const edu = task(1, { units: [{ unit_id: 8, name: '县教育局', role: 'lead' }] })
    const helps = task(2, { units: [{ unit_id: 7, name: '县发改局', role: 'lead' }, { unit_id: 8, name: '县教育局', role: 'support' }] })
    const other = task(3, { units: [{ unit_id: 9, name: '县教育局基建办', role: 'lead' }] })
    const status = new Map([[1, st(1, 'red')], [2, st(2, 'red')], [3, st(3, 'red')]])
    const all = filtersFromQuery({})
    expect(applyFilters([edu, helps, other], status, { ...all, unit: '县教育局' }).map((t) => t.id)).toEqual([1, 2])
    expect(applyFilters([edu, helps, other], status, { ...all, unit: '县教育局', role: 'lead' }).map((t) => t.id)).toEqual([1])
    expect(applyFilters([edu, helps, other], status, { ...all, unit: '县教育局', role: 'support' }).map((t) => t.id)).toEqual([2])
    expect(filtersFromQuery({ role: 'boss' }).role).toBe('')
    expect(filterChoices([edu, helps, other]).units).toEqual(['县发改局', '县教育局', '县教育局基建办'].sort((a, b) => a.localeCompare(b, 'zh')))
  })
  it('never matches a 不考核 task by colour', () => {
    const tasks = [task(1), task(2)]
    const status = new Map([[1, st(1, 'red')], [2, { ...st(2, 'red'), assessed: false }]])
    expect(applyFilters(tasks, status, { ...filtersFromQuery({}), colour: 'red' }).map((t) => t.id)).toEqual([1])
  })
})
