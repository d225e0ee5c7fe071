import t, { type Test } from 'tap'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import type { Config } from '../lib/config.js'
import { bearer, buildTestApp } from './helpers.js'
import { storeQuery } from './test-database.js'

// Issue 8 item 8: arbitrary and mutated documents for every import format (native XML,
// JSON, XMLTV, M3U) and arbitrary auto-fill bodies, through the real API and real worker
// processes. Property: never a 5xx; an error is the contract's shape; a 4xx stores nothing.
// Generators build near-valid documents (a valid skeleton whose fields are replaced by
// arbitrary JSON values, strings, huge numbers, odd dates), then sometimes cut or spliced.
//
// `npm test` runs a few per property (FUZZ_RUNS, default 10); `npm run fuzz` runs 2,000.

const RUNS = Number(process.env.FUZZ_RUNS ?? 10)

// ---- values ----------------------------------------------------------------------------

const hugeNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e300, -1e300, 8.64e15, Number.MAX_SAFE_INTEGER, 1e21, -0, 0.5))
const oddDate = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('0000-01-01T00:00:00Z', '0050-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00+01:00', '2025-02-30T00:00:00Z',
    '2025-01-01T24:00:00Z', '2025-01-01T00:00:00+99:00', '2025-01-01T00:00:00', '2025-01-01 00:00', '20250101000000 +0000', '+275760-09-13T00:00:00Z', '', '   '),
  fc.string({ maxLength: 30 })
)
const oddUrl = fc.oneof(fc.webUrl(), fc.constantFrom('#EXTINF:0,x', 'javascript:alert(1)', 'data:,x', 'a\nb', 'a\u2028b', 'rtmp://x/y', '../a.ts', 'C:\\a.mp4', 'http://a/\u0000'), fc.string({ maxLength: 30 }))
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 40 }), hugeNumber, oddDate, oddUrl)
/** Mostly the valid value, sometimes anything. */
const mostly = <T>(valid: fc.Arbitrary<T> | T): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: valid instanceof fc.Arbitrary ? valid : fc.constant(valid) }, { weight: 1, arbitrary: anyValue })

const hour = fc.integer({ min: 0, max: 500 })
const iso = (h: number): string => new Date(Date.UTC(2025, 0, 1) + h * 3_600_000).toISOString()
const xmltvTime = (h: number): string => iso(h).replace(/[-:T]/g, '').slice(0, 14) + ' +0000'

/** A document, or that document cut short, or with a random string spliced in. */
function mutated (doc: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: doc },
    { weight: 1, arbitrary: fc.tuple(doc, fc.double({ min: 0, max: 1, noNaN: true })).map(([d, at]) => d.slice(0, Math.floor(d.length * at))) },
    { weight: 1, arbitrary: fc.tuple(doc, fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 10 })).map(([d, at, s]) => { const i = Math.floor(d.length * at); return d.slice(0, i) + s + d.slice(i) }) }
  )
}

// ---- documents -------------------------------------------------------------------------

const jsonEvent = hour.chain((h) => fc.record({
  title: mostly('Programme'),
  start: mostly(iso(h)),
  end: mostly(iso(h + 1)),
  duration: fc.option(mostly(3600), { nil: undefined }),
  videoUrl: fc.option(mostly(oddUrl), { nil: undefined }),
  category: fc.option(mostly('News'), { nil: undefined }),
  description: fc.option(anyValue, { nil: undefined }),
  tags: fc.option(mostly(fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })), { nil: undefined }),
  channel: fc.option(mostly('c1'), { nil: undefined })
}, { requiredKeys: [] }))
const jsonDocument = mutated(fc.oneof(
  fc.record({ metadata: mostly({ title: 'Fuzz' }), schedule: mostly(fc.array(mostly(jsonEvent), { maxLength: 6 })) }, { requiredKeys: ['schedule'] }).map((d) => JSON.stringify(d)),
  fc.array(jsonEvent, { maxLength: 6 }).map((d) => JSON.stringify(d))
))

