import t, { type Test } from 'tap'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import type { Config } from '../lib/config.js'
import { bearer, buildTestApp } from './helpers.js'
import { storeQuery } from './test-database.js'
import { setUpChannel } from './channel-fixtures.js'

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
    {
      weight: 1,
      arbitrary: fc.tuple(
        doc,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.string({ maxLength: 10 })
      ).map(([d, at, s]) => { const i = Math.floor(d.length * at); return d.slice(0, i) + s + d.slice(i) })
    }
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
// The channel the channel-body properties write to, set up before any property runs (the other properties compare stored counts).
const { channel: fuzzChannel, films, fillers } = await setUpChannel(app)
// No default filler: a valid build airs only the blocks, so a few days stay a few dozen events.
await app.inject({ method: 'PATCH', url: `/api/channels/${fuzzChannel.id}`, headers: operator, payload: { default_filler: null } })

interface Expect {
  /** what must not change after a 4xx (default: the stored counts) */
  snapshot?: () => Promise<unknown>
  /** the only 4xx statuses allowed (default: any) */
  refusals?: number[]
  /**
   * a 400 must name the fields it refuses ("" for a key named ""; but BAD_JSON and INVALID_JSON: a body that is not JSON has no fields, it says where
   * it breaks)
   */
  fieldsOn400?: boolean
}

