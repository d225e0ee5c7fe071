#!/usr/bin/env node
// m3upro. By hand: one operation, `m3upro <command> [options] [file]`, the answer on stdout.
// Under the API's pool: `m3upro --pooled`, a long-lived process that serves task frames from
// stdin one after another (protocol.ts: a TaskHeader line, then exactly its inputBytes of
// input) and answers each with frames on stdout, with its database open and code loaded.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { newId } from './ids.js'
import { setBeforeCommit, setBeforeWrite } from './storage/before-write.js'
import { commandTable } from './commands/index.js'
import type { CommandContext, CommandDefinition } from './commands/command.js'
import { createWorkerLog, writeLogLine, type WorkerLog } from './log.js'
import { CommandError } from '../contract/command-error.js'
import { encodeFrame, EXIT_BAD_INPUT, EXIT_DEADLINE, EXIT_INPUT_CUT, EXIT_INTERNAL, EXIT_OK, EXIT_PARENT_GONE, READY_FLAG, type AnswerFrame, type TaskHeader, type WorkerErrorBody, type WorkerFrame, type WorkerLogLine, type WorkerReply } from './protocol.js'
import { bodyChunks, isDocumentAnswer, wholeBody, type DocumentAnswer } from './document-stream.js'
import { StdinEnded, TaskFrameReader, type TaskFrame } from './task-frames.js'
import { enforceDeadline, parentGone, startLifeline, stopWorkerGroup, watchParent } from './lifeline.js'
import type { Store } from './storage/store.js'

const dataDir = resolve(process.env.SCHEDULEFLOW_DATA_DIR ?? './data')
const pooled = process.argv[2] === '--pooled'
const humanOutput = !pooled && process.stdout.isTTY === true

/** PostgreSQL when DATABASE_URL names one (the API checked it at start), else SQLite in the data dir. */
async function openStore (): Promise<Store> {
  const databaseUrl = process.env.DATABASE_URL ?? ''
  if (databaseUrl !== '') {
    const [{ openPostgresStore }, { testHooksAfterCommit }] = await Promise.all([import('./storage/postgres.js'), import('./storage/test-hooks.js')])
    return openPostgresStore(databaseUrl, async () => testHooksAfterCommit(dataDir))
  }
  const { openSqliteStore } = await import('./storage/sqlite.js')
  return openSqliteStore(dataDir)
}

// A pooled process is started before its call arrives: it opens the database while it
// waits, so no call pays for it, and keeps it open for every task it serves. The store
// holds a connection and prepared statements, nothing of any one request.
let storePromise: Promise<Store> | undefined = pooled ? openStore() : undefined
storePromise?.catch(() => { storePromise = undefined })

async function readStdin (): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** What to run: a pooled task's header, or the command line by hand. */
type TaskSpec = Omit<TaskHeader, 'inputBytes'>

/** What an operation answered, and the options it was given. */
interface Executed { result: unknown, options: CommandContext['options'] }

/** Definitions loaded so far: a pooled process serves the same few commands hundreds of times, and an import() per task costs a module lookup. */
const definitions = new Map<string, CommandDefinition>()

async function definitionOf (command: string): Promise<CommandDefinition> {
  const loaded = definitions.get(command)
  if (loaded !== undefined) return loaded
  const load = commandTable()[command]
  if (load === undefined) throw new CommandError('UNKNOWN_COMMAND', `unknown command "${command}"; run "m3upro help" for the list`)
  const definition = (await load()).default
  definitions.set(command, definition)
  return definition
}

