import t, { type Test } from 'tap'
import { lstatSync, readdirSync, rmSync, statSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { KEYS, startServer, waitFor, type RunningServer } from './helpers.js'
import { processesOfDataDir } from './workers.js'

// Over a real socket: what only a real server shows (Node's own refusals, timeouts,
// connections cut, file modes).

interface RawAnswer { status: number, headers: string, body: string, closed: boolean }

/** Sends `head` (and then `feed` while it returns data) on a raw socket; resolves once the server closes it or `untilMs` passes. */
async function rawExchange (
  url: string,
  head: string,
  { feed, everyMs = 50, untilMs = 20_000 }: { feed?: () => string | Buffer, everyMs?: number, untilMs?: number } = {}
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url)
  const socket: Socket = connect(Number(port), hostname)
  socket.on('error', () => {}) // writing into a socket the server cut off
  let received = ''
  let closed = false
  socket.on('data', (c: Buffer) => { received += c.toString('latin1') })
  socket.on('close', () => { closed = true })
  socket.write(head)
  const timer = feed === undefined ? undefined : setInterval(() => { if (!socket.destroyed && socket.writable) socket.write(feed()) }, everyMs)
  await waitFor(() => closed, untilMs, 25)
  clearInterval(timer)
  socket.destroy()
  const [headers = '', body = ''] = received.split('\r\n\r\n')
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0), headers, body, closed }
}

/**
 * Ends the server as a test's teardown does (SIGKILL, then its directory removed) and checks
 * that no process of its pool runs on: its workers are detached, so nothing but the pool's own
 * guards stops one, even one still booting when the server died.
 */
async function killAndCheckWorkers (t: Test, server: RunningServer): Promise<void> {
  const dataDir = join(server.dir, 'data')
  t.ok(processesOfDataDir(dataDir).length > 0, 'the server had worker processes')
  server.proc.kill('SIGKILL')
  rmSync(server.dir, { recursive: true, force: true })
  await waitFor(() => processesOfDataDir(dataDir).length === 0, 10_000)
  t.same(processesOfDataDir(dataDir), [], 'no worker of the server outlives it')
}

const errorShape = { status: 'error', code: /^[A-Z_]+$/, message: String, request_id: String }

