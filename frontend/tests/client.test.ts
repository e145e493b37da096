import { describe, expect, it } from 'vitest'
import { errorMessage, withQuery } from '../src/api/client'

describe('API errors in Chinese', () => {
  it('keeps the Chinese half of a bilingual detail', () => {
    expect(errorMessage(401, { detail: '用户名或密码错误 / wrong username or password' })).toBe('用户名或密码错误')
  })
  it('never shows English or raw JSON', () => {
    expect(errorMessage(404, { detail: 'Not Found' })).toBe('要找的内容不存在')
    expect(errorMessage(422, { detail: [{ loc: ['body', 'progress'], msg: 'bad' }] })).toBe('填写的内容不符合要求')
    expect(errorMessage(500, 'Internal Server Error')).toBe('服务器出错，请稍后再试')
    expect(errorMessage(0, null)).toBe('无法连接服务器，请检查网络')
    expect(errorMessage(418, null)).toBe('请求失败（418）')
  })
  it('maps each common status to a message', () => {
    expect(errorMessage(403, null)).toBe('没有权限进行此操作')
    expect(errorMessage(409, {})).toMatch(/冲突/)
  })
  it('builds queries without empty values', () => {
    expect(withQuery('/api/tasks', { plan: 1, q: '', unit: undefined, colour: 'red' })).toBe('/api/tasks?plan=1&colour=red')
  })
})
