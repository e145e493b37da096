/** What a merge of units would do (GET /api/units/merge-preview), for the confirmation before it. */
import { request } from './client'
import type { components } from './schema'

/** Generated from the response model MergePreviewOut (src/duban/web/schemas/, `make types`). */
export type MergePreview = components['schemas']['MergePreviewOut']

export const mergeApi = {
  preview: (keep: number, merge: number[]) =>
    request<MergePreview>('GET', `/api/units/merge-preview?keep=${keep}&${merge.map((m) => `merge=${m}`).join('&')}`),
}

/** The confirmation's text: which name survives, which go (kept as aliases), and what moves. */
export function mergeQuestion(p: MergePreview): string {
  const gone = p.merged.map((m) => `「${m.name}」`).join('、')
  const moves = [
    `任务 ${p.tasks} 项`,
    `报告 ${p.reports} 份`,
    `名称和别名 ${p.aliases} 个`,
    `账号 ${p.accounts} 个`,
    ...(p.groups ? [`单位组成员资格 ${p.groups} 处`] : []),
  ].join('、')
  return `合并后保留名称「${p.keep.name}」；${gone}将不再作为单独的单位，其名称成为「${p.keep.name}」的别名。将转到「${p.keep.name}」名下：${moves}。合并不能撤销。`
}
