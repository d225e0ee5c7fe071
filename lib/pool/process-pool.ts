import { FairQueue, type HeavyRunning } from './fair-queue.js'
import { PoolCounters } from './stats.js'
import { openDocumentBody, pushChunk } from './document-body.js'
import { retireAfterTasksOrMemory, type RetirementPolicy } from './retirement.js'
import { WorkerProcess } from './worker-process.js'
import type { ParsedFrame } from './frames.js'
import { answerDeadlineMs, DEFAULT_MAX_RSS_MB, DEFAULT_MAX_TASKS, JsonText, PoolFailure, type PoolStats, type ProcessPoolOptions, type RunOptions, type StreamedDocument, type Task } from './types.js'
import { EXIT_BAD_INPUT, EXIT_INTERNAL, type AnswerFrame, type CommittingFrame, type WorkerLogLine } from '../../workers/protocol.js'

export { JsonText, PoolFailure }
export type { Cost, PoolFailureKind, PoolSettings, PoolStats, ProcessPoolOptions, RecentError, RunOptions, StreamedDocument } from './types.js'
export type { RetirementPolicy } from './retirement.js'

/** One process as the pool sees it: the child, and the task it serves. */
interface Slot {
  proc: WorkerProcess
  task?: Task
  /** The task served before: its last log lines may still be in the pipe after its answer. */
  previous?: Task
  /** The process said it has read the whole task and begun it. */
  started: boolean
  /** The process said it commits a write (CommittingFrame): from then on the task may be stored. */
  committing?: { revisionBefore: number | null }
  /** The current task's answer, come before the end of its log lines. */
  answer?: AnswerFrame
  /** Its result line, when the task asked for the result as text (RunOptions.json). */
  resultText?: string
  /** Operations answered. */
  served: number
  /** Operations it may serve: MAX_TASKS, less a random part of up to a quarter when started beside another (see taskLimit). */
  taskLimit: number
  /** Operations left by the retirement policy at its last answer. */
  left: number
  /** Its pace is reckoned from here: its first task once ready (performance.now(), and `served` then). */
  pace?: { since: number, served: number }
  outcome?: 'timeout' | 'output_too_large' | 'out_of_protocol'
}

const SPARE_RESPAWN_DELAY_MS = 1000
/** A retired process exits as soon as its stdin ends; this is the last resort. */
const RETIRE_KILL_MS = 5000
/** What a process start is taken to cost until one has been measured (its ReadyFrame). */
const FIRST_BOOT_GUESS_MS = 1000

/**
 * Processes started this close together would serve alike and retire alike: under load every
 * process is busy and takes the next call as it comes back. With one limit they would all
 * retire at once, and every few seconds the pool would stall while they all start again (the
 * same reason as gunicorn's max_requests_jitter). So a process started within this of the one
 * before it (the pool's first ones, or two replaced at once) serves MAX_TASKS less a random
 * part of up to a quarter; one started on its own keeps its place apart from the others, and
 * serves MAX_TASKS whole (each replacement costs a process start: about 0.15 s of CPU).
 */
const STARTED_TOGETHER_MS = 250

function taskLimit (maxTasks: number, startedTogether: boolean): number {
  const quarter = Math.floor(maxTasks / 4)
  // Less by 1 at least: never the same limit as the process started just before it.
  return startedTogether && quarter > 0 ? maxTasks - 1 - Math.floor(Math.random() * quarter) : maxTasks
}

/**
 * Runs operations in long-lived `m3upro --pooled` processes, one operation at a time each:
 * bounded concurrency, a bounded queue, a deadline that kills the whole process group,
 * capped output per operation. A process serves until the retirement policy ends it (by
 * default `maxTasks` operations, or until its memory passes `maxRssMb`), and is replaced at
 * once after a timeout, crash, output overflow or internal error; a refused input costs it
 * nothing. Up to `prespawn` processes are started before their call arrives, so a call does
 * not wait for Node to boot; and when a process nears its end an understudy is started
 * (one process above `size` at most), so the process that leaves is replaced by one
 * already started: a retirement under load takes no slot out while Node boots.
 */
