import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../app.js'
import { loadConfig, type Config } from '../lib/config.js'
import { loadKeys } from '../lib/api-keys.js'
import { createLogger } from '../lib/logger.js'
import { projectRoot } from '../workers/project.js'
import { testDatabaseEnv } from './test-database.js'
import { tempDir, waitFor } from '../bench/processes.js'

export { tempDir, waitFor }

/**
 * What a test's child process (a server, the CLI) starts with: PATH, and the coverage folder
 * when `npm test` collects coverage (c8 sets NODE_V8_COVERAGE), so their code is counted too.
 */
// Playlists here name https://cdn.example/… items: no worker probes a host that is not there (a test that probes serves its own).
export const childEnv: Record<string, string | undefined> = { PATH: process.env.PATH, NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE, SCHEDULEFLOW_PROBE_REMOTE: 'false' }

export const KEYS = {
  viewer: 'viewer-key-0123456789abcdef',
  operator: 'operator-key-0123456789abcdef',
  admin: 'admin-key-0123456789abcdef'
}
export const bearer = (role: keyof typeof KEYS): { authorization: string } => ({ authorization: `Bearer ${KEYS[role]}` })

/** A configuration from environment-style overrides, in a temporary data dir, with the test commands on. */
export function testConfig (t: Test, env: Record<string, string> = {}): Config {
  const dir = tempDir(t)
  return loadConfig({
    SCHEDULEFLOW_DATA_DIR: join(dir, 'data'),
    SCHEDULEFLOW_LOG_FILE: 'off', // logs are captured in memory here; test/server.test.ts reads a real log file
    SCHEDULEFLOW_API_KEYS: Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(','),
    SCHEDULEFLOW_TEST_COMMANDS: 'true',
    // The on-air scheduler ticks only when a test asks (POST /api/_tick): no rolling build behind a test's back.
    SCHEDULEFLOW_ON_AIR_TICK_MS: '0',
    SCHEDULEFLOW_PROBE_REMOTE: childEnv.SCHEDULEFLOW_PROBE_REMOTE!,
    LOG_LEVEL: 'debug',
    ...env
  })
}

/** Every JSON log line the app wrote, as the log file also receives them. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = []
  readonly raw: string[] = []
  _write (chunk: Buffer, _enc: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue
      this.raw.push(line)
      this.lines.push(JSON.parse(line) as Record<string, unknown>)
    }
    done()
  }

  forRequest (reqId: string): Record<string, unknown>[] {
    return this.lines.filter((l) => l.reqId === reqId)
  }
}

export interface TestApp {
  app: FastifyInstance
  config: Config
  logs: LogCapture
}

/**
 * The real app (real pool, real worker processes, real SQLite) with its logs captured; on the
 * PostgreSQL pass of `npm test`, a fresh PostgreSQL database of its own instead of SQLite. Keys as
 * server.ts loads them: with `SCHEDULEFLOW_API_KEYS: ''`, the admin key made at first start (data/admin.key).
 */
export async function buildTestApp (t: Test, env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(t, { ...await testDatabaseEnv(t), ...env })
  const logs = new LogCapture()
  const logger = await createLogger(config, { stdout: false, extra: [{ level: 'trace', stream: logs }] })
  const app = await buildApp({ config, logger, keyring: loadKeys(config).keyring })
  t.teardown(() => app.close())
  await app.ready()
  return { app, config, logs }
}

export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export interface RunningServer {
  proc: ChildProcess
  url: string
  stdout: () => string
  stderr: () => string
  /** The working directory: data/ and logs/ are under it unless env says otherwise. */
  dir: string
  /** Its DATABASE_URL (the PostgreSQL pass), or null: SQLite under dir/data. */
  databaseUrl: string | null
}

/**
 * `node dist/server.js` as a user starts it, on a free port, in a temporary directory (on the
 * PostgreSQL pass, with a fresh database of its own).
 */
export async function startServer (t: Test, env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = tempDir(t)
  const database = await testDatabaseEnv(t)
  const proc = spawn(process.execPath, [join(projectRoot, 'dist', 'server.js')], {
    cwd: dir,
    env: { ...childEnv, PORT: '0', SCHEDULEFLOW_TEST_COMMANDS: 'true', SCHEDULEFLOW_ON_AIR_TICK_MS: '0', ...database, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString() })
  proc.stderr!.on('data', (c: Buffer) => { err += c.toString() })
  t.teardown(() => { if (proc.exitCode === null) proc.kill('SIGKILL') })
  await waitFor(() => /Server listening at http:\/\/127\.0\.0\.1:\d+/.test(out) || proc.exitCode !== null, 60_000) // a loaded machine starts Node slowly: waited for, not timed
  const port = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]
  return { proc, url: `http://127.0.0.1:${port ?? 0}`, stdout: () => out, stderr: () => err, dir, databaseUrl: env.DATABASE_URL ?? database.DATABASE_URL ?? null }
}
