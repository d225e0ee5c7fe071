import { pipeline, Readable, Transform } from 'node:stream'
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'

// Answers kept by their ETag (issue 22 item 5). A conditional GET's tag names one document:
// its route, id, whole query and the revision of the records it is made of (routes/conditional.ts),
// read from the change counters without a worker. So the body a worker answered for a tag is
// the body of every later request that reads the same tag, until a write moves the counter:
// a hundred viewers polling one guide, or panels reading one list, cost one worker operation per
// revision, and a client without If-None-Match gets the bytes a 304 would have spared it.
// A write between the counter's read and the worker's makes the kept body newer than its tag,
// never older (as for the ETag itself), and that tag is not read again once the counter moved.
// Each instance keeps its own (the counters are shared through the database or Redis); only
// 200 answers are kept, at most SCHEDULEFLOW_ANSWER_CACHE_MB in all and an eighth of that each,
// least recently used first out. 0 turns it off.

/** The headers that say what the body is, given again with it. */
const KEPT_HEADERS = ['content-type', 'content-disposition'] as const

interface KeptAnswer { body: Buffer, headers: Partial<Record<typeof KEPT_HEADERS[number], string>> }

export interface AnswerCache {
  /** Sends the answer kept for `tag` and answers true, or marks the request to keep its answer and answers false. */
  serve(request: FastifyRequest, reply: FastifyReply, tag: string): boolean
  /** Answers served from it and kept into it since start (for /metrics and tests). */
  stats(): { hits: number, kept: number, bytes: number }
}

declare module 'fastify' {
  interface FastifyInstance { answerCache: AnswerCache }
  interface FastifyRequest { keepAnswerAs?: string }
}

export default fp(async (fastify) => {
  const maxBytes = fastify.config.answerCacheBytes
  const kept = maxBytes > 0
    ? new LRUCache<string, KeptAnswer>({ maxSize: maxBytes, maxEntrySize: Math.floor(maxBytes / 8), sizeCalculation: (a) => a.body.length || 1 })
    : null
  const counts = { hits: 0, kept: 0 }

  fastify.decorate('answerCache', {
    serve (request, reply, tag) {
      // GET only: a HEAD's reply carries no body to keep.
      if (kept === null || request.method !== 'GET') return false
      const answer = kept.get(tag)
      if (answer === undefined) {
        request.keepAnswerAs = tag
        return false
      }
      counts.hits++
      for (const name of KEPT_HEADERS) if (answer.headers[name] !== undefined) reply.header(name, answer.headers[name])
      void reply.send(answer.body)
      return true
    },
    stats: () => ({ ...counts, bytes: kept?.calculatedSize ?? 0 })
  } satisfies AnswerCache)

  if (kept === null) return
  const limit = Math.floor(maxBytes / 8)
  fastify.addHook('onSend', async (request, reply, payload) => {
    const tag = request.keepAnswerAs
    if (tag === undefined || reply.statusCode !== 200) return payload
    const keep = (body: Buffer): void => {
      const headers: KeptAnswer['headers'] = {}
      for (const name of KEPT_HEADERS) {
        const value = reply.getHeader(name)
        if (value !== undefined) headers[name] = String(value)
      }
      kept.set(tag, { body, headers })
      counts.kept++
    }
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      if (Buffer.byteLength(payload) <= limit) keep(Buffer.from(payload))
      return payload
    }
    return payload instanceof Readable ? copyWhileSending(payload, limit, keep) : payload
  })
}, { name: 'answer-cache', dependencies: ['config'] })

/**
 * A streamed document (an export, guide.xml) passes on as it comes; a copy is kept when it
 * ended whole and within `limit`. A stream that fails or runs over keeps nothing.
 */
function copyWhileSending (source: Readable, limit: number, keep: (body: Buffer) => void): Readable {
  const chunks: Buffer[] = []
  let size = 0
  const copying = new Transform({
    transform (chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else chunks.length = 0
      done(null, chunk)
    },
    // Called only once the source ended: a failed source destroys this stream first.
    flush (done) {
      if (size <= limit) keep(Buffer.concat(chunks, size))
      done()
    }
  })
  // The error reaches Fastify through `copying`, destroyed with it.
  pipeline(source, copying, () => {})
  return copying
}
