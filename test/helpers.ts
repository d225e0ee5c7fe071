import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../app.js'
import { loadConfig, type Config } from '../lib/config.js'
import { Keyring } from '../lib/api-keys.js'
import { createLogger } from '../lib/logger.js'

export const KEYS = {
  viewer: 'viewer-key-0123456789abcdef',
  operator: 'operator-key-0123456789abcdef',
  admin: 'admin-key-0123456789abcdef'
}
export const bearer = (role: keyof typeof KEYS): { authorization: string } => ({ authorization: `Bearer ${KEYS[role]}` })

export function tempDir (t: Test, prefix = 'scheduleflow-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A configuration from environment-style overrides, in a temporary data dir, with the test commands on. */
export function testConfig (t: Test, env: Record<string, string> = {}): Config {
  const dir = tempDir(t)
  return loadConfig({
    SCHEDULEFLOW_DATA_DIR: join(dir, 'data'),
    SCHEDULEFLOW_LOG_FILE: 'off', // logs are captured in memory here; test/server.test.ts reads a real log file
    SCHEDULEFLOW_API_KEYS: Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(','),
    SCHEDULEFLOW_TEST_COMMANDS: 'true',
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

/** The real app (real pool, real worker processes, real SQLite) with its logs captured. */
export async function buildTestApp (t: Test, env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(t, env)
  const logs = new LogCapture()
  const logger = await createLogger(config, { stdout: false, extra: [{ level: 'trace', stream: logs }] })
  const app = await buildApp({ config, logger, keyring: new Keyring(config.apiKeys) })
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

export async function waitFor (check: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 25): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, stepMs))
  }
  return check()
}
