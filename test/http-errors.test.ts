import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'

// Every failure of the HTTP layer answers in the contract's shape with a 4xx: wrong body
// types, empty bodies, unknown URLs and methods, bad escapes, unsupported types.

const ID = '00000000-0000-4000-8000-000000000000'

function errorShaped (t: Test, res: LightMyRequestResponse, what: string): void {
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: a 4xx (got ${res.statusCode} ${res.body.slice(0, 120)})`)
  t.match(res.json(), { status: 'error', code: /^[A-Z_]+$/, message: String, request_id: res.headers['x-request-id'] }, `${what}: the error shape`)
}

// The class of wrong bodies: JSON of every other type, other media types, none at all.
const WRONG_BODIES: { name: string, type?: string, body?: string }[] = [
  { name: 'a JSON array', type: 'application/json', body: '[]' },
  { name: 'a JSON string', type: 'application/json', body: '"DELETE_ALL_SCHEDULES"' },
  { name: 'a JSON number', type: 'application/json', body: '42' },
  { name: 'JSON true', type: 'application/json', body: 'true' },
  { name: 'JSON null', type: 'application/json', body: 'null' },
  { name: 'an object of wrong fields', type: 'application/json', body: '{"confirm":[1],"start_time":{},"duration_hours":"x"}' },
  { name: 'broken JSON', type: 'application/json', body: '{"a": ' },
  { name: 'empty JSON', type: 'application/json', body: '' },
  { name: 'text/plain', type: 'text/plain', body: 'hello' },
  { name: 'an unknown media type', type: 'application/x-nothing', body: 'x' },
  { name: 'multipart without a boundary', type: 'multipart/form-data', body: 'x' },
  { name: 'truncated multipart', type: 'multipart/form-data; boundary=b', body: '--b\r\ncontent-disposition: form-data; name="file"; filename="a.xml"\r\n\r\n<sched' },
  { name: 'no body at all' }
]

t.test('every route that takes a body answers a wrong body with a 4xx in the error shape', async (t) => {
  const { app } = await buildTestApp(t)
  // The routes come from the OpenAPI document, so a route added later is covered too.
  const spec = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, unknown>> }
  const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m)).map((m) => ({ method: m.toUpperCase(), url: path.replace(/\{[^}]+\}/g, ID) })))
  t.ok(routes.some((r) => r.url === '/api/schedules/auto-fill') && routes.some((r) => r.url === '/api/playlists/import'), 'the routes with bodies were found')
  t.ok(routes.length >= 6)

  for (const route of routes) {
    for (const wrong of WRONG_BODIES) {
      const res = await app.inject({
        method: route.method as 'POST',
        url: route.url,
        headers: { ...bearer('admin'), ...(wrong.type !== undefined && { 'content-type': wrong.type }) },
        ...(wrong.body !== undefined && { payload: wrong.body })
      })
      // An import reads any bytes as a document (a line of text is an M3U playlist): what it
      // makes of them is the worker's matter; the HTTP layer's is never to fail on them.
      if (res.statusCode < 300) {
        t.ok(route.url.endsWith('/import'), `${route.method} ${route.url} with ${wrong.name}: only an import may take it`)
        continue
      }
      errorShaped(t, res, `${route.method} ${route.url} with ${wrong.name}`)
    }
  }
})

t.test('JSON routes say which: 415 for another media type, 400 for the wrong JSON', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [method, url] of [['POST', '/api/schedules/auto-fill'], ['DELETE', '/api/schedules']] as const) {
    const call = (type: string | undefined, payload?: string): Promise<LightMyRequestResponse> =>
      app.inject({ method, url, headers: { ...bearer('admin'), ...(type !== undefined && { 'content-type': type }) }, ...(payload !== undefined && { payload }) })
    t.match((await call('text/plain', 'x')).json(), { code: 'UNSUPPORTED_MEDIA_TYPE' }, `${url}: text/plain is 415`)
    t.equal((await call('application/xml', '<a/>')).statusCode, 415)
    for (const body of ['[]', '"x"', 'null', '7']) {
      const res = await call('application/json', body)
      t.equal(res.statusCode, 400, `${method} ${url} ${body}`)
      t.match(res.json(), { code: 'BAD_REQUEST', errors: [{ field: 'body' }] })
    }
    const none = await call(undefined)
    t.equal(none.statusCode, 400, `${method} ${url} without a body`)
    // The auto-fill body goes to the worker unparsed: it names each missing field.
    t.match(none.json(), url.endsWith('auto-fill') ? { errors: [{ field: 'start_time' }, { field: 'duration_hours' }] } : { code: 'BAD_REQUEST', errors: [{ field: 'body' }] })
  }
})

t.test('malformed multipart is a 400 naming the problem', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/api/schedules/import', '/api/playlists/import']) {
    const res = await app.inject({ method: 'POST', url, headers: { ...bearer('admin'), 'content-type': 'multipart/form-data' }, payload: 'x' })
    t.equal(res.statusCode, 400)
    t.match(res.json(), { status: 'error', code: 'BAD_MULTIPART', message: /multipart/ })
  }
})

t.test('unknown URLs, methods and bad escapes answer in the error shape', async (t) => {
  const { app } = await buildTestApp(t)
  const missing = await app.inject({ url: '/api/nothing-here?x=1', headers: bearer('viewer') })
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { code: 'NOT_FOUND', message: 'no route GET /api/nothing-here' })
  const missingPost = await app.inject({ method: 'POST', url: '/nothing', payload: {} })
  t.equal(missingPost.statusCode, 404)
  errorShaped(t, missingPost, 'POST to an unknown URL')

  const wrongMethod = await app.inject({ method: 'PUT', url: '/api/schedules', headers: bearer('admin') })
  t.equal(wrongMethod.statusCode, 405)
  t.match(wrongMethod.json(), { status: 'error', code: 'METHOD_NOT_ALLOWED' })
  t.match(wrongMethod.headers.allow, /DELETE/)
  t.match(wrongMethod.headers.allow, /GET/)
  // A playlist is read, patched, replaced in place (SPEC §15) and deleted; nothing is posted to it.
  const post = await app.inject({ method: 'POST', url: `/api/playlists/${ID}`, headers: bearer('admin') })
  t.equal(post.statusCode, 405)
  t.equal(post.headers.allow, 'DELETE, GET, HEAD, PATCH, PUT')

  for (const url of ['/api/schedules/%E0%A4%A', '/api/schedules/%ZZ/export', '/api/playlists/%']) {
    const bad = await app.inject({ url, headers: bearer('viewer') })
    t.equal(bad.statusCode, 400, url)
    t.match(bad.json(), { status: 'error', code: 'BAD_URL', request_id: String })
  }
})

t.test('JSON bodies are capped at SCHEDULEFLOW_MAX_JSON_BYTES, documents at SCHEDULEFLOW_MAX_UPLOAD_BYTES', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_MAX_JSON_BYTES: '4096', SCHEDULEFLOW_MAX_UPLOAD_BYTES: String(1 << 20) })
  const json = await app.inject({ method: 'POST', url: '/api/_test/echo', payload: { input: 'x'.repeat(8192) } })
  t.equal(json.statusCode, 413, 'a JSON body over its cap')
  t.match(json.json(), { status: 'error', code: 'PAYLOAD_TOO_LARGE', request_id: String })
  const fill = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: bearer('operator'), payload: { start_time: '2025-01-01T00:00:00Z', duration_hours: 1, links: Array.from({ length: 200 }, (_, i) => ({ url: `http://example.com/${i}.mp4` })) } })
  t.equal(fill.statusCode, 201, 'an auto-fill body over the JSON cap goes to the worker unparsed, under the upload cap')
  const hugeFill = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: JSON.stringify({ links: 'z'.repeat(1 << 20) }) })
  t.match(hugeFill.json(), { status: 'error', code: 'PAYLOAD_TOO_LARGE' }, 'and over the upload cap it is 413')

  const at = (minutes: number): string => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString()
  const events = Array.from({ length: 100 }, (_, i) => ({ title: `Show ${i} ${'y'.repeat(40)}`, start: at(i * 15), end: at(i * 15 + 10) }))
  const doc = JSON.stringify({ schedule: events })
  t.ok(doc.length > 4096)
  const imported = await app.inject({ method: 'POST', url: '/api/schedules/import?format=json', headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: doc })
  t.equal(imported.statusCode, 201, 'a document over the JSON cap but under the upload cap is imported')
})

