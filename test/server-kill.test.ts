import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'node:http'
import { bearer, isAlive, KEYS, startServer, waitFor } from './helpers.js'
import { bigM3u, childPids, storedPlaylists } from './workers.js'

// Many real processes (servers, workers, the CLI by hand): more than the default 120 s on a loaded machine.
t.setTimeout(300_000)

// The real server, SIGKILLed: nothing may run on after it (its workers are detached,
// so nothing else stops them), and nothing half-received may be stored.

const API_KEYS = Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',')

/** Bytes a process has read so far (Linux /proc: pipes included). */
function bytesRead (pid: number): number {
  try {
    return Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** Running: alive and not a zombie (a process killed waits as one until init reaps it, which may take a second here). */
function running (pid: number): boolean {
  try {
    return isAlive(pid) && readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z'
  } catch {
    return false
  }
}

/** POSTs without waiting for the answer (the server dies first). */
function post (url: string, body: Buffer | string, headers: Record<string, string>): void {
  const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } })
  req.on('error', () => {}) // the server is killed under it
  req.end(body)
}

t.test('kill -9 of the server while a worker hangs: the worker and its grandchild are gone within seconds', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: API_KEYS, SCHEDULEFLOW_TASK_TIMEOUT_MS: '600000' })
  post(`${server.url}/api/_test/hang`, '{}', { 'content-type': 'application/json' })
  t.ok(await waitFor(() => /"grandchild_pid":\d+/.test(server.stdout()), 20_000), 'the worker started its grandchild')
  const grandchild = Number(/"grandchild_pid":(\d+)/.exec(server.stdout())![1])
  const workers = childPids(server.proc.pid!)
  t.ok(workers.length >= 1, `the server had worker processes (${workers.join(', ')})`)
  server.proc.kill('SIGKILL')
  t.ok(await waitFor(() => [...workers, grandchild].every((pid) => !isAlive(pid)), 5000),
    'every worker (busy or waiting) and the grandchild are gone within 5 s')
})

t.test('kill -9 of the server during a long synchronous operation: the worker is gone within about a second and commits nothing', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: API_KEYS, SCHEDULEFLOW_TASK_TIMEOUT_MS: '600000' })
  // test:spin holds its event loop for 60 s (as a long build does), then would store the playlist.
  post(`${server.url}/api/_test/spin`, JSON.stringify({ args: ['--ms', '60000', '--name', 'after-death'], input: bigM3u(3).toString() }), { 'content-type': 'application/json' })
  t.ok(await waitFor(() => /"msg":"spinning"/.test(server.stdout()), 20_000), 'the worker holds its event loop')
  const workers = childPids(server.proc.pid!)
  t.ok(workers.length >= 1, `the server had worker processes (${workers.join(', ')})`)
  server.proc.kill('SIGKILL')
  const killedAt = Date.now()
  // Issue 21 item 6: within a second; polled up to 3 s for a loaded machine's slack.
  t.ok(await waitFor(() => workers.every((pid) => !running(pid)), 3000, 20), 'every worker has stopped within 3 s, though one is in the middle of 60 s of synchronous work')
  t.comment(`workers stopped ${Date.now() - killedAt} ms after the server was killed`)
  t.same(await storedPlaylists({ dataDir: join(server.dir, 'data'), databaseUrl: server.databaseUrl }), [], 'nothing committed after the server died')
})

t.test('kill -9 of the server while a worker receives a large M3U: never a partial playlist', async (t) => {
  const ITEMS = 20_000
  const m3u = bigM3u(ITEMS, 1000) // about 20 MB
  // Kill when the worker has read this share of the body (1 = all of it: while it parses
  // or stores), and once a little after it has all of it.
  const moments = [0.02, 0.5, 0.9, 1, 1.0001]
  let killedMidInput = 0
  for (const share of moments) {
    const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: API_KEYS, SCHEDULEFLOW_POOL_PRESPAWN: '1' })
    // Long-lived workers: the one that ran the start-up migration waits too. The import
    // goes to one of those waiting; which one is the pool's business, so all are watched.
    t.ok(await waitFor(() => childPids(server.proc.pid!).length >= 1), 'a worker waits for the import')
    const workers = childPids(server.proc.pid!)
    const before = new Map(workers.map((pid) => [pid, bytesRead(pid)]))
    const received = (): number => Math.max(...workers.map((pid) => bytesRead(pid) - before.get(pid)!))
    post(`${server.url}/api/playlists/import?name=big`, m3u, { ...bearer('operator'), 'content-type': 'audio/x-mpegurl' })
    const target = Math.floor(m3u.length * Math.min(share, 1))
    await waitFor(() => received() >= target || !workers.every(isAlive), 60_000, 1)
    if (share > 1) await new Promise((resolve) => setTimeout(resolve, 150))
    const read = received()
    server.proc.kill('SIGKILL')
    if (read < m3u.length) killedMidInput++
    t.ok(await waitFor(() => workers.every((pid) => !isAlive(pid)), 30_000), `killed at ${read} of ${m3u.length} bytes read: every worker ends`)
    const stored = await storedPlaylists({ dataDir: join(server.dir, 'data'), databaseUrl: server.databaseUrl })
    t.ok(stored.length <= 1, 'at most the one playlist')
    for (const p of stored) t.match(p, { name: 'big', item_count: ITEMS, items: ITEMS }, `killed at ${read} bytes: the stored playlist is whole`)
    t.comment(`killed at ${read} of ${m3u.length} bytes read: ${stored.length === 0 ? 'nothing stored' : `stored ${stored[0].items} items`}`)
  }
  t.ok(killedMidInput >= 2, `several kills landed while the worker was still receiving (${killedMidInput})`)
})
