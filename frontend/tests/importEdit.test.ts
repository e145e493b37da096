import { describe, expect, it } from 'vitest'
import { formatUnits, parseUnits } from '../src/lib/importEdit'

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
