import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES, explain, legend } from '../src/lib/colour'
import type { StatusItem } from '../src/api/types'

const item = (x: Partial<StatusItem>): StatusItem => ({
  task: 1, no: null, colour: 'blue', colour_label: '', arrow: 'same', progress: 50, schedule: 47.8, missing_periods: [], reporting_unit_id: 1,
  reason: '', reported: true, missing: false, late: false, submitted_on: null, state: '', assessed: true, ...x,
})

describe('colour explanation', () => {
  it('uses the server reason when given', () => {
    expect(explain(item({ reason: '红：服务器说明' }))).toBe('红：服务器说明')
  })
  it('names the red gap rule with the figures', () => {
    expect(explain(item({ colour: 'red', progress: 0, schedule: 47.8 }))).toBe('红：进度 0，序时进度 47.8，落后超过 30 个百分点。')
  })
  it('explains red by an overdue deadline', () => {
    expect(explain(item({ colour: 'red', progress: 90, schedule: 100 }), DEFAULT_RULES, '2026-12-01', '2026-11-30')).toContain('已过完成时限 2026-11-30')
  })
  it('explains yellow by a missing period or the smaller gap, with the plan thresholds', () => {
    expect(explain(item({ colour: 'yellow', missing_periods: [2] }))).toContain('最近一个报送期未报送')
    const rules = { ...DEFAULT_RULES, yellow_gap: 15 }
    expect(explain(item({ colour: 'yellow', progress: 20, schedule: 40 }), rules)).toBe('黄：进度 20，序时进度 40，落后超过 15 个百分点。')
  })
  it('explains blue and done', () => {
    expect(explain(item({}))).toMatch(/^蓝：进度 50，序时进度 47.8/)
    expect(explain(item({ colour: 'done', progress: 100 }))).toMatch(/^已完成/)
  })
  it('builds the legend from the plan rules', () => {
    const lines = legend({ ...DEFAULT_RULES, red_gap: 25 })
    expect(lines.find((l) => l.key === 'red')?.rule).toContain('超过 25 个百分点')
    expect(lines.map((l) => l.key)).toEqual(['done', 'red', 'yellow', 'blue', 'plan', 'up', 'down', 'same'])
    // issue 21: the legend says how an approved 实施方案 sets 序时进度 and that a node passed undone is yellow
    expect(lines.find((l) => l.key === 'plan')?.rule).toContain('实施方案经审核通过后')
    expect(lines.find((l) => l.key === 'yellow')?.rule).toContain('节点到期未报完成')
  })
})
