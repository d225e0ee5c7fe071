import t from 'tap'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist, m3u, setUpChannel } from './channel-fixtures.js'

// Breaks belong to programmes (SPEC §15), through the real app (real workers, SQLite, or
// PostgreSQL on that pass): a built day read back from GET /api/channels/:id/programmes has each
// film's breaks at every_minutes from the film's own start, none within min_gap_minutes of its
// start or end, each break opened and closed by its bumpers and made of distinct idents; a
// `between` block never breaks inside a programme; the segments' in/out points join up; a
// bumper playlist that does not exist is refused by name.

const operator = bearer('operator')
const viewer = bearer('viewer')
const MIN = 60_000
const DAY = { from: '2026-03-24T00:00:00.000Z', to: '2026-03-25T00:00:00.000Z' } // a Tuesday, GMT in London

interface Segment { event_id: string, start: string, end: string, role: string, in_ms: number, out_ms: number }
interface Programme { id: string, kind: string, title: string, start: string, end: string, segments: Segment[] }
interface Event { id: string, title: string, origin: { kind: string, block?: string } | null }

const ms = (iso: string): number => Date.parse(iso)

/** Each run of break segments in a programme: the in_ms of the part after it (null: none after it), and its segments. */
function breaksIn (p: Programme): Array<{ offset: number | null, segments: Segment[] }> {
  const found: Array<{ offset: number | null, segments: Segment[] }> = []
  p.segments.forEach((s, i) => {
    if (s.role !== 'break') return
    if (p.segments[i - 1]?.role === 'break') found.at(-1)!.segments.push(s)
    else found.push({ offset: null, segments: [s] })
    const next = p.segments[i + 1]
    if (next?.role === 'part') found.at(-1)!.offset = next.in_ms
  })
  return found
}

t.test('a built day: film breaks at 30 and 60 minutes into each film, framed by bumpers; the between block never breaks inside', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, fillers, template } = await setUpChannel(app)
  const opens = await importPlaylist(app, m3u(2, 'open', 5, 'Bumpers'), 'opens')
  const closes = await importPlaylist(app, m3u(2, 'close', 4, 'Bumpers'), 'closes')
  const shorts = await importPlaylist(app, m3u(6, 'short', 600, 'Shorts'), 'shorts')
  const filmBreaks = { every_minutes: 30, max_seconds: 90, filler: fillers, min_gap_minutes: 5, bumper_in: opens, bumper_out: closes }
  const blocks = [
    // Films until 23:45: two 90-minute films and their breaks fit, then pad.
    ...template.blocks.map((b) => b.id === 'films' ? { ...b, end: '23:45', breaks: filmBreaks } : b),
    { id: 'shorts', days: ['tue'], start: '14:00', end: '16:00', source: { playlist: shorts }, order: 'shuffle', fill: 'pad', filler: fillers, breaks: { every_minutes: 25, max_seconds: 60, filler: fillers, at: 'between' } }
  ]
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: { ...template, blocks } })
  t.equal(put.statusCode, 200, put.statusCode === 200 ? 'template stored' : put.body)
  t.same(put.json().template.blocks.find((b: { id: string }) => b.id === 'films').breaks, { ...filmBreaks, at: 'within' }, 'the breaks are stored as sent, at within by default')
  const built = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { from: '2026-03-24', to: '2026-03-24', seed: 'abc' } })
  t.equal(built.statusCode, 201, built.statusCode === 201 ? 'built' : built.body)

  const res = await app.inject({ url: `/api/channels/${channel.id}/programmes?from=${DAY.from}&to=${DAY.to}`, headers: viewer })
  t.equal(res.statusCode, 200, res.statusCode === 200 ? 'programmes read' : res.body)
  const programmes: Programme[] = res.json().programmes
  const events: Event[] = (await app.inject({ url: `/api/channels/${channel.id}/events?from=${DAY.from}&to=${DAY.to}`, headers: viewer })).json().events
  const eventOf = new Map(events.map((e) => [e.id, e]))
  const blockOf = (p: Programme): string | undefined => eventOf.get(p.segments[0].event_id)?.origin?.block

  const filmProgrammes = programmes.filter((p) => p.kind === 'item' && blockOf(p) === 'films')
  t.ok(filmProgrammes.length >= 2, `${filmProgrammes.length} films`)
  for (const film of filmProgrammes) {
    const parts = film.segments.filter((s) => s.role === 'part')
    const length = parts.reduce((sum, s) => sum + s.out_ms - s.in_ms, 0)
    t.ok(parts.every((s, i) => s.in_ms === (i === 0 ? 0 : parts[i - 1].out_ms)), `${film.title}: each part goes on where the last stopped`)
    t.equal(length, 90 * MIN, `${film.title}: its parts make its 90 minutes`)
    const inside = breaksIn(film).filter((b) => b.offset !== null).map((b) => b.offset! / MIN)
    t.same(inside, [30, 60], `${film.title}: breaks 30 and 60 minutes in (90 is its end)`)
    for (const b of breaksIn(film)) {
      const titles = b.segments.map((s) => eventOf.get(s.event_id)!.title)
      const idents = titles.slice(1, -1)
      t.ok(titles[0].startsWith('open') && titles.at(-1)!.startsWith('close'), `${film.title}: a break opened by bumper_in, closed by bumper_out (${titles.join(', ')})`)
      t.ok(idents.length > 0 && idents.every((x) => x.startsWith('ident')) && new Set(idents).size === idents.length, `${film.title}: distinct idents between the bumpers`)
      t.ok(ms(b.segments.at(-1)!.end) - ms(b.segments[0].start) <= 90_000, `${film.title}: the break, bumpers included, within 90 s`)
    }
  }

  const shortProgrammes = programmes.filter((p) => p.kind === 'item' && blockOf(p) === 'shorts')
  t.ok(shortProgrammes.length >= 6, `${shortProgrammes.length} shorts`)
  t.ok(shortProgrammes.every((p) => p.segments.filter((s) => s.role === 'part').length === 1), 'between: every short airs in one part')
  const withBreak = shortProgrammes.filter((p) => breaksIn(p).length > 0)
  t.ok(withBreak.length > 0 && withBreak.length < shortProgrammes.length, `between: a break after some shorts (${withBreak.length} of ${shortProgrammes.length}), once 25 minutes ran`)
})

t.test('a bumper playlist that does not exist: 400 naming it, nothing stored', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, template, fillers } = await setUpChannel(app)
  const missing = '00000000-0000-4000-8000-000000000000'
  const blocks = template.blocks.map((b) => b.id === 'films' ? { ...b, breaks: { every_minutes: 30, max_seconds: 90, filler: fillers, bumper_out: missing } } : b)
  const before = (await app.inject({ url: `/api/channels/${channel.id}/template`, headers: viewer })).body
  const res = await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: { ...template, blocks } })
  t.equal(res.statusCode, 400, 'refused: 400')
  t.match(res.json(), { status: 'error', code: 'VALIDATION_FAILED', request_id: String, errors: [{ field: 'blocks.1.breaks.bumper_out' }] })
  t.equal((await app.inject({ url: `/api/channels/${channel.id}/template`, headers: viewer })).body, before, 'the template is unchanged')
})
