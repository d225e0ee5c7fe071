import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Readable } from 'node:stream'
import { httpErrorFromPool } from './http-errors.js'
import { FairQueue, type HeavyRunning } from './fair-queue.js'
import { PoolCounters } from './pool-stats.js'
import { answerDeadlineMs, DEFAULT_MAX_RSS_MB, DEFAULT_MAX_TASKS, PoolFailure, type PoolStats, type ProcessPoolOptions, type RunOptions, type StreamedDocument, type Task } from './pool-types.js'
import { encodeTaskHeader, EXIT_INTERNAL, type AnswerFrame, type CommittingFrame, type DocumentFrame, type WorkerFrame, type WorkerLogLine } from '../workers/protocol.js'

export { PoolFailure }
export type { Cost, PoolFailureKind, PoolStats, ProcessPoolOptions, RecentError, RunOptions, StreamedDocument } from './pool-types.js'

interface Worker {
  child: ChildProcess
  pid: number
  task?: Task
  /** The task served before: its last log lines may still be in the pipe after its answer. */
  previous?: Task
  /** The process said it has read the whole task and begun it. */
  started: boolean
  /** The process said it commits a write (CommittingFrame): from then on the task may be stored. */
  committing?: { revisionBefore: number | null }
  /** The current task's answer, come before the end of its log lines. */
  answer?: AnswerFrame
  /** Bytes read from its stderr over its life: an answer is handed over once its stderrBytes have all come. */
  stderrRead: number
  /** Operations answered. */
  served: number
  /** Operations it may serve: MAX_TASKS, less a random part of up to a quarter when started beside another (see taskLimit). */
  taskLimit: number
  /** The current stdout line, not yet ended. */
  partial: Buffer[]
  /** stdout bytes of the current task: the output cap is per task. */
  stdoutBytes: number
  stderrRest: string
  /** The current task's log bytes, within STDERR_CAP_BYTES (beyond it its lines are dropped). */
  taskLogBytes: number
  outcome?: 'timeout' | 'output_too_large' | 'out_of_protocol'
  /** The current task's deadline and kill timers, or a retiring process's last-resort kill. */
  timers: NodeJS.Timeout[]
}

const STDERR_CAP_BYTES = 1 << 20
const STDERR_LINE_CAP = 64 * 1024
const SPARE_RESPAWN_DELAY_MS = 1000
/** A retired process exits as soon as its stdin ends; this is the last resort. */
const RETIRE_KILL_MS = 5000
const SMALL_INPUT_BYTES = 64 * 1024

/**
 * util-linux's setpriv, when there is one: a worker is started through it with a parent-death
 * signal (PR_SET_PDEATHSIG), so the kernel kills it the moment this process dies, whatever it
 * is doing. Its own lines of defence (workers/lifeline.ts) need its code running; a worker
 * still booting when this process is SIGKILLed has none yet, and one booting under a
 * preloaded module (tap's coverage hook, say) whose cwd is then removed hangs for ever in
 * Node's loader, deaf to SIGTERM. setpriv execs node in place: same pid, same group.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path))

function parseJsonObject (raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

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
 * capped output per operation. A process serves `maxTasks` operations, or until its memory
 * passes `maxRssMb`, and is replaced at once after a timeout, crash, output overflow or
 * internal error; a refused input costs it nothing. Up to `prespawn` processes are started
 * before their call arrives, so a call does not wait for Node to boot.
 */
export class ProcessPool {
  private readonly queue: FairQueue
  private readonly counters = new PoolCounters()
  private readonly busy = new Set<Worker>()
  /**
   * Idle processes, ready for a call: started ahead (at the front), or back from one (at the
   * back). A call takes the one back most recently: its code is compiled and its caches are
   * warm (a fresh process runs its first few hundred operations at about half speed), and a
   * panel's next request lands where its previous one ran; one started ahead waits its turn.
   */
  private readonly spares: Worker[] = []
  /** Processes told to stop (stdin ended) or being killed after their answer: they count against `size` until gone. */
  private readonly retiring = new Set<Worker>()
  private draining = false
  private spareRespawnTimer: NodeJS.Timeout | undefined
  private readonly waiters = new Set<() => void>()
  private readonly maxTasks: number
  private readonly maxRssBytes: number
  private lastSpawnAt = -Infinity

