import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../app.js'
import { Keyring } from '../lib/api-keys.js'
import { loadConfig, type Config } from '../lib/config.js'
import { createLogger } from '../lib/logger.js'

export const BENCH_KEY = 'bench-admin-key-0123456789'

export interface BenchServer {
  app: FastifyInstance
  config: Config
  url: string
  dir: string
  /** POSTs a body with the admin key; throws unless the answer is 2xx. */
  post<T = Record<string, unknown>>(path: string, body: string, contentType: string): Promise<T>
  get(path: string): Promise<Response>
  close(): Promise<void>
}

/** The real app on a free loopback port, in a temporary data dir, with limits out of the way. */
export async function startBenchServer (
  env: Record<string, string> = {},
  { logFile = false, routes }: { logFile?: boolean, routes?: (app: FastifyInstance, config: Config) => void } = {}
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'scheduleflow-bench-'))
  const config = loadConfig({
    SCHEDULEFLOW_DATA_DIR: join(dir, 'data'),
    SCHEDULEFLOW_LOG_FILE: logFile ? join(dir, 'logs', 'scheduleflow.log') : 'off',
    SCHEDULEFLOW_API_KEYS: `admin:${BENCH_KEY}`,
    SCHEDULEFLOW_RATE_LIMIT_MAX: '1000000',
    SCHEDULEFLOW_TASK_TIMEOUT_MS: '120000',
    // No on-air tick behind a section's back (a rolling build would weigh on its figures); bench/rolling.ts ticks by hand.
    SCHEDULEFLOW_ON_AIR_TICK_MS: '0',
    ...env
  })
  const app = await buildApp({ config, logger: await createLogger(config, { stdout: false }), keyring: new Keyring(config.apiKeys) })
  // A bench's own routes, in the app with all its plugins (auth, limits, request ids, logs).
  routes?.(app, config)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const authorization = `Bearer ${BENCH_KEY}`
  return {
    app,
    config,
    url,
    dir,
    async post (path, body, contentType) {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization, 'content-type': contentType }, body })
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
      return res.json()
    },
    get: (path) => fetch(`${url}${path}`, { headers: { authorization } }),
    async close () {
      await app.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** One JSON call to the bench server as its admin; throws on an error status. */
export async function send<T> (server: BenchServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_KEY}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`)
  return res.json() as Promise<T>
}
