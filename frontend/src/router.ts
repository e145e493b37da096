import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './stores/session'
import { mayOpen, startPath } from './lib/menu'

const Shell = () => import('./views/Shell.vue')

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
    {
      path: '/',
      component: Shell,
      children: [
        // No fixed redirect: the guard below sends each account to its own start page (a unit to 我的任务,
        // a leader to 我分管的), also after 登录 from the bare address.
        { path: '', component: () => import('./views/Overview.vue'), meta: { title: '督办' } },
        { path: 'overview', component: () => import('./views/Overview.vue'), meta: { page: 'overview', title: '总览' } },
        { path: 'ledger', component: () => import('./views/Ledger.vue'), meta: { page: 'ledger', title: '台账' } },
        { path: 'tasks/:id(\\d+)', component: () => import('./views/TaskDetail.vue'), meta: { page: 'ledger', title: '任务详情' } },
        { path: 'my', component: () => import('./views/My.vue'), meta: { page: 'my', title: '我的任务' } },
        { path: 'review', component: () => import('./views/Review.vue'), meta: { page: 'review', title: '审核' } },
        { path: 'import', component: () => import('./views/Import.vue'), meta: { page: 'import', title: '导入' } },
        { path: 'units', component: () => import('./views/Units.vue'), meta: { page: 'units', title: '单位' } },
        { path: 'periods', component: () => import('./views/Periods.vue'), meta: { page: 'periods', title: '周期' } },
        { path: 'bulletins', component: () => import('./views/Bulletins.vue'), meta: { page: 'bulletins', title: '通报' } },
        { path: 'accounts', component: () => import('./views/Accounts.vue'), meta: { page: 'accounts', title: '账号' } },
        { path: 'password', component: () => import('./views/ChangePassword.vue'), meta: { title: '修改密码' } },
        { path: 'rankings', component: () => import('./views/Rankings.vue'), meta: { page: 'rankings', title: '排名' } },
        { path: 'chasing', component: () => import('./views/Chasing.vue'), meta: { page: 'chasing', title: '督办' } },
        { path: 'requests', component: () => import('./views/Requests.vue'), meta: { page: 'requests', title: '申请与批示' } },
        { path: 'leading', component: () => import('./views/Leading.vue'), meta: { page: 'leading', title: '我分管的' } },
        { path: 'rectifications', component: () => import('./views/Rectifications.vue'), meta: { page: 'rectifications', title: '整改台账' } },
        { path: 'help', component: () => import('./views/Help.vue'), meta: { page: 'help', title: '使用说明' } },
        { path: ':rest(.*)*', component: () => import('./views/NotFound.vue'), meta: { title: '页面不存在' } },
      ],
    },
  ],
})

router.beforeEach(async (to) => {
  const session = useSession()
  // Start fetching the page's code while the session is checked (import() caches, so the router reuses it).
  for (const record of to.matched) {
    const load = record.components?.default
    if (typeof load === 'function' && !('render' in load) && !('setup' in load)) {
      ;(load as () => Promise<unknown>)().catch(() => undefined)
    }
  }
  const me = await session.check()
  if (!to.meta.public && !me) return { path: '/login', query: { redirect: to.redirectedFrom?.path === '/' ? '/' : to.fullPath } }
  // An initial password from the office is changed before anything else; the page asked for comes after.
  if (me?.must_change_password && !to.meta.public && to.path !== '/password') {
    return { path: '/password', query: to.path === '/' ? {} : { redirect: to.fullPath } }
  }
  // A page the session does not open (another role's address typed in) goes to the account's own start page.
  if (me && (to.path === '/' || !mayOpen(me, to.meta.page as string | undefined))) return startPath(me)
  return true
})

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) ?? ''} · 督办`
})
