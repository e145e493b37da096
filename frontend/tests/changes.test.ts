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

describe('issue 21 objects in the change log', () => {
  it('names 签收, requests and 批示 in Chinese', () => {
    expect(describeChange({ object_type: 'receipt', object_id: 2, action: 'confirm' })).toBe('签收 #2 · 签收')
    expect(describeChange({ object_type: 'extension', object_id: 1, action: 'grant' })).toBe('延期申请 #1 · 同意')
    expect(describeChange({ object_type: 'task', object_id: 5, action: 'adjust' })).toBe('任务 #5 · 按申请调整')
    expect(describeChange({ object_type: 'instruction', object_id: 3, action: 'answer' })).toBe('领导批示 #3 · 答复')
  })
})
