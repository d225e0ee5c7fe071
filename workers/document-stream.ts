// A command's document answer, sent whole (by hand, or a pooled call that did not ask for a
// stream) or streamed to the pool in ChunkFrames (protocol.ts) as it is written. A body may be
// a string, or parts produced one after another (an export of every schedule, one schedule at
// a time), so neither the worker nor the API need hold the whole document.

export interface DocumentAnswer {
  content_type: string
  filename: string
  body: string | AsyncIterable<string> | Iterable<string>
}

/** Text per ChunkFrame: large enough that framing costs little, small enough to bound buffers. */
export const CHUNK_CHARS = 64 * 1024

export function isDocumentAnswer (value: unknown): value is DocumentAnswer {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  if (typeof v.content_type !== 'string' || typeof v.filename !== 'string') return false
  const body = v.body as { [Symbol.asyncIterator]?: unknown, [Symbol.iterator]?: unknown } | undefined
  return typeof body === 'string' || (typeof body === 'object' && body !== null &&
    (typeof body[Symbol.asyncIterator] === 'function' || typeof body[Symbol.iterator] === 'function'))
}

/**
 * The body in pieces of at most CHUNK_CHARS. A cut never falls between the two halves of a
 * surrogate pair: each piece must be valid text on its own, or the bytes would differ.
 */
export async function * bodyChunks (body: DocumentAnswer['body']): AsyncGenerator<string> {
  const parts = typeof body === 'string' ? [body] : body
  for await (const part of parts) {
    for (let at = 0; at < part.length;) {
      let end = Math.min(part.length, at + CHUNK_CHARS)
      const last = part.charCodeAt(end - 1)
      if (end < part.length && last >= 0xd800 && last <= 0xdbff) end--
      yield part.slice(at, end)
      at = end
    }
  }
}

/** The whole body as one string: for an answer that is not streamed. */
export async function wholeBody (body: DocumentAnswer['body']): Promise<string> {
  if (typeof body === 'string') return body
  const parts: string[] = []
  for await (const part of body) parts.push(part)
  return parts.join('')
}
