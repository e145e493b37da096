/** Who is signed in, the plans they can see and the plan chosen with ?plan=. */
import { defineStore } from 'pinia'
import { api, setCsrf } from '../api/client'
import type { Me, Plan, Rules } from '../api/types'
import { DEFAULT_RULES } from '../lib/colour'
import { may } from '../lib/menu'

/** The newest plan of ``pool`` (latest year, then latest import), or null. */
export function latestPlan(pool: Plan[]): number | null {
  const best = [...pool].sort((a, b) => b.year - a.year || b.id - a.id)[0]
  return best ? best.id : null
}

/** A date as YYYY-MM-DD in the browser's own time zone (``toISOString`` would give UTC: yesterday before
 * 8 a.m. in China). */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

export const useSession = defineStore('session', {
  state: () => ({
    me: null as Me | null,
    checked: false,
    plans: [] as Plan[],
    plansLoaded: false,
    rules: {} as Record<number, Rules>,
  }),
  getters: {
    /** 今天 as the server counts it (the figures' default day); the browser's local date until signed in. */
    today: (s): string => s.me?.today ?? localDate(new Date()),
    /** May the account take this office action (the server's list: role and jurisdiction scope)? */
    can: (s) => (action: string): boolean => may(s.me, action),
    /** The latest published plan (the default when ?plan= is absent). */
    defaultPlan: (s): number | null => {
      const published = s.plans.filter((p) => p.state === 'published')
      return latestPlan(published.length ? published : s.plans)
    },
  },
  actions: {
    async check(): Promise<Me | null> {
      if (this.checked) return this.me
      try {
        this.me = await api.me()
        if (this.me.csrf_token) setCsrf(this.me.csrf_token)
        // Not awaited: the page's chunks and data (when ?plan= is given) load meanwhile.
        this.loadPlans().catch(() => undefined)
      } catch {
        this.me = null
      }
      this.checked = true
      return this.me
    },
    /** Ask the server again (after a password change: a fresh session, its CSRF token, the flag cleared). */
    async refresh(): Promise<Me | null> {
      this.checked = false
      return this.check()
    },
    async login(username: string, password: string) {
      const me = await api.login(username, password)
      setCsrf(me.csrf_token ?? null)
      this.me = me
      this.checked = true
      await this.loadPlans()
    },
    async logout() {
      try {
        await api.logout()
      } finally {
        setCsrf(null)
        this.me = null
        this.plans = []
      }
    },
    async loadPlans() {
      this.plans = (await api.plans()).items
      this.plansLoaded = true
    },
    async rulesFor(plan: number): Promise<Rules> {
      if (!this.rules[plan]) {
        try {
          this.rules[plan] = await api.rules(plan)
        } catch {
          this.rules[plan] = DEFAULT_RULES
        }
      }
      return this.rules[plan]
    },
  },
})
