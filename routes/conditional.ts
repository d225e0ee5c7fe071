import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { projectVersion } from '../workers/project.js'
import { HttpError } from '../lib/http-errors.js'
import { editTargetScope } from '../workers/storage/revisions.js'

// Conditional GETs (issue 10 item 3, SPEC §11): what guide clients and panels poll answers a
// weak ETag, and an If-None-Match that names the current one is a 304 answered from one row
// of the database's change counters (lib/revisions.ts), without a worker.
//
// ETag: W/"<revision>-<hash>". The revision is the counter of the records the answer is made
// of (one schedule or playlist: its own; lists and the export of all: the global one); the
// hash is of the route, its id, its whole query (format, from, to, date, timezone, …) and the
// app's version, so two different documents never share a tag. Weak: the answer is the same
// document for the same revision, not a promise about its bytes (an upgrade may re-encode).
// The answers of one schedule or channel (SPEC §12) carry its own `revision` instead, the one
// the edit commands check, with the counter hashed: so `If-Match` takes what GET answered
// (ifMatchRevision), and a 304 still needs both unchanged.

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

/** An edit answer's ETag (SPEC §12): the strong `"<revision>"`. */
export const revisionTag = (revision: number): string => `"${revision}"`

/**
 * The revision an If-Match names (SPEC §12): `"<n>"` or any tag this server sent for that
 * schedule or channel, `W/"<n>-<hash>"`, weak or strong (and a bare `7`, as the CLI takes it);
 * only the revision it carries is compared. `*` or none: no condition. Anything else is a 400.
 */
export function ifMatchRevision (header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined
  const revision = /^\s*(?:W\/)?(?:"(\d{1,15})(?:-[A-Za-z0-9_-]+)?"|(\d{1,15}))\s*$/.exec(header)
  if (revision === null) throw new HttpError('BAD_REQUEST', 'If-Match must name one revision, as the ETag gives it: "7" or the ETag a GET answered', [{ field: 'If-Match', message: 'not a revision' }])
  return Number(revision[1] ?? revision[2])
}

/** The worker's option for the request's If-Match: `--if-match=<n>`, or none. */
export function ifMatchArgs (request: FastifyRequest): string[] {
  const revision = ifMatchRevision(request.headers['if-match'])
  return revision === undefined ? [] : [`--if-match=${revision}`]
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
 * Answers `answer()` with the ETag of `scopes`' counters (one scope, or the answer's own and the
 * others it reads), or 304 when If-None-Match names it.
 * `target`: the schedule or channel the answer belongs to (by default the first of `scopes`),
 * whose revision the tag carries. Both are read before the worker runs: a write in between
 * makes the body newer than its tag, never older, so the next revalidation fetches it again
 * and an If-Match with it is a 412, never a lost update. Without a counter (a deleted record,
 * an unreadable database) the worker answers, without a tag; an error answer never carries one.
 */
export async function conditionalGet<T> (
  request: FastifyRequest,
  reply: FastifyReply,
  scopes: string | readonly [string, ...string[]],
  answer: () => Promise<T>,
  extra: unknown = null,
  target = typeof scopes === 'string' ? scopes : scopes[0]
): Promise<T | FastifyReply> {
  const edited = editTargetScope(target)
  const [revision, ...counters] = await Promise.all([
    edited === undefined ? undefined : request.server.storage.editRevision(edited.kind, edited.id),
    ...(typeof scopes === 'string' ? [scopes] : scopes).map(async (scope) => request.server.storage.revision(scope))
  ])
  // Counters only grow: their sum moves whenever any of them does.
  const counter = counters.some((c) => c === undefined) ? undefined : counters.reduce((sum: number, c) => sum + c!, 0)
  if (counter === undefined || (edited !== undefined && revision === undefined)) return answer()
  const tag = revision === undefined ? entityTag(request, counter, extra) : entityTag(request, revision, [extra, counter])
  reply.header('etag', tag)
  if (noneMatchHolds(request.headers['if-none-match'], tag)) return reply.code(304).send()
  if (request.server.answerCache.serve(request, reply, tag)) return reply
  try {
    return await answer()
  } catch (err) {
    reply.removeHeader('etag')
    throw err
  }
}
