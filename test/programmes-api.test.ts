import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist, m3u, setUpChannel } from './channel-fixtures.js'

// GET /api/channels/:id/programmes through the real app (real workers, SQLite, or PostgreSQL
// on that pass), SPEC §14: a built day answers one programme per film with its parts, breaks
// and pad; default filler stretches are filler programmes; a placed schedule's event is a
// programme of its own; a programme straddling `from` comes whole; pages join up; 404s.

const operator = bearer('operator')
const viewer = bearer('viewer')

interface Segment { event_id: string, start: string, end: string, role: string, in_ms: number, out_ms: number }
interface Programme {
  id: string
  kind: string
  title: string
  start: string
  end: string
  season?: number
  episode?: number
  pinned: boolean
  segments: Segment[]
}
interface Event { id: string, title: string, start: string, end: string, origin: { kind: string, block?: string } | null, in_ms: number }

const ms = (iso: string): number => Date.parse(iso)
const DAY = { from: '2026-03-24T00:00:00.000Z', to: '2026-03-25T00:00:00.000Z' } // a Tuesday, GMT in London

async function programmesOf (app: FastifyInstance, url: string): Promise<{ programmes: Programme[], next?: string }> {
  const res = await app.inject({ url, headers: viewer })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

async function builtDay (app: FastifyInstance) {
  const fixture = await setUpChannel(app)
  const id = fixture.channel.id
  // Ten-minute loops as the default filler: fewer events than the fixture's 30-second idents.
  const loops = await importPlaylist(app, m3u(20, 'loop', 600, 'Loops'), 'loops')
  t.equal((await app.inject({ method: 'PATCH', url: `/api/channels/${id}`, headers: operator, payload: { default_filler: loops } })).statusCode, 200)
  const talk = '<programme start="20260324120000 +0000" stop="20260324130000 +0000" channel="live"><title>Noon talk</title><desc>Live from the studio.</desc></programme>'
  const imported = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/xml' }, payload: `<?xml version="1.0"?><tv><channel id="live"><display-name>Live</display-name></channel>${talk}</tv>` })
  t.equal(imported.statusCode, 201, imported.body)
  t.equal((await app.inject({ method: 'PUT', url: `/api/schedules/${imported.json().schedule_id}/channel`, headers: operator, payload: { channel_id: id } })).statusCode, 200)
  const built = await app.inject({ method: 'POST', url: `/api/channels/${id}/build`, headers: operator, payload: { from: '2026-03-24', to: '2026-03-24', seed: 'abc' } })
  t.equal(built.statusCode, 201, built.body)
  const events = await app.inject({ url: `/api/channels/${id}/events?from=${DAY.from}&to=${DAY.to}`, headers: viewer })
  return { id, events: events.json().events as Event[] }
}

t.test('a built day: one programme per film with its parts, breaks and pad; filler stretches; the placed talk its own', async (t) => {
  const { app } = await buildTestApp(t)
  const { id, events } = await builtDay(app)
  const { programmes, next } = await programmesOf(app, `/api/channels/${id}/programmes?from=${DAY.from}&to=${DAY.to}`)
  t.equal(next, undefined, 'one page')

  const segmentIds = programmes.flatMap((p) => p.segments.map((s) => s.event_id))
  t.same([...segmentIds].sort(), events.map((e) => e.id).sort(), 'every event of the day is a segment of exactly one programme')
  t.same(programmes.filter((p, i) => i > 0 && ms(p.start) < ms(programmes[i - 1].end)).map((p) => p.start), [], 'programmes in order, none overlapping')

  const filmAirings = events.filter((e) => e.origin?.block === 'films' && e.origin.kind === 'item' && e.in_ms === 0)
  const films = programmes.filter((p) => p.kind === 'item' && p.segments.some((s) => s.role === 'break'))
  t.ok(filmAirings.length >= 1, 'the films block aired a film')
  t.equal(films.length, filmAirings.length, 'one programme per film airing')
  for (const film of films) {
    const parts = film.segments.filter((s) => s.role === 'part')
    t.ok(parts.length > 1, `${film.title}: in parts between breaks`)
    t.ok(parts.every((s, i) => i === 0 || s.in_ms === parts[i - 1].out_ms), `${film.title}: each part goes on where the last stopped`)
    t.ok(film.segments.every((s) => s.out_ms === s.in_ms + ms(s.end) - ms(s.start)), `${film.title}: out_ms is in_ms plus the length`)
    t.ok(film.segments.every((s, i) => i === 0 || s.start === film.segments[i - 1].end), `${film.title}: segments back to back`)
    t.equal(film.title, events.find((e) => e.id === parts[0].event_id)!.title, `${film.title}: the film's title`)
    t.equal(film.pinned, false)
  }
  const last = films.at(-1)!
  t.equal(last.segments.at(-1)!.role, 'pad', 'the last film is padded to the block\'s end')
  t.equal(last.end, '2026-03-24T23:00:00.000Z', 'its pad is its own: the programme ends with the block')

  const filler = programmes.filter((p) => p.kind === 'filler')
  t.ok(filler.length > 0 && filler.every((p) => p.title === 'Campus TV'), 'default filler stretches: filler programmes titled by the channel\'s name')
  t.ok(filler.every((p, i) => i === 0 || ms(p.start) > ms(filler[i - 1].end)), 'one programme per stretch: no two filler programmes touch')
  const talk = programmes.find((p) => p.title === 'Noon talk')!
  t.match(talk, { kind: 'item', start: '2026-03-24T12:00:00.000Z', end: '2026-03-24T13:00:00.000Z', description: 'Live from the studio.', segments: [{ role: 'part', in_ms: 0, out_ms: 3_600_000 }] }, 'the placed schedule\'s event, with its description')
  t.ok([...films, ...filler].every((p) => !('description' in p) && !('year' in p)), 'a playlist\'s films and the filler have none: no description or year is made up')
  t.equal(talk.id, talk.segments[0].event_id, 'its id is its event\'s')

  t.equal((await app.inject({ method: 'PATCH', url: `/api/channels/${id}`, headers: operator, payload: { filler_title: 'Music all night' } })).statusCode, 200)
  const retitled = await programmesOf(app, `/api/channels/${id}/programmes?from=${DAY.from}&to=${DAY.to}`)
  t.ok(retitled.programmes.filter((p) => p.kind === 'filler').every((p) => p.title === 'Music all night'), 'filler_title titles them')

  // A range starting inside a film: that film comes whole, its first part before `from`.
  const middle = new Date(ms(films[0].start) + 20 * 60_000).toISOString()
  const straddling = await programmesOf(app, `/api/channels/${id}/programmes?from=${middle}&to=${DAY.to}`)
  t.same(straddling.programmes[0], films[0], 'the film on air at `from`, whole')
})

t.test('pages join up into the whole answer; the next link is relative', async (t) => {
  const { app } = await buildTestApp(t)
  const { id } = await builtDay(app)
  const whole = await programmesOf(app, `/api/channels/${id}/programmes?from=${DAY.from}&to=${DAY.to}`)
  const paged: Programme[] = []
  let pages = 0
  for (let url: string | undefined = `/api/channels/${id}/programmes?from=${DAY.from}&to=${DAY.to}&limit=3`; url !== undefined; pages++) {
    const page = await programmesOf(app, url)
    t.ok(page.programmes.length <= 3)
    if (page.next !== undefined) t.match(page.next, new RegExp(`^/api/channels/${id}/programmes\\?`), 'a relative URL')
    paged.push(...page.programmes)
    url = page.next
  }
  t.equal(pages, Math.ceil(whole.programmes.length / 3), 'full pages until the last')
  t.same(paged, whole.programmes, 'the pages are the whole answer, in order, none twice')
  const now = await programmesOf(app, `/api/channels/${id}/programmes`)
  t.same(now.programmes, [], 'by default now → now + 7 days: nothing built there')
})

t.test('404 for a channel that is not there; 400 for a bad cursor or limit', async (t) => {
  const { app } = await buildTestApp(t)
  const { id } = await builtDay(app)
  for (const url of ['/api/channels/00000000-0000-4000-8000-000000000000/programmes', '/api/channels/not-a-channel/programmes']) {
    const res = await app.inject({ url, headers: viewer })
    t.equal(res.statusCode, 404, url)
    t.match(res.json(), { status: 'error', code: 'NOT_FOUND', message: String, request_id: String })
  }
  for (const [query, field] of [['cursor=nonsense!', 'cursor'], ['limit=0', 'limit']]) {
    const res = await app.inject({ url: `/api/channels/${id}/programmes?${query}`, headers: viewer })
    t.equal(res.statusCode, 400, query)
    t.match(res.json(), { status: 'error', errors: [{ field }] }, `${query}: names ${field}`)
  }
  t.equal((await app.inject({ url: `/api/channels/${id}/programmes` })).statusCode, 401, 'a key is needed')
})