t.test('431 and bad URL escapes answer in the error shape over a real socket', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `viewer:${KEYS.viewer}` })
  const huge = await rawExchange(server.url, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`)
  t.equal(huge.status, 431)
  t.match(JSON.parse(huge.body), { ...errorShape, code: 'HEADERS_TOO_LARGE' })

  for (const path of ['/api/schedules/%E0%A4%A', '/api/schedules/%ZZ', '/%']) {
    const bad = await rawExchange(server.url, `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEYS.viewer}\r\nConnection: close\r\n\r\n`)
    t.equal(bad.status, 400, path)
    t.match(JSON.parse(bad.body), { ...errorShape, code: 'BAD_URL' })
  }
  const garbage = await rawExchange(server.url, 'NOT HTTP AT ALL\r\n\r\n')
  t.equal(garbage.status, 400)
  t.match(JSON.parse(garbage.body), { ...errorShape, code: 'BAD_REQUEST' })
  await killAndCheckWorkers(t, server)
})

t.test('a slow body is cut off at the request timeout and holds no pool slot meanwhile', async (t) => {
  const server = await startServer(t, {
    SCHEDULEFLOW_API_KEYS: `operator:${KEYS.operator}`,
    SCHEDULEFLOW_REQUEST_TIMEOUT_MS: '2000',
    SCHEDULEFLOW_TASK_TIMEOUT_MS: '6000',
    SCHEDULEFLOW_KILL_GRACE_MS: '500',
    SCHEDULEFLOW_CONNECTION_TIMEOUT_MS: '20000'
  })
  let busy = 0
  let polls = 0
  const poller = setInterval(() => {
    fetch(`${server.url}/api/queue-stats`).then(async (r) => {
      const stats = await r.json() as { active: number, queued: number }
      polls++
      busy = Math.max(busy, stats.active + stats.queued)
    }, () => {})
  }, 200)
  t.teardown(() => clearInterval(poller))

  // An authorized import whose body trickles in, a byte every 100 ms, never finishing.
  const slow = await rawExchange(server.url,
    `POST /api/schedules/import?format=json HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEYS.operator}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"schedule":[`,
    { feed: () => ' ', everyMs: 100, untilMs: 20_000 })
  clearInterval(poller)
  t.ok(slow.closed, 'the server closed the connection')
  t.equal(slow.status, 408)
  t.match(JSON.parse(slow.body), { ...errorShape, code: 'REQUEST_TIMEOUT' })
  t.ok(polls > 3, 'queue-stats answered meanwhile')
  t.equal(busy, 0, 'no pool slot was taken or queued while the body trickled')

  // The timeout covers receiving the request, not the operation: a 3.5 s operation still answers.
  const res = await fetch(`${server.url}/api/_test/sleep`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: ['--ms', '3500'] }) })
  t.equal(res.status, 200, 'an operation longer than the request timeout is not cut')
  await killAndCheckWorkers(t, server)
})

t.test('an unauthorized upload is refused at the 401 and its connection closed, unread', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `operator:${KEYS.operator}` })
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  let sent = 0
  const refused = await rawExchange(server.url,
    'POST /api/schedules/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong-key-000000000000\r\nContent-Type: application/xml\r\nContent-Length: 50000000\r\n\r\n',
    { feed: () => { sent += chunk.length; return chunk }, everyMs: 20, untilMs: 15_000 })
  t.equal(refused.status, 401)
  t.match(refused.headers, /\r\nconnection: close/i)
  t.match(JSON.parse(refused.body), { ...errorShape, code: 'UNAUTHORIZED' })
  t.ok(refused.closed, 'the connection was closed while the client was still sending')
  t.ok(sent < 50_000_000, `the body was not read to its end (${sent} of 50000000 bytes sent)`)
  await killAndCheckWorkers(t, server)
})

t.test('the database, its -wal and -shm, and the log files are created 0600', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `operator:${KEYS.operator}` })
  const put = await fetch(`${server.url}/api/playlists/import`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.operator}`, 'content-type': 'audio/x-mpegurl' }, body: '#EXTM3U\n#EXTINF:60,One\nhttp://example.com/1.mp4\n' })
  t.equal(put.status, 201, 'a write went through')
  const data = join(server.dir, 'data')
  for (const name of ['scheduleflow.db', 'scheduleflow.db-wal', 'scheduleflow.db-shm']) {
    t.equal((statSync(join(data, name)).mode & 0o777).toString(8), '600', `${name} is 0600`)
  }
  const logs = join(server.dir, 'logs')
  const files = readdirSync(logs).filter((f) => !lstatSync(join(logs, f)).isSymbolicLink())
  t.ok(files.length > 0, 'a log file was written')
  for (const name of files) t.equal((statSync(join(logs, name)).mode & 0o777).toString(8), '600', `logs/${name} is 0600`)
  await killAndCheckWorkers(t, server)
})

t.test('a server killed while its pool starts a replacement leaves no worker behind', async (t) => {
  // One operation per process: every answer has a replacement start, so the kill right after
  // an answer finds a worker still booting (no code of its own running yet).
  const server = await startServer(t, { SCHEDULEFLOW_WORKER_MAX_TASKS: '1', SCHEDULEFLOW_POOL_SIZE: '4' })
  const answers = await Promise.all([0, 1, 2].map(async () => (await fetch(`${server.url}/api/_test/sleep`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: ['--ms', '1'] }) })).status))
  t.same(answers, [200, 200, 200], 'the operations answered')
  await killAndCheckWorkers(t, server)
})
