import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox'
import { HttpError } from '../lib/http-errors.js'
import { isRecordId, notFound } from '../workers/commands/not-found.js'

// Schema pieces every route module uses.

/** `type: [T, 'null']` rather than anyOf: the serializer handles it far faster on large answers. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] })

// No length or pattern here: a malformed id is a 404 like an unknown one (recordId), not a 400.
export const IdParams = Type.Object({ id: Type.String({ description: 'a UUID' }) })

/**
 * The route's :id, checked against the stored form before any worker runs: an id that
 * is not a UUID (`--all`, `-h`, `../x`…) names nothing, so it is a 404. The worker checks
 * again, and routes pass ids after a `--`, so an id is never read as an option.
 */
export function recordId (id: string, what: 'schedule' | 'playlist'): string {
  if (isRecordId(id)) return id
  const refused = notFound(what, id)
  throw new HttpError(404, refused.code, refused.message)
}

/** OpenAPI: the route needs `Authorization: Bearer <key>` (the scheme plugins/docs.ts declares). */
export const NEEDS_KEY = [{ apiKey: [] }]
