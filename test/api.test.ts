import t from 'tap'
import { KEYS, bearer, buildTestApp, isAlive, waitFor } from './helpers.js'
import { storageKind } from './test-database.js'
import { SCHEMA_VERSION } from '../workers/storage/migrations/index.js'

t.test('health, queue-stats and system-info answer their documented shapes', async (t) => {
  const { app } = await buildTestApp(t)
  const health = await app.inject('/api/health')
  t.equal(health.statusCode, 200)
  t.match(health.json(), { status: 'healthy', uptime_ms: Number, process_pool: { active: 0, max: 4, queued: 0, max_queue: 100, utilization_percent: 0 }, storage: { kind: storageKind, ok: true } })
  t.same(health.json().rate_limits, { counted: 'per-instance', redis: null }, 'without REDIS_URL limits are counted by this instance alone')
  t.match(health.json().instance, /^.+:\d+$/, 'the instance is named <hostname>:<port>')

  const info = await app.inject('/api/system-info')
  t.equal(info.statusCode, 200)
  t.match(info.json(), { version: '0.1.0', node: process.version, storage: { kind: storageKind, schema_version: SCHEMA_VERSION }, counts: { schedules: 0, events: 0 } })

  const stats = (await app.inject('/api/queue-stats')).json()
  t.match(
    stats,
    {
      instance: health.json().instance,
      active: 0,
      max_concurrency: 4,
      max_queue: 100,
      totals: { succeeded: Number, errors: 0 },
      latency_ms: { p50: Number, p95: Number, p99: Number }
    }
  )
  t.ok(stats.totals.succeeded >= 2, 'the start-up migration and system-info both ran through the pool')
})

t.test('X-Request-Id is echoed, reaches the worker log lines, and a bad one is replaced', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const res = await app.inject({ method: 'POST', url: '/api/_test/echo', headers: { 'x-request-id': 'trace-abc.123:x' }, payload: { input: 'hello' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['x-request-id'], 'trace-abc.123:x')
  const workerLines = logs.forRequest('trace-abc.123:x').filter((l) => l.source === 'worker')
  t.ok(workerLines.some((l) => l.msg === 'echo called' && l.level === 40 && typeof l.worker_pid === 'number'), 'the worker line is a line of the request')

  for (const bad of ['has space', 'x'.repeat(129), 'semi;colon']) {
    const replaced = await app.inject({ url: '/api/health', headers: { 'x-request-id': bad } })
    t.not(replaced.headers['x-request-id'], bad)
    t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  }
})

t.test('roles: 401 without a valid key, 403 below the role, keys never logged', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const anonymous = await app.inject({ method: 'POST', url: '/api/_roles/operator' })
  t.equal(anonymous.statusCode, 401)
  t.match(anonymous.json(), { status: 'error', code: 'UNAUTHORIZED', request_id: String })
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/operator', headers: { authorization: 'Bearer wrong-key-0000000000000' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/operator', headers: bearer('viewer') })).statusCode, 403)
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/operator', headers: bearer('operator') })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/admin', headers: bearer('operator') })).statusCode, 403)
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/admin', headers: bearer('admin') })).statusCode, 200)

  const all = logs.raw.join('\n')
  for (const key of Object.values(KEYS)) t.notOk(all.includes(key), 'no key in the log')
  t.notOk(all.includes('wrong-key'), 'not even a wrong one')
})

t.test('anonymous reads only when configured', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_ANONYMOUS_READ: 'true' })
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/viewer' })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/operator' })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/viewer', headers: { authorization: 'Bearer not-a-key-000000000' } })).statusCode, 401, 'a wrong key is still refused')
})

t.test('rate limits are per key: one key gets 429 while another still passes', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_RATE_LIMIT_MAX: '3' })
  const call = (headers: Record<string, string>) => app.inject({ url: '/api/_roles/viewer', method: 'POST', headers })
  for (let i = 0; i < 3; i++) t.equal((await call(bearer('viewer'))).statusCode, 200)
  const limited = await call(bearer('viewer'))
  t.equal(limited.statusCode, 429)
  t.ok(Number(limited.headers['retry-after']) > 0, 'with retry-after')
  t.match(limited.json(), { status: 'error', code: 'RATE_LIMITED' })
  t.equal((await call(bearer('operator'))).statusCode, 200, 'another key still passes')
  t.equal((await app.inject('/api/health')).statusCode, 200, 'health is never limited')
  for (let i = 0; i < 5; i++) t.equal((await app.inject('/api/health')).statusCode, 200)
})

t.test('a full queue answers 503 with Retry-After, and health says degraded', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_POOL_SIZE: '1', SCHEDULEFLOW_POOL_PRESPAWN: '0', SCHEDULEFLOW_MAX_QUEUE: '1' })
  const sleep = (ms: number) => app.inject({ method: 'POST', url: '/api/_test/sleep', payload: { args: ['--ms', String(ms)] } })
  const running = sleep(2500)
  await waitFor(() => app.pool.stats().active === 1)
  const queued = sleep(10)
  await waitFor(() => app.pool.stats().queued === 1)
  const refused = await sleep(10)
  t.equal(refused.statusCode, 503)
  t.equal(refused.headers['retry-after'], '2')
  t.match(refused.json(), { status: 'error', code: 'QUEUE_FULL' })
  const health = await app.inject('/api/health')
  t.equal(health.statusCode, 503)
  t.match(health.json(), { status: 'degraded', reasons: ['process pool queue is full'] })
  t.equal((await running).statusCode, 200)
  t.equal((await queued).statusCode, 200)
})

