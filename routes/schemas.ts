import { Type } from '@fastify/type-provider-typebox'
import { HttpError } from '../lib/http-errors.js'
import { DOCUMENT_TYPES } from '../contract/api.js'
import { isRecordId, notFound, type RecordKind } from '../workers/commands/not-found.js'

// Schema pieces every route module uses; the answers themselves are in contract/api.ts.

// No length or pattern here: a malformed id is a 404 like an unknown one (recordId), not a 400.
export const IdParams = Type.Object({ id: Type.String({ description: 'a UUID' }) })

/**
 * The route's :id, checked against the stored form before any worker runs: an id that
 * is not a UUID (`--all`, `-h`, `../x`…) names nothing, so it is a 404. The worker checks
 * again, and routes pass ids after a `--`, so an id is never read as an option.
 */
export function recordId (id: string, what: RecordKind): string {
  if (isRecordId(id)) return id
  const refused = notFound(what, id)
  throw new HttpError(refused.code, refused.message)
}

/** OpenAPI: the route needs `Authorization: Bearer <key>` (the scheme plugins/docs.ts declares). */
export const NEEDS_KEY = [{ apiKey: [] }]

/**
 * The 200 of a route that answers a document (an export): its bytes as they are, in one of
 * `types` (media types without their charset), with a Content-Disposition naming the file.
 * Documents are never serialized (a string body is sent as it is), so this only documents.
 */
export function documentResponse (description: string, types: ReadonlyArray<typeof DOCUMENT_TYPES[number]> = DOCUMENT_TYPES) {
  const content = Object.fromEntries(types.map((type) => [type.split(';')[0], { schema: Type.String({ description }) }]))
  return { 200: { description: `${description} (sent as an attachment: Content-Disposition names the file)`, content } }
}
