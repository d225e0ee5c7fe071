import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist } from './channel-fixtures.js'

// SPEC §15, sequential blocks continue from what airs, through the real app (real workers,
// SQLite, or PostgreSQL on that pass): a weekly rebuild with a freeze horizon goes on from the
// kept episodes, and `at_end` says what a block does after the last one. Ranges are taken from
// the real now, as an operator's rebuild is.

const operator = bearer('operator')
const viewer = bearer('viewer')
const ZONE = 'Europe/London'

interface Event {
  id: string, title: string, start: string, end: string, pinned: boolean, programme_id: string | null, origin: { kind: string, block?: string } | null
}
interface Warning { code: string, message: string, block?: string }

/** The channel's local day `days` after today's (YYYY-MM-DD). */
function localDay (days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now())
  const [y, m, d] = today.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** A series of `count` episodes of 25 minutes, titled "Harbour Lights S02E01"…, in airing order. */
function series (count: number): string {
  const lines = ['#EXTM3U']
  for (let i = 1; i <= count; i++) {
    const code = `S02E${String(i).padStart(2, '0')}`
    lines.push(`#EXTINF:1500 group-title="Series",Harbour Lights ${code}`, `https://cdn.example/harbour-${code}.mp4`)
  }
  return lines.join('\n') + '\n'
}

async function call (app: FastifyInstance, method: 'POST' | 'PUT', url: string, payload: unknown, status: number) {
  const res = await app.inject({ method, url, headers: operator, payload: payload as Record<string, unknown> })
  if (res.statusCode !== status) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** Channel 7 with a daily 18:00–19:00 series block (two episodes a day) over a loop of promos. */
async function setUp (app: FastifyInstance, episodes: number, block: Record<string, unknown> = {}, number = '7') {
  const harbour = await importPlaylist(app, series(episodes), 'harbour')
  const loops = await importPlaylist(app, ['#EXTM3U', ...Array.from({ length: 6 }, (_, i) => `#EXTINF:600,Promo ${i + 1}\nhttps://cdn.example/promo${i}.mp4`)].join('\n') + '\n', 'promos')
  const { channel } = await call(app, 'POST', '/api/channels', { number, name: `Campus TV ${number}`, timezone: ZONE, default_filler: loops }, 201)
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  await call(app, 'PUT', `/api/channels/${channel.id}/template`, {
    blocks: [{ id: 'harbour', days, start: '18:00', end: '19:00', source: { playlist: harbour }, order: 'sequential', fill: 'pad', filler: loops, ...block }]
  }, 200)
  return { channel, harbour }
}

async function seriesAired (app: FastifyInstance, channelId: string, from: string, to: string): Promise<Event[]> {
  const res = await app.inject({ url: `/api/channels/${channelId}/events?from=${from}&to=${to}`, headers: viewer })
  if (res.statusCode !== 200) throw new Error(res.body)
  return (res.json().events as Event[]).filter((e) => e.origin?.kind === 'item' && e.origin.block === 'harbour')
}

const episode = (e: Event): number => Number(/E(\d+)$/.exec(e.title)![1])

t.test('a rebuild with another seed and freeze_hours 48 continues the series after its frozen episodes', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app, 40)
  const range = { from: localDay(-1), to: localDay(12) }
  const first = await call(app, 'POST', `/api/channels/${channel.id}/build`, { ...range, seed: 'one' }, 201)
  t.same(first.warnings.filter((w: Warning) => w.block === 'harbour'), [], 'the first build says nothing of the series')
  const before = await seriesAired(app, channel.id, range.from, localDay(13))
  t.same(before.map(episode), Array.from({ length: 28 }, (_, i) => i + 1), 'fourteen days air E01…E28 in order')

  const rebuilt = await call(app, 'POST', `/api/channels/${channel.id}/build`, { ...range, seed: 'two', freeze_hours: 48 }, 201)
  t.ok(rebuilt.stats.kept_frozen > 0, 'the next 48 hours are kept')
  t.same(rebuilt.warnings.filter((w: Warning) => w.block === 'harbour'), [], 'no warning: nothing restarted, nothing wrapped')
  const after = await seriesAired(app, channel.id, range.from, localDay(13))
  const beforeIds = new Set(before.map((e) => e.id))
  const frozen = after.filter((e) => beforeIds.has(e.id))
  t.ok(frozen.length >= 4, `episodes were frozen (${frozen.map((e) => e.title).join(', ')})`)
  t.ok(after.length > frozen.length, 'and episodes after them rebuilt')
  t.same(after.map(episode), Array.from({ length: 28 }, (_, i) => i + 1), 'the series goes on after the frozen episodes: no episode repeats or restarts')
  const next = after[frozen.length]
  t.equal(episode(next), episode(frozen.at(-1)!) + 1, `after the frozen ${frozen.at(-1)!.title} comes ${next.title}`)
})

