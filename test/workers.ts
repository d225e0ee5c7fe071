import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { ProcessPool, type ProcessPoolOptions } from '../lib/pool/process-pool.js'
import type { TestSleepAnswer } from '../contract/api.js'
import { cliEntry } from '../workers/project.js'
import type { TaskHeader } from '../workers/protocol.js'
import { DB_FILE_NAME } from '../workers/storage/sqlite.js'
import { tempDir } from './helpers.js'
import { storeQuery, type StoreLocation } from './test-database.js'
import { childEnv } from './helpers.js'

// Real worker processes and the real database file, for the pool and fault tests.

/** A real pool of `m3upro --pooled` processes on a temporary data dir, drained at the end of the test. */
export function testPool (t: Test, options: Partial<ProcessPoolOptions> = {}): ProcessPool {
  const pool = new ProcessPool({
    entry: cliEntry,
    size: 2,
    prespawn: 1,
    maxQueue: 10,
    timeoutMs: 10_000,
    killGraceMs: 500,
    maxOutputBytes: 1 << 20,
    maxQueuedPerOwner: 4,
    env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: join(tempDir(t), 'data'), SCHEDULEFLOW_TEST_COMMANDS: 'true' },
    ...options
  })
  t.teardown(() => pool.drain(0))
  return pool
}

export type SleepResult = TestSleepAnswer

export interface CliRun { code: number | null, stdout: string, stderr: string }

/** The compiled m3upro run once by hand, as a user runs it (stdin and stdout are pipes). */
export function runM3upro (dataDir: string, args: string[], input = '', env: Record<string, string> = {}): CliRun {
  const res = spawnSync(process.execPath, [cliEntry, ...args], { input, env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: dataDir, ...env }, encoding: 'utf8' })
  return { code: res.status, stdout: res.stdout, stderr: res.stderr }
}

export interface PooledWorker {
  pid: number
  dataDir: string
  /** Writes one task frame: the header line, then the input (which may be shorter than announced). */
  send(header: TaskHeader, input?: string | Buffer): void
  closeStdin(): void
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  stdout(): string
  stderr(): string
}

/** `m3upro --pooled` as the pool starts it: detached (its own process group), stdin left open. */
export function startPooled (t: Test, env: Record<string, string> = {}): PooledWorker {
  const dataDir = join(tempDir(t), 'data')
  const child = spawn(process.execPath, [cliEntry, '--pooled'], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: dataDir, SCHEDULEFLOW_TEST_COMMANDS: 'true', ...env }
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => { out += c.toString() })
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  child.stdin.on('error', () => {})
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })))
  t.teardown(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} })
  return {
    pid: child.pid!,
    dataDir,
    send (header, input = '') {
      child.stdin.write(JSON.stringify(header) + '\n')
      child.stdin.write(input)
    },
    closeStdin: () => child.stdin.end(),
    exited,
    stdout: () => out,
    stderr: () => err
  }
}

export interface StoredPlaylist { id: string, name: string, item_count: number, items: number }

/** The playlists in a database (a data dir's SQLite file, or config.databaseUrl), read as the next start of the service would. */
export async function storedPlaylists (where: StoreLocation | string): Promise<StoredPlaylist[]> {
  const location = typeof where === 'string' ? { dataDir: where, databaseUrl: null } : where
  if (location.databaseUrl === null && !existsSync(join(location.dataDir, DB_FILE_NAME))) return []
  // A worker killed while it migrated a new SQLite file (its open is async, and a task may start
  // meanwhile) leaves the file with no tables yet: nothing stored, as the next start would find.
  if (location.databaseUrl === null && (await storeQuery(location, "SELECT name FROM sqlite_master WHERE name = 'playlists'")).length === 0) return []
  return storeQuery<StoredPlaylist>(location, 'SELECT p.id, p.name, p.item_count, (SELECT count(*) FROM playlist_items i WHERE i.playlist_id = p.id) AS items FROM playlists p')
}

/** An extended M3U of `items` entries, each padded to about `itemBytes`. */
export function bigM3u (items: number, itemBytes = 200): Buffer {
  const lines = ['#EXTM3U']
  const pad = 'x'.repeat(Math.max(0, itemBytes - 80))
  for (let i = 0; i < items; i++) lines.push(`#EXTINF:1800 group-title="Films",Film ${i} ${pad}`, `http://media.example/films/${i}.mp4`)
  return Buffer.from(lines.join('\n') + '\n')
}

/** The pids whose parent is `pid` (Linux /proc). */
/**
 * Processes started for a data dir (pooled workers and what they started, which inherit their
 * environment), found by their environment: a worker re-parented when its server died is still
 * found. A zombie's environment reads empty, so only running ones are listed.
 */
export function processesOfDataDir (dataDir: string): number[] {
  const mark = `\0SCHEDULEFLOW_DATA_DIR=${dataDir}\0`
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`.includes(mark)) found.push(Number(entry))
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found
}

export function childPids (pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // "pid (comm) state ppid …": comm may hold spaces, so read after its closing paren.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return children
}
