import type { ErrorCode } from './errors.js'
import type { ProblemDetail } from './common.js'

// A domain error, not a wire frame: the scheduler throws it wherever it refuses something, and
// the worker's entry point (workers/cli.ts) turns it into an answer frame and an exit code.
// Beside the catalogue whose code it carries; its own file because it needs ProblemDetail's
// type from common.ts, which itself reads the catalogue (one file would make a loop).
// Erased types only, so a worker loads it at no cost (test/worker-imports.test.ts).

/** A failure the worker reports on purpose: the caller's input unless `internal`. Its code is one of the catalogue's (contract/errors.ts). */
export class CommandError extends Error {
  constructor (
    readonly code: ErrorCode,
    message: string,
    readonly errors?: ProblemDetail[],
    /** Ours, not the caller's: the process answers it as an internal error and exits. */
    readonly internal = false
  ) {
    super(message)
  }
}
