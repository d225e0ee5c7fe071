import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../lib/http-errors.js'
import type { ExportedDocument } from '../contract/api.js'
import type { StreamedDocument } from '../lib/pool/process-pool.js'

// Routes that take or give whole documents (schedules, playlists): the body travels
// to the worker as bytes, and the worker's document comes back with its file name.

/** Makes `scope` take any body as raw bytes, or one multipart file (call inside an encapsulated plugin). */
export async function acceptRawDocuments (scope: FastifyInstance, maxBytes: number): Promise<void> {
  scope.removeAllContentTypeParsers()
  // Documents have their own limit: the app's bodyLimit is the far smaller JSON cap.
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => done(null, body))
  await scope.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 10 } })
}

/** The uploaded document: the body itself, or the one file of a multipart form. */
export async function readDocument (request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
  try {
    const file = await request.file()
    if (file === undefined) throw new HttpError('BAD_REQUEST', 'the multipart body has no file', [{ field: 'file', message: 'missing' }])
    return await file.toBuffer()
  } catch (err) {
    // busboy's own errors (no boundary, a truncated form) carry no status: the body is malformed.
    if (err instanceof HttpError || typeof (err as { statusCode?: unknown }).statusCode === 'number') throw err
    throw new HttpError('BAD_MULTIPART', `the multipart body is malformed: ${(err as Error).message}`)
  }
}

/**
 * Sends a document: whole, or streamed from its worker (chunked, so a body cut part-way
 * lacks the terminating chunk and the client sees a cut connection, not a shorter document).
 */
export function sendDocument (reply: FastifyReply, doc: ExportedDocument | StreamedDocument): FastifyReply {
  // A stream failing before its first byte is answered as an error: no ETag on an error.
  if (typeof doc.body !== 'string') doc.body.once('error', () => { if (!reply.sent && !reply.raw.headersSent) reply.removeHeader('etag') })
  return reply
    .type(doc.content_type)
    .header('content-disposition', `attachment; filename="${doc.filename.replace(/["\\\r\n]/g, '_')}"`)
    .send(doc.body)
}

/** Sends a worker's JSON document as the answer itself, not as a download: passed through as the worker wrote it. */
export function sendJsonDocument (reply: FastifyReply, doc: StreamedDocument): FastifyReply {
  return reply.type(doc.content_type).send(doc.body)
}

/**
 * `{a: 'x', b: undefined}` → `['--a=x']`: query options as CLI options. The value is
 * joined to its option, so one beginning with `-` (`?name=--all`) stays a value.
 */
export function optionArgs (options: Record<string, string | number | undefined>): string[] {
  return Object.entries(options).flatMap(([key, value]) => (value === undefined ? [] : [`--${key}=${String(value)}`]))
}

/** Imports and exports read or write whole documents: half the general rate limit. */
export function costlyRateLimit (fastify: FastifyInstance): { rateLimit: { max: number, timeWindow: number } } {
  return { rateLimit: { max: Math.max(1, Math.floor(fastify.config.rateLimit.max / 2)), timeWindow: fastify.config.rateLimit.windowMs } }
}
