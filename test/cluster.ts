import { spawn, type ChildProcess } from 'node:child_process'
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import type { Test } from 'tap'
import { KEYS, tempDir, waitFor } from './helpers.js'
import { findBinary, findRedisServer, freePort, startRedis, type TestRedis } from './redis-server.js'
import { projectRoot } from '../workers/project.js'
import { storeQuery, testDatabaseUrl } from './test-database.js'

// Several real ScheduleFlow instances (`node dist/server.js`) on one database and one
// redis-server, behind the real nginx running deploy/nginx/scheduleflow.conf: the service
// as deploy/compose.yaml runs it, on loopback ports, everything in temporary directories.

/** deploy/nginx: the server block and the upstream list compose mounts into nginx. */
export const DEPLOY_NGINX = join(projectRoot, 'deploy', 'nginx')

export interface ClusterBinaries { redis: string, nginx: string }

/** redis-server and nginx, or why the multi-instance suite cannot run (its skip reason). */
export function findClusterBinaries (): ClusterBinaries | { missing: string } {
  const redis = findRedisServer()
  const nginx = findBinary('nginx', ['/usr/sbin']) // not on a non-root user's PATH on Debian
  if (redis !== null && nginx !== null) return { redis, nginx }
  const absent = [redis === null ? 'redis-server' : '', nginx === null ? 'nginx' : ''].filter(Boolean).join(' and ')
  return { missing: `the multi-instance suite (three instances behind nginx) is left out: ${absent} not found on PATH or in SCHEDULEFLOW_TEST_BIN_DIR; run apt-get install redis-server nginx-light to run it` }
}

/** The database every instance uses, and a read-only view of it for the test's checks. */
export interface ClusterStorage {
  /** postgres on the PostgreSQL pass of npm test, else sqlite in one shared data dir. */
  kind: 'sqlite' | 'postgres'
  /** Rows of a query written once for both databases (storeQuery). */
  query: <T = Record<string, unknown>>(text: string) => Promise<T[]>
}

export interface ClusterInstance {
  /** Its SCHEDULEFLOW_INSTANCE_ID. */
  id: string
  /** Straight to it, not through nginx. */
  url: string
  proc: ChildProcess
  /** What it has logged (JSON lines) and written on stderr. */
  output: () => string
  /** SIGKILL: the instance and its worker processes die without a word. */
  kill: () => Promise<void>
}

export interface Cluster {
  /** nginx: the service's one address. */
  url: string
  instances: ClusterInstance[]
  redis: TestRedis
  storage: ClusterStorage
  /** nginx's access log (the format of deploy/nginx/scheduleflow.conf). */
  accessLog: () => string
  /** The instances whose logs name this request id, once one does (none after `timeoutMs`). */
  servedBy: (requestId: string, timeoutMs?: number) => Promise<string[]>
}

export interface ClusterOptions {
  instances?: number
  /** Added to every instance's environment. */
  env?: Record<string, string>
}

/** Every key of test/helpers.ts, as all instances share them. */
export const CLUSTER_API_KEYS = Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',')

type Stop = () => Promise<void>

/**
 * Starts redis, the instances (each on its own port, all on one database), waits until each
 * answers /api/health, then starts nginx in front of them. Everything is stopped in teardown.
 */
export async function startCluster (t: Test, bins: ClusterBinaries, options: ClusterOptions = {}): Promise<Cluster> {
  const { storage, env: storageEnv } = await sharedStorage(t)
  const stops: Stop[] = []
  t.teardown(async () => { for (const stop of stops.reverse()) await stop() })

  const redis = await startRedis(t, bins.redis)
  const ids = Array.from({ length: options.instances ?? 3 }, (_, i) => `instance-${i + 1}`)
  const env = { ...storageEnv, REDIS_URL: redis.url, ...options.env }
  const instances = await Promise.all(ids.map((id) => startInstance(t, id, env, stops)))
  const nginx = await startNginx(t, bins.nginx, instances.map((i) => Number(new URL(i.url).port)), stops)

  const servedBy = async (requestId: string, timeoutMs = 5000): Promise<string[]> => {
    const line = `"reqId":"${requestId}"`
    const which = (): string[] => instances.filter((i) => i.output().includes(line)).map((i) => i.id)
    await waitFor(() => which().length > 0, timeoutMs) // the log line may trail the answer
    return which()
  }
  return { url: nginx.url, instances, redis, storage, accessLog: nginx.log, servedBy }
}

