// ── Documents (exports) ───────────────────────────────────────────────────────────────

/** The media types of exported documents; the route answers the body as it is, with this type. */
export const DOCUMENT_TYPES = ['application/xml; charset=utf-8', 'application/json; charset=utf-8', 'audio/x-mpegurl; charset=utf-8'] as const

/** A worker's exported document: sent as `body` with `content_type`, named `filename` (not JSON to the client). */
export interface ExportedDocument {
  content_type: typeof DOCUMENT_TYPES[number]
  filename: string
  body: string
}