const xmlText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }).map((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) } // raw: may break the markup
)
const xmlField = (valid: string): fc.Arbitrary<string> => fc.oneof({ weight: 3, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: fc.oneof(xmlText, oddDate.map((d) => d.replace(/&/g, '&amp;').replace(/</g, '&lt;'))) })
const xmlEvent = hour.chain((h) => fc.record({
  title: xmlField('Programme'),
  start: xmlField(iso(h)),
  end: xmlField(iso(h + 1)),
  duration: fc.option(xmlField('3600'), { nil: undefined }),
  videoUrl: fc.option(xmlField('http://cdn.example/a.mp4'), { nil: undefined }),
  tags: fc.option(xmlText, { nil: undefined })
}, { requiredKeys: [] }).map((f) => `<event>${Object.entries(f).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</event>`))
const xmlDocument = mutated(fc.tuple(fc.constantFrom('schedule', 'tvguide', 'playlist', 'tv', 'other'), fc.array(xmlEvent, { maxLength: 6 }), fc.nat({ max: 80 }))
  .map(([root, events, depth]) => `<?xml version="1.0"?><${root}><metadata><title>Fuzz</title></metadata><events>${events.join('')}${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</events></${root}>`))

const xmltvProgramme = hour.chain((h) => fc.record({
  start: xmlField(xmltvTime(h)),
  stop: fc.option(xmlField(xmltvTime(h + 1)), { nil: undefined }),
  channel: fc.option(fc.constantFrom('c1', 'c2', ''), { nil: undefined }),
  title: fc.option(xmlField('Programme'), { nil: undefined }),
  length: fc.option(fc.tuple(fc.oneof(hugeNumber.map(String), xmlText), fc.constantFrom('seconds', 'minutes', 'hours', 'days')), { nil: undefined })
}, { requiredKeys: [] }).map((p) => {
  const attrs = (['start', 'stop', 'channel'] as const).filter((k) => p[k] !== undefined).map((k) => ` ${k}="${String(p[k]).replace(/"/g, '&quot;')}"`).join('')
  const length = p.length === undefined ? '' : `<length units="${p.length[1]}">${p.length[0]}</length>`
  return `<programme${attrs}>${p.title === undefined ? '' : `<title>${p.title}</title>`}${length}</programme>`
}))
const xmltvDocument = mutated(fc.array(xmltvProgramme, { maxLength: 8 })
  .map((programmes) => `<tv><channel id="c1"><display-name>One</display-name></channel>${programmes.join('')}</tv>`))

const m3uLine = fc.oneof(
  fc.tuple(fc.oneof(hugeNumber.map(String), fc.constant('-1')), fc.dictionary(fc.constantFrom('tvg-id', 'tvg-name', 'group-title', 'x'), fc.string({ maxLength: 10 }), { maxKeys: 3 }), fc.string({ maxLength: 15 }))
    .map(([d, attrs, title]) => `#EXTINF:${d}${Object.entries(attrs).map(([k, v]) => ` ${k}="${v}"`).join('')},${title}`),
  oddUrl,
  fc.string({ maxLength: 20 }).map((s) => `#EXTGRP:${s}`),
  fc.constantFrom('#EXTM3U', '#EXTVLCOPT:x=1', '# comment', '')
)
const m3uDocument = mutated(fc.tuple(fc.array(m3uLine, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, eol]) => lines.join(eol)))

const fillBody = fc.record({
  links: mostly(fc.array(fc.oneof(mostly(fc.record({ url: mostly(oddUrl), title: fc.option(mostly('T'), { nil: undefined }), duration: fc.option(mostly(1800), { nil: undefined }), category: fc.option(mostly('News'), { nil: undefined }) }, { requiredKeys: ['url'] })), oddUrl), { minLength: 1, maxLength: 5 })),
  start_time: mostly(oddDate),
  duration_hours: mostly(fc.integer({ min: 1, max: 12 })),
  cooldown_hours: fc.option(mostly(fc.integer({ min: 0, max: 100 })), { nil: undefined }),
  slot_minutes: fc.option(mostly(fc.integer({ min: 15, max: 120 })), { nil: undefined }),
  seed: fc.option(anyValue, { nil: undefined }),
  shuffle: fc.option(mostly(true), { nil: undefined }),
  timezone: fc.option(mostly(fc.constantFrom('UTC', 'Europe/London', 'Mars/Base')), { nil: undefined }),
  when_exhausted: fc.option(mostly(fc.constantFrom('gap', 'least_recent')), { nil: undefined }),
  dry_run: fc.option(mostly(fc.boolean()), { nil: undefined }),
  name: fc.option(anyValue, { nil: undefined }),
  playlist_id: fc.option(anyValue, { nil: undefined })
}, { requiredKeys: [] })

