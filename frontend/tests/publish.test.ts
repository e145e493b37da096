import { describe, expect, it } from 'vitest'
import { ApiError } from '../src/api/client'
import { isUnassigned, unassignedCount, unassignedTasks } from '../src/lib/publish'
import type { Task } from '../src/api/types'

const task = (id: number, extra: Partial<Task> = {}): Task => ({
  id, plan: 1, no: String(id), section: null, kind: 'task', name: null, text: '任务', leaders: [], units: [],
  reporting_unit_id: 7, due: null, assessed: true, ...extra,
})

describe('publishing with tasks lacking a 汇总单位', () => {
  it('recognises the conflict naming them', () => {
    expect(isUnassigned(new ApiError(409, '第3项、第7项共2项任务尚未确定汇总单位，请先指定汇总单位或标为不考核，再发布'))).toBe(true)
    expect(isUnassigned(new ApiError(409, '计划已发布'))).toBe(false)
    expect(isUnassigned(new ApiError(400, '尚未确定汇总单位'))).toBe(false)
  })
  it('lists only assessed tasks without a reporting unit', () => {
    const tasks = [task(1), task(2, { reporting_unit_id: null }), task(3, { reporting_unit_id: null, assessed: false })]
    expect(unassignedTasks(tasks).map((t) => t.id)).toEqual([2])
  })
})

describe('the number of tasks a refused publish names', () => {
  it('reads the refusal’s list, else the fallback', () => {
    expect(unassignedCount(new ApiError(409, '尚未确定汇总单位', { unassigned: ['3', '7'] }))).toBe(2)
    expect(unassignedCount(new ApiError(409, '尚未确定汇总单位'), 5)).toBe(5)
  })
})