async function execute (header: TaskSpec, pooledInput: Buffer | undefined, log: WorkerLog): Promise<Executed> {
  const definition = await definitionOf(header.command)
  let parsed
  try {
    parsed = parseArgs({ args: header.args, options: definition.options ?? {}, allowPositionals: true, strict: true })
  } catch (err) {
    throw new CommandError('BAD_ARGUMENTS', `${header.command}: ${(err as Error).message}`)
  }
  const { values, positionals } = parsed
  // The pool takes documents from the answer; only a person names a file to write.
  if (pooled && values.output !== undefined) throw new CommandError('BAD_ARGUMENTS', `${header.command}: --output is for runs by hand`)
  const ctx: CommandContext = {
    options: values,
    positionals,
    log,
    requestId: header.requestId,
    now: () => Date.now() + (header.clockOffsetMs ?? 0),
    readInput: async () => {
      if (pooledInput !== undefined) return pooledInput
      if (positionals[0] !== undefined && positionals[0] !== '-') return readFile(positionals[0])
      if (process.stdin.isTTY === true) throw new CommandError('NO_INPUT', `${header.command}: give a file name or pipe the document on stdin`)
      return readStdin()
    },
    store: () => (storePromise ??= openStore())
  }
  return { result: await definition.run(ctx), options: values }
}

async function usage (): Promise<string> {
  const lines = ['usage: m3upro <command> [options] [file]', '', 'commands:']
  for (const [name, load] of Object.entries(commandTable())) {
    const { summary, usage: extra } = (await load()).default
    lines.push(`  ${name.padEnd(22)} ${summary}${extra !== undefined ? `\n  ${' '.repeat(22)} ${extra}` : ''}`)
  }
  return lines.join('\n')
}

/**
 * How an operation ended: its answer, exit code and (when it ran) the options it was given;
 * its closing log line (what it cost), not yet written (a pooled process sends it in its
 * answer frame, by hand it goes to stderr; none below LOG_LEVEL); and its memory then.
 */
/** A refusal is the caller's input (exit 2, the process serves on); an internal one ends the process. */
const exitCodeOf = (err: CommandError): number => err.internal ? EXIT_INTERNAL : EXIT_BAD_INPUT

interface Operation { reply: WorkerReply, exitCode: number, options?: CommandContext['options'], closing?: WorkerLogLine, rssBytes: number }

/** Runs one operation and says how it ended: what a one-operation run answers and exits with. Never throws. */
async function runOperation (header: TaskSpec, pooledInput: Buffer | undefined, handDocument = false): Promise<Operation> {
  // By hand on a terminal, or beside a document a person redirected, info lines would bury
  // the answer; the pool always passes LOG_LEVEL.
  const level = process.env.LOG_LEVEL ?? (humanOutput || handDocument ? 'warn' : 'info')
  const log = createWorkerLog(header.requestId, level)
  let closingLine: WorkerLogLine | undefined
  const closing = createWorkerLog(header.requestId, level, (line) => { closingLine = line })
  // The deadline is this task's: cleared when it ends, so it cannot stop a later one.
  let cancelDeadline = header.deadlineMs !== undefined ? enforceDeadline(header.deadlineMs, log, () => stopWorkerGroup(EXIT_DEADLINE)) : undefined
  if (pooled) {
    let committed = false
    setBeforeCommit((revisionBefore) => {
      // A write whose server died is not committed: the process, and its open transaction, end here.
      if (parentGone()) stopWorkerGroup(EXIT_PARENT_GONE)
      writeOut(encodeFrame({ requestId: header.requestId, committing: true, revisionBefore }))
      if (committed) return
      committed = true
      // From the commit on, the answer is owed: the pool's deadline (and this backstop) become the answer's.
      if (header.answerDeadlineMs !== undefined) {
        cancelDeadline?.()
        cancelDeadline = enforceDeadline(header.answerDeadlineMs, log, () => stopWorkerGroup(EXIT_DEADLINE))
      }
    })
  }
  const started = performance.now()
  let rssBytes = 0
  // One line per operation with what it cost: the figures an operator tunes the pool by.
  // max_rss: the process's peak over every task it has served, which the pool recycles it by
  // (getrusage: one cheap call; the current RSS would be a /proc file read each time).
  const cost = (): Record<string, unknown> => {
    rssBytes = peakRssBytes()
    return { command: header.command, duration_ms: Math.round(performance.now() - started), max_rss_mb: Math.round(rssBytes / (1 << 20)) }
  }
  try {
    let { result, options } = await execute(header, pooledInput, log)
    // A body written in parts is joined unless the pool streams it (servePooled), or a
    // person's run writes it (writeHandDocument).
    if (header.stream !== true && !handDocument && isDocumentAnswer(result) && typeof result.body !== 'string') result = { ...result, body: await wholeBody(result.body) }
    closing.info('command finished', cost())
    return { reply: { ok: true, result }, exitCode: EXIT_OK, options, closing: closingLine, rssBytes }
  } catch (err) {
    if (err instanceof CommandError) {
      closing.info('command refused', { ...cost(), code: err.code })
      return {
        reply: { ok: false, error: { code: err.code, message: err.message, ...(err.errors !== undefined && { errors: err.errors }) } },
        exitCode: exitCodeOf(err),
        closing: closingLine,
        rssBytes
      }
    }
    // The cause goes to the log for the operator; the answer names no path or stack.
    closing.error('command failed', { ...cost(), err: { message: (err as Error).message, stack: (err as Error).stack } })
    return { reply: { ok: false, error: { code: 'INTERNAL', message: `internal error in ${header.command}` } }, exitCode: EXIT_INTERNAL, closing: closingLine, rssBytes }
  } finally {
    cancelDeadline?.()
    setBeforeCommit(() => {})
  }
}

