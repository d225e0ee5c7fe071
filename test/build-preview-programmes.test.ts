import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist, m3u, setUpChannel } from './channel-fixtures.js'
import type { BuildDryRun } from '../contract/channels.js'
import type { Programme } from '../contract/programmes.js'

// Issue 27: a dry run with `programmes: true` answers the build's programmes in brief, all of
// them, though its events stop at the first page (SPEC §12): the whole range a preview draws.
// Through the real app (real workers, SQLite, or PostgreSQL on that pass).

const operator = bearer('operator')
const viewer = bearer('viewer')
const ZONE = 'Europe/London' // the fixture channel's

function localDay (days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
  const [y, m, d] = today.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** Every programme GET …/programmes answers in [from, to), page after page. */
async function storedProgrammes (app: FastifyInstance, channelId: string, from: string, to: string): Promise<Programme[]> {
  const all: Programme[] = []
  for (let url: string | undefined = `/api/channels/${channelId}/programmes?from=${from}&to=${to}`; url !== undefined;) {
    const res = await app.inject({ url, headers: viewer })
    if (res.statusCode !== 200) throw new Error(res.body)
    const page = res.json() as { programmes: Programme[], next?: string }
    all.push(...page.programmes)
    url = page.next
  }
  return all
}

t.test('a dry run with programmes: true answers every programme of the range in brief', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUpChannel(app)
  // Three-minute loops as default filler: about 6,000 events over 14 days, past a page of events.
  const loops = await importPlaylist(app, m3u(40, 'loop', 180, 'Loops'), 'loops')
  const patched = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: operator, payload: { default_filler: loops } })
  t.equal(patched.statusCode, 200)
  const range = { from: localDay(1), to: localDay(14), seed: 'whole' }
  const dry = async (extra: Record<string, unknown>) => await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { ...range, dry_run: true, ...extra } })

  const plain = await dry({})
  t.equal(plain.statusCode, 200)
  t.notOk('programmes' in plain.json() || 'programmes_total' in plain.json(), 'without it, no programmes in the answer')

  const res = await dry({ programmes: true })
  t.equal(res.statusCode, 200)
  const answer = res.json() as BuildDryRun
  const briefs = answer.programmes!
  t.ok(answer.events_total > answer.events.length && answer.events.length <= 5000, `events stay one page (${answer.events.length} of ${answer.events_total})`)
  t.equal(answer.programmes_total, briefs.length, 'all of them answered')
  t.equal(briefs[0].start, answer.events[0].start, 'the first programme starts with the first event')

  const stored = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: range })
  t.equal(stored.statusCode, 201)
  const programmes = await storedProgrammes(app, channel.id, `${localDay(0)}T00:00:00Z`, `${localDay(16)}T00:00:00Z`)
  t.equal(briefs.length, programmes.length, 'as many programmes as GET …/programmes answers once stored')
  t.equal(briefs.at(-1)!.end, programmes.at(-1)!.end, 'the last programme ends with the last event')
  t.same(briefs.map((p) => [p.start, p.end, p.kind, p.title]), programmes.map((p) => [p.start, p.end, p.kind, p.title]), 'the same programmes: times, kinds, titles')
  const film = briefs.find((p) => p.bands?.some(([, , role]) => role === 'break'))!
  t.ok(film, 'a film with breaks carries them as bands')
  const whole = programmes.find((p) => p.start === film.start)!
  t.equal(film.category, whole.category)
  t.equal(film.segments, whole.segments.length, 'its segment count')
  const [offset, length] = film.bands![0]
  // Its first break: the back-to-back clips of it one band.
  const at = whole.segments.findIndex((s) => s.role !== 'part')
  const rest = whole.segments.slice(at)
  const stop = rest.findIndex((s, i) => i > 0 && (s.role !== rest[0].role || s.start !== rest[i - 1].end))
  const last = stop === -1 ? rest.at(-1)! : rest[stop - 1]
  t.same([offset, length], [Date.parse(rest[0].start) - Date.parse(whole.start), Date.parse(last.end) - Date.parse(rest[0].start)], 'its first break one band, at its place')

  for (const programmes of ['yes', 1, null]) {
    const bad = await dry({ programmes })
    t.equal(bad.statusCode, 400, `programmes: ${JSON.stringify(programmes)}`)
    t.match(bad.json(), { status: 'error', errors: [{ field: 'programmes' }] })
  }
})
