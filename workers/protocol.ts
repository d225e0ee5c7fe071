// The contract between the API's process pool and an m3upro process (SPEC §7):
// one JSON object on stdout, exit 0 / 2 (bad input) / 1 (internal), JSON log lines on stderr.

export const EXIT_OK = 0
export const EXIT_INTERNAL = 1
export const EXIT_BAD_INPUT = 2

/** First line a pooled worker reads on stdin; the operation's input follows it. */
export interface TaskHeader {
  command: string
  args: string[]
  requestId: string
}

export interface ProblemDetail {
  index?: number
  field?: string
  line?: number
  column?: number
  message: string
}

export interface WorkerErrorBody {
  code: string
  message: string
  errors?: ProblemDetail[]
}

export type WorkerReply<T = unknown> = { ok: true; result: T } | { ok: false; error: WorkerErrorBody }

/** A failure the worker reports on purpose; exit 2 unless it is internal. */
export class CommandError extends Error {
  constructor (
    readonly code: string,
    message: string,
    readonly errors?: ProblemDetail[],
    readonly exitCode: number = EXIT_BAD_INPUT
  ) {
    super(message)
  }
}

/** pino's numeric levels, so the API can re-log worker lines at the same level. */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const
export type LogLevelName = keyof typeof LOG_LEVELS

export interface WorkerLogLine {
  level: number
  time: number
  pid: number
  reqId: string
  msg: string
  [key: string]: unknown
}
