import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-message.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { setReauthenticate, setUnauthorizedHandler } from './api/client'
import { askLogin } from './lib/reauth'
import { useSession } from './stores/session'

const app = createApp(App)
app.use(createPinia())
app.use(router)
setUnauthorizedHandler(() => {
  const session = useSession()
  session.me = null
  const here = router.currentRoute.value
  if (here.path !== '/login') router.push({ path: '/login', query: { redirect: here.fullPath } })
})
// A write refused because the session ended asks for the password in a dialog and is then sent again.
setReauthenticate(() => askLogin(useSession().me?.username ?? ''))
app.mount('#app')
