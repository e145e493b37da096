/**
 * A report form's text kept in this browser (localStorage) until the server has it, so that a closed tab, a
 * dropped connection or an ended session loses nothing. One entry per account, task and 报送期.
 */
import type { ReportDraft } from './reportForm'

const PREFIX = 'duban.form.'

export function keptKey(user: number | string, task: number, period: number): string {
  return `${PREFIX}${user}.${task}.${period}`
}

export function readKept(key: string): ReportDraft | null {
  try {
    const raw = localStorage.getItem(key)
    if (!raw) return null
    const data = JSON.parse(raw) as Partial<ReportDraft>
    if (typeof data !== 'object' || data === null) return null
    return {
      progress: data.progress ?? null,
      text: String(data.text ?? ''),
      problems: String(data.problems ?? ''),
      next_steps: String(data.next_steps ?? ''),
      completed: Boolean(data.completed),
      values: typeof data.values === 'object' && data.values ? data.values : {},
    }
  } catch {
    return null
  }
}

/** Keep ``draft`` unless it is empty (an untouched form leaves nothing behind). */
export function keep(key: string, draft: ReportDraft): void {
  const empty = !draft.text && !draft.problems && !draft.next_steps && (draft.progress === null || draft.progress === '')
  try {
    if (empty) localStorage.removeItem(key)
    else localStorage.setItem(key, JSON.stringify(draft))
  } catch {
    // A full or disabled storage only loses the safety copy; the form itself still works.
  }
}

export function forget(key: string): void {
  try {
    localStorage.removeItem(key)
  } catch {
    // nothing kept
  }
}