const peakRssBytes = (): number => process.resourceUsage().maxRSS * 1024

/** By hand: the operation's closing log line goes out as it ends. */
async function runByHand (header: TaskSpec, handDocument = false): Promise<Operation> {
  const operation = await runOperation(header, undefined, handDocument)
  if (operation.closing !== undefined) writeLogLine(operation.closing)
  return operation
}

/** An error as a person reads it, on stderr. */
function writeReadableError (error: WorkerErrorBody): void {
  const details = (error.errors ?? []).map((e) => `  - ${[e.index !== undefined ? `event ${e.index}` : '', e.field ?? '', e.line !== undefined ? `line ${e.line}:${e.column ?? 0}` : ''].filter(Boolean).join(' ')}: ${e.message}`)
  process.stderr.write([`m3upro: ${error.message} (${error.code})`, ...details].join('\n') + '\n')
}

/** By hand: the answer, readable on a terminal, and the exit code. */
function finish (reply: WorkerReply, exitCode: number): void {
  if (humanOutput) {
    if (reply.ok) process.stdout.write(JSON.stringify(reply.result, null, 2) + '\n')
    else writeReadableError(reply.error)
  } else {
    process.stdout.write(JSON.stringify(reply) + '\n')
  }
  exitFlushed(exitCode)
}

/**
 * By hand, a command that answers a document writes the document itself (to stdout or
 * `--output FILE`), whole or not at all; a failure goes to stderr only, so a redirected
 * stdout never holds an error where the document should be.
 */
async function finishDocument ({ reply, exitCode, options }: Operation): Promise<void> {
  if (reply.ok && isDocumentAnswer(reply.result)) {
    const { writeHandDocument } = await import('./hand-document.js')
    try {
      await writeHandDocument(reply.result, typeof options?.output === 'string' ? options.output : undefined)
    } catch (err) {
      const failure = err instanceof CommandError ? err : new CommandError('INTERNAL', 'internal error writing the document', undefined, true)
      writeReadableError({ code: failure.code, message: failure.message })
      return exitFlushed(exitCodeOf(failure))
    }
  } else if (!reply.ok) writeReadableError(reply.error)
  exitFlushed(exitCode)
}

/** Exits once stdout is flushed: the reader takes the answer from it. */
function exitFlushed (exitCode: number): void {
  process.stdout.write('', () => process.exit(exitCode))
}