  constructor (private readonly options: ProcessPoolOptions) {
    this.maxTasks = options.maxTasks ?? DEFAULT_MAX_TASKS
    this.maxRssBytes = (options.maxRssMb ?? DEFAULT_MAX_RSS_MB) * (1 << 20)
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

  /** The pids of every live process, busy, idle or retiring (for tests and diagnostics). */
  pids (): number[] {
    return [...this.busy, ...this.spares, ...this.retiring].map((w) => w.pid)
  }

  /** Processes alive: the pool's bound is on these. */
  private live (): number {
    return this.busy.size + this.spares.length + this.retiring.size
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
    const running = this.busy.size
    if (running > 0) await Promise.race([this.until(() => this.busy.size === 0), new Promise((resolve) => setTimeout(resolve, graceMs).unref())])
    const killed = this.busy.size
    for (const worker of this.busy) {
      this.killGroup(worker, 'SIGTERM')
      worker.timers.push(setTimeout(() => this.killGroup(worker, 'SIGKILL'), this.options.killGraceMs))
    }
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
    const worker = this.spares.pop() ?? this.spawnWorker()
    task.attempts++
    worker.task = task
    worker.started = false
    worker.committing = undefined
    worker.answer = undefined
    worker.partial = []
    worker.stdoutBytes = 0
    worker.taskLogBytes = 0
    this.busy.add(worker)
    this.counters.peaks.active = Math.max(this.counters.peaks.active, this.busy.size)
    // One frame: the input's length is in the header, and stdin stays open while the process
    // serves, so the worker can tell a cut-off input, and a parent gone, from the end of its input.
    const stdin = worker.child.stdin!
    const header = encodeTaskHeader({ command: task.command, args: task.args, requestId: task.requestId, inputBytes: task.input.length, deadlineMs: this.options.timeoutMs, answerDeadlineMs: answerDeadlineMs(this.options.timeoutMs), ...(task.stream && { stream: true }) })
    // Most tasks have no input or a small one: one write, one wake-up of the worker.
    if (task.input.length <= SMALL_INPUT_BYTES) stdin.write(task.input.length === 0 ? header : Buffer.concat([Buffer.from(header), task.input]))
    else {
      stdin.write(header)
      stdin.write(task.input)
    }
    this.armDeadline(worker, this.options.timeoutMs)
    this.refillSpares()
  }

  /** At `ms` from now the task's process group is killed (TERM, then KILL after the grace): its deadline. */
  private armDeadline (worker: Worker, ms: number): void {
    worker.timers.push(setTimeout(() => {
      worker.outcome = 'timeout'
      worker.child.stdout!.resume() // paused by a slow reader: its end must still be read for 'close'
      this.killGroup(worker, 'SIGTERM')
      worker.timers.push(setTimeout(() => this.killGroup(worker, 'SIGKILL'), this.options.killGraceMs))
    }, ms))
  }

  private refillSpares (): void {
    // Calls still queued here cannot start yet (heavy ones beyond their share): a spare is kept for the next light one.
    while (!this.draining && this.spares.length < this.options.prespawn && this.live() < this.options.size) {
      this.spares.unshift(this.spawnWorker())
    }
  }

  private spawnWorker (): Worker {
    // detached: the process leads its own group, so a kill of -pid reaches its children too.
    // The fourth pipe is its lifeline (workers/lifeline.ts): never written; its end, when this
    // process dies, stops the worker even in the middle of a synchronous operation.
    const node = [process.execPath, this.options.entry, '--pooled']
    const [file, ...args] = SETPRIV === undefined ? node : [SETPRIV, '--pdeathsig', 'KILL', ...node]
    const child = spawn(file, args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      env: this.options.env
    })
    this.counters.totals.spawned++
    const now = performance.now()
    const startedTogether = now - this.lastSpawnAt < STARTED_TOGETHER_MS
    this.lastSpawnAt = now
    const worker: Worker = { child, pid: child.pid ?? -1, started: false, stderrRead: 0, served: 0, taskLimit: taskLimit(this.maxTasks, startedTogether), partial: [], stdoutBytes: 0, stderrRest: '', taskLogBytes: 0, timers: [] }
    child.stdin!.on('error', () => {}) // EPIPE when the process died before reading: its exit says why
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(worker, chunk))
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (text: string) => this.onStderr(worker, text))
    // On exit, anything left in the group (a grandchild holding our pipes open) is killed,
    // so 'close' follows and no process outlives its operation.
    // A stdout paused for a slow reader is resumed: 'close' waits for its end.
    child.on('exit', () => {
      this.killGroup(worker, 'SIGKILL')
      child.stdout!.resume()
    })
    child.on('error', () => {}) // spawn failure: 'close' follows with a null code
    child.on('close', (code, signal) => this.onClose(worker, code, signal))
    return worker
  }

  /** stdout is frames, one JSON line each (protocol.ts), within the per-task output cap. */
  private onStdout (worker: Worker, chunk: Buffer): void {
    if (worker.outcome === 'timeout') return this.afterDeadline(worker, chunk)
    if (worker.outcome !== undefined) return
    worker.stdoutBytes += chunk.length
    if (worker.task === undefined) return this.breach(worker) // nothing was asked: not a word is expected
    if (worker.stdoutBytes > this.options.maxOutputBytes) {
      worker.outcome = 'output_too_large'
      worker.partial = []
      this.killGroup(worker, 'SIGKILL')
      return
    }
    const lines: Buffer[] = []
    let rest = chunk
    for (let newline = rest.indexOf(10); newline >= 0; newline = rest.indexOf(10)) {
      worker.partial.push(rest.subarray(0, newline))
      lines.push(worker.partial.length === 1 ? worker.partial[0] : Buffer.concat(worker.partial))
      worker.partial = []
      rest = rest.subarray(newline + 1)
    }
    if (rest.length > 0) worker.partial.push(rest)
    for (const line of lines) {
      if (worker.outcome !== undefined) return
      this.onFrame(worker, line)
    }
  }

  /**
   * A process killed at its deadline may have said it commits just before: its caller must
   * hear that the write may be stored. Only that frame is looked for in what is left.
   */
  private afterDeadline (worker: Worker, chunk: Buffer): void {
    if (worker.committing !== undefined || worker.task === undefined || !chunk.includes('"committing":true')) return
    const text = Buffer.concat([...worker.partial, chunk]).toString('utf8')
    for (const line of text.split('\n')) {
      const frame = parseJsonObject(line)
      if (frame?.committing === true && frame.requestId === worker.task.requestId) return this.noteCommitting(worker, frame as unknown as CommittingFrame)
    }
  }

  /** A write commits: its answer is owed, so the deadline becomes the answer's; a failure from now on says it may be stored. */
  private noteCommitting (worker: Worker, frame: CommittingFrame): void {
    if (worker.committing !== undefined) return // a later transaction of the same task: the first one's revision stands
    worker.committing = { revisionBefore: typeof frame.revisionBefore === 'number' ? frame.revisionBefore : null }
    if (worker.outcome !== undefined) return
    for (const timer of worker.timers.splice(0)) clearTimeout(timer)
    this.armDeadline(worker, answerDeadlineMs(this.options.timeoutMs))
  }

  private onFrame (worker: Worker, line: Buffer): void {
    const task = worker.task
    let frame: WorkerFrame | undefined
    try {
      frame = JSON.parse(line.toString('utf8')) as WorkerFrame
    } catch {
      frame = undefined
    }
    // Each frame names its request: a frame for any other (or none) means the process
    // lost track of what it serves, and it serves nothing more.
    if (task === undefined || typeof frame !== 'object' || frame === null || frame.requestId !== task.requestId) return this.breach(worker)
    if ('started' in frame) {
      if (worker.started) return this.breach(worker)
      worker.started = true
      return
    }
    if ('committing' in frame) {
      if (!worker.started || worker.answer !== undefined) return this.breach(worker)
      return this.noteCommitting(worker, frame)
    }
    if ('document' in frame) {
      if (!worker.started || !task.stream || task.body !== undefined || worker.answer !== undefined) return this.breach(worker)
      return this.openBody(worker, task, frame.document)
    }
    if ('chunk' in frame) {
      if (task.body === undefined || typeof frame.chunk !== 'string' || worker.answer !== undefined) return this.breach(worker)
      if (task.bodyDropped === true) return
      // Bounded buffering: past the body's high-water mark the worker's stdout is paused
      // (the worker then waits on its pipe) until the reader asks for more.
      if (!task.body.push(Buffer.from(frame.chunk, 'utf8'))) worker.child.stdout!.pause()
      return
    }
    if (!worker.started || worker.answer !== undefined || typeof frame.ok !== 'boolean' || typeof frame.stderrBytes !== 'number' || worker.partial.length > 0) return this.breach(worker)
    worker.answer = frame
    if (worker.stderrRead >= frame.stderrBytes) this.answered(worker, task, frame)
  }

  /** A streamed task's document has begun: its caller gets it now, and reads the body as it comes. */
  private openBody (worker: Worker, task: Task, document: DocumentFrame['document']): void {
    if (typeof document !== 'object' || document === null || typeof document.content_type !== 'string' || typeof document.filename !== 'string') return this.breach(worker)
    const stdout = worker.child.stdout!
    let ended = false
    const body = new Readable({
      read: () => { if (worker.task === task) stdout.resume() }
    })
    body.once('end', () => { ended = true })
    body.once('close', () => {
      if (ended) return
      // The reader went away (a client gone) or the body was cut: the worker is read on, its rest dropped.
      task.bodyDropped = true
      if (worker.task === task) stdout.resume()
    })
    task.body = body
    task.resolve({ content_type: document.content_type, filename: document.filename, body } satisfies StreamedDocument)
  }

  /** Output out of protocol: the process is killed, and its task (if any) fails as crashed. */
  private breach (worker: Worker): void {
    worker.outcome = 'out_of_protocol'
    worker.partial = []
    // An idle one is no longer offered to a call while it dies.
    const spareAt = this.spares.indexOf(worker)
    if (spareAt >= 0) this.retiring.add(this.spares.splice(spareAt, 1)[0])
    this.killGroup(worker, 'SIGKILL')
  }

  /** A task's answer: the caller hears it, and the process serves the next one, or is replaced. */
  private answered (worker: Worker, task: Task, answer: AnswerFrame): void {
    for (const timer of worker.timers.splice(0)) clearTimeout(timer)
    worker.child.stdout!.resume()
    this.busy.delete(worker)
    worker.task = undefined
    worker.previous = task
    worker.served++
    if (typeof answer.log === 'object' && answer.log !== null) this.emitLog(worker, answer.log)
    this.settleAnswer(task, answer, worker.committing)
    this.counters.recordLatency(performance.now() - task.enqueuedAt)
    const internal = !answer.ok && answer.exitCode === EXIT_INTERNAL
    if (internal || this.draining || worker.served >= worker.taskLimit || answer.rssBytes > this.maxRssBytes) {
      // After an internal error the process exits by itself; otherwise it stops when its stdin ends.
      this.retire(worker)
    } else {
      this.spares.push(worker)
    }
    this.startQueued()
    this.refillSpares()
    this.notify()
  }

  /** `committing`: the task said it committed a write, so a failure answered after it says the write may be stored. */
  private settleAnswer (task: Task, answer: AnswerFrame, committing: Worker['committing']): void {
    const stored = committing !== undefined ? { mayBeStored: committing } : {}
    if (answer.ok && task.stream && task.body === undefined) this.fail(task, new PoolFailure('crashed', 'WORKER_CRASHED', `${task.command} answered without a document to stream`, stored))
    else if (answer.ok) this.succeed(task, answer.result)
    else this.fail(task, new PoolFailure('failed', answer.error.code, answer.error.message, { exitCode: answer.exitCode, errors: answer.error.errors, ...stored }))
  }

  /** Stops an idle process: its stdin ends, it exits; killed if it has not within RETIRE_KILL_MS. */
  private retire (worker: Worker): void {
    this.retiring.add(worker)
    worker.child.stdin!.end()
    worker.timers.push(setTimeout(() => this.killGroup(worker, 'SIGKILL'), RETIRE_KILL_MS))
  }

  private onStderr (worker: Worker, text: string): void {
    worker.stderrRead += Buffer.byteLength(text)
    const lines = (worker.stderrRest + text).split('\n')
    worker.stderrRest = lines.pop() ?? ''
    if (worker.stderrRest.length > STDERR_LINE_CAP) {
      lines.push(worker.stderrRest.slice(0, STDERR_LINE_CAP))
      worker.stderrRest = ''
    }
    for (const raw of lines) {
      if (raw.trim() === '' || worker.taskLogBytes > STDERR_CAP_BYTES) continue
      worker.taskLogBytes += raw.length + 1
      const parsed = parseJsonObject(raw)
      const line = parsed !== undefined && typeof parsed.level === 'number' ? parsed as WorkerLogLine : this.plainLine(worker, raw)
      this.emitLog(worker, line)
      if (worker.taskLogBytes > STDERR_CAP_BYTES) this.emitLog(worker, this.plainLine(worker, 'stderr over 1 MiB: the rest of this operation\'s log is dropped'))
    }
    // An answer that came before the last of its log lines: they have all come now.
    const { task, answer } = worker
    if (task !== undefined && answer !== undefined && worker.outcome === undefined && worker.stderrRead >= answer.stderrBytes) this.answered(worker, task, answer)
  }

  private emitLog (worker: Worker, line: WorkerLogLine): void {
    // By its reqId: a line of the task before (written after that task ended, by work it
    // left running) goes to that task's caller, never to the next one's; a line naming no
    // task of this process goes to the current task, or, between tasks, to the idle sink.
    const { task, previous } = worker
    const owner = task !== undefined && line.reqId === task.requestId ? task : previous !== undefined && line.reqId === previous.requestId ? previous : task
    const sink = owner?.onLog ?? this.options.onIdleLog
    sink?.(line)
  }

  /** Text that is not a JSON log line (a crash trace, say) is passed on as a warning. */
  private plainLine (worker: Worker, raw: string): WorkerLogLine {
    return { level: 40, time: Date.now(), pid: worker.pid, reqId: worker.task?.requestId ?? 'none', msg: raw.slice(0, 16_384) }
  }

  private killGroup (worker: Worker, signal: NodeJS.Signals): void {
    if (worker.pid <= 0) return
    try {
      process.kill(-worker.pid, signal)
    } catch {
      // ESRCH: the group is already gone
    }
  }

  private onClose (worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    for (const timer of worker.timers) clearTimeout(timer)
    if (worker.stderrRest.trim() !== '') this.onStderr(worker, '\n')
    const spareAt = this.spares.indexOf(worker)
    if (spareAt >= 0) this.spares.splice(spareAt, 1)
    const wasRetiring = this.retiring.delete(worker)
    const task = worker.task
    this.busy.delete(worker)
    if (task !== undefined) {
      // Died before it began the task (killed while idle, say, before the pool saw it go):
      // nothing of the task ran, so it goes back to the head of the queue, once.
      if (!worker.started && worker.outcome === undefined && task.attempts < 2 && !this.draining) this.enqueue(task, 'front')
      else if (worker.answer !== undefined && worker.outcome === undefined) {
        // Answered, then died before the pool read the end of its log lines: the answer stands.
        this.counters.recordLatency(performance.now() - task.enqueuedAt)
        this.settleAnswer(task, worker.answer, worker.committing)
      } else {
        this.counters.recordLatency(performance.now() - task.enqueuedAt)
        this.fail(task, this.failureOnClose(task, worker, code, signal))
      }
    }
    if (task === undefined && !wasRetiring && worker.served === 0 && !this.draining) {
      // A spare died before it ever had work (a broken install, say): start calls that
      // wait, but try spares again later, not in a loop.
      clearTimeout(this.spareRespawnTimer)
      this.spareRespawnTimer = setTimeout(() => this.refillSpares(), SPARE_RESPAWN_DELAY_MS).unref()
      this.startQueued()
    } else {
      this.startQueued()
      this.refillSpares()
    }
    this.notify()
  }

  /** Why a process that ended during its task gave no answer. */
  private failureOnClose (task: Task, worker: Worker, code: number | null, signal: NodeJS.Signals | null): PoolFailure {
    // After it said it commits, the write may be stored: the caller is told so, and the revision before it.
    const stored = worker.committing !== undefined ? { mayBeStored: worker.committing } : {}
    if (worker.outcome === 'timeout') {
      const late = worker.committing !== undefined ? `did not answer within ${answerDeadlineMs(this.options.timeoutMs)} ms of its commit` : `did not finish within ${this.options.timeoutMs} ms`
      return new PoolFailure('timeout', 'WORKER_TIMEOUT', `${task.command} ${late}`, stored)
    }
    if (worker.outcome === 'output_too_large') return new PoolFailure('output_too_large', 'OUTPUT_TOO_LARGE', `${task.command} produced more than ${this.options.maxOutputBytes} bytes of output`, stored)
    if (worker.outcome === 'out_of_protocol') return new PoolFailure('crashed', 'WORKER_CRASHED', `${task.command} wrote output that is not its answer`, { exitCode: code, ...stored })
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
    this.counters.failed(task.command, task.requestId, failure, httpErrorFromPool(failure).statusCode)
    // A body already handed out is cut: destroyed with the reason, never ended as if whole.
    if (task.body !== undefined) task.body.destroy(failure)
    else task.reject(failure)
  }
}
