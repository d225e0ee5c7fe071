#!/usr/bin/env node
// m3upro: one operation per process. By hand: `m3upro <command> [options] [file]`.
// Under the API's pool: `m3upro --pooled`, reading one task frame on stdin (protocol.ts:
// a TaskHeader line, then exactly its inputBytes of input), with stdin kept open meanwhile.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { commandTable } from './commands/index.js'
import type { CommandContext } from './commands/command.js'
import { createWorkerLog, type WorkerLog } from './log.js'
import { CommandError, EXIT_BAD_INPUT, EXIT_DEADLINE, EXIT_INPUT_CUT, EXIT_INTERNAL, EXIT_OK, EXIT_PARENT_GONE, type TaskHeader, type WorkerReply } from './protocol.js'
import { StdinEnded, TaskFrameReader, type TaskFrame } from './task-frames.js'
import { enforceDeadline, stopWorkerGroup, watchParent } from './lifeline.js'
import type { Store } from './storage/store.js'

const dataDir = resolve(process.env.SCHEDULEFLOW_DATA_DIR ?? './data')
const pooled = process.argv[2] === '--pooled'
const humanOutput = !pooled && process.stdout.isTTY === true

async function openStore (): Promise<Store> {
  const { SqliteStore } = await import('./storage/sqlite.js')
  return new SqliteStore(dataDir)
}

// A pooled process is started before its call arrives: it opens the database
// while it waits, so the call itself does not pay for it.
let storePromise: Promise<Store> | undefined = pooled ? openStore() : undefined
storePromise?.catch(() => { storePromise = undefined })

async function readStdin (): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** What to run: a pooled task's header, or the command line by hand. */
type TaskSpec = Omit<TaskHeader, 'inputBytes'>

/**
 * A pooled worker's task. Its parent going away stops it at once, before or during
 * the task: stdin ending (the pool keeps it open until the answer), stdout breaking,
 * or a new parent pid. An input cut short is never run.
 */
async function readPooledTask (): Promise<TaskFrame> {
  const reader = new TaskFrameReader(process.stdin)
  const parentGone = (): never => stopWorkerGroup(EXIT_PARENT_GONE)
  process.stdout.on('error', parentGone) // EPIPE: nobody reads the answer
  watchParent(parentGone)
  let frame: TaskFrame
  try {
    frame = await reader.next()
  } catch (err) {
    if (!(err instanceof StdinEnded)) throw err
    if (err.header !== null) createWorkerLog(err.header.requestId, process.env.LOG_LEVEL ?? 'info').warn('input cut off: nothing run, nothing stored', { received_bytes: err.received, input_bytes: err.header.inputBytes })
    // Nothing has run, so nothing was started that a group kill would have to reach.
    return process.exit(err.header === null ? EXIT_PARENT_GONE : EXIT_INPUT_CUT)
  }
  reader.onEnd(parentGone)
  return frame
}

async function execute (header: TaskSpec, pooledInput: Buffer | undefined, log: WorkerLog): Promise<unknown> {
  const load = commandTable()[header.command]
  if (load === undefined) throw new CommandError('UNKNOWN_COMMAND', `unknown command "${header.command}"; run "m3upro help" for the list`)
  const definition = (await load()).default
  let parsed
  try {
    parsed = parseArgs({ args: header.args, options: definition.options ?? {}, allowPositionals: true, strict: true })
  } catch (err) {
    throw new CommandError('BAD_ARGUMENTS', `${header.command}: ${(err as Error).message}`)
  }
  const { values, positionals } = parsed
  const ctx: CommandContext = {
    options: values,
    positionals,
    log,
    readInput: async () => {
      if (pooledInput !== undefined) return pooledInput
      if (positionals[0] !== undefined && positionals[0] !== '-') return readFile(positionals[0])
      if (process.stdin.isTTY === true) throw new CommandError('NO_INPUT', `${header.command}: give a file name or pipe the document on stdin`)
      return readStdin()
    },
    store: () => (storePromise ??= openStore())
  }
  return definition.run(ctx)
}

async function usage (): Promise<string> {
  const lines = ['usage: m3upro <command> [options] [file]', '', 'commands:']
  for (const [name, load] of Object.entries(commandTable())) {
    const { summary, usage: extra } = (await load()).default
    lines.push(`  ${name.padEnd(22)} ${summary}${extra !== undefined ? `\n  ${' '.repeat(22)} ${extra}` : ''}`)
  }
  return lines.join('\n')
}

function finish (reply: WorkerReply, exitCode: number): void {
  if (humanOutput) {
    if (reply.ok) process.stdout.write(JSON.stringify(reply.result, null, 2) + '\n')
    else {
      const details = (reply.error.errors ?? []).map((e) => `  - ${[e.index !== undefined ? `event ${e.index}` : '', e.field ?? '', e.line !== undefined ? `line ${e.line}:${e.column ?? 0}` : ''].filter(Boolean).join(' ')}: ${e.message}`)
      process.stderr.write([`m3upro: ${reply.error.message} (${reply.error.code})`, ...details].join('\n') + '\n')
    }
  } else {
    process.stdout.write(JSON.stringify(reply) + '\n')
  }
  // Exit only once stdout is flushed: the parent reads the answer from it.
  process.stdout.write('', () => process.exit(exitCode))
}

async function main (): Promise<void> {
  let header: TaskSpec
  let input: Buffer | undefined
  if (pooled) {
    ({ header, input } = await readPooledTask())
  } else {
    const [command = 'help', ...args] = process.argv.slice(2)
    if (command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(await usage() + '\n')
      return
    }
    header = { command, args, requestId: process.env.M3UPRO_REQUEST_ID ?? `cli-${randomUUID()}` }
  }
  // By hand on a terminal, info lines would bury the answer; the pool always passes LOG_LEVEL.
  const log = createWorkerLog(header.requestId, process.env.LOG_LEVEL ?? (humanOutput ? 'warn' : 'info'))
  if (header.deadlineMs !== undefined) enforceDeadline(header.deadlineMs, log, () => stopWorkerGroup(EXIT_DEADLINE))
  const started = performance.now()
  // One line per operation with what it cost: the figures an operator tunes the pool by.
  const cost = (): Record<string, unknown> => ({ command: header.command, duration_ms: Math.round(performance.now() - started), max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })
  try {
    const result = await execute(header, input, log)
    log.info('command finished', cost())
    finish({ ok: true, result }, EXIT_OK)
  } catch (err) {
    if (err instanceof CommandError) {
      log.info('command refused', { ...cost(), code: err.code })
      finish({ ok: false, error: { code: err.code, message: err.message, ...(err.errors !== undefined && { errors: err.errors }) } }, err.exitCode)
      return
    }
    // The cause goes to the log for the operator; the answer names no path or stack.
    log.error('command failed', { ...cost(), err: { message: (err as Error).message, stack: (err as Error).stack } })
    finish({ ok: false, error: { code: 'INTERNAL', message: `internal error in ${header.command}` } }, EXIT_INTERNAL)
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`m3upro: ${(err as Error).message}\n`)
  process.exit(err instanceof CommandError ? EXIT_BAD_INPUT : EXIT_INTERNAL)
})
