import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { projectVersion } from '../workers/project.js'

// Conditional GETs (issue 10 item 3, SPEC §11): what guide clients and panels poll answers a
// weak ETag, and an If-None-Match that names the current one is a 304 answered from one row
// of the database's change counters (lib/revisions.ts), without a worker.
//
// ETag: W/"<revision>-<hash>". The revision is the counter of the records the answer is made
// of (one schedule or playlist: its own; lists and the export of all: the global one); the
// hash is of the route, its id, its whole query (format, from, to, date, timezone, …) and the
// app's version, so two different documents never share a tag. Weak: the answer is the same
// document for the same revision, not a promise about its bytes (an upgrade may re-encode).

const VERSION = projectVersion()

/**
 * The request's ETag at `revision`. `extra`: what else the answer is made of that the query
 * does not say, e.g. a default range that moves with the clock (guide.xml): two days' guides
 * at one revision must not share a tag.
 */
export function entityTag (request: FastifyRequest, revision: number, extra: unknown = null): string {
  const query = Object.entries((request.query ?? {}) as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const hash = createHash('sha256').update(JSON.stringify([VERSION, request.routeOptions.url, request.params, query, extra])).digest('base64url').slice(0, 22)
  return `W/"${revision}-${hash}"`
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of tags compared weakly (W/ ignored). */
export function noneMatchHolds (ifNoneMatch: string | undefined, tag: string): boolean {
  if (ifNoneMatch === undefined) return false
  if (ifNoneMatch.trim() === '*') return true
  const opaque = tag.startsWith('W/') ? tag.slice(2) : tag
  return ifNoneMatch.split(',').some((candidate) => {
    const trimmed = candidate.trim()
    return (trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed) === opaque
  })
}

/**
 * Answers `answer()` with the ETag of `scope`'s counter, or 304 when If-None-Match names it.
 * The counter is read before the worker runs: a write in between makes the body newer than
 * its tag, never older, so the next revalidation fetches it again. Without a counter (a
 * deleted record, an unreadable database) the worker answers, without a tag; an error
 * answer never carries one.
 */
export async function conditionalGet<T> (request: FastifyRequest, reply: FastifyReply, scope: string, answer: () => Promise<T>, extra: unknown = null): Promise<T | FastifyReply> {
  const revision = await request.server.storage.revision(scope)
  if (revision === undefined) return answer()
  const tag = entityTag(request, revision, extra)
  reply.header('etag', tag)
  if (noneMatchHolds(request.headers['if-none-match'], tag)) return reply.code(304).send()
  try {
    return await answer()
  } catch (err) {
    reply.removeHeader('etag')
    throw err
  }
}
