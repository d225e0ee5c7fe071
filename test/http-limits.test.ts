import t from 'tap'
import { KEYS, bearer, buildTestApp } from './helpers.js'

t.test('failed authentications are limited per address; a valid key keeps working', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_AUTH_FAILURE_MAX: '5' })
  const call = (headers: Record<string, string>, remoteAddress = '203.0.113.7', url = '/api/_roles/operator') =>
    app.inject({ method: 'POST', url, headers, remoteAddress })

  // Many wrong keys from one address: the first five are 401, then 429 with retry-after.
  const statuses: number[] = []
  for (let i = 0; i < 30; i++) statuses.push((await call({ authorization: `Bearer guess-${i}-000000000000000` })).statusCode)
  t.same(statuses.slice(0, 5), [401, 401, 401, 401, 401])
  t.same(new Set(statuses.slice(5)), new Set([429]), 'every further guess is refused unanswered')
  const limited = await call({ authorization: 'Bearer one-more-guess-0000000000' })
  t.match(limited.json(), { status: 'error', code: 'RATE_LIMITED', request_id: String })
  t.ok(Number(limited.headers['retry-after']) > 0, 'with retry-after')

  t.equal((await call({})).statusCode, 429, 'no key from that address: 429')
  t.equal((await call(bearer('viewer'))).statusCode, 429, 'a key below the role from that address: 429')
  t.equal((await call(bearer('operator'))).statusCode, 200, 'a valid key with the role still works from that address')
  t.equal((await call({ authorization: 'Bearer guess-x-000000000000000' }, '203.0.113.8')).statusCode, 401, 'another address has its own budget')
})

t.test('refused roles (403) count as failures too', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_AUTH_FAILURE_MAX: '3' })
  const asViewer = () => app.inject({ method: 'POST', url: '/api/_roles/admin', headers: bearer('viewer'), remoteAddress: '198.51.100.1' })
  t.same([(await asViewer()).statusCode, (await asViewer()).statusCode, (await asViewer()).statusCode], [403, 403, 403])
  t.equal((await asViewer()).statusCode, 429)
  t.equal((await app.inject({ method: 'POST', url: '/api/_roles/viewer', headers: bearer('viewer'), remoteAddress: '198.51.100.1' })).statusCode, 200, 'the key still reads')
})

t.test('behind a trusted proxy, X-Forwarded-For is the address that is limited', async (t) => {
  const guess = (app: Awaited<ReturnType<typeof buildTestApp>>['app'], client: string) =>
    app.inject({ method: 'POST', url: '/api/_roles/viewer', remoteAddress: '10.0.0.2', headers: { authorization: 'Bearer guess-000000000000000000', 'x-forwarded-for': client } })

  const direct = await buildTestApp(t, { SCHEDULEFLOW_AUTH_FAILURE_MAX: '2' })
  await guess(direct.app, '192.0.2.1')
  await guess(direct.app, '192.0.2.2')
  t.equal((await guess(direct.app, '192.0.2.3')).statusCode, 429, 'untrusted: the header is ignored, one address for all')

  const proxied = await buildTestApp(t, { SCHEDULEFLOW_AUTH_FAILURE_MAX: '2', SCHEDULEFLOW_TRUST_PROXY: '10.0.0.0/8' })
  await guess(proxied.app, '192.0.2.1')
  await guess(proxied.app, '192.0.2.2')
  t.equal((await guess(proxied.app, '192.0.2.3')).statusCode, 401, 'trusted: each client has its own budget')
  await guess(proxied.app, '192.0.2.3')
  t.equal((await guess(proxied.app, '192.0.2.3')).statusCode, 429)
  const line = proxied.logs.lines.find((l) => (l.req as { remoteAddress?: string } | undefined)?.remoteAddress === '192.0.2.3')
  t.ok(line, 'and the log names the client, not the proxy')
})

t.test('a flood of unknown URLs is limited on its own budget and never locks the panel', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_RATE_LIMIT_MAX: '5' })
  const statuses: number[] = []
  for (let i = 0; i < 20; i++) statuses.push((await app.inject(`/no-such-page-${i}`)).statusCode)
  for (let i = 0; i < 5; i++) statuses.push((await app.inject({ method: 'POST', url: `/api/no-such-route-${i}`, payload: {} })).statusCode)
  t.same(statuses.slice(0, 5), [404, 404, 404, 404, 404])
  t.same(new Set(statuses.slice(5)), new Set([429]), 'unknown URLs are limited')
  const limited = await app.inject('/no-such-page')
  t.match(limited.json(), { status: 'error', code: 'RATE_LIMITED' })
  t.ok(Number(limited.headers['retry-after']) > 0)

  for (const file of ['/', '/style.css', '/js/main.js', '/js/api.js', '/index.html', '/', '/js/ui.js']) {
    t.equal((await app.inject(file)).statusCode, 200, `the panel's ${file} is served`)
  }
  t.equal((await app.inject({ url: '/api/schedules', headers: bearer('viewer') })).statusCode, 200, 'the API budget is untouched')
})

t.test('CORS preflight allows every method and header the API uses', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_CORS_ORIGINS: 'https://panel.example' })
  for (const method of ['DELETE', 'PATCH', 'PUT', 'POST']) {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/schedules',
      headers: { origin: 'https://panel.example', 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, idempotency-key, if-match' }
    })
    t.equal(preflight.statusCode, 204)
    t.match(preflight.headers['access-control-allow-methods'], new RegExp(`\\b${method}\\b`), `${method} is allowed`)
    for (const header of ['authorization', 'content-type', 'x-request-id', 'idempotency-key', 'if-match', 'if-none-match']) {
      t.match(String(preflight.headers['access-control-allow-headers']).toLowerCase(), header)
    }
  }
  const read = await app.inject({ url: '/api/health', headers: { origin: 'https://panel.example' } })
  t.match(read.headers['access-control-expose-headers'], /etag/)
  t.match(read.headers['access-control-expose-headers'], /idempotent-replayed/, 'a browser client can see that a write was replayed')
  const other = await app.inject({ method: 'OPTIONS', url: '/api/schedules', headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' } })
  t.notOk(other.headers['access-control-allow-origin'], 'other origins stay closed')
})

t.test('a key given in the query string never reaches the log', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const secrets = { key: KEYS.viewer, api_key: 'api-key-secret-0000000', token: 'token-secret-00000000', TOKEN: 'upper-secret-0000000', 'k%65y': 'escaped-secret-000000' }
  const query = Object.entries(secrets).map(([name, value]) => `${name}=${value}`).join('&')
  const res = await app.inject({ url: `/api/schedules?format=xml&${query}&monkey=banana` })
  const lines = logs.forRequest(String(res.headers['x-request-id']))
  const incoming = lines.find((l) => l.msg === 'incoming request') as { req: { url: string } } | undefined
  t.ok(incoming, 'the request was logged')
  t.match(incoming?.req.url, /^\/api\/schedules\?format=xml&key=\[redacted\]&api_key=\[redacted\]&token=\[redacted\]&TOKEN=\[redacted\]&k%65y=\[redacted\]&monkey=banana$/, 'secrets redacted, other parameters kept')
  const all = logs.raw.join('\n')
  for (const secret of Object.values(secrets)) t.notOk(all.includes(secret), `${secret} is not in the log`)
})
