import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { encodeTaskHeader, READY_FLAG, type AnswerFrame, type TaskHeader, type WorkerLogLine } from '../../workers/protocol.js'
import { parseFrame, parseLogLine, type ParsedFrame } from './frames.js'

// One `m3upro --pooled` child: its start, its pipes (task frames in, frames and log lines
// out, each parsed where it comes in), its timers and its group kill. What the frames mean
// for a task is the pool's business (process-pool.ts).

const STDERR_CAP_BYTES = 1 << 20
const STDERR_LINE_CAP = 64 * 1024
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

export interface WorkerProcessEvents {
  /** A stdout line that is a protocol frame. */
  frame: (parsed: ParsedFrame) => void
  /** A stdout line that is no frame, or output past the task's cap (`overflow`). */
  outOfProtocol: (why: 'bad_line' | 'overflow') => void
  /** A stderr line, as a JSON log line (plain text is made one, as a warning). */
  log: (line: WorkerLogLine) => void
  /** After each stderr chunk: an answer waiting for its log lines may be handed over now. */
  stderrRead: () => void
  /** The process and its pipes are gone. */
  closed: (code: number | null, signal: NodeJS.Signals | null) => void
}

/** How stdout is read: as frames, only for a `committing` frame (after a deadline kill), or not at all. */
export type ReadMode = 'frames' | 'committing_only' | 'ignore'

export class WorkerProcess {
  readonly pid: number
  readonly startedAt = performance.now()
  /** When its ReadyFrame came (performance.now()), or undefined while it boots. */
  readyAt: number | undefined
  /** Bytes read from its stderr over its life: an answer is handed over once its stderrBytes have all come. */
  stderrBytes = 0
  readMode: ReadMode = 'frames'
  private readonly child: ChildProcess
  /** The request whose lines come now: a plain stderr line is logged under it. */
  private requestId: string | undefined
  private partial: Buffer[] = []
  /** An answer saying its result comes on the next line (protocol.ts, resultLine): handed on with that line. */
  private answerBeforeResult: AnswerFrame | undefined
  private stdoutBytes = 0
  private stderrRest = ''
  private taskLogBytes = 0
  private readonly timers: NodeJS.Timeout[] = []

