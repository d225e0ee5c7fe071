import { ERROR_STATUS, isErrorCode, type ErrorCode } from '../contract/errors.js'
import type { ProblemDetail } from '../contract/api.js'
import type { PoolFailure } from './pool/types.js'

/**
 * An error the API answers as `{status:"error", code, message, request_id, errors?}`.
 * Its status is its code's, from the one catalogue (contract/errors.ts).
 */
export class HttpError extends Error {
  readonly statusCode: number

  constructor (
    readonly code: ErrorCode,
    message: string,
    readonly errors?: ProblemDetail[],
    readonly headers: Record<string, string> = {},
    /** A write that may be stored though it failed (SPEC §12): the body says `may_be_stored` and `revision_before`. */
    readonly mayBeStored?: { revisionBefore: number | null }
  ) {
    super(message)
    this.statusCode = ERROR_STATUS[code]
  }
}

// How long a refused caller should wait, by the pool's reason.
const RETRY_AFTER_S: Partial<Record<PoolFailure['kind'], string>> = { owner_busy: '5', queue_full: '2', shutting_down: '10' }

/** The pool's failure as the API answers it. */
export function httpErrorFromPool (failure: PoolFailure): HttpError {
  const retry = RETRY_AFTER_S[failure.kind]
  const headers: Record<string, string> = retry !== undefined ? { 'retry-after': retry } : {}
  const stored = failure.detail.mayBeStored
  if (failure.kind !== 'failed') {
    return new HttpError(isErrorCode(failure.code) ? failure.code : 'INTERNAL', failure.message, undefined, headers, stored)
  }
  // A worker's refusal (exit 2) is the caller's doing unless its code says otherwise; any other exit is ours.
  if (failure.detail.exitCode !== 2) return new HttpError('INTERNAL', failure.message, undefined, {}, stored)
  // Worker codes are typed by the catalogue (CommandError); one from elsewhere is still a bad input.
  const code = isErrorCode(failure.code) ? failure.code : 'BAD_REQUEST'
  return new HttpError(code, failure.message, failure.detail.errors, ERROR_STATUS[code] === 503 ? { 'retry-after': '1' } : {}, stored)
}