/** Sends one request; throws on a 5xx, an error not in the contract's shape, or anything stored after a 4xx. */
async function check (
  request: InjectOptions,
  what: string,
  { snapshot = () => storedCounts(config), refusals, fieldsOn400 = false }: Expect = {}
): Promise<boolean> {
  const before = await snapshot()
  const res = await app.inject(request)
  const detail = `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`
  if (res.statusCode >= 500) throw new Error(`5xx: ${detail}`)
  if (res.statusCode >= 400) {
    if (refusals !== undefined && !refusals.includes(res.statusCode)) throw new Error(`not one of ${refusals.join(', ')}: ${detail}`)
    const body = res.json()
    const extra = Object.keys(body).filter((k) => !['status', 'code', 'message', 'request_id', 'errors'].includes(k))
    if (body.status !== 'error' || typeof body.code !== 'string' || typeof body.message !== 'string' || typeof body.request_id !== 'string' || extra.length > 0 ||
      (body.errors !== undefined && !(Array.isArray(body.errors) && body.errors.every((e: { message?: unknown }) => typeof e.message === 'string')))) {
      throw new Error(`not the contract's error shape: ${detail}`)
    }
    if (fieldsOn400 && res.statusCode === 400 && !['BAD_JSON', 'INVALID_JSON'].includes(body.code) && !(Array.isArray(body.errors) && body.errors.length > 0 && body.errors.every((e: { field?: unknown }) => typeof e.field === 'string'))) {
      throw new Error(`a 400 that names no field: ${detail}`)
    }
    const after = await snapshot()
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`stored after a ${res.statusCode}: ${JSON.stringify(before).slice(0, 300)} → ${JSON.stringify(after).slice(0, 300)}: ${detail}`)
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

// ---- channel bodies (issue 13) ---------------------------------------------------------
// The four channel writes, from their valid shapes with fields dropped, mistyped, out of
// range or overlong, and as JSON cut short or spliced. Every answer is a 2xx or a 400/404/409/413
// in the error shape (a 400 naming its fields), and a refused body leaves the channel's
// template, overrides and events as they were.

const overlong = fc.constantFrom('x'.repeat(501), 'x'.repeat(5000), '9'.repeat(400))
const anyField = fc.oneof({ weight: 4, arbitrary: anyValue }, { weight: 1, arbitrary: overlong })
/** Mostly the valid value, sometimes anything, sometimes overlong. */
const usually = <T>(valid: fc.Arbitrary<T> | T): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: valid instanceof fc.Arbitrary ? valid : fc.constant(valid) }, { weight: 1, arbitrary: anyField })
const optional = <T>(valid: fc.Arbitrary<T> | T): fc.Arbitrary<unknown> => fc.option(usually(valid), { nil: undefined })

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const wallTime = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
const dayOffset = fc.integer({ min: 0, max: 60 })
const localDate = (offset: number): string => new Date(Date.UTC(2026, 2, 1) + offset * 86_400_000).toISOString().slice(0, 10)
const playlistRef = fc.constantFrom(films, fillers, '00000000-0000-4000-8000-000000000000', 'not-an-id')
const block = fc.record({
  id: usually(fc.constantFrom('a', 'b', 'c')),
  days: usually(fc.subarray(weekdays, { minLength: 1 })),
  start: usually(wallTime),
  end: usually(wallTime),
  title: optional('Block'),
  source: usually(fc.oneof(
    fc.record({ playlist: usually(playlistRef) }, { requiredKeys: [] }),
    fc.record({ playlist: usually(films), group: usually(fc.constantFrom('Films', 'Idents', 'Cartoons')) }, { requiredKeys: [] }),
    fc.record({ item: usually(fc.record({ url: usually(oddUrl), title: usually('Item'), duration: usually(fc.integer({ min: 1, max: 7200 })) }, { requiredKeys: [] })) })
  )),
  order: optional(fc.constantFrom('shuffle', 'sequential', 'random')),
  cooldown_hours: optional(fc.integer({ min: 0, max: 400 })),
  fill: optional(fc.constantFrom('pad', 'gap', 'cut')),
  filler: optional(fc.constantFrom(fillers, null)),
  breaks: optional(fc.option(
    fc.record(
      { every_minutes: usually(fc.integer({ min: 1, max: 120 })), max_seconds: usually(fc.integer({ min: 1, max: 600 })), filler: usually(playlistRef) },
      { requiredKeys: [] }
    ),
    { nil: null }
  ))
}, { requiredKeys: [] })
const blocks = usually(fc.oneof(
  { weight: 9, arbitrary: fc.array(usually(block), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 501 }, (_, i) => ({ id: `b${i}`, days: ['mon'], start: '10:00', end: '10:15', source: { playlist: films } }))) }
))
const templateBody = fc.record({ cooldown_hours: optional(fc.integer({ min: 0, max: 400 })), blocks }, { requiredKeys: [] })
const naiveTime = fc.tuple(dayOffset, fc.integer({ min: 0, max: 47 })).map(([d, half]) => `${localDate(d)}T${String(Math.floor(half / 2)).padStart(2, '0')}:${half % 2 === 0 ? '00' : '30'}:00`)
const fixedEvent = fc.record({ title: usually('Live'), start: usually(naiveTime), end: usually(naiveTime), video_url: optional(oddUrl), category: optional('News'), description: optional('A special') }, { requiredKeys: [] })
const overrideBody = dayOffset.chain((from) => fc.record({
  name: usually('Holiday'),
  from: usually(localDate(from)),
  to: usually(fc.integer({ min: -2, max: 5 }).map((n) => localDate(from + n))),
  days: optional(fc.option(fc.subarray(weekdays, { minLength: 1 }), { nil: null })),
  blocks: fc.option(blocks, { nil: undefined }),
  events: optional(fc.array(usually(fixedEvent), { maxLength: 3 }))
}, { requiredKeys: [] }))
const buildBody = dayOffset.chain((from) => fc.record({
  from: usually(localDate(from)),
  to: usually(fc.constantFrom(-1, 0, 1, 2, 93, 200).map((n) => localDate(from + n))),
  seed: fc.option(anyField, { nil: undefined }),
  dry_run: optional(fc.boolean()),
  freeze_hours: optional(fc.integer({ min: 0, max: 48 }))
}, { requiredKeys: [] }))
const channelBody = fc.record({
  number: usually(fc.integer({ min: 1, max: 99_999 }).map(String)),
  name: usually('Fuzz TV'),
  timezone: usually(fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'Mars/Base')),
  xmltv_id: optional(fc.constantFrom('fuzz.tv', 'a b', '')),
  logo: optional(fc.oneof(fc.webUrl(), oddUrl)),
  group: optional('Fuzz'),
  stream_url: optional(oddUrl),
  default_filler: optional(fc.option(playlistRef, { nil: null }))
}, { requiredKeys: [] })

/** A body as JSON, sometimes not an object at all, sometimes cut short or spliced. */
const asJson = (body: fc.Arbitrary<unknown>): fc.Arbitrary<string> => mutated(fc.oneof(
  { weight: 9, arbitrary: body },
  { weight: 1, arbitrary: anyValue }
).map((b) => JSON.stringify(b)))
/** Mostly the channel, sometimes one that does not exist or is no id. */
const channelId = fc.oneof({ weight: 9, arbitrary: fc.constant(fuzzChannel.id as string) }, { weight: 1, arbitrary: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'nope') })

