import { describe, expect, it } from 'vitest'
import { describeChange } from '../src/lib/changes'

describe('change log labels', () => {
  it('says object and action in Chinese', () => {
    expect(describeChange({ object_type: 'report', object_id: 3, action: 'approve' })).toBe('报告 #3 · 审核通过')
    expect(describeChange({ object_type: 'token', object_id: null, action: 'create' })).toBe('接口令牌 · 新建')
  })
  it('keeps an unknown key rather than hiding it', () => {
    expect(describeChange({ object_type: 'plan', object_id: 1, action: 'split' })).toBe('计划 #1 · split')
  })
  it('action alone when there is no object', () => {
    expect(describeChange({ action: 'return' })).toBe('退回')
  })
})
