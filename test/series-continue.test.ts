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

interface Event { id: string, title: string, start: string, origin: { kind: string, block?: string } | null }
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
async function setUp (app: FastifyInstance, episodes: number, block: Record<string, unknown> = {}) {
  const harbour = await importPlaylist(app, series(episodes), 'harbour')
  const loops = await importPlaylist(app, ['#EXTM3U', ...Array.from({ length: 6 }, (_, i) => `#EXTINF:600,Promo ${i + 1}\nhttps://cdn.example/promo${i}.mp4`)].join('\n') + '\n', 'promos')
  const { channel } = await call(app, 'POST', '/api/channels', { number: '7', name: 'Campus TV', timezone: ZONE, default_filler: loops }, 201)
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