/** The channel as a reader sees it: what a refused write must leave as it was. */
async function channelState (): Promise<unknown> {
  const read = async (url: string): Promise<string> => (await app.inject({ url, headers: operator })).body
  return {
    channels: await read('/api/channels'),
    template: await read(`/api/channels/${fuzzChannel.id}/template`),
    overrides: await read(`/api/channels/${fuzzChannel.id}/overrides`),
    events: await read(`/api/channels/${fuzzChannel.id}/events?from=0001-01-01T00:00:00Z`), // every event (the default range moves with the clock)
    counts: await storedCounts(config)
  }
}
const channelExpect: Expect = { snapshot: channelState, refusals: [400, 404, 409, 413], fieldsOn400: true }

const channelWrites: Array<[string, 'POST' | 'PUT', (id: string) => string, fc.Arbitrary<string>]> = [
  ['PUT template', 'PUT', (id) => `/api/channels/${id}/template`, asJson(templateBody)],
  ['POST overrides', 'POST', (id) => `/api/channels/${id}/overrides`, asJson(overrideBody)],
  ['POST build', 'POST', (id) => `/api/channels/${id}/build`, asJson(buildBody)],
  ['POST channels', 'POST', () => '/api/channels', asJson(channelBody)]
]
for (const [what, method, url, bodies] of channelWrites) {
  t.test(`fuzz channel bodies: ${what}`, async (t) => {
    await fc.assert(fc.asyncProperty(bodies, channelId, async (body, id) =>
      check({ method, url: url(id), headers: { ...operator, 'content-type': 'application/json' }, payload: body }, `${what} ${url(id)}: ${body.slice(0, 600)}`, channelExpect)), options)
    await listsAgree(t)
  })
}

// The override PATCH (issue 23): the create's fields, each optional, a merge patch of a stored
// override. The same property: a refused patch leaves the channel as it was.
let fuzzOverrideId = ''
const overrideRef = fc.oneof({ weight: 9, arbitrary: fc.constant(null).map(() => fuzzOverrideId) }, { weight: 1, arbitrary: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'nope') })
t.test('fuzz channel bodies: PATCH overrides/:oid', async (t) => {
  const made = await app.inject({
    method: 'POST',
    url: `/api/channels/${fuzzChannel.id}/overrides`,
    headers: operator,
    payload: { name: 'Patched', from: '2026-03-02', to: '2026-03-03', events: [{ title: 'Live', start: '2026-03-02T10:00:00', end: '2026-03-02T11:00:00' }] }
  })
  fuzzOverrideId = made.json().override.id
  await fc.assert(fc.asyncProperty(asJson(overrideBody), overrideRef, async (body, oid) => {
    const url = `/api/channels/${fuzzChannel.id}/overrides/${oid}`
    return check({ method: 'PATCH', url, headers: { ...operator, 'content-type': 'application/json' }, payload: body }, `PATCH ${url}: ${body.slice(0, 600)}`, channelExpect)
  }), options)
  await listsAgree(t)
})

// ---- edit bodies (issue 14) ------------------------------------------------------------
// Hand edits of a schedule's events, bulk and one by one, from valid ops with fields dropped,
// mistyped, out of range or naming events that are not there, sometimes with an If-Match that
// is stale, malformed or `*`. Property as above: never a 5xx, the error shape, and a refusal
// leaves the schedule's events and revision as they were.

const editDoc = JSON.stringify({ metadata: { title: 'Fuzz edits' }, schedule: Array.from({ length: 6 }, (_, i) => ({ title: `Show ${i}`, start: iso(i), end: iso(i + 1), videoUrl: `https://cdn.example/show-${i}.mp4` })) })
// Filled by the first edit property (the app answers inside tests only); generators read them when they run.
let editScheduleId = ''
const editEventIds: string[] = []
async function editSchedule (): Promise<void> {
  if (editScheduleId !== '') return
  editScheduleId = (await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: editDoc })).json().schedule_id
  editEventIds.push(...(await app.inject({ url: `/api/schedules/${editScheduleId}`, headers: operator })).json().events.map((e: { id: string }) => e.id))
}

