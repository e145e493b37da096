import { computed } from 'vue'
import { useRoute } from 'vue-router'
import { useSession } from '../stores/session'
import { ElMessage } from 'element-plus'
import { ApiError } from '../api/client'

/** The plan of the page: ?plan=ID, else the latest published plan. */
export function usePlan() {
  const route = useRoute()
  const session = useSession()
  return computed<number | null>(() => {
    const raw = Number(route.query.plan)
    return Number.isInteger(raw) && raw > 0 ? raw : session.defaultPlan
  })
}

/** Show an API failure as a Chinese message. */
export function showError(e: unknown): void {
  ElMessage.error(e instanceof ApiError ? e.message : '操作失败，请稍后再试')
}
