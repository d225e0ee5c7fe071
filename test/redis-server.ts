import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { findBinary, freePort, tempDir, waitFor } from '../bench/processes.js'

export { findBinary, freePort }

/** Why a Redis suite did not run, and how to run it: printed as the skip reason. */
export const REDIS_MISSING = 'redis-server not found on PATH or in SCHEDULEFLOW_TEST_BIN_DIR: the shared rate-limit tests (two instances on one Redis) are left out; install it (apt-get install redis-server) or point SCHEDULEFLOW_TEST_BIN_DIR at a directory holding it to run them'

/** `redis-server` from SCHEDULEFLOW_TEST_BIN_DIR, else from PATH; null when neither has it. */
export const findRedisServer = (): string | null => findBinary('redis-server')

export interface TestRedis {
  /** redis://:<password>@127.0.0.1:<port>: a password, so tests can check it is never logged. */
  url: string
  password: string
  /** SIGKILL: gone at once, as a crashed or unplugged Redis is. */
  kill: () => Promise<void>
  /** Starts it again on the same port, empty (nothing is saved). */
  restart: () => Promise<void>
}

/**
 * A real redis-server on a free loopback port, its configuration and files in a temporary
 * directory (no snapshots, no append-only file), stopped in teardown.
 */
export async function startRedis (t: Test, bin: string): Promise<TestRedis> {
  const dir = tempDir(t, 'scheduleflow-redis-')
  const port = await freePort()
  const password = 'redis-secret-4f9a1c'
  const conf = join(dir, 'redis.conf')
  writeFileSync(conf, [
    'bind 127.0.0.1',
    `port ${port}`,
    `dir ${dir}`,
    'daemonize no',
    'save ""',
    'appendonly no',
    `requirepass ${password}`,
    'logfile ""'
  ].join('\n') + '\n')

  let proc: ChildProcess | null = null
  const start = async (): Promise<void> => {
    const child = spawn(bin, [conf], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (c: Buffer) => { out += c.toString() })
    child.stderr!.on('data', (c: Buffer) => { out += c.toString() })
    proc = child
    const ready = await waitFor(() => out.includes('Ready to accept connections') || child.exitCode !== null, 20_000)
    if (!ready || child.exitCode !== null) throw new Error(`redis-server did not start:\n${out}`)
  }
  const kill = async (): Promise<void> => {
    const child = proc
    if (child === null || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
  t.teardown(kill)
  await start()
  return { url: `redis://:${password}@127.0.0.1:${port}`, password, kill, restart: start }
}