const eventRef = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 5 }).map((i) => editEventIds[i]) }, { weight: 1, arbitrary: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'nope', '') })
// In a path an empty id is another route (…/events/, 405), so the path's refs are never empty.
const pathEventRef = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 5 }).map((i) => editEventIds[i]) }, { weight: 1, arbitrary: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'nope', 'a b') })
const editTime = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 12 }).map(iso) },
  { weight: 1, arbitrary: naiveTime },
  { weight: 1, arbitrary: oddDate }
)
const editFields = {
  title: optional(fc.constantFrom('Edited', '', ' ')),
  start: optional(editTime),
  end: optional(editTime),
  video_url: optional(fc.option(oddUrl, { nil: null })),
  category: optional(fc.option(fc.constantFrom('News', ''), { nil: null })),
  description: optional(fc.option(fc.constant('Changed by hand'), { nil: null }))
}
const editOp = fc.record({ op: usually(fc.constantFrom('add', 'update', 'delete', 'move')), id: optional(eventRef), ...editFields, ripple: optional(fc.boolean()) }, { requiredKeys: [] })
const bulkBody = fc.record({
  ops: usually(fc.oneof(
    { weight: 19, arbitrary: fc.array(usually(editOp), { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.constant(null).map(() => Array.from({ length: 5001 }, () => ({ op: 'delete', id: editEventIds[0] }))) }
  ))
}, { requiredKeys: [] })
const patchBody = fc.record({ ...editFields, ripple: optional(fc.boolean()) }, { requiredKeys: [] })
/** Mostly none; else the current revision or an old one, `*`, a weak tag, or no revision at all. */
const ifMatch = fc.option(fc.constantFrom('"1"', '*', 'W/"2"', '"999999"', 'seven', '"-1"', '"1", "2"'), { nil: undefined })
const zoneQuery = fc.constantFrom('', '?timezone=Europe/London', '?timezone=Mars/Base', '?timezone=')
const scheduleRef = fc.oneof({ weight: 9, arbitrary: fc.constant(null).map(() => editScheduleId) }, { weight: 1, arbitrary: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'nope') })

/** The schedule as a reader sees it (its events and revision) and the store's counts: what a refused edit must leave as it was. */
async function scheduleState (): Promise<unknown> {
  const read = (await app.inject({ url: `/api/schedules/${editScheduleId}`, headers: operator })).json()
  return { revision: read.schedule.revision, events: read.events, counts: await storedCounts(config) }
}
const editExpect: Expect = { snapshot: scheduleState, refusals: [400, 404, 409, 412, 413], fieldsOn400: true }
const editHeaders = (match: string | undefined) => ({ ...operator, 'content-type': 'application/json', ...(match !== undefined && { 'if-match': match }) })

t.test('fuzz edit bodies: POST …/events/bulk', async (t) => {
  await editSchedule()
  await fc.assert(fc.asyncProperty(asJson(bulkBody), scheduleRef, zoneQuery, ifMatch, async (body, id, zone, match) => {
    const url = `/api/schedules/${id}/events/bulk${zone}`
    return check({ method: 'POST', url, headers: editHeaders(match), payload: body }, `POST ${url} If-Match ${match}: ${body.slice(0, 600)}`, editExpect)
  }), options)
  await listsAgree(t)
})

t.test('fuzz edit bodies: PATCH …/events/:eid', async (t) => {
  await editSchedule()
  await fc.assert(fc.asyncProperty(asJson(patchBody), scheduleRef, pathEventRef, zoneQuery, ifMatch, async (body, id, eid, zone, match) => {
    const url = `/api/schedules/${id}/events/${encodeURIComponent(eid)}${zone}`
    return check({ method: 'PATCH', url, headers: editHeaders(match), payload: body }, `PATCH ${url} If-Match ${match}: ${body.slice(0, 600)}`, editExpect)
  }), options)
  await listsAgree(t)
})

// ---- years 1–9999 and control characters (issue 21) ------------------------------------
// Every write route with instants at and just past both ends of years 1–9999 (and moves,
// resizes and ripples that push an end past 9999-12-31T23:59:59.999Z), and text fields that
// carry control characters. Property as above: never a 5xx, the error shape, nothing stored
// after a 4xx (rows, revisions and the events' extent); and whatever a 2xx stored lies in
// years 1–9999 and holds no control character (SPEC §12).

const FIRST_MS = Date.parse('0001-01-01T00:00:00Z')
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z')
const edgeInstant = fc.constantFrom('0001-01-01T00:00:00Z', '0001-01-01T00:00:00.001Z', '0000-12-31T23:59:59Z', '0001-01-01T00:30:00+01:00', '0001-01-01T01:00:00Z',
  '9999-12-31T22:59:59.999Z', '9999-12-31T23:30:00Z', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.999Z', '9999-12-31T23:00:00-01:00', '10000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z',
  '9999-12-31T23:30:00', '0001-01-01T00:00:00')
const edgeDate = fc.constantFrom('0001-01-01', '0001-01-02', '0000-12-31', '9999-12-29', '9999-12-30', '9999-12-31', '10000-01-01')
/** Control characters and their neighbours the rule allows (tab; LF and CR in a description). */
const controlChar = fc.constantFrom('\u0000', '\u0007', '\b', '\n', '\r', '\u000b', '\u001b', '\u007f', '\u2028', '\u2029', '\t', '\u0085')
const dirtyText = fc.tuple(fc.string({ maxLength: 6 }), controlChar, fc.string({ maxLength: 6 })).map(([a, c, b]) => `Edge ${a}${c}${b}`)
const edgeText = fc.oneof(fc.constant('Edge'), dirtyText)
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u2028\u2029]/
const ONE_LINE_CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F\u2028\u2029]/

