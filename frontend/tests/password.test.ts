import { describe, expect, it } from 'vitest'
import { passwordProblem } from '../src/lib/password'

describe('passwordProblem', () => {
  it('accepts a new password typed twice', () => {
    expect(passwordProblem('abcd-efgh-jkmn', 'mine-now-123', 'mine-now-123')).toBe('')
  })
  it('names what is wrong', () => {
    expect(passwordProblem('', 'mine-now-123', 'mine-now-123')).toContain('原密码')
    expect(passwordProblem('old-pass-1', 'short', 'short')).toContain('至少 8 位')
    expect(passwordProblem('old-pass-1', 'mine-now-123', 'mine-now-124')).toContain('不一致')
    expect(passwordProblem('same-pass-1', 'same-pass-1', 'same-pass-1')).toContain('不能与原密码相同')
  })
})
