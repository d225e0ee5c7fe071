import { CommandError } from '../contract/command-error.js'
import { taskHeaderProblem, type TaskHeader } from './protocol.js'

// Reads the pool's task frames (protocol.ts: a header line, then exactly inputBytes of
// input) off a pooled worker's stdin. The announced length, not the end of stdin,
// ends an input: a frame cut short is refused whole, so nothing of it is ever stored.

/** A header longer than this is not a header: the input never began. */
const MAX_HEADER_BYTES = 1 << 20

export interface TaskFrame {
  header: TaskHeader
  input: Buffer
}

/** stdin ended before a whole frame: before its header (`received` null) or inside its input. */
export class StdinEnded extends Error {
  constructor (readonly header: TaskHeader | null, readonly received: number) {
    super(header === null
      ? 'stdin ended before a task header'
      : `stdin ended after ${received} of the ${header.inputBytes} input bytes the task announced`)
  }
}

export class TaskFrameReader {
  private chunks: Buffer[] = []
  private size = 0
  private ended = false
  private wake: (() => void) | undefined
  private readonly endListeners: Array<() => void> = []

  constructor (stream: NodeJS.ReadableStream) {
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk)
      this.size += chunk.length
      this.wake?.()
    })
    const onEnd = (): void => {
      if (this.ended) return
      this.ended = true
      this.wake?.()
      for (const listener of this.endListeners) listener()
    }
    stream.on('end', onEnd)
    stream.on('close', onEnd)
    stream.on('error', onEnd)
  }

  /** Called once when the stream ends (at once if it already has). */
  onEnd (listener: () => void): void {
    if (this.ended) listener()
    else this.endListeners.push(listener)
  }

  /** The next whole frame; rejects with StdinEnded when stdin ends first. */
  async next (): Promise<TaskFrame> {
    let newline = this.buffered().indexOf(10)
    while (newline < 0) {
      if (this.size > MAX_HEADER_BYTES) throw new CommandError('BAD_TASK', `no task header line within ${MAX_HEADER_BYTES} bytes`)
      if (this.ended) throw new StdinEnded(null, this.size)
      await this.more()
      newline = this.buffered().indexOf(10)
    }
    const header = this.parseHeader(this.buffered().subarray(0, newline))
    this.keep(this.buffered().subarray(newline + 1))
    while (this.size < header.inputBytes) {
      if (this.ended) throw new StdinEnded(header, this.size)
      await this.more()
    }
    const all = this.buffered()
    this.keep(all.subarray(header.inputBytes)) // the start of a next frame, if any
    return { header, input: all.subarray(0, header.inputBytes) }
  }

  private parseHeader (line: Buffer): TaskHeader {
    let value: unknown
    try {
      value = JSON.parse(line.toString('utf8'))
    } catch {
      throw new CommandError('BAD_TASK', 'the task header is not JSON')
    }
    const problem = taskHeaderProblem(value)
    if (problem !== null) throw new CommandError('BAD_TASK', problem)
    return value as TaskHeader
  }

  /** Everything buffered, as one Buffer (joined once, then kept joined). */
  private buffered (): Buffer {
    if (this.chunks.length !== 1) this.keep(Buffer.concat(this.chunks))
    return this.chunks[0]
  }

  private keep (rest: Buffer): void {
    this.chunks = [rest]
    this.size = rest.length
  }

  private async more (): Promise<void> {
    await new Promise<void>((resolve) => { this.wake = resolve })
    this.wake = undefined
  }
}
