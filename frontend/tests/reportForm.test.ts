import { describe, expect, it } from 'vitest'
import { emptyDraft, toValues, validate } from '../src/lib/reportForm'

const ok = () => ({ ...emptyDraft(), progress: 60, text: '已完成主体工程', next_steps: '推进验收' })

describe('report form validation', () => {
  it('accepts a complete submission', () => {
    expect(validate(ok(), true)).toEqual({})
  })
  it('requires progress, and an integer from 0 to 100', () => {
    expect(validate({ ...ok(), progress: null }, true).progress).toBe('请填写进度')
    expect(validate({ ...ok(), progress: '' }, false).progress).toBe('请填写进度')
    for (const bad of [101, -1, 50.5, 'abc']) expect(validate({ ...ok(), progress: bad }, true).progress).toMatch(/0 到 100 的整数/)
    for (const good of [0, 100, '35']) expect(validate({ ...ok(), progress: good }, true).progress).toBeUndefined()
  })
  it('requires 完成情况 and 下步打算 only on submit', () => {
    const d = { ...emptyDraft(), progress: 10 }
    expect(validate(d, false)).toEqual({})
    const e = validate(d, true)
    expect(e.text).toBe('请填写完成情况')
    expect(e.next_steps).toBe('请填写下步打算')
  })
  it('a completed task needs progress 100 and no next steps', () => {
    expect(validate({ ...ok(), completed: true }, true).progress).toBe('已完成的任务进度须为 100')
    expect(validate({ ...ok(), progress: 100, next_steps: '', completed: true }, true)).toEqual({})
  })
  it('checks target values are numbers and sends only filled ones', () => {
    const d = { ...ok(), values: { 0: '12.5', 1: '', 2: 'x' } }
    expect(validate(d, true)).toEqual({ value2: '请填写数字' })
    expect(toValues(d)).toEqual([{ target: 0, value: 12.5 }])
  })
})
