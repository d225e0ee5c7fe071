import t, { type Test } from 'tap'
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildTestApp, KEYS as TEST_KEYS } from './helpers.js'
import { importPlaylist, m3u, setUpChannel } from './channel-fixtures.js'
import type { EditAnswer, History, ProgrammeEditAnswer, UndoAnswer } from '../contract/api.js'

// Edits act on programmes (issue 23 item 2, SPEC §12 and §14) through the real app, real
// workers and the real database (both passes): a built film split into parts by breaks,
// moved, resized into its pad and into the item, deleted, whole; the rebuild after a move
// airs the film once, whole; ripples `day` and `gap` never make an overlap; bulk ops naming a
// programme; If-Match and Idempotency-Key as for events; bad bodies refused whole.

const KEYS = { alice: 'alice-operator-key-0123456789', viewer: 'viewer-key-0123456789abcdef' }
const ENV = { SCHEDULEFLOW_API_KEYS: `Alice:operator:${KEYS.alice},viewer:${KEYS.viewer},operator:${TEST_KEYS.operator}` }
const as = (who: keyof typeof KEYS, extra: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${KEYS[who]}`, ...extra })

const MIN = 60_000
const ZONE = 'Europe/London' // the fixture channel's

interface Event {
  id: string
  title: string
  start: string
  end: string
  video_url: string | null
  pinned: boolean
  in_ms?: number
  programme_id: string | null
  segment_role: 'part' | 'break' | 'pad' | null
  origin: { kind: string, block?: string } | null
}

const ms = (iso: string): number => Date.parse(iso)
const shifted = (iso: string, by: number): string => new Date(ms(iso) + by).toISOString()

/** The channel's local day `days` after today's (YYYY-MM-DD). */
function localDay (days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
  const [y, m, d] = today.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

function ok<T> (t: Test, res: LightMyRequestResponse, status = 200): T {
  t.equal(res.statusCode, status, `${res.statusCode} ${res.statusCode === status ? '' : res.body}`)
  return res.json()
}

async function eventsOf (app: FastifyInstance, channelId: string, from: string, to: string): Promise<Event[]> {
  const events: Event[] = []
  let next: string | undefined = `/api/channels/${channelId}/events?from=${from}&to=${to}&limit=5000`
  while (next !== undefined) {
    const res = await app.inject({ url: next, headers: as('viewer') })
    if (res.statusCode !== 200) throw new Error(res.body)
    const page = res.json() as { events: Event[], next?: string }
    events.push(...page.events)
    next = page.next === undefined ? undefined : `/api${page.next.replace(/^\/api/, '')}`
  }
  return events
}

const revisionOf = async (app: FastifyInstance, id: string): Promise<number> => (await app.inject({ url: `/api/channels/${id}`, headers: as('viewer') })).json().channel.revision

function noOverlap (t: Test, events: Event[], what = 'no two events overlap'): void {
  const sorted = [...events].sort((a, b) => ms(a.start) - ms(b.start))
  t.same(sorted.filter((e, i) => i > 0 && ms(e.start) < ms(sorted[i - 1].end)).map((e) => `${e.title} ${e.start}`), [], what)
}

/** The fixture channel, its default filler ten-minute loops, one day a week ahead built: its first film and that film's programme. */
async function builtFilm (t: Test) {
  const { app } = await buildTestApp(t, ENV)
  const { channel } = await setUpChannel(app)
  const loops = await importPlaylist(app, m3u(20, 'loop', 600, 'Loops'), 'loops')
  ok(t, await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: as('alice'), payload: { default_filler: loops } }))
  const day = localDay(7)
  const build = async (body: Record<string, unknown> = {}) => ok<{ warnings: Array<{ code: string, message: string }> }>(t,
    await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: as('alice'), payload: { from: day, to: day, seed: 'one', ...body } }), 201)
  await build()
  const range: [string, string] = [`${day}T00:00:00`, `${localDay(8)}T00:00:00`]
  const events = await eventsOf(app, channel.id, ...range)
  const first = events.find((e) => e.origin?.block === 'films' && e.segment_role === 'part')!
  const segments = events.filter((e) => e.programme_id === first.programme_id)
  return { app, channel, build, range, events, pid: first.programme_id!, segments, film: first }
}

t.test('the issue: a film split by breaks, moved 10 minutes, moves whole and pinned; a rebuild airs it once, whole', async (t) => {
  const { app, channel, build, range, pid, segments, film } = await builtFilm(t)
  t.ok(segments.filter((s) => s.segment_role === 'part').length > 1 && segments.some((s) => s.segment_role === 'break'), 'the film is parts between breaks')
  const revision = await revisionOf(app, channel.id)

  const res = await app.inject({
    method: 'PATCH', url: `/api/channels/${channel.id}/programmes/${pid}`, headers: as('alice', { 'if-match': `"${revision}"` }), payload: { start: shifted(film.start, 10 * MIN) }
  })
  const moved = ok<ProgrammeEditAnswer>(t, res)
  t.equal(res.headers.etag, `"${revision + 1}"`, 'the new revision as ETag')
  t.match(moved, { status: 'success', revision: revision + 1, programme: { id: pid, kind: 'item', title: film.title, pinned: true, start: shifted(film.start, 10 * MIN) }, warnings: { conflicts: Array } })
  const expected = segments.map((s) => [s.id, shifted(s.start, 10 * MIN), shifted(s.end, 10 * MIN), s.segment_role])
  t.same(moved.programme!.segments.map((s) => [s.event_id, s.start, s.end, s.role]), expected,
    'every segment 10 minutes later, breaks where they were in the film')
  const stored = (await eventsOf(app, channel.id, ...range)).filter((e) => e.programme_id === pid)
  t.same(stored.map((e) => [e.id, e.start, e.pinned]), segments.map((s) => [s.id, shifted(s.start, 10 * MIN), true]), 'stored so, every segment pinned')

  const rebuilt = await build({ freeze_hours: 0 })
  t.same(rebuilt.warnings.filter((w) => w.message.includes(film.title)).map((w) => w.code), [], 'no ITEM_CUT or ITEM_PUSHED of the film')
  const after = await eventsOf(app, channel.id, ...range)
  t.same(after.filter((e) => e.programme_id === pid).map((e) => [e.id, e.start, e.end]), stored.map((e) => [e.id, e.start, e.end]), 'the programme kept whole')
  const parts = after.filter((e) => e.video_url === film.video_url).sort((a, b) => ms(a.start) - ms(b.start))
  t.same(parts.map((e) => e.programme_id), parts.map(() => pid), 'the film airs only in its programme')
  let at = 0
  for (const part of parts) { t.equal(part.in_ms ?? 0, at, `a part of ${film.title} goes on from ${at} ms: nothing aired twice`); at += ms(part.end) - ms(part.start) }
  t.equal(at, 5_400_000, 'the whole 90 minutes air')
  noOverlap(t, after)
})

t.test('resize: into the pad, extending the pad, into the item (item_cut); delete removes every segment', async (t) => {
  const { app, channel, range, pid, segments } = await builtFilm(t)
  const url = `/api/channels/${channel.id}/programmes/${pid}`
  const parts = segments.filter((s) => s.segment_role === 'part')
  const pads = segments.filter((s) => s.segment_role === 'pad')
  t.ok(pads.length > 0, 'the film has its pad')
  const itemEnd = parts.at(-1)!.end
  const end = segments.at(-1)!.end

  const intoPad = ok<ProgrammeEditAnswer>(t, await app.inject({ method: 'PATCH', url, headers: as('alice'), payload: { end: shifted(itemEnd, 5 * MIN) } }))
  t.equal(intoPad.programme?.end, shifted(itemEnd, 5 * MIN))
  t.notOk('item_cut' in intoPad, 'the item is whole: no item_cut')
  t.same(intoPad.programme?.segments.filter((s) => s.role === 'part').map((s) => s.end), parts.map((s) => s.end), 'every part as it was')

  const extended = ok<ProgrammeEditAnswer>(t, await app.inject({ method: 'PATCH', url, headers: as('alice'), payload: { end } }))
  t.match(extended.programme?.segments.at(-1), { role: 'pad', end }, 'extending lengthens the pad')

  const cut = ok<ProgrammeEditAnswer>(t, await app.inject({ method: 'PATCH', url, headers: as('alice'), payload: { end: shifted(itemEnd, -5 * MIN) } }))
  t.match(cut.item_cut, { code: 'ITEM_CUT', programme: pid, cut_ms: 5 * MIN, message: /5 min of the item no longer airs/ }, 'cutting the item is said')
  t.same(cut.programme?.segments.filter((s) => s.role === 'pad'), [], 'the pad went first')
  const refused = await app.inject({ method: 'PATCH', url, headers: as('alice'), payload: { end } })
  t.match(refused, { statusCode: 400 })
  t.match(refused.json(), { status: 'error', code: 'VALIDATION_FAILED', errors: [{ field: 'ops.0.end', message: /no pad to extend/ }] }, 'an item is not stretched past its media')

  const deleted = ok<ProgrammeEditAnswer>(t, await app.inject({ method: 'DELETE', url, headers: as('alice') }))
  t.notOk('programme' in deleted)
  t.same((await eventsOf(app, channel.id, ...range)).filter((e) => e.programme_id === pid), [], 'no segment left')
  t.match(await app.inject({ method: 'DELETE', url, headers: as('alice') }), { statusCode: 404 }, 'gone: 404')

  // Undo, one edit at a time, back to the built programme exactly.
  for (let i = 0; i < 4; i++) ok<UndoAnswer>(t, await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/undo`, headers: as('alice') }))
  t.same((await eventsOf(app, channel.id, ...range)).filter((e) => e.programme_id === pid), segments, 'four undos restore the programme as built')
})