t.test('numbers in a query string are read whole and in decimal, or refused', async (t) => {
  const { app } = await buildTestApp(t)
  const ask = (url: string, method: 'GET' | 'POST' = 'GET'): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: { ...bearer('admin'), 'content-type': 'application/json' }, ...(method === 'POST' && { payload: '{}' }) })
  // TypeBox alone read the leading digits: 2.5 became 2, 1e2 became 1, 0x10 became 16.
  for (const loose of ['2.5', '1e2', '0x10', '12abc', ' 7', 'Infinity', '1_000']) {
    for (const url of [`/api/schedules/${ID}/decisions?limit=${encodeURIComponent(loose)}`, `/api/schedules/${ID}/decisions?offset=${encodeURIComponent(loose)}`]) {
      const res = await ask(url)
      t.equal(res.statusCode, 400, `${url}: refused`)
      errorShaped(t, res, url)
      t.match(res.json().message, /offset|limit/, 'the message names the parameter')
    }
  }
  for (const loose of ['0x10', '4h', '', 'NaN']) {
    const res = await ask(`/api/schedules/import?cooldown_hours=${encodeURIComponent(loose)}`, 'POST')
    t.equal(res.statusCode, 400, `cooldown_hours=${loose}: refused`)
    t.match(res.json().message, /cooldown_hours/, 'naming cooldown_hours')
  }
  // Whole decimal numbers still pass validation (and reach the route: the schedule does not exist).
  for (const fine of ['7', '+7', '007']) t.equal((await ask(`/api/schedules/${ID}/decisions?limit=${encodeURIComponent(fine)}`)).statusCode, 404, `limit=${fine} is read as 7`)
  for (const fine of ['1.5', '1e1', '.5']) {
    const res = await ask(`/api/schedules/import?cooldown_hours=${encodeURIComponent(fine)}`, 'POST')
    t.not(res.json().message, /cooldown_hours/, `cooldown_hours=${fine} is a number`)
  }
})