/** Writes a frame, and waits while the pool is not reading (it pauses when its client is slow). */
async function writeFrame (frame: WorkerFrame): Promise<void> {
  if (!writeOut(encodeFrame(frame))) await new Promise((resolve) => process.stdout.once('drain', resolve))
}

/**
 * A streamed answer: the document's type and name, then its body in ChunkFrames as it is
 * written. A failure part-way (a body written in parts may throw) is an internal error: the
 * pool cuts the client's response rather than end it as if whole.
 */
async function streamDocument (requestId: string, command: string, doc: DocumentAnswer): Promise<{ reply: WorkerReply, exitCode: number }> {
  await writeFrame({ requestId, document: { content_type: doc.content_type, filename: doc.filename } })
  try {
    for await (const chunk of bodyChunks(doc.body)) await writeFrame({ requestId, chunk })
    return { reply: { ok: true, result: null }, exitCode: EXIT_OK }
  } catch (err) {
    const log = createWorkerLog(requestId, process.env.LOG_LEVEL ?? 'info')
    log.error('document cut off', { command, err: { message: (err as Error).message, stack: (err as Error).stack } })
    return { reply: { ok: false, error: { code: 'INTERNAL', message: `internal error in ${command}` } }, exitCode: EXIT_INTERNAL }
  }
}

/** Bytes this process has written to stderr: each answer says how many (protocol.ts, AnswerFrame). */
let stderrWritten = 0

/** Counts every write to stderr, whoever makes it (the operations' logs, a storage warning, Node's own warnings). */
function countStderr (): void {
  const write = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    stderrWritten += typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof rest[0] === 'string' ? rest[0] as BufferEncoding : 'utf8') : chunk.byteLength
    return write(chunk, ...rest)
  }) as typeof process.stderr.write
}

/** The running task's `started` frame while it is held back (holdStarted), else ''. */
let heldStarted = ''
let heldTurn: NodeJS.Immediate | undefined
const nothing = (): void => {}

/**
 * Holds a task's `started` frame back until the operation first waits on something (the next
 * turn of the event loop), begins a write transaction, or writes a frame of its own (writeOut);
 * then it goes out ahead of them. Most reads answer within their first turn: the frame then
 * goes out with the answer in one write, one wake-up of the pool instead of two. Nothing is
 * stored while it is held, so a process that dies with it unsent began nothing that counts, and
 * the pool may run the call again (as it does when a process dies before reading its task).
 */
function holdStarted (requestId: string): void {
  heldStarted = encodeFrame({ requestId, started: true })
  heldTurn = setImmediate(sendStarted)
  setBeforeWrite(sendStarted)
}

/** The held `started` frame, taken to go out now ('' once it has). */
function takeStarted (): string {
  const held = heldStarted
  if (held === '') return ''
  heldStarted = ''
  clearImmediate(heldTurn)
  setBeforeWrite(nothing)
  return held
}

function sendStarted (): void {
  const held = takeStarted()
  if (held !== '') process.stdout.write(held)
}

/** Every frame of a task goes out through here: in one write with the held `started` frame, if it has not gone yet. */
function writeOut (text: string): boolean {
  return process.stdout.write(takeStarted() + text)
}

/**
 * A success answer's frames: the answer with its result, or, when the task asked for its result
 * as text (TaskHeader.resultLine), the answer and the result's JSON on the next line, which
 * the API hands to its client as it is.
 */
function successFrames (header: TaskHeader, rssBytes: number, result: unknown, told: Pick<AnswerFrame, 'stderrBytes' | 'log'>): string {
  const { requestId } = header
  if (header.resultLine !== true) return encodeFrame({ requestId, rssBytes, ok: true, result, ...told })
  return encodeFrame({ requestId, rssBytes, ok: true, resultLine: true, ...told }) + (JSON.stringify(result) ?? 'null') + '\n'
}