/** What a refused write must leave as it was, from the database itself. */
async function storeState (): Promise<unknown> {
  const [state] = await storeQuery(config, `SELECT (SELECT count(*) FROM schedules) AS schedules, (SELECT count(*) FROM events) AS events,
      (SELECT count(*) FROM playlists) AS playlists, (SELECT count(*) FROM channels) AS channels, (SELECT count(*) FROM channel_overrides) AS overrides,
      (SELECT coalesce(sum(revision), 0) FROM schedules) AS schedule_revisions, (SELECT coalesce(sum(revision), 0) FROM channels) AS channel_revisions,
      (SELECT coalesce(min(start_ms), 0) FROM events) AS first, (SELECT coalesce(max(end_ms), 0) FROM events) AS last, (SELECT coalesce(sum(end_ms - start_ms), 0) FROM events) AS span`)
  return state
}

/** After any answer: no event stored outside years 1–9999, no text stored with a control character. */
async function storedWithinRules (what: string): Promise<true> {
  const [{ n }] = await storeQuery<{ n: number }>(config, 'SELECT count(*) AS n FROM events WHERE start_ms < ? OR end_ms > ? OR end_ms <= start_ms', [FIRST_MS, LAST_MS])
  if (n !== 0) throw new Error(`${n} events stored outside years 1–9999 after ${what}`)
  const texts = [
    ...(await storeQuery<{ a: string, b: string | null, c: string | null }>(config, 'SELECT title AS a, category AS b, description AS c FROM events WHERE schedule_id = ? OR channel_id = ?', [edgeScheduleId, fuzzChannel.id])),
    ...(await storeQuery<{ a: string, b: string | null, c: string | null }>(config, 'SELECT name AS a, group_title AS b, NULL AS c FROM channels')),
    ...(await storeQuery<{ a: string, b: string | null, c: string | null }>(config, 'SELECT name AS a, NULL AS b, NULL AS c FROM playlists')),
    ...(await storeQuery<{ a: string, b: string | null, c: string | null }>(config, 'SELECT name AS a, NULL AS b, NULL AS c FROM channel_overrides'))
  ]
  const bad = texts.find((r) => ONE_LINE_CONTROL.test(r.a + (r.b ?? '')) || CONTROL.test(r.c ?? ''))
  if (bad !== undefined) throw new Error(`stored with a control character after ${what}: ${JSON.stringify(bad)}`)
  return true
}

const edgeExpect: Expect = { snapshot: storeState, refusals: [400, 404, 409, 412, 413], fieldsOn400: true }
const checked = async (request: InjectOptions, what: string, expect: Expect = edgeExpect): Promise<boolean> =>
  (await check(request, what, expect)) && storedWithinRules(what)

