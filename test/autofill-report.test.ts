import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'

// Issue 11 items 6–9: what an auto-fill tells the person who asked for it. Cut and padded
// items, the cooldown overrides a short playlist forces, the whole decision log, and every
// time in the request's zone. Numbers are checked against the stored events.

const operator = bearer('operator')
const HOUR = 3_600_000

interface StoredEvent { title: string, start: string, end: string, duration: number, video_url: string }
interface Link { url: string, title: string, duration?: number }

async function autoFill (app: FastifyInstance, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: body })
}
async function storedEvents (app: FastifyInstance, id: string): Promise<StoredEvent[]> {
  return (await app.inject({ url: `/api/schedules/${id}`, headers: operator })).json().events
}
async function allDecisions (app: FastifyInstance, id: string): Promise<string[]> {
  const decisions: string[] = []
  for (;;) {
    const page = (await app.inject({ url: `/api/schedules/${id}/decisions?offset=${decisions.length}&limit=500`, headers: bearer('viewer') })).json()
    if (page.decisions.length === 0) return decisions
    decisions.push(...page.decisions)
  }
}

const FILM: Link = { url: 'https://cdn.example/film.mp4', title: 'Film', duration: 68 * 60 }
const SPOT: Link = { url: 'https://cdn.example/spot.mp4', title: 'Spot', duration: 30 }
const HALF: Link = { url: 'https://cdn.example/half.mp4', title: 'Half', duration: 30 * 60 }
const UNKNOWN: Link = { url: 'https://cdn.example/live.m3u8', title: 'Live' }

t.test('fixed slots: the stats and decisions say how many items were cut or padded, and by how much', async (t) => {
  const { app } = await buildTestApp(t)
  const links = [FILM, SPOT, HALF, UNKNOWN]
  const res = await autoFill(app, { links, start_time: '2025-06-02T00:00:00Z', duration_hours: 12, slot_minutes: 30, cooldown_hours: 0, seed: 'slots' })
  t.equal(res.statusCode, 201)
  const answer = res.json()
  const events = await storedEvents(app, answer.schedule.id)
  t.equal(events.length, 24)

  // From the stored events and each item's own length: what was cut and what padded.
  const own = new Map(links.map((l) => [l.url, l.duration]))
  let cut = 0; let cutSeconds = 0; let padded = 0; let paddedSeconds = 0
  for (const e of events) {
    const length = own.get(e.video_url)
    if (length === undefined) continue // unknown length: neither
    if (length > e.duration) { cut++; cutSeconds += length - e.duration }
    if (length < e.duration) { padded++; paddedSeconds += e.duration - length }
  }
  t.ok(cut > 0 && padded > 0, 'the fill aired both long and short items')
  t.match(answer.stats, { items_cut: cut, cut_seconds: cutSeconds, items_padded: padded, padded_seconds: paddedSeconds })

  const decisions = await allDecisions(app, answer.schedule.id)
  const cutSaid = decisions.filter((d) => /"Film" cut to the 30 min slot: it runs 1 h 8 min, so 38 min of it is not aired/.test(d))
  const padSaid = decisions.filter((d) => /"Spot" padded to the 30 min slot: it runs 30 s, so 29 min 30 s of the slot is left over/.test(d))
  t.equal(cutSaid.length, cut, 'one decision per cut item, with how much')
  t.equal(padSaid.length, padded, 'one decision per padded item, with how much')
  t.notOk(decisions.some((d) => /"(Half|Live)" (cut|padded)/.test(d)), 'an item that fits, or of unknown length, is neither')
  t.match(answer.warnings, [{ kind: 'items_cut', count: cut }, { kind: 'items_padded', count: padded }])

  const backToBack = (await autoFill(app, { links, start_time: '2025-07-01T00:00:00Z', duration_hours: 12, cooldown_hours: 0, seed: 'real', dry_run: true })).json()
  t.match(backToBack.stats, { items_cut: 0, cut_seconds: 0, items_padded: 0, padded_seconds: 0 }, 'back to back, nothing is cut or padded')
  t.ok(backToBack.events.every((e: StoredEvent) => e.duration === (own.get(e.video_url) ?? 1800)), 'each item runs its own length')
  t.same(backToBack.warnings, [])
})

t.test('a playlist shorter than the cooldown: the forced overrides are said before storing, and each is flagged', async (t) => {
  const { app } = await buildTestApp(t)
  const links = [FILM, SPOT, HALF]
  // 12 h of 30-minute slots, a 48 h cooldown: each link airs once, 21 of 24 slots must override.
  const request = { links, start_time: '2025-06-02T00:00:00Z', duration_hours: 12, slot_minutes: 30, cooldown_hours: 48, seed: 'forced' }
  const dry = (await autoFill(app, { ...request, dry_run: true })).json()
  const forced = { kind: 'cooldown_forced', count: 21, share: 21 / 24 }
  t.match(dry.warnings, [forced], 'a dry run warns')
  t.match(dry.warnings[0].message, /The 3 links run 1 h 30 min in all, less than the 48 h cooldown: at least 21 of 24 slots \(87%\) will air a video inside its cooldown/)
  const real = await autoFill(app, request)
  t.equal(real.statusCode, 201)
  t.match(real.json().warnings, [forced], 'and so does the real run')
  t.equal(real.json().stats.cooldown_overrides, 21, 'with nothing stored around it, the forecast is exact')
  const flagged = real.json().events.filter((e: { cooldown_override: boolean }) => e.cooldown_override).length
  t.equal(flagged, 21, 'each override is flagged on its event')

  // The stored events: 21 of them replay a video less than 48 h after its previous start.
  const events = await storedEvents(app, real.json().schedule.id)
  const last = new Map<string, number>()
  let replays = 0
  for (const e of events) {
    const start = Date.parse(e.start)
    if (last.has(e.video_url) && start - last.get(e.video_url)! < 48 * HOUR) replays++
    last.set(e.video_url, start)
  }
  t.equal(replays, 21)

  // Back to back the share is of airtime; with gaps asked for, the forced part stays empty.
  const airtime = (await autoFill(app, { links, start_time: '2025-08-01T00:00:00Z', duration_hours: 10, cooldown_hours: 48, when_exhausted: 'gap', dry_run: true })).json()
  const total = (68 * 60 + 30 + 30 * 60) * 1000
  t.match(airtime.warnings, [{ kind: 'cooldown_forced', share: 1 - total / (10 * HOUR) }])
  t.match(airtime.warnings[0].message, /at least 83% of the airtime will be left empty/)
  t.notOk('count' in airtime.warnings[0], 'no slot count without slots')

  const enough = (await autoFill(app, { ...request, start_time: '2025-09-01T00:00:00Z', cooldown_hours: 1, dry_run: true })).json()
  t.same(enough.warnings.filter((w: { kind: string }) => w.kind === 'cooldown_forced'), [], 'no warning when the links outlast the cooldown')
  t.equal(enough.stats.cooldown_overrides, 0)
})