/** A channel with hand-added events (each a programme of one segment) on a winter day (GMT). */
async function handChannel (t: Test, events: Array<[string, string, string]>) {
  const { app } = await buildTestApp(t, ENV)
  const { channel } = await setUpChannel(app)
  const ids: Record<string, string> = {}
  for (const [title, start, end] of events) {
    const added = ok<{ event: { id: string } }>(t, await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/events`, headers: as('alice'), payload: { title, start, end } }), 201)
    ids[title] = added.event.id
  }
  const shown = async (): Promise<string[]> => (await eventsOf(app, channel.id, '2026-12-07T00:00:00', '2026-12-09T00:00:00'))
    .map((e) => `${e.title} ${e.start.slice(8, 10)} ${e.start.slice(11, 16)}-${e.end.slice(11, 16)}`)
  return { app, channel, ids, shown }
}

const DAY = [['A', '2026-12-07T21:00:00', '2026-12-07T22:00:00'], ['B', '2026-12-07T22:30:00', '2026-12-07T23:40:00'], ['Next', '2026-12-08T00:00:00', '2026-12-08T01:00:00']] as Array<[string, string, string]>

t.test('ripple day stops at the day\'s end and makes no overlap; gap pushes only into the next gap', async (t) => {
  const { app, channel, ids, shown } = await handChannel(t, DAY)
  const patch = (pid: string, payload: Record<string, unknown>) => app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/programmes/${pid}`, headers: as('alice'), payload })
  t.equal((await eventsOf(app, channel.id, '2026-12-07T00:00:00', '2026-12-08T00:00:00'))[0].programme_id, ids.A, 'a hand add is a programme of its own')

  const day = ok<ProgrammeEditAnswer>(t, await patch(ids.A, { start: '2026-12-07T21:40:00', ripple: 'day' }))
  t.same(day.moved, [ids.B])
  t.same(await shown(), ['A 07 21:40-22:40', 'B 07 22:50-00:00', 'Next 08 00:00-01:00'], 'B shifted only as far as midnight\'s first event allows, the next day untouched')
  t.equal(day.warnings.conflicts_total, 0, 'no overlap')

  const revision = await revisionOf(app, channel.id)
  const refused = await patch(ids.A, { start: '2026-12-07T22:00:00', ripple: true })
  t.equal(refused.statusCode, 400)
  t.match(refused.json(), { status: 'error', code: 'VALIDATION_FAILED', request_id: String, errors: [{ field: 'ops.0.ripple', message: /no room/ }] }, 'no room left in the day: refused')
  t.equal(await revisionOf(app, channel.id), revision, 'nothing stored')

  const gap = ok<ProgrammeEditAnswer>(t, await patch(ids.A, { start: '2026-12-07T21:45:00', ripple: 'gap' }))
  t.same(await shown(), ['A 07 21:45-22:45', 'B 07 22:50-00:00', 'Next 08 00:00-01:00'], 'gap: the 10 minutes before B absorb 5')
  t.same(gap.moved, [])
  const pushed = ok<{ moved: string[] }>(t, await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/events/${ids.A}`, headers: as('alice'), payload: { start: '2026-12-07T21:40:00', ripple: 'gap' } }))
  t.same(pushed.moved, [], 'an event edit ripples the same way (moved earlier: nothing pushed)')
  noOverlap(t, await eventsOf(app, channel.id, '2026-12-07T00:00:00', '2026-12-09T00:00:00'))
})

t.test('bulk ops name a programme; history and undo work unchanged; If-Match 412 and Idempotency-Key as for events', async (t) => {
  const { app, channel, ids, shown } = await handChannel(t, DAY)
  const before = await shown()
  const bulk = ok<EditAnswer>(t, await app.inject({
    method: 'POST',
    url: `/api/channels/${channel.id}/events/bulk`,
    headers: as('alice'),
    payload: { ops: [{ op: 'update', programme: ids.A, start: '2026-12-07T20:30:00' }, { op: 'delete', programme: ids.B }] }
  }))
  t.match(bulk.results, [{ op: 'update', id: ids.A, programme: { id: ids.A, start: '2026-12-07T20:30:00.000Z', pinned: true } }, { op: 'delete', id: ids.B }])
  t.same(await shown(), ['A 07 20:30-21:30', 'Next 08 00:00-01:00'])
  const history = ok<History>(t, await app.inject({ url: `/api/channels/${channel.id}/history?limit=1`, headers: as('viewer') }))
  t.match(history.history[0], { by: { name: 'Alice' }, changes: { removed: [{ title: 'B' }], changed: [{ before: { title: 'A' }, after: { start: '2026-12-07T20:30:00.000Z' } }] } })
  ok(t, await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/undo`, headers: as('alice') }))
  t.same(await shown(), before, 'undo restores both')

  const revision = await revisionOf(app, channel.id)
  const url = `/api/channels/${channel.id}/programmes/${ids.A}`
  const stale = await app.inject({ method: 'PATCH', url, headers: as('alice', { 'if-match': `"${revision - 1}"` }), payload: { start: '2026-12-07T21:10:00' } })
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { status: 'error', code: 'PRECONDITION_FAILED' })
  t.equal((await app.inject({ method: 'DELETE', url, headers: as('alice', { 'if-match': `"${revision - 1}"` }) })).statusCode, 412)
  t.same(await shown(), before, 'a stale If-Match changes nothing')
  t.equal(await revisionOf(app, channel.id), revision)

  const key = { 'idempotency-key': 'move-a-once' }
  const first = await app.inject({ method: 'PATCH', url, headers: as('alice', key), payload: { start: '2026-12-07T21:05:00' } })
  const again = await app.inject({ method: 'PATCH', url, headers: as('alice', key), payload: { start: '2026-12-07T21:05:00' } })
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(again.json().programme, first.json().programme, 'a repeat answers the first result')
  t.equal(await revisionOf(app, channel.id), revision + 1, 'applied once')
  t.match(await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/programmes/00000000-0000-4000-8000-000000000000`, headers: as('alice'), payload: { pinned: true } }),
    { statusCode: 404 }, 'an unknown programme is a 404')
  t.match((await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/programmes/nope`, headers: as('alice'), payload: { pinned: true } })).json(), { status: 'error', code: 'NOT_FOUND' })
})

