import type { Readable } from 'node:stream'
import type { WorkerErrorBody, WorkerLogLine } from '../../workers/protocol.js'
import type { RetirementPolicy } from './retirement.js'

// The process pool's public shapes (options, failures, stats) and its task record.

/** The pool's defaults, also SCHEDULEFLOW_WORKER_MAX_TASKS's and SCHEDULEFLOW_WORKER_MAX_RSS_MB's (lib/config.ts; README says why). */
export const DEFAULT_MAX_TASKS = 500
export const DEFAULT_MAX_RSS_MB = 256

/**
 * Once a task says it commits a write (protocol.ts, CommittingFrame), its answer is owed: the
 * deadline (SCHEDULEFLOW_TASK_TIMEOUT_MS) governed the work before the commit, and building
 * the answer after it gets this many times as long, counted from the commit. Still a bound
 * (an answer that never comes must not hold a process for ever), and with the default 30 s
 * an operation's longest silence (30 + 60 s, plus the kill grace) fits the default
 * connection timeout (lib/config.ts checks it) and nginx's.
 */
export const ANSWER_DEADLINE_FACTOR = 2
export const answerDeadlineMs = (timeoutMs: number): number => ANSWER_DEADLINE_FACTOR * timeoutMs
/** The longest an operation may keep its client waiting: its deadline, its answer's after a commit, and the kill grace. */
export const longestOperationMs = (timeoutMs: number, killGraceMs: number): number => timeoutMs + answerDeadlineMs(timeoutMs) + killGraceMs

/** The pool's settings: what lib/config.ts reads from the environment (Config.pool), under the same names. */
export interface PoolSettings {
  /** Most CLI processes alive at once, busy or waiting for a call (one more while a retiring one's successor starts). */
  size: number
  /** Processes kept started ahead of their call, within `size`. */
  prespawn: number
  maxQueue: number
  timeoutMs: number
  /** Between TERM and KILL of a timed-out process group. */
  killGraceMs: number
  maxOutputBytes: number
  /** Heavy operations one owner may have waiting; beyond it their calls are refused (`owner_busy`). */
  maxQueuedPerOwner: number
  /** Operations one process serves before it is replaced (1: a fresh process for each). Default DEFAULT_MAX_TASKS. */
  maxTasks?: number
  /** A process whose peak memory (RSS) has passed this after an operation is replaced. Default DEFAULT_MAX_RSS_MB. */
  maxRssMb?: number
}

export interface ProcessPoolOptions extends PoolSettings {
  /** The compiled m3upro entry, started as `node <entry> --pooled`. */
  entry: string
  env: NodeJS.ProcessEnv
  /** When a process is replaced (retirement.ts): after maxTasks operations or past maxRssMb by default. */
  retirement?: RetirementPolicy
  /** How far the caller's clock is from this machine's, ms, read at each dispatch and given to the task (TaskHeader.clockOffsetMs). */
  clockOffsetMs?: () => number
  /**
   * How the caller answers a failure (the API: its HTTP status): the stats count a status
   * under 500 as refused (the caller's doing), and list it with the recent errors. The
   * pool itself knows kinds only. Default: a refused input (exit 2) 400, anything else 500.
   */
  statusOf?: (failure: PoolFailure) => number
  /** Lines a process writes when it has no task (a failed warm-up, say, or between tasks). */
  onIdleLog?: (line: WorkerLogLine) => void
}

export interface RunOptions {
  input?: string | Buffer
  /** Aborting drops the task if it is still queued; a running task goes on. */
  signal?: AbortSignal
  requestId?: string
  onLog?: (line: WorkerLogLine) => void
  /** Who asks (an API key's id, or an address): heavy operations are shared out between owners. */
  owner?: string
  /** Heavy operations (whole documents: imports, exports, fills) never take the last process, and wait behind light ones. */
  cost?: Cost
  /**
   * A document answer comes as a StreamedDocument as soon as the worker begins writing it,
   * its body read from the worker as it writes (see runStream).
   */
  stream?: boolean
  /**
   * A success resolves with its result as the worker's JSON text (JsonText), never parsed here:
   * for a caller that hands it on as it is (a route whose schema the result already fits).
   */
  json?: boolean
}

/** A result as JSON text, as the worker wrote it (RunOptions.json); `T`: the type it was written from. */
export class JsonText<T = unknown> {
  /** Never set: only ties the text to its type, so a caller handing it on can be checked against its schema's. */
  declare readonly of?: T
  constructor (readonly text: string) {}
}

/**
 * A document on its way from a worker. `body` ends once the worker has answered; a timeout,
 * crash or output overflow part-way destroys it with the PoolFailure, so a reader can never
 * take a cut body for a whole one. The worker is paused while `body` is not read.
 */
export interface StreamedDocument {
  content_type: string
  filename: string
  body: Readable
}

export type Cost = 'light' | 'heavy'

export type PoolFailureKind =
  | 'queue_full' // refused: the queue is full
  | 'owner_busy' // refused: this owner has as many heavy operations waiting as it may
  | 'shutting_down' // refused or dropped: the pool is draining
  | 'client_gone' // dropped from the queue: the caller went away
  | 'timeout' // killed at the deadline
  | 'output_too_large' // killed when stdout passed the cap
  | 'crashed' // ended without a readable answer, or answered out of protocol
  | 'failed' // answered {ok:false}

export class PoolFailure extends Error {
  constructor (
    readonly kind: PoolFailureKind,
    readonly code: string,
    message: string,
    /** `mayBeStored`: the task said it commits a write before it failed (its revision before the write, when it names one). */
    readonly detail: { exitCode?: number | null, errors?: WorkerErrorBody['errors'], mayBeStored?: { revisionBefore: number | null } } = {}
  ) {
    super(message)
  }
}

export interface PoolStats {
  active: number
  idle: number
  queued: number
  max_concurrency: number
  max_queue: number
  draining: boolean
  /** `errors` = `refused` (the caller's input: 4xx) + `failed` (ours: 5xx); `recent_errors` lists the last of both. */
  totals: {
    spawned: number,
    processed: number,
    succeeded: number,
    errors: number,
    refused: number,
    failed: number,
    timeouts: number,
    crashes: number,
    rejected: number,
    dropped: number,
    refused_per_owner: number
  }
  peaks: { active: number, queued: number }
  latency_ms: { samples: number, p50: number | null, p95: number | null, p99: number | null }
  /** The last operations refused or failed, newest first, for the dashboard: what `totals.errors` counts. */
  recent_errors: RecentError[]
}

export interface RecentError { time: string, command: string, status: number, code: string, message: string, request_id: string }

/** A call, queued or running (internal to the pool and its queue). */
export interface Task {
  command: string
  args: string[]
  requestId: string
  owner: string
  heavy: boolean
  input: Buffer
  stream: boolean
  /** Its result is wanted as JSON text (RunOptions.json). */
  json: boolean
  /** A streamed task's document body, from its DocumentFrame on: the task is resolved then. */
  body?: Readable
  /** Its reader went away before the end: the rest is read from the worker and dropped. */
  bodyDropped?: boolean
  onLog?: (line: WorkerLogLine) => void
  signal?: AbortSignal
  onAbort?: () => void
  enqueuedAt: number
  /** Processes it was handed to that died before they began it: it may run on another. */
  attempts: number
  resolve: (result: unknown) => void
  reject: (err: PoolFailure) => void
}