export class ProcessPool {
  private readonly queue: FairQueue
  private readonly counters = new PoolCounters()
  private readonly busy = new Set<Slot>()
  /**
   * Idle processes, ready for a call: started ahead (at the front), or back from one (at the
   * back). A call takes the one back most recently: its code is compiled and its caches are
   * warm (a fresh process runs its first few hundred operations at about half speed), and a
   * panel's next request lands where its previous one ran; one started ahead waits its turn.
   */
  private readonly spares: Slot[] = []
  /** Processes told to stop (stdin ended) or being killed after their answer: they count against `size` until gone. */
  private readonly retiring = new Set<Slot>()
  /**
   * A process started ahead for the next one to leave: when a process nears its end (by the
   * retirement policy), it is started, not yet offered calls, and the first process to leave
   * (retired, crashed or killed) has it take its place at once. The one process allowed above `size`.
   */
  private understudy: Slot | undefined
  /** No understudy is started before this (performance.now()): the last one died before it was used. */
  private understudyPauseUntil = 0
  /** What a process start costs here (spawn to ReadyFrame), averaged: how far ahead an understudy starts. */
  private bootMs = FIRST_BOOT_GUESS_MS
  private draining = false
  private spareRespawnTimer: NodeJS.Timeout | undefined
  private readonly waiters = new Set<() => void>()
  private readonly maxTasks: number
  private readonly maxRssBytes: number
  private readonly retirement: RetirementPolicy
  private readonly statusOf: (failure: PoolFailure) => number
  private lastSpawnAt = -Infinity

  constructor (private readonly options: ProcessPoolOptions) {
    this.maxTasks = options.maxTasks ?? DEFAULT_MAX_TASKS
    this.maxRssBytes = (options.maxRssMb ?? DEFAULT_MAX_RSS_MB) * (1 << 20)
    this.retirement = options.retirement ?? retireAfterTasksOrMemory
    this.statusOf = options.statusOf ?? ((f) => (f.kind === 'failed' && f.detail.exitCode === EXIT_BAD_INPUT ? 400 : 500))
    this.queue = new FairQueue(options)
    this.refillSpares()
  }