t.test('fuzz: a bad programme PATCH body is a 400 in the error shape, and nothing is stored', async (t) => {
  const { app, channel, ids, shown } = await handChannel(t, DAY)
  const before = await shown()
  const revision = await revisionOf(app, channel.id)
  const badValue = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }),
    fc.constantFrom('', 'tomorrow', '2026-13-01T00:00:00', '10000-01-01T00:00:00Z', '0000-12-31T23:00:00Z', '2026-03-29T01:30:00', 'x'.repeat(70)))
  const bad = fc.oneof(
    fc.record({ start: badValue }),
    fc.record({ end: badValue }),
    fc.record({ pinned: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }),
    fc.record({ start: fc.constant('2026-12-07T21:10:00'), ripple: fc.oneof(fc.string().filter((s) => s !== 'day' && s !== 'gap'), fc.integer(), fc.constant(null)) }),
    fc.record({ start: fc.constant('2026-12-07T22:00:00'), end: fc.constantFrom('2026-12-07T21:00:00', '2026-12-07T22:00:00') }),
    fc.record({ start: fc.constant('9999-12-31T23:30:00Z') }),
    fc.record({ end: fc.constant('2026-12-07T22:00:00'), ripple: fc.constantFrom(true, 'day', 'gap') }),
    fc.constant({}),
    fc.dictionary(fc.constantFrom('title', 'id', 'op', 'programme', 'video_url', 'foo'), fc.jsonValue(), { minKeys: 1 }).map((extra) => ({ pinned: true, ...extra }))
  )
  await fc.assert(fc.asyncProperty(bad, async (payload) => {
    const res = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/programmes/${ids.A}`, headers: as('alice'), payload })
    const body = res.json()
    const extra = Object.keys(body).filter((k) => !['status', 'code', 'message', 'request_id', 'errors'].includes(k))
    if (res.statusCode !== 400 || body.status !== 'error' || typeof body.code !== 'string' || typeof body.message !== 'string' || typeof body.request_id !== 'string' || extra.length > 0) {
      throw new Error(`${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`)
    }
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 40) })
  t.same(await shown(), before, 'nothing stored')
  t.equal(await revisionOf(app, channel.id), revision, 'the revision unchanged')
})