/**
 * The pooled worker's loop: a task, its `started` frame, the operation, its answer; then the
 * next. Its parent going away stops it at once, during a task: stdin ending (the pool keeps
 * it open while the process serves), stdout breaking, or a new parent pid. Between tasks, the
 * end of stdin is the pool retiring it (or gone): it exits 0. An input cut short is never run.
 */
async function servePooled (): Promise<void> {
  countStderr()
  const reader = new TaskFrameReader(process.stdin)
  let running = false
  const stopParentGone = (): never => stopWorkerGroup(EXIT_PARENT_GONE)
  process.stdout.on('error', stopParentGone) // EPIPE: nobody reads the answer
  watchParent(stopParentGone)
  startLifeline(createWorkerLog('none', process.env.LOG_LEVEL ?? 'info'))
  reader.onEnd(() => { if (running) stopParentGone() })
  // The ReadyFrame goes out between tasks, never inside one's frames: at once if the store
  // opens while this process waits, else right after the answer of the task it came during.
  let readyOwed = false
  const sendReady = (): void => {
    readyOwed = false
    process.stdout.write(encodeFrame({ ready: true }))
  }
  if (process.argv.includes(READY_FLAG)) {
    const opened = (): void => { if (running) readyOwed = true; else sendReady() }
    void (storePromise ?? Promise.resolve()).then(opened, opened)
  }
  for (;;) {
    let frame: TaskFrame
    try {
      frame = await reader.next()
    } catch (err) {
      if (!(err instanceof StdinEnded)) throw err
      if (err.header !== null) createWorkerLog(err.header.requestId, process.env.LOG_LEVEL ?? 'info').warn('input cut off: nothing run, nothing stored', { received_bytes: err.received, input_bytes: err.header.inputBytes })
      // Nothing is running, so nothing was started that a group kill would have to reach.
      return process.exit(err.header === null ? EXIT_OK : EXIT_INPUT_CUT)
    }
    const { header } = frame
    const { requestId } = header
    running = true
    holdStarted(requestId)
    const operation = await runOperation(header, frame.input)
    let { reply, exitCode, rssBytes } = operation
    if (reply.ok && header.stream === true && isDocumentAnswer(reply.result)) {
      ;({ reply, exitCode } = await streamDocument(requestId, header.command, reply.result))
      rssBytes = peakRssBytes()
    }
    running = false
    const internal = exitCode !== EXIT_OK && exitCode !== EXIT_BAD_INPUT
    const told = { stderrBytes: stderrWritten, ...(operation.closing !== undefined && { log: operation.closing }) }
    writeOut(reply.ok
      ? successFrames(header, rssBytes, reply.result, told)
      : encodeFrame({ requestId, rssBytes, ok: false, error: reply.error, exitCode: internal ? EXIT_INTERNAL : EXIT_BAD_INPUT, ...told }))
    if (readyOwed) sendReady()
    // An internal error may have left anything behind (a half-open transaction, a broken
    // module state): this process serves no other task.
    if (internal) return exitFlushed(EXIT_INTERNAL)
  }
}

async function main (): Promise<void> {
  if (pooled) return servePooled()
  const [command = 'help', ...args] = process.argv.slice(2)
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(await usage() + '\n')
    return
  }
  const table = commandTable()
  const answersDocument = Object.hasOwn(table, command) && (await table[command]()).default.answersDocument === true
  const header = { command, args, requestId: process.env.M3UPRO_REQUEST_ID ?? `cli-${newId()}` }
  if (answersDocument) return finishDocument(await runByHand(header, true))
  const { reply, exitCode } = await runByHand(header)
  finish(reply, exitCode)
}

main().catch((err: unknown) => {
  process.stderr.write(`m3upro: ${(err as Error).message}\n`)
  process.exit(err instanceof CommandError ? EXIT_BAD_INPUT : EXIT_INTERNAL)
})