/**
 * The pass's database (test/test-database.ts): on PostgreSQL a database of the test's own,
 * else one SQLite data dir that every instance opens. Called before anything that uses it
 * registers its teardown: the database is dropped after the instances are gone.
 */
async function sharedStorage (t: Test): Promise<{ storage: ClusterStorage, env: Record<string, string> }> {
  const dataDir = join(tempDir(t, 'scheduleflow-cluster-'), 'data')
  const databaseUrl = await testDatabaseUrl(t)
  const where = { dataDir, databaseUrl }
  return {
    storage: { kind: databaseUrl === null ? 'sqlite' : 'postgres', query: async (text) => storeQuery(where, text) },
    // The data dir on PostgreSQL too: what an instance keeps beside its database has somewhere to go.
    env: { SCHEDULEFLOW_DATA_DIR: dataDir, ...(databaseUrl !== null && { DATABASE_URL: databaseUrl }) }
  }
}

async function startInstance (t: Test, id: string, shared: Record<string, string>, stops: Stop[]): Promise<ClusterInstance> {
  const port = await freePort()
  const proc = spawn(process.execPath, [join(projectRoot, 'dist', 'server.js')], {
    cwd: tempDir(t, 'scheduleflow-instance-'), // no .env of the checkout's
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      SCHEDULEFLOW_INSTANCE_ID: id,
      SCHEDULEFLOW_API_KEYS: CLUSTER_API_KEYS,
      SCHEDULEFLOW_TRUST_PROXY: '127.0.0.1', // nginx, as compose.yaml names it
      SCHEDULEFLOW_LOG_FILE: 'off', // its stdout is the log read here
      SCHEDULEFLOW_TEST_COMMANDS: 'true',
      SCHEDULEFLOW_SHUTDOWN_GRACE_MS: '3000',
      LOG_LEVEL: 'info',
      ...shared
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString() })
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString() })
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  const gone = (): boolean => proc.exitCode !== null || proc.signalCode !== null
  const kill = async (): Promise<void> => {
    if (!gone()) proc.kill('SIGKILL')
    await exited
  }
  stops.push(async () => {
    if (gone()) return
    proc.kill('SIGTERM') // drains: its workers close their database connections
    if (!await waitFor(gone, 10_000)) await kill()
  })

  const url = `http://127.0.0.1:${port}`
  const healthy = async (): Promise<boolean> => {
    if (gone()) return true
    try { return (await fetch(`${url}/api/health`)).status === 200 } catch { return false }
  }
  if (!await waitFor(healthy, 60_000, 100) || gone()) throw new Error(`${id} did not become healthy:\n${out}`)
  return { id, url, proc, output: () => out, kill }
}

/** deploy/nginx/upstream.conf with its `server` lines replaced by these ports, every parameter kept. */
function upstreamFor (ports: number[]): string {
  const deployed = readFileSync(join(DEPLOY_NGINX, 'upstream.conf'), 'utf8')
  const serverLine = /^([ \t]*)server[ \t]+\S+?([ \t][^;]*)?;[^\n]*\n/gm
  const first = serverLine.exec(deployed)
  if (first === null) throw new Error('deploy/nginx/upstream.conf lists no server')
  const [, indent, params = ''] = first
  let written = false
  return deployed.replace(serverLine, () => {
    if (written) return ''
    written = true
    return ports.map((port) => `${indent}server 127.0.0.1:${port}${params};\n`).join('')
  })
}