t.test('a hung worker is a 504 and leaves no process; a crash is a 502 and the next call works', async (t) => {
  const { app, logs } = await buildTestApp(t, { SCHEDULEFLOW_TASK_TIMEOUT_MS: '3000', SCHEDULEFLOW_KILL_GRACE_MS: '300', SCHEDULEFLOW_MAX_OUTPUT_BYTES: String(4 << 20) })
  const hung = await app.inject({ method: 'POST', url: '/api/_test/hang', payload: {} })
  t.equal(hung.statusCode, 504)
  t.match(hung.json(), { status: 'error', code: 'WORKER_TIMEOUT', request_id: hung.headers['x-request-id'] })
  const hangLine = logs.forRequest(String(hung.headers['x-request-id'])).find((l) => typeof l.grandchild_pid === 'number')
  const grandchild = hangLine?.grandchild_pid as number
  const worker = hangLine?.worker_pid as number
  t.ok(grandchild > 0 && worker > 0)
  t.ok(await waitFor(() => !isAlive(grandchild) && !isAlive(worker), 30_000), 'the worker and its grandchild were both killed: no process left')

  const crashed = await app.inject({ method: 'POST', url: '/api/_test/crash', payload: {} })
  t.equal(crashed.statusCode, 502)
  t.match(crashed.json(), { status: 'error', code: 'WORKER_CRASHED' })
  t.notMatch(crashed.body, /\/work|\/tmp|at .*\.js/, 'no stack or server path in the answer')
  t.equal((await app.inject('/api/system-info')).statusCode, 200)

  const flood = await app.inject({ method: 'POST', url: '/api/_test/flood', payload: {} })
  t.equal(flood.statusCode, 502)
  t.match(flood.json(), { code: 'OUTPUT_TOO_LARGE' })
})

t.test('bad requests get the error shape with the right status', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_MAX_JSON_BYTES: '2048' })
  const badJson = await app.inject({ method: 'POST', url: '/api/_test/echo', headers: { 'content-type': 'application/json' }, payload: '{"input": ' })
  t.equal(badJson.statusCode, 400)
  t.match(badJson.json(), { status: 'error', code: 'INVALID_JSON', request_id: String })
  const wrongShape = await app.inject({ method: 'POST', url: '/api/_test/echo', payload: { args: 'not-a-list' } })
  t.equal(wrongShape.statusCode, 400)
  t.match(wrongShape.json(), { code: 'BAD_REQUEST', errors: [{ field: 'args' }] })
  const huge = await app.inject({ method: 'POST', url: '/api/_test/echo', payload: { input: 'x'.repeat(4096) } })
  t.equal(huge.statusCode, 413)
  t.match(huge.json(), { code: 'PAYLOAD_TOO_LARGE' })
  const missing = await app.inject('/api/nothing-here')
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { status: 'error', code: 'NOT_FOUND' })
  const unknownCommand = await app.inject({ method: 'POST', url: '/api/_test/nosuch', payload: {} })
  t.equal(unknownCommand.statusCode, 400, 'a worker exit 2 is a 400')
  t.match(unknownCommand.json(), { code: 'UNKNOWN_COMMAND' })
})

t.test('security headers, docs and metrics', async (t) => {
  const { app } = await buildTestApp(t)
  const page = await app.inject('/')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.headers['content-security-policy'], /default-src 'self'/)
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.notOk(page.headers['access-control-allow-origin'], 'CORS closed by default')
  t.equal((await app.inject('/docs')).statusCode, 200)
  const spec = (await app.inject('/docs/json')).json()
  t.ok(spec.paths['/api/health'] && spec.paths['/api/system-info'], 'routes are documented')
  await app.inject('/api/system-info')
  const metrics = await app.inject('/metrics')
  t.match(metrics.headers['content-type'], /text\/plain/)
  t.match(metrics.body, /scheduleflow_pool_tasks_total\{outcome="succeeded",instance_id="[^"]+"\} \d+/)
  t.match(metrics.body, new RegExp(`scheduleflow_storage_up\\{kind="${storageKind}",instance_id="[^"]+"\\} 1`), 'metrics name the storage in use and say it answers')
  t.match(metrics.body, /scheduleflow_http_request_duration_seconds_count\{instance_id="[^"]+",method="GET",route="\/api\/system-info",status_code="200"\} 1/)
})

t.test('CORS opens only to the configured origins', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_CORS_ORIGINS: 'https://panel.example' })
  const allowed = await app.inject({ url: '/api/health', headers: { origin: 'https://panel.example' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://panel.example')
  const other = await app.inject({ url: '/api/health', headers: { origin: 'https://evil.example' } })
  t.notOk(other.headers['access-control-allow-origin'])
})
