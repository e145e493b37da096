/**
 * POST /api/plans/import: the 导入 page's save in one request and one transaction — the aliases the office
 * chose, the notice, the corrections typed beside it (by task position) and publishing. A refusal anywhere
 * leaves nothing saved, so the page can simply ask and send again.
 */
import { request } from './client'
import type { components } from './schema'

export interface UnitRole {
  name: string
  role: string
}

/** A correction of the task at `position` (0-based, the preview's order); only the fields given change. */
export interface PositionedCorrection {
  position: number
  text?: string
  due?: string | null
  units?: UnitRole[]
}

export interface ImportChanges {
  aliases: { unit_id: number; name: string }[]
  corrections: PositionedCorrection[]
  publish: boolean
  /** Mark the tasks still without a 汇总单位 不考核 before publishing (the answer to a refused publish). */
  exclude_unassigned?: boolean
}

/** The answer: generated from the response model (src/duban/web/schemas/plans.py). */
export type ImportSaved = components['schemas']['ImportSaved']

export function saveImport(file: File, jurisdictionId: number | null, changes: ImportChanges): Promise<ImportSaved> {
  const fd = new FormData()
  fd.append('file', file)
  fd.append('changes', JSON.stringify(changes))
  return request<ImportSaved>('POST', '/api/plans/import', fd, { jurisdiction_id: jurisdictionId ?? undefined })
}
