import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './stores/session'

const Shell = () => import('./views/Shell.vue')

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
    {
      path: '/',
      component: Shell,
      children: [
        // No fixed redirect: the guard below sends each role to its own start page (a unit to 我的任务), also
        // after 登录 from the bare address.
        { path: '', component: () => import('./views/Overview.vue'), meta: { title: '督办' } },
        { path: 'overview', component: () => import('./views/Overview.vue'), meta: { title: '总览' } },
        { path: 'ledger', component: () => import('./views/Ledger.vue'), meta: { title: '台账' } },
        { path: 'tasks/:id(\\d+)', component: () => import('./views/TaskDetail.vue'), meta: { title: '任务详情' } },
        { path: 'my', component: () => import('./views/My.vue'), meta: { title: '我的任务' } },
        { path: 'review', component: () => import('./views/Review.vue'), meta: { title: '审核' } },
        { path: 'import', component: () => import('./views/Import.vue'), meta: { title: '导入' } },
        { path: 'units', component: () => import('./views/Units.vue'), meta: { title: '单位' } },
        { path: 'periods', component: () => import('./views/Periods.vue'), meta: { title: '周期' } },
        { path: 'bulletins', component: () => import('./views/Bulletins.vue'), meta: { title: '通报' } },
        { path: 'accounts', component: () => import('./views/Accounts.vue'), meta: { title: '账号' } },
        { path: 'password', component: () => import('./views/ChangePassword.vue'), meta: { title: '修改密码' } },
        { path: 'help', component: () => import('./views/Help.vue'), meta: { title: '使用说明' } },
        { path: 'rankings', component: () => import('./views/Rankings.vue'), meta: { title: '排名' } },
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
  if (!to.meta.public && !me) return { path: '/login', query: { redirect: to.fullPath } }
  // An initial password from the office is changed before anything else; the page asked for comes after.
  if (me?.must_change_password && !to.meta.public && to.path !== '/password') {
    return { path: '/password', query: to.path === '/' ? {} : { redirect: to.fullPath } }
  }
  if (to.path === '/' && me) return me.role === 'unit' ? '/my' : '/overview'
  return true
})

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) ?? ''} · 督办`
})