  run (command: string, args: string[] = [], options: RunOptions = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.draining) return reject(new PoolFailure('shutting_down', 'SHUTTING_DOWN', 'the service is shutting down'))
      if (options.signal?.aborted === true) return reject(new PoolFailure('client_gone', 'CLIENT_GONE', 'the caller went away'))
      const task: Task = {
        command,
        args,
        requestId: options.requestId ?? 'none',
        owner: options.owner ?? 'none',
        heavy: options.cost === 'heavy',
        input: typeof options.input === 'string' ? Buffer.from(options.input) : options.input ?? Buffer.alloc(0),
        stream: options.stream === true,
        json: options.json === true,
        onLog: options.onLog,
        signal: options.signal,
        enqueuedAt: performance.now(),
        attempts: 0,
        resolve,
        reject
      }
      if (this.hasRoom() && this.queue.mayStartNow(task, this.heavyRunning())) {
        if (task.heavy) this.queue.noteHeavyStart(task.owner)
        return this.dispatch(task)
      }
      if (this.queue.length >= this.options.maxQueue) {
        this.counters.totals.rejected++
        return reject(new PoolFailure('queue_full', 'QUEUE_FULL', 'too many operations waiting; try again shortly'))
      }
      if (task.heavy && this.queue.fair && this.queue.queuedHeavy(task.owner) >= this.options.maxQueuedPerOwner) {
        this.counters.totals.refused_per_owner++
        return reject(new PoolFailure('owner_busy', 'TOO_MANY_QUEUED',
          `${this.options.maxQueuedPerOwner} imports, exports or fills of yours are already waiting; try again when one has finished`))
      }
      this.enqueue(task, 'back')
    })
  }

  /** `run` with `stream: true`: resolves with the document once the worker begins writing its body. */
  runStream (command: string, args: string[] = [], options: Omit<RunOptions, 'stream'> = {}): Promise<StreamedDocument> {
    return this.run(command, args, { ...options, stream: true }) as Promise<StreamedDocument>
  }

  private enqueue (task: Task, end: 'front' | 'back'): void {
    if (task.signal?.aborted === true) {
      this.counters.totals.dropped++
      return task.reject(new PoolFailure('client_gone', 'CLIENT_GONE', 'the caller went away while queued'))
    }
    if (task.signal !== undefined) {
      task.onAbort = () => {
        if (!this.queue.remove(task)) return
        this.counters.totals.dropped++
        task.reject(new PoolFailure('client_gone', 'CLIENT_GONE', 'the caller went away while queued'))
      }
      task.signal.addEventListener('abort', task.onAbort, { once: true })
    }
    this.queue.add(task, end)
    this.counters.peaks.queued = Math.max(this.counters.peaks.queued, this.queue.length)
  }

  /** Fair scheduling (the default) or one first-come queue: bench/fairness.ts measures both in one run. */
  setFairness (on: boolean): void {
    this.queue.fair = on
  }

  /** What health answers by: the load now, without the copies and the latency sort of stats(). */
  load (): Pick<PoolStats, 'active' | 'queued' | 'max_concurrency' | 'max_queue' | 'draining'> {
    return { active: this.busy.size, queued: this.queue.length, max_concurrency: this.options.size, max_queue: this.options.maxQueue, draining: this.draining }
  }

  stats (): PoolStats {
    return { ...this.load(), idle: this.spares.length, ...this.counters.snapshot() }
  }

  /** The pids of every live process, busy, idle, retiring or the understudy (for tests and diagnostics). */
  pids (): number[] {
    return this.slots().map((s) => s.proc.pid)
  }

  /**
   * The processes now: `live` (every one, the bound is size + 1), and `serving`, those that
   * take calls (busy or idle, not retiring), of which `ready` have finished starting.
   */
  processes (): { live: number, serving: number, ready: number } {
    const serving = [...this.busy, ...this.spares]
    return { live: this.live(), serving: serving.length, ready: serving.filter((s) => s.proc.readyAt !== undefined).length }
  }

  private slots (): Slot[] {
    return [...this.busy, ...this.spares, ...this.retiring, ...(this.understudy !== undefined ? [this.understudy] : [])]
  }

  /** Processes alive: the pool's bound is on these. */
  private live (): number {
    return this.busy.size + this.spares.length + this.retiring.size + (this.understudy !== undefined ? 1 : 0)
  }

  /** Whether a call could be handed a process now: an idle one, or room to start one. */
  private hasRoom (): boolean {
    return this.spares.length > 0 || this.live() < this.options.size
  }

  /**
   * Stops taking calls, answers queued ones `shutting_down`, stops idle processes, lets
   * running ones finish within `graceMs`, then kills what is left. Resolves when no process is left.
   */
  async drain (graceMs: number): Promise<{ finished: number, killed: number }> {
    this.draining = true
    clearTimeout(this.spareRespawnTimer)
    for (const task of this.queue.takeAll()) {
      this.detachAbort(task)
      task.reject(new PoolFailure('shutting_down', 'SHUTTING_DOWN', 'the service is shutting down'))
    }
    for (const spare of this.spares.splice(0)) this.retire(spare)
    if (this.understudy !== undefined) this.retire(this.takeUnderstudy()!)
    const running = this.busy.size
    if (running > 0) await Promise.race([this.until(() => this.busy.size === 0), new Promise((resolve) => setTimeout(resolve, graceMs).unref())])
    const killed = this.busy.size
    for (const slot of this.busy) slot.proc.killGently(this.options.killGraceMs)
    await this.until(() => this.live() === 0)
    return { finished: running - killed, killed }
  }

  /** Resolves once `done()` holds; checked whenever a process ends or comes back idle. */
  private until (done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve()
    return new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return
        this.waiters.delete(check)
        resolve()
      }
      this.waiters.add(check)
    })
  }

  private notify (): void {
    for (const check of [...this.waiters]) check()
  }

  private detachAbort (task: Task): void {
    if (task.onAbort !== undefined) task.signal?.removeEventListener('abort', task.onAbort)
  }

  /** Heavy operations running, by owner: what the fair queue shares processes out by. */
  private heavyRunning (): HeavyRunning {
    const running: HeavyRunning = new Map()
    for (const { task } of this.busy) if (task?.heavy === true) running.set(task.owner, (running.get(task.owner) ?? 0) + 1)
    return running
  }

  private startQueued (): void {
    while (!this.draining && this.hasRoom()) {
      const next = this.queue.takeNext(this.heavyRunning())
      if (next === undefined) return
      this.dispatch(next)
    }
  }

  private dispatch (task: Task): void {
    this.detachAbort(task)
    const slot = this.spares.pop() ?? this.spawn()
    task.attempts++
    if (slot.pace === undefined && slot.proc.readyAt !== undefined) slot.pace = { since: performance.now(), served: slot.served }
    slot.task = task
    slot.started = false
    slot.committing = undefined
    slot.answer = undefined
    slot.resultText = undefined
    this.busy.add(slot)
    this.counters.peaks.active = Math.max(this.counters.peaks.active, this.busy.size)
    // The input's length is in the header, and stdin stays open while the process serves, so
    // the worker can tell a cut-off input, and a parent gone, from the end of its input.
    slot.proc.send(
      {
        command: task.command,
        args: task.args,
        requestId: task.requestId,
        inputBytes: task.input.length,
        deadlineMs: this.options.timeoutMs,
        answerDeadlineMs: answerDeadlineMs(this.options.timeoutMs),
        ...(task.stream && { stream: true }),
        ...(task.json && !task.stream && { resultLine: true }),
        ...this.clockOffset()
      },
      task.input
    )
    this.armDeadline(slot, this.options.timeoutMs)
    this.refillSpares()
  }

  /** The header's clock offset, when the caller's clock is moved (a test's). */
  private clockOffset (): { clockOffsetMs?: number } {
    const offset = this.options.clockOffsetMs?.() ?? 0
    return offset === 0 ? {} : { clockOffsetMs: Math.round(offset) }
  }

  /** At `ms` from now the task's process group is killed (TERM, then KILL after the grace): its deadline. */
  private armDeadline (slot: Slot, ms: number): void {
    slot.proc.after(ms, () => {
      slot.outcome = 'timeout'
      // Only a `committing` frame still counts; a stdout paused by a slow reader is read on, for 'close'.
      slot.proc.readMode = slot.committing === undefined ? 'committing_only' : 'ignore'
      slot.proc.resumeOutput()
      slot.proc.killGently(this.options.killGraceMs)
    })
  }

  private refillSpares (): void {
    // Calls still queued here cannot start yet (heavy ones beyond their share): a spare is kept for the next light one.
    while (!this.draining && this.spares.length < this.options.prespawn && this.live() < this.options.size) {
      this.spares.unshift(this.spawn())
    }
  }

  private spawn (): Slot {
    this.counters.totals.spawned++
    const now = performance.now()
    const startedTogether = now - this.lastSpawnAt < STARTED_TOGETHER_MS
    this.lastSpawnAt = now
    const limit = taskLimit(this.maxTasks, startedTogether)
    const slot: Slot = { started: false, served: 0, taskLimit: limit, left: limit } as Slot
    slot.proc = new WorkerProcess(this.options.entry, this.options.env, this.options.maxOutputBytes, {
      frame: (parsed) => this.onFrame(slot, parsed),
      outOfProtocol: (why) => {
        if (why === 'overflow') {
          slot.outcome = 'output_too_large'
          slot.proc.kill('SIGKILL')
        } else this.breach(slot)
      },
      log: (line) => this.emitLog(slot, line),
      stderrRead: () => {
        // An answer that came before the last of its log lines: they have all come now.
        const { task, answer } = slot
        const drained = task !== undefined && answer !== undefined && slot.outcome === undefined && slot.proc.stderrBytes >= answer.stderrBytes
        if (drained) this.answered(slot, task, answer)
      },
      closed: (code, signal) => this.onClose(slot, code, signal)
    })
    return slot
  }

  private onFrame (slot: Slot, parsed: ParsedFrame): void {
    const { kind, frame } = parsed
    if (kind === 'ready') return this.onReady(slot)
    const task = slot.task
    if (slot.outcome !== undefined) {
      // Killed at its deadline: only its `committing` frame still counts (the caller must hear the write may be stored).
      if (kind === 'committing' && frame.requestId === task?.requestId) this.noteCommitting(slot, frame)
      return
    }
    // Each frame names its request: a frame for any other (or none) means the process
    // lost track of what it serves, and it serves nothing more.
    if (task === undefined || frame.requestId !== task.requestId) return this.breach(slot)
    if (kind === 'committing') {
      if (!slot.started || slot.answer !== undefined) return this.breach(slot)
      return this.noteCommitting(slot, frame)
    }
    if (kind === 'started') {
      if (slot.started) return this.breach(slot)
      slot.started = true
      return
    }
    if (kind === 'document') {
      if (!slot.started || !task.stream || task.body !== undefined || slot.answer !== undefined) return this.breach(slot)
      return openDocumentBody(slot.proc, task, frame.document, () => slot.task === task)
    }
    if (kind === 'chunk') {
      if (task.body === undefined || slot.answer !== undefined) return this.breach(slot)
      return pushChunk(slot.proc, task, frame.chunk)
    }
    if (!slot.started || slot.answer !== undefined || slot.proc.midLine) return this.breach(slot)
    // A result line only when the task asked for one.
    if (parsed.kind === 'answer' && (parsed.resultText !== undefined) !== (task.json && !task.stream && frame.ok)) return this.breach(slot)
    slot.answer = frame
    slot.resultText = parsed.kind === 'answer' ? parsed.resultText : undefined
    if (slot.proc.stderrBytes >= frame.stderrBytes) this.answered(slot, task, frame)
  }

  /** A write commits: its answer is owed, so the deadline becomes the answer's; a failure from now on says it may be stored. */
  private noteCommitting (slot: Slot, frame: CommittingFrame): void {
    if (slot.committing !== undefined) return // a later transaction of the same task: the first one's revision stands
    slot.committing = { revisionBefore: frame.revisionBefore }
    if (slot.outcome !== undefined) return
    slot.proc.clearTimers()
    this.armDeadline(slot, answerDeadlineMs(this.options.timeoutMs))
  }

  /** Output out of protocol: the process is killed, and its task (if any) fails as crashed. */
  private breach (slot: Slot): void {
    slot.outcome = 'out_of_protocol'
    slot.proc.readMode = 'ignore'
    // An idle one is no longer offered to a call while it dies.
    const spareAt = this.spares.indexOf(slot)
    if (spareAt >= 0) this.retiring.add(this.spares.splice(spareAt, 1)[0])
    slot.proc.kill('SIGKILL')
  }

  /** A task's answer: the caller hears it, and the process serves the next one, or is replaced (by the understudy, when one is started). */
  private answered (slot: Slot, task: Task, answer: AnswerFrame): void {
    slot.proc.clearTimers()
    slot.proc.resumeOutput()
    slot.proc.taskDone()
    this.busy.delete(slot)
    slot.task = undefined
    slot.previous = task
    slot.served++
    if (answer.log !== undefined) this.emitLog(slot, answer.log)
    this.settleAnswer(task, answer, slot.resultText, slot.committing)
    this.counters.recordLatency(performance.now() - task.enqueuedAt)
    slot.left = this.retirement(
      { served: slot.served, taskLimit: slot.taskLimit, rssBytes: answer.rssBytes },
      { maxTasks: this.maxTasks, maxRssBytes: this.maxRssBytes }
    )
    const internal = !answer.ok && answer.exitCode === EXIT_INTERNAL
    // After an internal error the process exits by itself; otherwise it stops when its stdin ends.
    if (internal || this.draining || slot.left <= 0) this.replace(slot)
    else this.spares.push(slot)
    this.startQueued()
    this.refillSpares()
    this.startUnderstudy()
    this.notify()
  }

  /**
   * How many operations ahead of its end a process has an understudy started: a process
   * start's worth at its pace since it was ready and serving (with half again to spare),
   * and one; 0 while it has no pace yet.
   */
  private lead (slot: Slot): number {
    const answered = slot.pace === undefined ? 0 : slot.served - slot.pace.served
    if (slot.pace === undefined || answered < 1) return 0
    const msPerOperation = (performance.now() - slot.pace.since) / answered
    return Math.ceil(1.5 * this.bootMs / Math.max(msPerOperation, 0.1)) + 1
  }

  /** Starts the understudy when a serving process is within its lead of the end and the place above `size` is free. */
  private startUnderstudy (): void {
    if (this.draining || this.understudy !== undefined || this.live() > this.options.size || performance.now() < this.understudyPauseUntil) return
    // Only a process with a pace has a lead (with maxTasks 1 none has: each retires at its first answer).
    if (![...this.busy, ...this.spares].some((s) => s.outcome === undefined && s.left <= this.lead(s))) return
    this.understudy = this.spawn()
  }

  private takeUnderstudy (): Slot | undefined {
    const understudy = this.understudy
    this.understudy = undefined
    return understudy
  }

  /** A process leaves serving: it retires, and the understudy, if any, takes its place among the idle ones. */
  private replace (slot: Slot): void {
    this.retire(slot)
    const understudy = this.takeUnderstudy()
    if (understudy !== undefined) this.spares.push(understudy)
  }

  /** A process has finished starting: what a start costs is measured. */
  private onReady (slot: Slot): void {
    if (slot.proc.readyAt !== undefined) return
    slot.proc.readyAt = performance.now()
    if (slot.task !== undefined) slot.pace = { since: slot.proc.readyAt, served: slot.served }
    // A slow start counts at once (the machine got busier), a fast one only little by little.
    const took = slot.proc.readyAt - slot.proc.startedAt
    this.bootMs = Math.max(took, 0.8 * this.bootMs + 0.2 * took)
  }

  /** `committing`: the task said it committed a write, so a failure answered after it says the write may be stored. */
  private settleAnswer (task: Task, answer: AnswerFrame, resultText: string | undefined, committing: Slot['committing']): void {
    const stored = committing !== undefined ? { mayBeStored: committing } : {}
    if (answer.ok && task.stream && task.body === undefined) this.fail(task, new PoolFailure('crashed', 'WORKER_CRASHED', `${task.command} answered without a document to stream`, stored))
    else if (answer.ok) this.succeed(task, resultText !== undefined ? new JsonText(resultText) : 'result' in answer ? answer.result : null)
    else this.fail(task, new PoolFailure('failed', answer.error.code, answer.error.message, { exitCode: answer.exitCode, errors: answer.error.errors, ...stored }))
  }

  /** Stops an idle process: its stdin ends, it exits; killed if it has not within RETIRE_KILL_MS. */
  private retire (slot: Slot): void {
    this.retiring.add(slot)
    slot.proc.endInput()
    slot.proc.after(RETIRE_KILL_MS, () => slot.proc.kill('SIGKILL'))
  }

  private emitLog (slot: Slot, line: WorkerLogLine): void {
    // By its reqId: a line of the task before (written after that task ended, by work it
    // left running) goes to that task's caller, never to the next one's; a line naming no
    // task of this process goes to the current task, or, between tasks, to the idle sink.
    const { task, previous } = slot
    const owner = task !== undefined && line.reqId === task.requestId ? task : previous !== undefined && line.reqId === previous.requestId ? previous : task
    const sink = owner?.onLog ?? this.options.onIdleLog
    sink?.(line)
  }

  private onClose (slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    const spareAt = this.spares.indexOf(slot)
    if (spareAt >= 0) this.spares.splice(spareAt, 1)
    const wasRetiring = this.retiring.delete(slot)
    if (this.understudy === slot) {
      // It died starting (a broken install, say): none is started ahead again for a while.
      this.understudy = undefined
      this.understudyPauseUntil = performance.now() + SPARE_RESPAWN_DELAY_MS
    } else if (!wasRetiring && this.understudy !== undefined && !this.draining) {
      // A serving process died (crashed, killed at its deadline, out of protocol): the understudy takes its place.
      this.spares.push(this.takeUnderstudy()!)
    }
    const task = slot.task
    this.busy.delete(slot)
    if (task !== undefined) {
      // Died before it began the task (killed while idle, say, before the pool saw it go):
      // nothing of the task ran, so it goes back to the head of the queue, once.
      if (!slot.started && slot.outcome === undefined && task.attempts < 2 && !this.draining) this.enqueue(task, 'front')
      else if (slot.answer !== undefined && slot.outcome === undefined) {
        // Answered, then died before the pool read the end of its log lines: the answer stands.
        this.counters.recordLatency(performance.now() - task.enqueuedAt)
        this.settleAnswer(task, slot.answer, slot.resultText, slot.committing)
      } else {
        this.counters.recordLatency(performance.now() - task.enqueuedAt)
        this.fail(task, this.failureOnClose(task, slot, code, signal))
      }
    }
    if (task === undefined && !wasRetiring && slot.served === 0 && !this.draining) {
      // A spare died before it ever had work (a broken install, say): start calls that
      // wait, but try spares again later, not in a loop.
      clearTimeout(this.spareRespawnTimer)
      this.spareRespawnTimer = setTimeout(() => this.refillSpares(), SPARE_RESPAWN_DELAY_MS).unref()
      this.startQueued()
    } else {
      this.startQueued()
      this.refillSpares()
      this.startUnderstudy()
    }
    this.notify()
  }

  /** Why a process that ended during its task gave no answer. */
  private failureOnClose (task: Task, slot: Slot, code: number | null, signal: NodeJS.Signals | null): PoolFailure {
    // After it said it commits, the write may be stored: the caller is told so, and the revision before it.
    const stored = slot.committing !== undefined ? { mayBeStored: slot.committing } : {}
    if (slot.outcome === 'timeout') {
      const late = slot.committing !== undefined ? `did not answer within ${answerDeadlineMs(this.options.timeoutMs)} ms of its commit` : `did not finish within ${this.options.timeoutMs} ms`
      return new PoolFailure('timeout', 'WORKER_TIMEOUT', `${task.command} ${late}`, stored)
    }
    if (slot.outcome === 'output_too_large') return new PoolFailure('output_too_large', 'OUTPUT_TOO_LARGE', `${task.command} produced more than ${this.options.maxOutputBytes} bytes of output`, stored)
    if (slot.outcome === 'out_of_protocol') return new PoolFailure('crashed', 'WORKER_CRASHED', `${task.command} wrote output that is not its answer`, { exitCode: code, ...stored })
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${String(code)} without an answer`
    return new PoolFailure('crashed', 'WORKER_CRASHED', `${task.command} ${how}`, { exitCode: code, ...stored })
  }

  private succeed (task: Task, result: unknown): void {
    this.counters.succeeded()
    if (task.body !== undefined) {
      if (task.bodyDropped !== true) task.body.push(null)
    } else task.resolve(result)
  }

  private fail (task: Task, failure: PoolFailure): void {
    this.counters.failed(task.command, task.requestId, failure, this.statusOf(failure))
    // A body already handed out is cut: destroyed with the reason, never ended as if whole.
    if (task.body !== undefined) task.body.destroy(failure)
    else task.reject(failure)
  }
}
