import { ApiError, chinesePart } from '../api/client'
import type { PositionedCorrection } from '../api/importSave'
/** The 导入 page edits a task's units as one line of text, "单位（牵头）、单位（协办）"; these convert both ways. */
export const ROLE_LABEL: Record<string, string> = { lead: '牵头', responsible: '责任', support: '协办' }
const ROLE_CODE: Record<string, string> = { 牵头: 'lead', 责任: 'responsible', 协办: 'support' }

export function formatUnits(units: { name: string; role: string }[]): string {
  return units.map((u) => `${u.name}（${ROLE_LABEL[u.role] ?? u.role}）`).join('、')
}

/** Names without a role in brackets are 责任 units. */
export function parseUnits(text: string): { name: string; role: string }[] {
  return text
    .split(/[、,，;；]/)
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const m = x.match(/^(.*?)[（(](牵头|责任|协办)[）)]$/)
      return m ? { name: m[1].trim(), role: ROLE_CODE[m[2]] } : { name: x, role: 'responsible' }
    })
}

/** The Chinese half of a `中文 / english` message (the whole text when it has no Chinese half). */
export function zh(text: string): string {
  return chinesePart(text) ?? text
}

/** What the page keeps after a refusal: the message, the file, and what the parser read before refusing. */
export interface Refusal {
  message: string
  file: string
  warnings: string[]
  read: string[]
}

/** A refused preview or save, as the page shows it (an answer's ``partial_plan``/``warnings`` when it has them). */
export function refusalOf(err: unknown, file: string): Refusal {
  const message = err instanceof ApiError ? err.message : '操作失败，请稍后再试'
  const body = (err instanceof ApiError ? err.body : null) as {
    warnings?: unknown
    partial_plan?: { tasks?: { no?: string | null; text?: string }[] }
  } | null
  const warnings = Array.isArray(body?.warnings) ? body.warnings.filter((w): w is string => typeof w === 'string') : []
  const tasks = body?.partial_plan?.tasks ?? []
  return {
    message,
    file,
    warnings: warnings.map(zh),
    read: tasks.map((t) => `${t.no ?? ''} ${t.text ?? ''}`.trim()),
  }
}

/** A task the office types in beside the text: its number, its text and its 牵头单位 (several: 、). */
export interface AddedTask {
  no: string
  text: string
  lead: string
}

const NUMERALS = '一二三四五六七八九十'

/** A section heading numeral (一…十, then 十一…九十九) for the added section. */
function numeral(n: number): string {
  if (n <= 10) return NUMERALS[n - 1]
  const tens = Math.floor(n / 10)
  const ones = n % 10
  return `${tens > 1 ? NUMERALS[tens - 1] : ''}十${ones ? NUMERALS[ones - 1] : ''}`
}

/** One added task as a numbered line the parser reads: `3. 内容。（牵头单位：甲、乙）`. */
export function addedLine(t: AddedTask): string {
  const text = t.text.replace(/\s+/g, ' ').trim()
  const end = /[。；;.!！?？]$/.test(text) ? '' : '。'
  const no = t.no.trim().replace(/[.、．]$/, '') || '1'
  return `${no}. ${text}${end}（牵头单位：${t.lead.replace(/\s+/g, '').trim()}）`
}

/**
 * The notice as read with the added tasks as a last section (`九、补录任务`), so that saving goes through the
 * one import path (POST /api/plans parses it again): the tasks read before keep their order, the added follow.
 */
export function noticeWithAdded(text: string, sections: number, added: AddedTask[]): string {
  const heading = `${numeral(Math.min(Math.max(sections + 1, 1), 99))}、补录任务`
  return [text.trimEnd(), heading, ...added.map(addedLine)].join('\n') + '\n'
}

/** The file name of the completed notice: the upload's name with `（补录）.txt`. */
export function addedFileName(original: string): string {
  return `${original.replace(/\.[^.]*$/, '') || '通知'}（补录）.txt`
}

/** A task as the preview read it (what the page's edits are compared with). */
export interface ReadTask {
  text: string
  due?: string | null
  units?: { name: string; role: string }[]
}

/** The page's edits of one task: its text, due date and units as one line (see `formatUnits`). */
export interface TaskEdit {
  text: string
  due: string
  units: string
}

/** The corrections to send with the notice: one per edited task, by position, with only what changed
 * (the units whole whenever the task changed, as the page edits them as one line). */
export function correctionsOf(read: ReadTask[], edits: Record<number, TaskEdit>): PositionedCorrection[] {
  const out: PositionedCorrection[] = []
  for (const [key, e] of Object.entries(edits)) {
    const position = Number(key)
    const t = read[position]
    if (!t) continue
    const textChanged = e.text !== t.text
    const dueChanged = e.due !== (t.due ?? '')
    const unitsChanged = e.units !== formatUnits(t.units ?? [])
    if (!textChanged && !dueChanged && !unitsChanged) continue
    const c: PositionedCorrection = { position, units: parseUnits(e.units) }
    if (textChanged) c.text = e.text
    if (dueChanged) c.due = e.due || null
    out.push(c)
  }
  return out.sort((a, b) => a.position - b.position)
}

/** The aliases the office chose in the name mapping: each new name meant as an existing unit. */
export function aliasesOf(
  choices: Record<string, { mode: 'new' | 'alias'; unit: number | null }>,
): { unit_id: number; name: string }[] {
  return Object.entries(choices)
    .filter(([, c]) => c.mode === 'alias' && c.unit)
    .map(([name, c]) => ({ unit_id: c.unit as number, name }))
}
