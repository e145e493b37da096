/** The report form's values and the checks made before saving or submitting. */
export interface ReportDraft {
  progress: number | string | null
  text: string
  problems: string
  next_steps: string
  completed: boolean
  values: Record<number, number | string | null>
}

export type FormErrors = Partial<Record<'progress' | 'text' | 'problems' | 'next_steps' | `value${number}`, string>>

export function emptyDraft(): ReportDraft {
  return { progress: null, text: '', problems: '', next_steps: '', completed: false, values: {} }
}

/** Check a draft. A draft may be saved with less than a submission needs. */
export function validate(d: ReportDraft, submit: boolean): FormErrors {
  const e: FormErrors = {}
  const raw = d.progress
  const p = typeof raw === 'string' ? raw.trim() : raw
  if (p === null || p === '') {
    e.progress = '请填写进度'
  } else {
    const n = Number(p)
    if (!Number.isFinite(n) || !Number.isInteger(n)) e.progress = '进度须为 0 到 100 的整数'
    else if (n < 0 || n > 100) e.progress = '进度须为 0 到 100 的整数'
    else if (d.completed && n !== 100) e.progress = '已完成的任务进度须为 100'
  }
  if (submit && !d.text.trim()) e.text = '请填写完成情况'
  if (submit && !d.completed && !d.next_steps.trim()) e.next_steps = '请填写下步打算'
  for (const [k, v] of Object.entries(d.values)) {
    if (v === null || v === '') continue
    if (!Number.isFinite(Number(v))) e[`value${Number(k)}`] = '请填写数字'
  }
  return e
}

export function toValues(d: ReportDraft): { target: number; value: number }[] {
  return Object.entries(d.values)
    .filter(([, v]) => v !== null && v !== '' && Number.isFinite(Number(v)))
    .map(([k, v]) => ({ target: Number(k), value: Number(v) }))
}
