import type { ProblemDetail } from '../workers/protocol.js'
import type { PoolFailure } from './process-pool.js'

/** An error the API answers as `{status:"error", code, message, request_id, errors?}`. */
export class HttpError extends Error {
  constructor (
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors?: ProblemDetail[],
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

// Worker error codes whose HTTP status is not the plain 400 of a bad input.
const STATUS_BY_WORKER_CODE: Record<string, number> = {
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  STORAGE_BUSY: 503
}

export function httpErrorFromPool (failure: PoolFailure): HttpError {
  switch (failure.kind) {
    case 'owner_busy':
      return new HttpError(429, failure.code, failure.message, undefined, { 'retry-after': '5' })
    case 'queue_full':
      return new HttpError(503, failure.code, failure.message, undefined, { 'retry-after': '2' })
    case 'shutting_down':
      return new HttpError(503, failure.code, failure.message, undefined, { 'retry-after': '10' })
    case 'client_gone':
      return new HttpError(499, failure.code, failure.message)
    case 'timeout':
      return new HttpError(504, failure.code, failure.message)
    case 'output_too_large':
    case 'crashed':
      return new HttpError(502, failure.code, failure.message)
    case 'failed': {
      if (failure.detail.exitCode !== 2) return new HttpError(500, failure.code, failure.message)
      const status = STATUS_BY_WORKER_CODE[failure.code] ?? 400
      return new HttpError(status, failure.code, failure.message, failure.detail.errors, status === 503 ? { 'retry-after': '1' } : {})
    }
  }
}
