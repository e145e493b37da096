import { describe, expect, it } from 'vitest'
import { ApiError } from '../src/api/client'
import { addedFileName, addedLine, aliasesOf, correctionsOf, formatUnits, noticeWithAdded, parseUnits, refusalOf, zh } from '../src/lib/importEdit'

describe('导入 unit text', () => {
  it('round-trips units with roles', () => {
    const units = [
      { name: '县发改局', role: 'lead' },
      { name: '县财政局', role: 'support' },
      { name: '各镇街', role: 'responsible' },
    ]
    expect(formatUnits(units)).toBe('县发改局（牵头）、县财政局（协办）、各镇街（责任）')
    expect(parseUnits(formatUnits(units))).toEqual(units)
  })
  it('reads ASCII brackets and commas, and names without a role as 责任', () => {
    expect(parseUnits('县教育局(牵头), 县卫健局 ，')).toEqual([
      { name: '县教育局', role: 'lead' },
      { name: '县卫健局', role: 'responsible' },
    ])
  })
})

describe('导入 refusals and warnings', () => {
  it('keeps only the Chinese half of a message', () => {
    expect(zh('文件是空的 / the file is empty')).toBe('文件是空的')
    expect(zh('no chinese here')).toBe('no chinese here')
  })
  it('keeps the message, the file and what was read before the refusal', () => {
    const body = {
      detail: '通知中没有读出任何任务，未导入 / no task',
      warnings: ['「一、城市建设」中第 1、2 项（共 2 项）未读出责任单位或牵头领导 / units missing'],
      partial_plan: { tasks: [{ no: '1', text: '完成老旧小区改造12个' }] },
    }
    const r = refusalOf(new ApiError(422, '通知中没有读出任何任务，未导入', body), '通知.docx')
    expect(r).toEqual({
      message: '通知中没有读出任何任务，未导入',
      file: '通知.docx',
      warnings: ['「一、城市建设」中第 1、2 项（共 2 项）未读出责任单位或牵头领导'],
      read: ['1 完成老旧小区改造12个'],
    })
  })
  it('has a Chinese message for what is not an API answer', () => {
    expect(refusalOf(new TypeError('x'), 'a.txt')).toEqual({ message: '操作失败，请稍后再试', file: 'a.txt', warnings: [], read: [] })
  })
})

describe('逐项录入', () => {
  it('writes an added task as a numbered line with its 牵头单位 clause', () => {
    expect(addedLine({ no: '2.', text: ' 新建城市道路\n8公里 ', lead: '县住建局、 县交通局' })).toBe(
      '2. 新建城市道路 8公里。（牵头单位：县住建局、县交通局）',
    )
    expect(addedLine({ no: '', text: '新增停车位。', lead: '县公安局' })).toBe('1. 新增停车位。（牵头单位：县公安局）')
  })
  it('appends the added tasks as the next section after the text read', () => {
    const text = '某县通知\n一、经济发展\n1. 甲。（牵头单位：县发改局）\n二、城市建设\n1. 乙\n'
    expect(noticeWithAdded(text, 2, [{ no: '1', text: '乙', lead: '县住建局' }])).toBe(
      '某县通知\n一、经济发展\n1. 甲。（牵头单位：县发改局）\n二、城市建设\n1. 乙\n三、补录任务\n1. 乙。（牵头单位：县住建局）\n',
    )
    expect(noticeWithAdded('x', 11, []).split('\n')[1]).toBe('十二、补录任务')
    expect(noticeWithAdded('x', 20, []).split('\n')[1]).toBe('二十一、补录任务')
  })
  it('names the completed notice after the upload', () => {
    expect(addedFileName('2026年分工.docx')).toBe('2026年分工（补录）.txt')
  })
})

describe('the corrections and aliases sent with the notice', () => {
  const read = [
    { text: '一', due: null, units: [{ name: '甲', role: 'lead' }] },
    { text: '二', due: '2024-06-30', units: [{ name: '乙', role: 'responsible' }] },
    { text: '三', units: [] },
  ]
  it('sends only the edited tasks, by position, with what changed', () => {
    const edits = {
      0: { text: '一', due: '', units: '甲（牵头）' },
      1: { text: '二改', due: '', units: '乙（责任）' },
      2: { text: '三', due: '', units: '丙（协办）' },
    }
    expect(correctionsOf(read, edits)).toEqual([
      { position: 1, text: '二改', due: null, units: [{ name: '乙', role: 'responsible' }] },
      { position: 2, units: [{ name: '丙', role: 'support' }] },
    ])
  })
  it('maps only the names the office chose to alias', () => {
    const choices = { 县财政管理局: { mode: 'alias' as const, unit: 7 }, 新单位: { mode: 'new' as const, unit: 3 } }
    expect(aliasesOf(choices)).toEqual([{ unit_id: 7, name: '县财政管理局' }])
  })
})