// ---- the property ----------------------------------------------------------------------

interface Counts { schedules: number, events: number, playlists: number, playlist_items: number }

/** Straight from the database (cheap: no worker), so every run can be checked. */
async function storedCounts (config: Config): Promise<Counts> {
  const [counts] = await storeQuery<Counts>(config, `SELECT (SELECT count(*) FROM schedules) AS schedules, (SELECT count(*) FROM events) AS events,
      (SELECT count(*) FROM playlists) AS playlists, (SELECT count(*) FROM playlist_items) AS playlist_items`)
  return counts
}

const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_RATE_LIMIT_MAX: '1000000' })
const operator = bearer('operator')

/** Sends one request; throws on a 5xx, an error not in the contract's shape, or anything stored after a 4xx. */
async function check (request: InjectOptions, what: string): Promise<boolean> {
  const before = await storedCounts(config)
  const res = await app.inject(request)
  const detail = `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`
  if (res.statusCode >= 500) throw new Error(`5xx: ${detail}`)
  if (res.statusCode >= 400) {
    const body = res.json()
    const extra = Object.keys(body).filter((k) => !['status', 'code', 'message', 'request_id', 'errors'].includes(k))
    if (body.status !== 'error' || typeof body.code !== 'string' || typeof body.message !== 'string' || typeof body.request_id !== 'string' || extra.length > 0 ||
      (body.errors !== undefined && !(Array.isArray(body.errors) && body.errors.every((e: { message?: unknown }) => typeof e.message === 'string')))) {
      throw new Error(`not the contract's error shape: ${detail}`)
    }
    const after = await storedCounts(config)
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`stored after a ${res.statusCode}: ${JSON.stringify(before)} → ${JSON.stringify(after)}: ${detail}`)
  }
  return true
}

/** After each property: the API's own lists agree with the file. */
async function listsAgree (t: Test): Promise<void> {
  const stored = await storedCounts(config)
  t.equal((await app.inject({ url: '/api/schedules', headers: operator })).json().count, stored.schedules, 'GET /api/schedules counts what is stored')
  t.equal((await app.inject({ url: '/api/playlists', headers: operator })).json().count, stored.playlists, 'GET /api/playlists counts what is stored')
}

const importRequest = (url: string, payload: string | Buffer): InjectOptions =>
  ({ method: 'POST', url, headers: { ...operator, 'content-type': 'application/octet-stream' }, payload })
const options = { numRuns: RUNS, endOnFailure: true }

const formats: Array<[string, fc.Arbitrary<string>, string]> = [
  ['json schedules', jsonDocument, '/api/schedules/import'],
  ['native xml schedules', xmlDocument, '/api/schedules/import'],
  ['xmltv schedules', xmltvDocument, '/api/schedules/import?format=xmltv'],
  ['m3u playlists', m3uDocument, '/api/playlists/import']
]
for (const [what, documents, url] of formats) {
  t.test(`fuzz ${what}`, async (t) => {
    await fc.assert(fc.asyncProperty(documents, async (doc) => check(importRequest(url, doc), `${what}: ${JSON.stringify(doc).slice(0, 400)}`)), options)
    await listsAgree(t)
  })
}

t.test('fuzz random bytes to both imports', async (t) => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('/api/schedules/import', '/api/playlists/import'), async (bytes, url) =>
    check(importRequest(url, Buffer.from(bytes)), `bytes to ${url}: ${Buffer.from(bytes).toString('hex')}`)), options)
  await listsAgree(t)
})

t.test('fuzz auto-fill bodies', async (t) => {
  await fc.assert(fc.asyncProperty(fillBody, async (body) =>
    check({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: body as Record<string, unknown> }, `auto-fill: ${JSON.stringify(body)}`)), options)
  await listsAgree(t)
})
