/**
 * Publishing a plan: the server refuses (409) while tasks have no reporting unit (汇总单位). The office is then
 * asked whether to mark those tasks 不考核 and publish, or to pick their units first (任务详情).
 */
import { ElMessageBox } from 'element-plus'
import 'element-plus/theme-chalk/el-overlay.css'
import 'element-plus/theme-chalk/el-message-box.css'
import { api, ApiError } from '../api/client'
import type { Task } from '../api/types'

/** A 409 of publish naming tasks without a reporting unit. */
export function isUnassigned(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 409 && e.message.includes('汇总单位')
}

/** The tasks that stop publishing: no reporting unit and still assessed. */
export function unassignedTasks(tasks: Task[]): Task[] {
  return tasks.filter((t) => !t.reporting_unit_id && t.assessed !== false)
}

/** How many tasks a publish refusal names (its `unassigned` list; else the tasks given). */
export function unassignedCount(e: ApiError, fallback = 0): number {
  const listed = (e.body as { unassigned?: unknown } | null)?.unassigned
  return Array.isArray(listed) ? listed.length : fallback
}

/** Ask whether to mark the tasks without a reporting unit 不考核 and publish; true when the office agrees. */
export async function askToExclude(message: string, count: number): Promise<boolean> {
  try {
    await ElMessageBox.confirm(
      `${message}。可将这${count}项任务标为“不考核”（保留在台账中，不计入颜色、排名和通报）后发布；或先在任务详情中逐项指定汇总单位，再发布。`,
      '尚未确定汇总单位',
      { confirmButtonText: '标为不考核并发布', cancelButtonText: '先去指定汇总单位', type: 'warning', distinguishCancelAndClose: true },
    )
    return true
  } catch {
    return false
  }
}

/** Publish the plan; true when published, false when the office chose to pick the units first. */
export async function publishOrAsk(plan: number): Promise<boolean> {
  try {
    await api.publish(plan)
    return true
  } catch (e) {
    if (!isUnassigned(e)) throw e
    const open = unassignedTasks((await api.tasks({ plan })).items)
    if (!(await askToExclude(e.message, open.length))) return false
    for (const t of open) await api.setTask(t.id, { assessed: false })
    await api.publish(plan)
    return true
  }
}
