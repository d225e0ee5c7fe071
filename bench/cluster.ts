import { spawn, type ChildProcess } from 'node:child_process'
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { projectRoot } from '../workers/project.js'
import { freePort, tempDir, waitFor, type Lifetime } from './processes.js'

// Real ScheduleFlow instances (`node dist/server.js`) behind the real nginx running
// deploy/nginx/scheduleflow.conf, on loopback ports, everything in temporary directories:
// the service as deploy/compose.yaml runs it. test/cluster.ts adds a database and Redis for
// the multi-instance suite; bench/scale-out.ts measures one instance against three.

/** deploy/nginx: the server block and the upstream list compose mounts into nginx. */
export const DEPLOY_NGINX = join(projectRoot, 'deploy', 'nginx')

/** Run in reverse order when the cluster's lifetime ends. */
export type Stop = () => Promise<void>

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

/**
 * `node dist/server.js` on a free loopback port, behind nginx (SCHEDULEFLOW_TRUST_PROXY), with
 * the test commands on, once it answers /api/health. `env` names its storage, Redis and keys.
 */
export async function startInstance (life: Lifetime, id: string, env: Record<string, string>, stops: Stop[]): Promise<ClusterInstance> {
  const port = await freePort()
  const proc = spawn(process.execPath, [join(projectRoot, 'dist', 'server.js')], {
    cwd: tempDir(life, 'scheduleflow-instance-'), // no .env of the checkout's
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      SCHEDULEFLOW_INSTANCE_ID: id,
      SCHEDULEFLOW_TRUST_PROXY: '127.0.0.1', // nginx, as compose.yaml names it
      SCHEDULEFLOW_LOG_FILE: 'off', // its stdout is the log read here
      SCHEDULEFLOW_TEST_COMMANDS: 'true',
      SCHEDULEFLOW_SHUTDOWN_GRACE_MS: '3000',
      LOG_LEVEL: 'info',
      ...env
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
export function upstreamFor (ports: number[]): string {
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
export async function startNginx (life: Lifetime, bin: string, ports: number[], stops: Stop[]): Promise<{ url: string, log: () => string }> {
  const dir = tempDir(life, 'scheduleflow-nginx-')
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
