import { mkdtempSync, rmSync, accessSync, constants } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

// What the tests and the benchmarks that start real processes (servers, nginx, redis) share.

/** Something that runs cleanups when it ends: a tap test, or a benchmark section. */
export interface Lifetime {
  teardown(cleanup: () => unknown): void
}

/** A fresh temporary directory, removed when `life` ends. */
export function tempDir (life: Lifetime, prefix = 'scheduleflow-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  life.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Whether `check` came true within `timeoutMs`, asked every `stepMs`. */
export async function waitFor (check: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 25): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, stepMs))
  }
  return check()
}

/** A program from SCHEDULEFLOW_TEST_BIN_DIR, else from PATH, else from `fallbackDirs`; null when none has it. */
export function findBinary (name: string, fallbackDirs: string[] = []): string | null {
  const dirs = [process.env.SCHEDULEFLOW_TEST_BIN_DIR, ...(process.env.PATH ?? '').split(delimiter), ...fallbackDirs]
  for (const dir of dirs) {
    if (dir === undefined || dir === '') continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch { /* not here */ }
  }
  return null
}

/** A loopback port nothing listens on (just now). */
export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