t.test('the decision log: the answer says how many it leaves out, and the API pages through all of them', async (t) => {
  const { app } = await buildTestApp(t)
  const request = { links: [FILM, SPOT, HALF], start_time: '2025-06-02T00:00:00Z', duration_hours: 100, slot_minutes: 30, cooldown_hours: 48, seed: 'log' }
  const dryFirst = (await autoFill(app, { ...request, dry_run: true })).json()
  const drySecond = (await autoFill(app, { ...request, dry_run: true, decisions_offset: 500 })).json()
  const res = await autoFill(app, request)
  const answer = res.json()
  const total = answer.decisions_total
  t.ok(total > 500, `a long fill makes many decisions (${total})`)
  t.equal(answer.decisions.length, 500)
  t.match(answer, { decisions_offset: 0, decisions_omitted: total - 500 })

  const id = answer.schedule.id
  const all = await allDecisions(app, id)
  t.equal(all.length, total, 'every decision is stored')
  t.same(all.slice(0, 500), answer.decisions, 'the answer is the first page')
  t.same(dryFirst.decisions, answer.decisions, 'a dry run with the same seed decides the same')
  t.same(drySecond.decisions, all.slice(500, 1000), 'and pages with decisions_offset')
  t.match(drySecond, { decisions_offset: 500, decisions_omitted: total - drySecond.decisions.length })
  t.match((await app.inject({ url: `/api/schedules/${id}/decisions?offset=10&limit=5`, headers: operator })).json(),
    { schedule_id: id, offset: 10, limit: 5, total, decisions: all.slice(10, 15) })

  for (const query of ['offset=-1', 'offset=x', 'limit=0', 'limit=501', 'limit=', 'offset=1e3x']) {
    const bad = await app.inject({ url: `/api/schedules/${id}/decisions?${query}`, headers: operator })
    t.equal(bad.statusCode, 400, query)
    t.match(bad.json(), { status: 'error', code: String, message: String, request_id: String })
  }
  for (const offset of [-1, 1.5, 'a', true]) {
    const bad = await autoFill(app, { ...request, dry_run: true, decisions_offset: offset })
    t.equal(bad.statusCode, 400, `decisions_offset ${JSON.stringify(offset)}`)
    t.match(bad.json().errors, [{ field: 'decisions_offset' }])
  }
  const imported = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: { schedule: [{ title: 'A', start: '2025-01-01T00:00:00Z', end: '2025-01-01T01:00:00Z' }] } })
  t.match((await app.inject({ url: `/api/schedules/${imported.json().schedule.id}/decisions`, headers: operator })).json(), { total: 0, decisions: [] }, 'an imported schedule has no decisions')
  t.equal((await app.inject({ url: '/api/schedules/7f1d7c36-3a40-4c2a-9b8e-8f0a2d1c0b11/decisions', headers: operator })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${id}`, headers: bearer('admin') })).statusCode, 200)
  t.equal((await app.inject({ url: `/api/schedules/${id}/decisions`, headers: operator })).statusCode, 404, 'the decisions go with their schedule')
})

t.test('decision times and the default name are in the request\'s zone, named', async (t) => {
  const { app } = await buildTestApp(t)
  const berlin = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  // Over the spring-forward night: 02:00 local does not exist, 03:00 follows 01:59.
  const res = await autoFill(app, { links: [FILM, SPOT, HALF], start_time: '2026-03-29T00:00', timezone: 'Europe/Berlin', duration_hours: 6, slot_minutes: 30, cooldown_hours: 0, seed: 'zone' })
  const answer = res.json()
  t.equal(answer.schedule.name, 'Auto-fill 2026-03-29 00:00 Europe/Berlin, 6 h')
  const events = await storedEvents(app, answer.schedule.id)
  const cut = events.filter((e) => e.title === 'Film')
  t.ok(cut.some((e) => Date.parse(e.start) >= Date.parse('2026-03-29T01:00:00Z')), 'some cut film airs after the change')
  const said = answer.decisions.filter((d: string) => /"Film" cut/.test(d)).map((d: string) => d.slice(0, d.indexOf(': ')))
  t.same(said, cut.map((e) => `${berlin.format(Date.parse(e.start))} Europe/Berlin`), 'each decision names the local time of its slot, and the zone')

  const utc = (await autoFill(app, { links: [HALF], start_time: '2026-03-29T00:00:00Z', duration_hours: 2, dry_run: true })).json()
  t.equal(utc.schedule.name, 'Auto-fill 2026-03-29 00:00 UTC, 2 h')
})
