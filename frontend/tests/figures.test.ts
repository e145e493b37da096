import { describe, expect, it } from 'vitest'
import {
  basisLine, figuresFromQuery, finalWords, isDay, isNotDue, notDueQuestion, previousWords, progressCaption,
  progressWords, queryWithFigures, stateWords,
} from '../src/lib/figures'
import { ApiError } from '../src/api/client'
import { dispositionName } from '../src/api/client'
import { explain } from '../src/lib/colour'
import type { Basis, StatusItem } from '../src/api/types'

const basis = (extra: Partial<Basis> = {}): Basis => ({
  period: { id: 3, name: '2026年第三季度', due: '2026-10-10' }, asked: '2026-12-06', on: '2026-12-06', final: false,
  label: '2026年第三季度 · 截至2026年12月6日', previous: null, issued: null, ...extra,
})
const st = (extra: Partial<StatusItem> = {}): StatusItem => ({
  task: 1, no: '1', colour: 'red', colour_label: '红', arrow: 'same', progress: 0, schedule: 75, missing_periods: [],
  reporting_unit_id: 7, reported: true, missing: false, late: false, submitted_on: null, state: '', assessed: true, reason: '', ...extra,
})

describe('figures in the address', () => {
  it('reads a period id and a real day, dropping anything malformed', () => {
    expect(figuresFromQuery({ period: '3', on: '2026-10-10' })).toEqual({ period: 3, on: '2026-10-10' })
    expect(figuresFromQuery({ period: 'x', on: '2026-02-30' })).toEqual({})
    expect(figuresFromQuery({ period: ['4', '5'], on: ' 2026-01-31 ' })).toEqual({ period: 4, on: '2026-01-31' })
    expect(figuresFromQuery({ period: '-1', on: '20261010' })).toEqual({})
    expect(isDay('2024-02-29')).toBe(true)
    expect(isDay('2026-13-01')).toBe(false)
  })
  it('replaces period/on and keeps the other keys', () => {
    const q = { plan: '2', colour: 'red', period: '1', on: '2026-01-01', q: '' }
    expect(queryWithFigures(q, { period: 3, on: '2026-10-10' })).toEqual({ plan: '2', colour: 'red', period: '3', on: '2026-10-10' })
    expect(queryWithFigures(q, {})).toEqual({ plan: '2', colour: 'red' })
    expect(figuresFromQuery(queryWithFigures({}, { period: 9, on: '2026-12-06' }))).toEqual({ period: 9, on: '2026-12-06' })
  })
})

describe('口径 words', () => {
  it('states the label, whether final and what the arrows compare with', () => {
    expect(basisLine(basis())).toBe('口径：2026年第三季度 · 截至2026年12月6日')
    expect(basisLine(null)).toBe('')
    expect(finalWords(basis())).toContain('未定稿')
    expect(finalWords(basis({ final: true, asked: '2026-12-31', on: '2026-12-30' }))).toBe('已定稿：数据截至下期报送前一日（2026-12-30）')
    expect(finalWords(basis({ final: true }))).toBe('已定稿：数据截至下期报送前一日')
    expect(previousWords(basis())).toContain('无上期')
    const previous = { period: { id: 2, name: '第二季度' }, source: 'issued' as const, label: '第2期通报', number: 2 }
    expect(previousWords(basis({ previous }))).toBe('较上期：第2期通报')
  })
})

describe('未报送 apart from a reported 0 %', () => {
  it('never writes 0% for a task without a report', () => {
    expect(progressWords(st({ reported: false, missing: true }))).toBe('未报送')
    expect(progressWords(st({ reported: false, missing: false }))).toBe('暂无报告')
    expect(progressWords(st({ reported: true, progress: 0 }))).toBe('0%')
    expect(progressCaption(st({ reported: false, missing: true, state: '未报送' }))).toBe('未报送 / 序时 75%')
    expect(progressCaption(st({ reported: false, missing: true }))).not.toContain('0%')
  })
  it('writes a late report with the day it came', () => {
    expect(progressCaption(st({ progress: 60, late: true, state: '逾期（10月12日报送）' }))).toBe('60% / 序时 75% · 逾期（10月12日报送）')
    expect(stateWords(st({ late: true, submitted_on: '2026-10-12' }))).toBe('逾期（10月12日报送）')
    expect(stateWords(st({ missing: true }))).toBe('未报送')
    expect(stateWords(st())).toBe('')
  })
  it('explains a never-reported task as 未报送, and a 不考核 one as such', () => {
    expect(explain(st({ reported: false, missing: true, missing_periods: [1, 2] }))).toContain('未报送')
    expect(explain(st({ reported: false, missing: true, missing_periods: [1, 2] }))).not.toContain('进度 0')
    expect(explain(st({ assessed: false, reason: '红：…' }))).toContain('不考核')
  })
})

describe('bulletin helpers', () => {
  it('recognises the not-yet-due conflict and asks in Chinese', () => {
    expect(isNotDue(new ApiError(409, '报送期“第四季度”截止日为2026-12-31，尚未到期，不能生成通报'))).toBe(true)
    expect(isNotDue(new ApiError(409, '“第三季度”的通报已印发，不能重复印发'))).toBe(false)
    expect(isNotDue(new Error('尚未到期'))).toBe(false)
    expect(notDueQuestion({ name: '2026年第四季度', due: '2026-12-31' })).toBe('报送期“2026年第四季度”尚未到期（截止2026-12-31），仍要生成吗？')
  })
  it('reads the Chinese file name of a download', () => {
    const header = `attachment; filename*=UTF-8''${encodeURIComponent('通报（征求意见稿）-第三季度.docx')}`
    expect(dispositionName(header, 'x.docx')).toBe('通报（征求意见稿）-第三季度.docx')
    expect(dispositionName('attachment; filename="a.docx"', 'x')).toBe('a.docx')
    expect(dispositionName(null, 'x.docx')).toBe('x.docx')
  })
})