// A schedule and channel events at both ends of the range, made by the first property that needs them.
let edgeScheduleId = ''
const edgeIds: { schedule: string[], channel: string[] } = { schedule: [], channel: [] }
const EDGE_SPANS = [['0001-01-01T00:00:00Z', '0001-01-01T01:00:00Z'], ['0001-01-01T01:00:00Z', '0001-01-01T02:00:00Z'], ['9999-12-31T21:00:00Z', '9999-12-31T22:00:00Z'],
  ['9999-12-31T22:00:00Z', '9999-12-31T23:00:00Z'], ['9999-12-31T23:00:00Z', '9999-12-31T23:59:59.999Z']]
async function edgeTimelines (): Promise<void> {
  if (edgeScheduleId !== '') return
  const doc = JSON.stringify({ metadata: { title: 'Edges' }, schedule: EDGE_SPANS.map(([start, end], i) => ({ title: `Edge ${i}`, start, end })) })
  edgeScheduleId = (await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: doc })).json().schedule_id
  edgeIds.schedule.push(...(await app.inject({ url: `/api/schedules/${edgeScheduleId}`, headers: operator })).json().events.map((e: { id: string }) => e.id))
  for (const [start, end] of EDGE_SPANS) {
    const added = await app.inject({ method: 'POST', url: `/api/channels/${fuzzChannel.id as string}/events`, headers: operator, payload: { title: 'Edge', start, end } })
    if (added.statusCode !== 201) throw new Error(added.body)
    edgeIds.channel.push(added.json().event.id)
  }
}

const edgeTimeline = fc.constantFrom('schedule', 'channel') as fc.Arbitrary<'schedule' | 'channel'>
const edgeEventIndex = fc.integer({ min: 0, max: EDGE_SPANS.length - 1 })
const edgeFields = {
  title: fc.option(edgeText, { nil: undefined }),
  start: fc.option(edgeInstant, { nil: undefined }),
  end: fc.option(edgeInstant, { nil: undefined }),
  category: fc.option(edgeText, { nil: undefined }),
  description: fc.option(edgeText, { nil: undefined })
}
const edgeOp = fc.record({ op: fc.constantFrom('add', 'update', 'delete'), index: edgeEventIndex, ...edgeFields, ripple: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['op', 'index'] })

t.test('fuzz the range and control characters: POST …/events, PATCH …/events/:eid, POST …/events/bulk of a schedule and a channel', async (t) => {
  await edgeTimelines()
  await fc.assert(fc.asyncProperty(edgeTimeline, fc.constantFrom('add', 'patch', 'bulk'), fc.array(edgeOp, { minLength: 1, maxLength: 3 }), async (kind, route, ops) => {
    const base = kind === 'schedule' ? `/api/schedules/${edgeScheduleId}` : `/api/channels/${fuzzChannel.id as string}`
    const ids = edgeIds[kind]
    const body = ops.map(({ index, ...op }) => ({ ...op, ...(op.op !== 'add' && { id: ids[index] }) }))
    const [first] = ops
    const { op: _op, index, ripple: _ripple, ...fields } = first
    const request: InjectOptions = route === 'bulk'
      ? { method: 'POST', url: `${base}/events/bulk`, payload: { ops: body } }
      : route === 'add'
        ? { method: 'POST', url: `${base}/events`, payload: { title: 'Edge', start: '9999-12-31T23:00:00Z', end: '9999-12-31T23:30:00Z', ...fields } }
        : { method: 'PATCH', url: `${base}/events/${ids[index]}`, payload: { ...fields, ...(first.ripple !== undefined && { ripple: first.ripple }) } }
    return checked({ ...request, headers: { ...operator, 'content-type': 'application/json' } }, `${request.method} ${request.url}: ${JSON.stringify(request.payload)}`)
  }), options)
  await listsAgree(t)
})

