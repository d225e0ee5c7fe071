// The contract between the API's process pool and an m3upro process (SPEC §7).
// By hand: one operation, one JSON object on stdout, exit 0 / 2 (bad input) / 1 (internal).
// Pooled (`--pooled`): many operations in turn over one process, each a task frame on
// stdin answered by frames on stdout (below); JSON log lines on stderr carry each task's id.

import type { ProblemDetail } from '../contract/api.js'
import type { ErrorCode } from '../contract/errors.js'

export type { ErrorCode, ProblemDetail }

export const EXIT_OK = 0
export const EXIT_INTERNAL = 1
export const EXIT_BAD_INPUT = 2
/** The input ended before the length its header announced: nothing was run, nothing stored. */
export const EXIT_INPUT_CUT = 3
/** The parent went away (stdin closed, or the process was re-parented): the worker stopped. */
export const EXIT_PARENT_GONE = 4
/** The task ran past the deadline its header gave: the worker stopped itself and its group. */
export const EXIT_DEADLINE = 5

/**
 * One task frame on a pooled worker's stdin: this header as one JSON line, then exactly
 * `inputBytes` bytes of input. The length (not the end of stdin) marks the end of the
 * input, so a cut-off input is told from a whole one, and stdin stays open for the whole
 * task: its end means the parent is gone. A frame carries its own request id, so several
 * may follow each other on one stdin.
 */
export interface TaskHeader {
  command: string
  args: string[]
  requestId: string
  /** Bytes of input after the header line. */
  inputBytes: number
  /** The pool's deadline for this task, ms: the worker stops itself a little after it. */
  deadlineMs?: number
  /**
   * The deadline once the task has said it commits (CommittingFrame), ms from then: the answer
   * of a stored write is built and sent within it, not cut off by `deadlineMs`.
   */
  answerDeadlineMs?: number
  /** A document answer is sent as a DocumentFrame and ChunkFrames as it is written, not in the answer. */
  stream?: boolean
  /**
   * A success's result is sent as JSON text on a line of its own, after its answer frame (which
   * says `resultLine: true` instead of carrying `result`): the API hands that text to its
   * client as it is, with no parse and no second serialization.
   */
  resultLine?: boolean
  /**
   * How far the API's clock is from this machine's, ms (plugins/clock.ts): a test moves the
   * service's clock, and every operation it runs reads `now` the same (CommandContext.now).
   */
  clockOffsetMs?: number
}

/** The header as the pool writes it: one line. */
export function encodeTaskHeader (header: TaskHeader): string {
  return JSON.stringify(header) + '\n'
}

/** Checks a header line's fields; a message naming the first bad one, or null. */
export function taskHeaderProblem (value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'the task header is not a JSON object'
  const h = value as Record<string, unknown>
  if (typeof h.command !== 'string' || h.command === '') return 'the task header has no command'
  if (!Array.isArray(h.args) || !h.args.every((a) => typeof a === 'string')) return 'the task header\'s args are not a list of strings'
  if (typeof h.requestId !== 'string') return 'the task header has no requestId'
  if (!Number.isSafeInteger(h.inputBytes) || (h.inputBytes as number) < 0) return 'the task header\'s inputBytes is not a byte count'
  if (h.deadlineMs !== undefined && !(typeof h.deadlineMs === 'number' && h.deadlineMs > 0)) return 'the task header\'s deadlineMs is not a positive number'
  if (h.answerDeadlineMs !== undefined && !(typeof h.answerDeadlineMs === 'number' && h.answerDeadlineMs > 0)) return 'the task header\'s answerDeadlineMs is not a positive number'
  if (h.stream !== undefined && typeof h.stream !== 'boolean') return 'the task header\'s stream is not a boolean'
  if (h.resultLine !== undefined && typeof h.resultLine !== 'boolean') return 'the task header\'s resultLine is not a boolean'
  if (h.clockOffsetMs !== undefined && !Number.isSafeInteger(h.clockOffsetMs)) return 'the task header\'s clockOffsetMs is not a whole number'
  return null
}