  constructor (entry: string, env: NodeJS.ProcessEnv, private readonly maxOutputBytes: number, private readonly events: WorkerProcessEvents) {
    // detached: the process leads its own group, so a kill of -pid reaches its children too.
    // The fourth pipe is its lifeline (workers/lifeline.ts): never written; its end, when this
    // process dies, stops the worker even in the middle of a synchronous operation.
    const node = [process.execPath, entry, '--pooled', READY_FLAG]
    const [file, ...args] = SETPRIV === undefined ? node : [SETPRIV, '--pdeathsig', 'KILL', ...node]
    const child = spawn(file, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env })
    this.child = child
    this.pid = child.pid ?? -1
    child.stdin!.on('error', () => {}) // EPIPE when the process died before reading: its exit says why
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk))
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (text: string) => this.onStderr(text))
    // On exit, anything left in the group (a grandchild holding our pipes open) is killed,
    // so 'close' follows and no process outlives its operation.
    // A stdout paused for a slow reader is resumed: 'close' waits for its end.
    child.on('exit', () => {
      this.kill('SIGKILL')
      child.stdout!.resume()
    })
    child.on('error', () => {}) // spawn failure: 'close' follows with a null code
    child.on('close', (code, signal) => {
      this.clearTimers()
      if (this.stderrRest.trim() !== '') this.onStderr('\n')
      events.closed(code, signal)
    })
  }

  /** Hands it a task: one frame, the input's length in the header (stdin stays open while it serves). */
  send (header: TaskHeader, input: Buffer): void {
    this.requestId = header.requestId
    this.partial = []
    this.answerBeforeResult = undefined
    this.stdoutBytes = 0
    this.taskLogBytes = 0
    this.readMode = 'frames'
    const stdin = this.child.stdin!
    const line = encodeTaskHeader(header)
    // Most tasks have no input or a small one: one write, one wake-up of the worker.
    if (input.length <= SMALL_INPUT_BYTES) stdin.write(input.length === 0 ? line : Buffer.concat([Buffer.from(line), input]))
    else {
      stdin.write(line)
      stdin.write(input)
    }
  }

  /** Between tasks its lines name no task of its own. */
  taskDone (): void {
    this.requestId = undefined
  }

  /** Its stdin ends: between tasks it exits by itself. */
  endInput (): void {
    this.child.stdin!.end()
  }

  /** Whether part of a line has come after the last whole one (or an answer's result line is still to come). */
  get midLine (): boolean {
    return this.partial.length > 0 || this.answerBeforeResult !== undefined
  }

  pauseOutput (): void {
    this.child.stdout!.pause()
  }

  resumeOutput (): void {
    this.child.stdout!.resume()
  }

  after (ms: number, run: () => void): void {
    this.timers.push(setTimeout(run, ms))
  }

  clearTimers (): void {
    for (const timer of this.timers.splice(0)) clearTimeout(timer)
  }

  /** TERM, then KILL after `graceMs`, to its whole group. */
  killGently (graceMs: number): void {
    this.kill('SIGTERM')
    this.after(graceMs, () => this.kill('SIGKILL'))
  }

  kill (signal: NodeJS.Signals): void {
    if (this.pid <= 0) return
    try {
      process.kill(-this.pid, signal)
    } catch {
      // ESRCH: the group is already gone
    }
  }

  /** stdout is frames, one JSON line each (protocol.ts), within the per-task output cap. */
  private onStdout (chunk: Buffer): void {
    if (this.readMode === 'committing_only') return this.lookForCommitting(chunk)
    if (this.readMode === 'ignore') return
    this.stdoutBytes += chunk.length
    if (this.stdoutBytes > this.maxOutputBytes) {
      this.readMode = 'ignore'
      this.partial = []
      return this.events.outOfProtocol('overflow')
    }
    const lines: Buffer[] = []
    let rest = chunk
    for (let newline = rest.indexOf(10); newline >= 0; newline = rest.indexOf(10)) {
      this.partial.push(rest.subarray(0, newline))
      lines.push(this.partial.length === 1 ? this.partial[0] : Buffer.concat(this.partial))
      this.partial = []
      rest = rest.subarray(newline + 1)
    }
    if (rest.length > 0) this.partial.push(rest)
    for (const line of lines) {
      if (this.readMode !== 'frames') return
      const answer = this.answerBeforeResult
      // The result line is JSON.stringify's text, handed on unparsed: only an empty one is out of protocol.
      const parsed = answer !== undefined
        ? (line.length > 0 ? { kind: 'answer' as const, frame: answer, resultText: line.toString('utf8') } : undefined)
        : parseFrame(line.toString('utf8'))
      this.answerBeforeResult = undefined
      if (parsed === undefined) {
        this.readMode = 'ignore'
        this.partial = []
        return this.events.outOfProtocol('bad_line')
      }
      if (parsed.kind === 'answer' && parsed.resultText === undefined && 'resultLine' in parsed.frame) this.answerBeforeResult = parsed.frame
      else this.events.frame(parsed)
    }
  }

  /**
   * A process killed at its deadline may have said it commits just before: its caller must
   * hear that the write may be stored. Only that frame is looked for in what is left.
   */
  private lookForCommitting (chunk: Buffer): void {
    if (!chunk.includes('"committing":true')) return
    const text = Buffer.concat([...this.partial, chunk]).toString('utf8')
    for (const line of text.split('\n')) {
      const parsed = parseFrame(line)
      if (parsed?.kind === 'committing') return this.events.frame(parsed)
    }
  }

  private onStderr (text: string): void {
    this.stderrBytes += Buffer.byteLength(text)
    const lines = (this.stderrRest + text).split('\n')
    this.stderrRest = lines.pop() ?? ''
    if (this.stderrRest.length > STDERR_LINE_CAP) {
      lines.push(this.stderrRest.slice(0, STDERR_LINE_CAP))
      this.stderrRest = ''
    }
    for (const raw of lines) {
      if (raw.trim() === '' || this.taskLogBytes > STDERR_CAP_BYTES) continue
      this.taskLogBytes += raw.length + 1
      this.events.log(parseLogLine(raw) ?? this.plainLine(raw))
      if (this.taskLogBytes > STDERR_CAP_BYTES) this.events.log(this.plainLine('stderr over 1 MiB: the rest of this operation\'s log is dropped'))
    }
    this.events.stderrRead()
  }

  /** Text that is not a JSON log line (a crash trace, say) is passed on as a warning. */
  plainLine (raw: string): WorkerLogLine {
    return { level: 40, time: Date.now(), pid: this.pid, reqId: this.requestId ?? 'none', msg: raw.slice(0, 16_384) }
  }
}
