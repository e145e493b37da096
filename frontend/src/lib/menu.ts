/**
 * The menu and the page guard, from what the session reports (GET /api/session: `pages`, `actions`,
 * `start_page`, decided by the server's ledger.services.permissions). The front end keeps no role list:
 * only where each page lives and what the menu calls it.
 */
import type { Me } from '../api/types'

/** Every page of the app that a permission opens, by the key the server names it with (menu order is the server's). */
export const PAGE_LINKS: Record<string, { to: string; label: string }> = {
  overview: { to: '/overview', label: '总览' },
  ledger: { to: '/ledger', label: '台账' },
  my: { to: '/my', label: '我的任务' },
  review: { to: '/review', label: '审核' },
  import: { to: '/import', label: '导入' },
  units: { to: '/units', label: '单位' },
  periods: { to: '/periods', label: '周期' },
  accounts: { to: '/accounts', label: '账号' },
  rankings: { to: '/rankings', label: '排名' },
  bulletins: { to: '/bulletins', label: '通报' },
  chasing: { to: '/chasing', label: '督办' },
  requests: { to: '/requests', label: '申请与批示' },
  leading: { to: '/leading', label: '我分管的' },
  rectifications: { to: '/rectifications', label: '整改台账' },
  help: { to: '/help', label: '使用说明' },
}

/** Pages a long menu keeps under 更多 (set-up pages and help, opened less often than the daily ones). */
export const MORE_PAGES: ReadonlySet<string> = new Set(['units', 'periods', 'accounts', 'help'])
/** A menu longer than this folds MORE_PAGES under 更多, so the top bar stays on one line at 1366 px. */
export const MAX_INLINE = 10

export interface MenuLink {
  key: string
  to: string
  label: string
}

/** The menu of the signed-in account: its pages, in the order given; none until an initial password is changed. */
export function menuFor(me: Pick<Me, 'pages' | 'must_change_password'> | null): MenuLink[] {
  if (!me || me.must_change_password) return []
  return me.pages.filter((key) => key in PAGE_LINKS).map((key) => ({ key, ...PAGE_LINKS[key] }))
}

/** The menu split for the top bar: what shows inline, and what a long menu keeps under 更多 (order kept). */
export function splitMenu(links: MenuLink[]): { inline: MenuLink[]; more: MenuLink[] } {
  if (links.length <= MAX_INLINE) return { inline: links, more: [] }
  return { inline: links.filter((l) => !MORE_PAGES.has(l.key)), more: links.filter((l) => MORE_PAGES.has(l.key)) }
}

/** Where the account starts (and lands when it asks for a page that is not its own). */
export function startPath(me: Pick<Me, 'pages' | 'start_page'> | null): string {
  if (!me) return '/login'
  const key = me.start_page in PAGE_LINKS ? me.start_page : me.pages.find((p) => p in PAGE_LINKS)
  return key ? PAGE_LINKS[key].to : '/password'
}

/** May the account open the page `page` (a route's `meta.page`; a route without one is open to everyone signed in)? */
export function mayOpen(me: Pick<Me, 'pages'> | null, page: string | undefined): boolean {
  return !page || !!me?.pages.includes(page)
}

/** May the account take the office action `action` (`plan.publish`, `report.approve`, `unit.merge`, ...)? */
export function may(me: Pick<Me, 'actions'> | null, action: string): boolean {
  return !!me?.actions.includes(action)
}
