/** Attachments of reports (GET /api/attachments?report=…), fetched as blobs to preview or save. */
import { ApiError, download, errorMessage, withQuery } from './client'
import type { components } from './schema'

/** Generated from the response model AttachmentOut (src/duban/web/schemas/, `make types`). */
export type AttachmentInfo = components['schemas']['AttachmentOut']

async function getJson<R>(path: string): Promise<R> {
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
  } catch {
    throw new ApiError(0, errorMessage(0, null))
  }
  const body: unknown = await res.json().catch(() => null)
  if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, body), body)
  return body as R
}

export const attachmentsApi = {
  /** The files of these reports the signed-in user may see (one request for a whole page). */
  list: async (reports: number[]): Promise<AttachmentInfo[]> => {
    if (!reports.length) return []
    const query = reports.map((r) => `report=${r}`).join('&')
    return (await getJson<{ items: AttachmentInfo[] }>(`/api/attachments?${query}`)).items
  },
  /** The bytes, for a preview in the page (an object URL; the server still serves them as a download). */
  blob: async (item: AttachmentInfo): Promise<Blob> => {
    const res = await fetch(item.url, { credentials: 'same-origin' })
    if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, null))
    return new Blob([await res.arrayBuffer()], { type: item.content_type })
  },
  save: (item: AttachmentInfo) => download(withQuery(item.url), item.filename),
}
