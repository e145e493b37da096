import { describe, expect, it } from 'vitest'
import { may, mayOpen, menuFor, splitMenu, startPath } from '../src/lib/menu'

const office = {
  pages: ['overview', 'ledger', 'review', 'import', 'units', 'periods', 'accounts', 'rankings', 'bulletins'],
  actions: ['plan.publish', 'report.approve', 'unit.merge', 'account.manage'],
  start_page: 'overview',
  must_change_password: false,
}
const city = { ...office, pages: ['overview', 'ledger', 'review', 'units', 'rankings', 'bulletins'], actions: ['changes.read'] }
const unit = { pages: ['ledger', 'my'], actions: ['report.write'], start_page: 'my', must_change_password: false }

describe('menu from the permissions the session reports', () => {
  it('lists exactly the pages given, in the order given, with their labels', () => {
    expect(menuFor(office).map((l) => l.label)).toEqual(['总览', '台账', '审核', '导入', '单位', '周期', '账号', '排名', '通报'])
    expect(menuFor(unit)).toEqual([
      { key: 'ledger', to: '/ledger', label: '台账' },
      { key: 'my', to: '/my', label: '我的任务' },
    ])
  })
  it('gives a supervising city office no page that only writes', () => {
    const keys = menuFor(city).map((l) => l.key)
    expect(keys).not.toContain('import')
    expect(keys).not.toContain('accounts')
    expect(keys).toContain('units')
  })
  it('shows no menu before an initial password is changed, nor without a session', () => {
    expect(menuFor({ ...office, must_change_password: true })).toEqual([])
    expect(menuFor(null)).toEqual([])
  })
  it('ignores a page the app does not know (a newer server)', () => {
    expect(menuFor({ ...unit, pages: ['ledger', 'future'] }).map((l) => l.key)).toEqual(['ledger'])
  })
  it('sends an account to its own start page', () => {
    expect(startPath(unit)).toBe('/my')
    expect(startPath(office)).toBe('/overview')
    expect(startPath({ pages: ['ledger'], start_page: 'nowhere' })).toBe('/ledger')
  })
  it('opens only the pages given; a route without a page is open to everyone signed in', () => {
    expect(mayOpen(unit, 'review')).toBe(false)
    expect(mayOpen(unit, 'my')).toBe(true)
    expect(mayOpen(unit, undefined)).toBe(true)
  })
  it('folds the set-up pages and help under 更多 only in a long menu', () => {
    const all = {
      ...office,
      pages: ['overview', 'ledger', 'review', 'import', 'units', 'periods', 'accounts', 'rankings', 'bulletins', 'chasing', 'requests', 'rectifications', 'help'],
    }
    const { inline, more } = splitMenu(menuFor(all))
    expect(inline.map((l) => l.label)).toEqual(['总览', '台账', '审核', '导入', '排名', '通报', '督办', '申请与批示', '整改台账'])
    expect(more.map((l) => l.label)).toEqual(['单位', '周期', '账号', '使用说明'])
    expect(splitMenu(menuFor(office))).toEqual({ inline: menuFor(office), more: [] })
    expect(splitMenu(menuFor(unit)).more).toEqual([])
  })
  it('allows only the actions given', () => {
    expect(may(office, 'report.approve')).toBe(true)
    expect(may(city, 'report.approve')).toBe(false)
    expect(may(null, 'plan.publish')).toBe(false)
  })
})