export interface WorkerErrorBody {
  code: string
  message: string
  errors?: ProblemDetail[]
}

export type WorkerReply<T = unknown> = { ok: true; result: T } | { ok: false; error: WorkerErrorBody }

/**
 * A pooled worker's stdout: one JSON line per frame (JSON.stringify writes no raw newline,
 * so a line is a frame; the one other line is a result line, right after an answer saying
 * `resultLine`). For each task, in order: `started`, any `committing`, then its answer. `started` is
 * held until the operation first waits, begins a write transaction or answers (cli.ts,
 * holdStarted), so it is out before anything is stored: a process that dies before it began
 * nothing that counts, and the task may run elsewhere. Both carry the task's request id,
 * which the pool checks.
 */
export interface StartedFrame { requestId: string; started: true }

/**
 * Sent right before a write transaction's COMMIT (dialect.ts lockedTransaction, cli.ts), after
 * `started` and before the answer, once per transaction. From it on the write may be stored:
 * the task's deadline is no longer `deadlineMs` but `answerDeadlineMs` from now (its answer
 * must not be cut off), and a process that dies or is killed after it, or answers an error,
 * has its caller told `may_be_stored` with `revisionBefore` (the revision of the schedule or
 * channel written before the write; null when the write names none). A process that dies
 * before it stored nothing: the frame is written (a synchronous pipe write) before COMMIT.
 */
export interface CommittingFrame { requestId: string; committing: true; revisionBefore: number | null }

/**
 * An answer. A refused input (`exitCode` 2, what a one-operation run exits with) leaves the
 * process serving; an internal error (`exitCode` 1) is the last thing it writes: it exits 1
 * right after, so no state of a failed operation is carried into the next. `rssBytes` is the
 * process's peak memory, for the pool's recycling. `stderrBytes`: every byte the process has
 * written to stderr so far. stdout and stderr are two pipes the pool reads in no fixed order:
 * it hands the answer over once it has read that many, so every log line of a task reaches
 * that task's caller, and none is left to be taken for the next task's. `log`: the operation's
 * closing log line (what it cost), carried here rather than written on stderr: one write.
 */
export type AnswerFrame = { requestId: string; rssBytes: number; stderrBytes: number; log?: WorkerLogLine } & (
  | { ok: true; result: unknown }
  // TaskHeader.resultLine: the result is the next line, as JSON text.
  | { ok: true; resultLine: true }
  | { ok: false; error: WorkerErrorBody; exitCode: typeof EXIT_BAD_INPUT | typeof EXIT_INTERNAL }
)

/**
 * A streamed task's document (TaskHeader.stream): once the operation has succeeded and before
 * any of the body, its content type and file name; then ChunkFrames, the body in order, as it
 * is written; then the answer (`result` null). An error answer after the DocumentFrame means
 * the body is cut: whoever reads it must be told, not handed a shorter document.
 */
export interface DocumentFrame { requestId: string; document: { content_type: string; filename: string } }

/** A piece of a streamed body, as text (a frame is a JSON line; UTF-8 text needs no base64). */
export interface ChunkFrame { requestId: string; chunk: string }

/**
 * Written once, by a worker started with READY_FLAG, when it can serve (its code loaded, its
 * database open), whether or not a task came meanwhile: the pool times its starts by it, to
 * start a retiring process's successor that long ahead. It names no request.
 */
export interface ReadyFrame { ready: true }

/** The argument after `--pooled` that asks for the ReadyFrame. */
export const READY_FLAG = '--announce-ready'

export type WorkerFrame = StartedFrame | CommittingFrame | DocumentFrame | ChunkFrame | AnswerFrame | ReadyFrame

export function encodeFrame (frame: WorkerFrame): string {
  return JSON.stringify(frame) + '\n'
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