t.test('fuzz the range: builds, overrides and day exports at both ends', async (t) => {
  await edgeTimelines()
  const id = fuzzChannel.id as string
  const writes = fc.oneof(
    fc.record({ from: edgeDate, to: edgeDate, dry_run: fc.boolean() }).map((body) => ({ method: 'POST' as const, url: `/api/channels/${id}/build`, payload: body })),
    fc.record({
      name: edgeText,
      from: edgeDate,
      to: edgeDate,
      events: fc.array(fc.record({ title: edgeText, start: edgeInstant, end: edgeInstant, description: edgeText }), { minLength: 1, maxLength: 2 })
    })
      .map((body) => ({ method: 'POST' as const, url: `/api/channels/${id}/overrides`, payload: body })),
    fc.record({ start_time: edgeInstant, duration_hours: fc.constantFrom(1, 24), name: edgeText, links: fc.constant([{ url: 'https://cdn.example/a.mp4', title: 'A', duration: 1800 }]) })
      .map((body) => ({ method: 'POST' as const, url: '/api/schedules/auto-fill', payload: body }))
  )
  await fc.assert(fc.asyncProperty(writes, async (request) =>
    checked({ ...request, headers: { ...operator, 'content-type': 'application/json' } }, `${request.method} ${request.url}: ${JSON.stringify(request.payload)}`, { ...edgeExpect, refusals: [400, 404, 409, 413, 422] })), options)
  // Reads of those ranges: a 2xx or a refusal in the error shape, never a 5xx.
  const reads = fc.oneof(
    fc.tuple(fc.constantFrom('ffplayout', 'ersatztv'), edgeDate).map(([format, date]) => `/api/channels/${id}/export?format=${format}&date=${date}`),
    fc.tuple(fc.constantFrom('xmltv', 'm3u', 'casparcg'), edgeDate, edgeDate).map(([format, from, to]) => `/api/channels/${id}/export?format=${format}&from=${from}&to=${to}`),
    fc.tuple(edgeInstant, edgeInstant).map(([from, to]) => `/api/channels/${id}/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
    edgeDate.map((date) => `/api/schedules/${edgeScheduleId}/export?format=ffplayout&date=${date}`)
  )
  await fc.assert(fc.asyncProperty(reads, async (url) => check({ method: 'GET', url, headers: operator }, `GET ${url}`, { snapshot: async () => null, refusals: [400, 404, 413] })), options)
  await listsAgree(t)
})

t.test('fuzz control characters in the text fields of every write', async (t) => {
  await edgeTimelines()
  const id = fuzzChannel.id as string
  const json = (method: 'POST' | 'PATCH' | 'PUT', url: string) => (payload: unknown) => ({ method, url, payload: JSON.stringify(payload), headers: { ...operator, 'content-type': 'application/json' } })
  const writes = fc.oneof(
    fc.record({ number: fc.integer({ min: 100, max: 99_999 }).map(String), name: edgeText, timezone: fc.constant('UTC'), group: fc.option(edgeText, { nil: undefined }), logo: fc.option(edgeText.map((s) => `https://cdn.example/${s}.png`), { nil: undefined }) })
      .map(json('POST', '/api/channels')),
    fc.record({ name: fc.option(edgeText, { nil: undefined }), group: fc.option(edgeText, { nil: undefined }) }, { requiredKeys: [] }).map(json('PATCH', `/api/channels/${id}`)),
    fc.record({ id: edgeText, title: edgeText, item: edgeText }).map(({ id: blockId, title, item }) =>
      json('PUT', `/api/channels/${id}/template`)({ blocks: [{ id: blockId, days: ['mon'], start: '10:00', end: '11:00', title, source: { item: { url: 'https://cdn.example/i.mp4', title: item, duration: 600 } } }] })),
    fc.record({ name: edgeText, title: edgeText, description: edgeText }).map(({ name, title, description }) =>
      json('POST', `/api/channels/${id}/overrides`)({ name, from: '2026-05-01', to: '2026-05-01', events: [{ title, description, start: '2026-05-01T10:00:00', end: '2026-05-01T11:00:00' }] })),
    fc.tuple(fc.constantFrom('schedules', 'playlists'), edgeText).map(([kind, name]) => ({
      method: 'POST' as const,
      url: `/api/${kind}/import?name=${encodeURIComponent(name)}`,
      payload: kind === 'schedules' ? JSON.stringify({ schedule: [{ title: 'Named', start: '2026-06-01T10:00:00Z', end: '2026-06-01T11:00:00Z' }] }) : '#EXTM3U\n#EXTINF:60,Named\nhttps://cdn.example/n.mp4\n',
      headers: { ...operator, 'content-type': 'application/octet-stream' }
    }))
  )
  await fc.assert(fc.asyncProperty(writes, async (request) => checked(request, `${request.method} ${request.url}: ${JSON.stringify(request.payload).slice(0, 400)}`, { ...edgeExpect, refusals: [400, 404, 409] })), options)
  await listsAgree(t)
})
