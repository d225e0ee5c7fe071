import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import { ProcessPool, PoolFailure, type Cost, type JsonText, type StreamedDocument } from '../lib/pool/process-pool.js'
import { httpErrorFromPool } from '../lib/http-errors.js'
import { requestOwner } from '../lib/api-keys.js'
import { cliEntry } from '../workers/project.js'
import type { WorkerLogLine } from '../workers/protocol.js'
import type { CommandName, CommandResult, DocumentCommand } from '../workers/commands/index.js'

export interface RunCliOptions {
  input?: string | Buffer
  /** Ties the operation to a request: its id, its logger, and dropping it if the client leaves while queued. */
  request?: FastifyRequest
  signal?: AbortSignal
  /** `heavy` for whole documents (imports, exports, fills): they are shared out per key and leave a process for light reads. */
  cost?: Cost
  /** A document answer streamed from the worker as it is written (StreamedDocument), not held whole here. */
  stream?: boolean
  /** The answer as the worker's JSON text (JsonText), never parsed here: for sendJsonText. */
  json?: boolean
}

/** The commands whose answer is a document, which `stream: true` may ask for (derived from the command table). */
export type { DocumentCommand }

declare module 'fastify' {
  interface FastifyInstance {
    pool: ProcessPool
    /**
     * Runs one m3upro operation in its own process; rejects with an HttpError. Typed by the
     * command's definition (workers/commands/index.ts): a misspelt command, or a route using
     * a field its answer does not have, fails to compile.
     */
    runCli<C extends DocumentCommand>(command: C, args: string[], options: RunCliOptions & { stream: true }): Promise<StreamedDocument>
    runCli<C extends CommandName>(command: C, args: string[], options: RunCliOptions & { json: true }): Promise<JsonText<CommandResult<C>>>
    runCli<C extends CommandName>(command: C, args?: string[], options?: RunCliOptions): Promise<CommandResult<C>>
  }
}

const LEVEL_NAMES: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal'
}

/** A worker's stderr line becomes a line of the request's own log: same reqId, marked as the worker's. */
function relayWorkerLine (log: FastifyBaseLogger, { level, msg, pid, time, reqId: _reqId, ...fields }: WorkerLogLine): void {
  const name = LEVEL_NAMES[level] ?? 'info'
  log[name]({ ...fields, source: 'worker', worker_pid: pid, worker_time: time }, msg)
}

/**
 * Sends a worker's JSON text (runCli's `json`) as the answer, as it is: no parse here and no
 * second serialization, what a list read by many clients costs the API most of. Only for a
 * route whose response schema is the command's result type (`T`, checked here), which the
 * serializer would write the same (test/worker-reuse.test.ts checks the list's).
 */
export function sendJsonText<T> (reply: FastifyReply, answer: JsonText<T>): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(answer.text)
}

/** Each connection's signal: a keep-alive client's requests share it, so a request adds no listener of its own. */
const connectionSignals = new WeakMap<object, AbortSignal>()

/** Aborts when the client's connection closes (the pool drops a call still queued then). */
function clientGoneSignal (request: FastifyRequest): AbortSignal | undefined {
  const socket = request.raw.socket
  if (socket == null) return undefined
  let signal = connectionSignals.get(socket)
  if (signal === undefined) {
    const controller = new AbortController()
    socket.once('close', () => controller.abort())
    signal = controller.signal
    connectionSignals.set(socket, signal)
  }
  return signal
}

export default fp(async (fastify) => {
  const { pool: options, dataDir, logLevel, testCommands } = fastify.config
  const pool = new ProcessPool({
    ...options,
    entry: cliEntry,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: process.env.NODE_ENV,
      LOG_LEVEL: logLevel,
      SCHEDULEFLOW_DATA_DIR: dataDir,
      DATABASE_URL: fastify.config.databaseUrl ?? '',
      SCHEDULEFLOW_TEST_COMMANDS: String(testCommands),
      // Where publish targets may write, and how long their old files stay (SPEC §17, workers/on-air/publish-files.ts).
      SCHEDULEFLOW_PUBLISH_ROOTS: fastify.config.onAir.publishRoots.join(','),
      SCHEDULEFLOW_PUBLISH_RETENTION_DAYS: String(fastify.config.onAir.publishRetentionDays),
      // What libraries may hold, the ffprobe scans run, how far ahead files are checked (SPEC §16, workers/media).
      SCHEDULEFLOW_MEDIA_ROOTS: fastify.config.media.roots.join(':'),
      SCHEDULEFLOW_FFPROBE: fastify.config.media.ffprobe ?? '',
      SCHEDULEFLOW_MISSING_MEDIA_HOURS: String(fastify.config.media.missingMediaHours),
      SCHEDULEFLOW_PROBE_REMOTE: String(fastify.config.media.probeRemote),
      // Coverage (c8 in `npm test`): a server under it has its workers counted too.
      NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE
    },
    // The pool reports failures by kind; what status a kind answers is the API's (lib/http-errors.ts).
    statusOf: (failure) => httpErrorFromPool(failure).statusCode,
    clockOffsetMs: () => fastify.clock.offsetMs,
    onIdleLog: (line) => relayWorkerLine(fastify.log, line)
  })
  fastify.decorate('pool', pool)

  fastify.decorate('runCli', async function runCli<C extends CommandName> (
    command: C,
    args: string[] = [],
    { input, request, signal, cost, stream, json }: RunCliOptions = {}
  ): Promise<CommandResult<C> | StreamedDocument | JsonText> {
    const log = request?.log ?? fastify.log
    try {
      return await pool.run(command, args, {
        input,
        signal: signal ?? (request !== undefined ? clientGoneSignal(request) : undefined),
        requestId: request?.id,
        // The key, or the address of an anonymous reader: whose share a heavy operation counts against.
        owner: request === undefined ? undefined : requestOwner(request.identity, request.ip),
        cost,
        stream,
        json,
        onLog: (line) => relayWorkerLine(log, line)
      }) as CommandResult<C> | StreamedDocument | JsonText
    } catch (err) {
      throw err instanceof PoolFailure ? httpErrorFromPool(err) : err
    }
  })

  // The schema is brought up to date once, before the first request, rather than raced by the first operations.
  fastify.addHook('onReady', async () => {
    await fastify.runCli('migrate')
  })

  // Drain before the server stops: running operations finish, queued ones get 503.
  fastify.addHook('preClose', async () => {
    const { finished, killed } = await pool.drain(fastify.config.shutdownGraceMs)
    if (finished + killed > 0) fastify.log.info({ finished, killed }, 'process pool drained')
  })
}, { name: 'process-pool', dependencies: ['config', 'clock'] })