t.test('an episode moved by hand in the middle of the range airs once, in its place; the series goes on after it', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app, 40)
  const range = { from: localDay(1), to: localDay(10) }
  await call(app, 'POST', `/api/channels/${channel.id}/build`, { ...range, seed: 'one' }, 201)
  const before = await seriesAired(app, channel.id, range.from, localDay(11))
  const moved = before[10] // the first episode of the sixth day: E11 at 18:00
  t.equal(moved.title, 'Harbour Lights S02E11')
  const later = new Date(Date.parse(moved.start) + 10 * 60_000).toISOString()
  const patched = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/programmes/${moved.programme_id}`, headers: operator, payload: { start: later } })
  t.equal(patched.statusCode, 200, patched.body)

  const rebuilt = await call(app, 'POST', `/api/channels/${channel.id}/build`, { ...range, seed: 'two', freeze_hours: 48 }, 201)
  t.ok(rebuilt.stats.kept_pinned > 0, 'the moved episode is kept (pinned)')
  t.same(rebuilt.warnings.filter((w: Warning) => w.block === 'harbour'), [], 'nothing pushed, restarted or wrapped')
  const after = await seriesAired(app, channel.id, range.from, localDay(11))
  t.same(after.map(episode), Array.from({ length: 20 }, (_, i) => i + 1), 'E01…E20, each once: E11 is not aired again before or after its moved airing')
  t.same(after.filter((e) => e.title === moved.title).map((e) => [e.id, e.start, e.pinned]), [[moved.id, later, true]], 'E11 airs once, where it was moved to')
  t.equal(after[11].start, after[10].end, 'E12 follows it at once')
})

t.test('a block pointed at a re-import of its playlist goes on by item identity; a series whose last item is gone starts again, said', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app, 6)
  const template = async (playlist: string): Promise<void> => {
    const current = (await app.inject({ url: `/api/channels/${channel.id}/template`, headers: viewer })).json().template
    current.blocks[0].source = { playlist }
    await call(app, 'PUT', `/api/channels/${channel.id}/template`, current, 200)
  }
  await call(app, 'POST', `/api/channels/${channel.id}/build`, { from: localDay(1), to: localDay(3), seed: 'one' }, 201)
  t.same((await seriesAired(app, channel.id, localDay(1), localDay(4))).map(episode), [1, 2, 3, 4, 5, 6], 'E01…E06')

  await template(await importPlaylist(app, series(8), 'harbour-again'))
  const next = await call(app, 'POST', `/api/channels/${channel.id}/build`, { from: localDay(4), to: localDay(4), seed: 'one' }, 201)
  t.same((await seriesAired(app, channel.id, localDay(4), localDay(5))).map(episode), [7, 8], 'the new playlist\'s E07 follows E06')
  t.same(next.warnings.filter((w: Warning) => w.block === 'harbour'), [], 'no SEQUENTIAL_RESTARTED')

  const other = await importPlaylist(app, series(12).replace(/Harbour Lights/g, 'Iron Meadow').replace(/harbour-/g, 'meadow-'), 'meadow')
  await template(other)
  const restarted = await call(app, 'POST', `/api/channels/${channel.id}/build`, { from: localDay(5), to: localDay(5), seed: 'one' }, 201)
  t.same((await seriesAired(app, channel.id, localDay(5), localDay(6))).map((e) => e.title), ['Iron Meadow S02E01', 'Iron Meadow S02E02'], 'another series starts at its first item')
  t.match(restarted.warnings.filter((w: Warning) => w.block === 'harbour'),
    [{ code: 'SEQUENTIAL_RESTARTED', message: /its last aired item "Harbour Lights S02E08" is no longer in the playlist/ }], 'said, naming the missing item')
})

t.test('at_end: loop wraps and says so once, stop leaves the rest to the fill rule, repeat_last airs the last again', async (t) => {
  const { app } = await buildTestApp(t)
  const range = { from: localDay(1), to: localDay(3) }
  const aired = async (atEnd: string | null, number: string) => {
    const { channel } = await setUp(app, 3, atEnd === null ? {} : { at_end: atEnd }, number)
    const built = await call(app, 'POST', `/api/channels/${channel.id}/build`, { ...range, seed: 'one', dry_run: true }, 200)
    const events = (built.events as Array<Event & { origin: { kind: string } }>).filter((e) => e.origin?.block === 'harbour')
    return { built, titles: events.filter((e) => e.origin.kind === 'item').map(episode), fillers: events.filter((e) => e.origin.kind === 'filler').length }
  }
  const loop = await aired(null, '7')
  t.same(loop.titles, [1, 2, 3, 1, 2, 3], 'loop (the default): E01 again after E03')
  t.match(loop.built.warnings.filter((w: Warning) => w.code === 'SERIES_WRAPPED'),
    [{ block: 'harbour', message: /block "harbour" airs its series again from the first item after its last, "Harbour Lights S02E03"/ }], 'SERIES_WRAPPED once in the build, naming the block and the last item')

  const stop = await aired('stop', '8')
  t.same(stop.titles, [1, 2, 3], 'stop: the series ends after E03')
  t.ok(stop.fillers > loop.fillers, 'the rest of its blocks, that day and the next, is padded (its fill rule)')
  t.same(stop.built.warnings.filter((w: Warning) => w.block === 'harbour'), [], 'no warning: it does as it was told')

  const repeat = await aired('repeat_last', '9')
  t.same(repeat.titles, [1, 2, 3, 3, 3, 3], 'repeat_last: E03 again and again')
  t.same(repeat.built.warnings.filter((w: Warning) => w.block === 'harbour'), [], 'no warning')
})
