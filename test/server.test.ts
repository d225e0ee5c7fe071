import t from 'tap'
import { readFileSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { once } from 'node:events'
import { isAlive, KEYS, startServer, waitFor } from './helpers.js'

async function call (url: string, init: RequestInit = {}): Promise<{ status: number, body: Record<string, unknown>, headers: Headers }> {
  const res = await fetch(url, init)
  return { status: res.status, body: await res.json() as Record<string, unknown>, headers: res.headers }
}

const sleepCall = (base: string, ms: number): Promise<{ status: number, body: Record<string, unknown> }> =>
  call(`${base}/api/_test/sleep`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: ['--ms', String(ms)] }) })

t.test('first start makes an admin key file (0600) and prints the panel link with it', async (t) => {
  const server = await startServer(t)
  const keyFile = join(server.dir, 'data', 'admin.key')
  t.equal(statSync(keyFile).mode & 0o777, 0o600)
  const key = readFileSync(keyFile, 'utf8').trim()
  await waitFor(() => server.stderr().includes('#key=')) // printed just after the listening line
  t.ok(server.stderr().includes(`${server.url}/#key=${key}`), 'the link carries the key')
  t.notOk(server.stdout().includes(key), 'the key is not in the JSON log on stdout')
  const res = await call(`${server.url}/api/_roles/admin`, { method: 'POST', headers: { authorization: `Bearer ${key}` } })
  t.equal(res.status, 200, 'the key works')

  server.proc.kill('SIGTERM')
  await once(server.proc, 'exit')
  const logged = readFileSync(join(server.dir, 'logs', 'scheduleflow.log'), 'utf8')
  t.match(logged, /"msg":"Server listening/, 'the log file has the lines too')
  t.notOk(logged.includes(key), 'and never the key')
})

t.test('the log file is the configured path: tailing it while the server runs shows a request\'s lines, its worker\'s too', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${KEYS.admin}`, SCHEDULEFLOW_LOG_FILE: './logs/x.log' })
  const logFile = join(server.dir, 'logs', 'x.log')
  t.equal(statSync(logFile).mode & 0o777, 0o600, 'created for the owner only')
  let seen = 0 // bytes already read, as `tail -f` would
  const lines: Record<string, unknown>[] = []
  const tail = (): void => {
    const text = readFileSync(logFile, 'utf8')
    const complete = text.slice(seen, text.lastIndexOf('\n') + 1)
    seen += Buffer.byteLength(complete)
    for (const line of complete.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>)
  }
  tail()
  const res = await fetch(`${server.url}/api/schedules`, { headers: { authorization: `Bearer ${KEYS.admin}`, 'x-request-id': 'tail-me-1' } })
  t.equal(res.status, 200)
  const seenLine = (match: (line: Record<string, unknown>) => boolean): Promise<boolean> => waitFor(() => { tail(); return lines.some(match) })
  t.ok(await seenLine((l) => l.reqId === 'tail-me-1' && l.source === 'worker'), 'the worker\'s line for the request is in the file while the server runs')
  t.ok(await seenLine((l) => l.reqId === 'tail-me-1' && l.msg === 'request completed'), 'and the API\'s own line')
  t.equal(server.proc.exitCode, null, 'the server is still running')
})

t.test('a bad configuration value stops the start, naming the variable', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_POOL_SIZE: 'lots' })
  const [code] = await (server.proc.exitCode !== null ? [server.proc.exitCode] : once(server.proc, 'exit'))
  t.equal(code, 78)
  t.match(server.stderr(), /SCHEDULEFLOW_POOL_SIZE/)
})

t.test('SIGTERM drains: the running call finishes, the queued one gets 503, exit 0', async (t) => {
  const server = await startServer(t, {
    SCHEDULEFLOW_API_KEYS: `admin:${KEYS.admin}`,
    SCHEDULEFLOW_POOL_SIZE: '1',
    SCHEDULEFLOW_SHUTDOWN_GRACE_MS: '5000'
  })
  const running = sleepCall(server.url, 3000)
  await waitFor(async () => (await call(`${server.url}/api/queue-stats`)).body.active === 1)
  const queued = sleepCall(server.url, 10)
  await waitFor(async () => (await call(`${server.url}/api/queue-stats`)).body.queued === 1)
  server.proc.kill('SIGTERM')
  const [exitCode] = await once(server.proc, 'exit')
  const [done, refused] = await Promise.all([running, queued])
  t.equal(done.status, 200, 'the running operation answered')
  t.equal(refused.status, 503, 'the queued one was refused')
  t.match(refused.body, { code: 'SHUTTING_DOWN' })
  t.equal(exitCode, 0)
})

t.test('SIGTERM drains long-lived workers, busy and idle: the running call answers, no worker outlives the server', async (t) => {
  const server = await startServer(t, {
    SCHEDULEFLOW_API_KEYS: `admin:${KEYS.admin}`,
    SCHEDULEFLOW_POOL_SIZE: '2',
    SCHEDULEFLOW_SHUTDOWN_GRACE_MS: '5000'
  })
  // Two calls at once: two workers, each of which then waits for its next call.
  const warm = await Promise.all([sleepCall(server.url, 300), sleepCall(server.url, 300)])
  const workers = warm.map((r) => (r.body as { pid: number }).pid)
  t.equal(new Set(workers).size, 2, 'two long-lived workers')
  const running = sleepCall(server.url, 2000)
  await waitFor(async () => (await call(`${server.url}/api/queue-stats`)).body.active === 1)
  t.ok(workers.every(isAlive), 'one is busy, the other idle, both alive')
  server.proc.kill('SIGTERM')
  const [exitCode] = await once(server.proc, 'exit')
  const done = await running
  t.equal(done.status, 200, 'the running operation answered')
  t.ok(workers.includes((done.body as { pid: number }).pid), 'in one of the long-lived workers')
  t.equal(exitCode, 0)
  t.ok(await waitFor(() => !workers.some(isAlive), 30_000), 'neither worker outlives the server')
})

t.test('a client that disconnects while queued costs no process', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${KEYS.admin}`, SCHEDULEFLOW_POOL_SIZE: '1', SCHEDULEFLOW_POOL_PRESPAWN: '0' })
  const stats = async (): Promise<{ queued: number, active: number, totals: Record<string, number> }> =>
    (await call(`${server.url}/api/queue-stats`)).body as never
  const processedBefore = (await stats()).totals.processed
  const running = sleepCall(server.url, 3000)
  await waitFor(async () => (await stats()).active === 1)

  const req = request(`${server.url}/api/_test/sleep`, { method: 'POST', headers: { 'content-type': 'application/json' } })
  req.on('error', () => {})
  req.end(JSON.stringify({ args: ['--ms', '10'] }))
  await waitFor(async () => (await stats()).queued === 1)
  req.destroy()
  t.ok(await waitFor(async () => (await stats()).queued === 0), 'the queued task was dropped')
  t.equal((await running).status, 200)
  const after = await stats()
  t.equal(after.totals.dropped, 1)
  // Counted in operations run, not processes started: a long-lived worker may have served the running call.
  t.equal(after.totals.processed - processedBefore, 1, 'only the running call ran')
})