/**
 * nginx in the foreground with its prefix, pid, logs and temporary files in a directory of its
 * own: the main configuration is the test's, the server block is deploy/nginx/scheduleflow.conf
 * with only its listen port and log path changed, the upstream list is upstreamFor(). Checked with
 * `nginx -t` first, so a broken deploy file fails with nginx's own message.
 */
async function startNginx (t: Test, bin: string, ports: number[], stops: Stop[]): Promise<{ url: string, log: () => string }> {
  const dir = tempDir(t, 'scheduleflow-nginx-')
  const temp = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => join(dir, 'temp', name))
  for (const path of temp) mkdirSync(path, { recursive: true })
  const port = await freePort()

  const accessLog = join(dir, 'access.log')
  const server = readFileSync(join(DEPLOY_NGINX, 'scheduleflow.conf'), 'utf8')
  writeFileSync(join(dir, 'scheduleflow.conf'), [
    [/^([ \t]*)listen[ \t]+[^;]+;/gm, `$1listen 127.0.0.1:${port};`] as const,
    [/^([ \t]*)access_log[ \t]+\S+/gm, `$1access_log ${accessLog}`] as const
  ].reduce((text, [directive, ours]) => {
    const found = text.match(directive)?.length ?? 0
    if (found !== 1) throw new Error(`deploy/nginx/scheduleflow.conf must have one ${directive.source} line, which the test adapts (found ${found})`)
    return text.replace(directive, ours)
  }, server))
  writeFileSync(join(dir, 'upstream.conf'), upstreamFor(ports))

  // As root, the master drops its worker to nobody (Debian's names), who must be able to
  // write the temporary files (bodies over client_body_buffer_size).
  const asRoot = process.getuid?.() === 0
  const conf = join(dir, 'nginx.conf')
  writeFileSync(conf, [
    'daemon off;',
    // One worker: one round-robin turn, so requests sent one after another go to the instances in turn.
    'worker_processes 1;',
    asRoot ? 'user nobody nogroup;' : '',
    `pid ${join(dir, 'nginx.pid')};`,
    'error_log stderr notice;',
    'events { worker_connections 1024; }',
    'http {',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind, i) => `  ${kind}_temp_path ${temp[i]};`),
    `  include ${join(dir, 'upstream.conf')};`,
    `  include ${join(dir, 'scheduleflow.conf')};`,
    '}'
  ].join('\n') + '\n')
  if (asRoot) for (const path of [dir, join(dir, 'temp'), ...temp]) chownSync(path, 65534, 65534)

  const run = (extra: string[]): ChildProcess => spawn(bin, [...extra, '-p', dir, '-c', conf, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] })
  const check = run(['-t'])
  let checked = ''
  check.stderr!.on('data', (c: Buffer) => { checked += c.toString() })
  const [status] = await once(check, 'exit') as [number | null]
  if (status !== 0) throw new Error(`nginx -t refused the configuration:\n${checked}`)

  const proc = run([])
  let errors = ''
  proc.stderr!.on('data', (c: Buffer) => { errors += c.toString() })
  const log = (): string => readFileSync(accessLog, 'utf8')
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  const gone = (): boolean => proc.exitCode !== null || proc.signalCode !== null
  stops.push(async () => {
    if (gone()) return
    proc.kill('SIGTERM') // the master stops its worker; a SIGKILL would leave the worker behind
    await exited
  })

  const url = `http://127.0.0.1:${port}`
  const up = async (): Promise<boolean> => {
    if (gone()) return true
    try { return (await fetch(`${url}/api/health`)).status === 200 } catch { return false }
  }
  if (!await waitFor(up, 20_000, 50) || gone()) throw new Error(`nginx did not start:\n${errors}`)
  return { url, log }
}
