import type { Channel, Template } from '../contract/api.js'
import { load, loadLine, medianFigure, type LoadFigure } from './load.js'
import { fmt } from './measure.js'
import { m3u } from './guide.js'
import { BENCH_KEY, send, startBenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 25 item 3: GET /api/now, polled every few seconds by lobby screens and panels, is
// answered from the plans the API keeps (plugins/now-plan.ts), not by a worker per request.
// 20 channels built around today (a film block with breaks and pad, a sequential series, short
// idents as the default filler), then GET /api/now at 16 connections beside GET /api/health on
// the same server in the same run, rounds in turn; and how many worker operations the load ran.

const CHANNELS = 20
const CONNECTIONS = 16
const ROUNDS = 3
const SECONDS = 3

/** Films all day with breaks every 30 minutes and pad, a sequential series in the evening; idents between. */
function template (films: string, series: string, promos: string): Template {
  const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
  return {
    cooldown_hours: 24,
    blocks: [
      { id: 'night', days: [...every], start: '00:00', end: '12:00', source: { playlist: series }, order: 'sequential', fill: 'pad', filler: promos },
      { id: 'films', days: [...every], start: '12:00', end: '19:00', source: { playlist: films }, order: 'shuffle', fill: 'pad', filler: promos, breaks: { every_minutes: 30, max_seconds: 90, filler: promos } },
      { id: 'series', days: [...every], start: '19:00', end: '23:59', source: { playlist: series }, order: 'sequential', fill: 'pad', filler: promos }
    ]
  } as Template
}

const day = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)

export async function benchOnAir (): Promise<void> {
  const server = await startBenchServer({ LOG_LEVEL: 'warn' })
  try {
    const ids: Record<string, string> = {}
    const lists = { films: m3u(30, 'Film', [5400, 6000, 6600, 7080, 5820]), series: m3u(40, 'Harbour Lights S02E', [1500]), promos: m3u(12, 'Promo', [20, 30, 15]), idents: m3u(12, 'Ident', [300, 240]) }
    for (const [name, text] of Object.entries(lists)) ids[name] = (await server.post<{ playlist: { id: string } }>(`/api/playlists/import?name=${name}`, text, 'audio/x-mpegurl')).playlist.id
    // Yesterday to tomorrow: today is built in every zone whatever the hour.
    const days = { from: day(-1), to: day(1), seed: 'lobby' }
    for (let n = 1; n <= CHANNELS; n++) {
      const { channel } = await send<{ channel: Channel }>(server, 'POST', '/api/channels', { number: String(300 + n), name: `Lobby ${n}`, timezone: 'Europe/London', default_filler: ids.idents })
      await send(server, 'PUT', `/api/channels/${channel.id}/template`, template(ids.films, ids.series, ids.promos))
      await send(server, 'POST', `/api/channels/${channel.id}/build`, days)
    }

    const headers = { authorization: `Bearer ${BENCH_KEY}` }
    const first = await fetch(`${server.url}/api/now`, { headers })
    const body = await first.text()
    const answer = JSON.parse(body) as { channels: Array<{ now: unknown, next: unknown[] }> }
    if (first.status !== 200 || answer.channels.length !== CHANNELS) throw new Error(`GET /api/now answered ${first.status}`)
    const onAir = answer.channels.filter((c) => c.now !== null).length
    const etag = first.headers.get('etag') ?? ''

    const processed = (): number => server.app.pool.stats().totals.processed
    const before = processed()
    const rounds: Record<'health' | 'now' | 'revalidate', LoadFigure[]> = { health: [], now: [], revalidate: [] }
    for (let round = 0; round < ROUNDS; round++) {
      rounds.health.push(await load(`${server.url}/api/health`, CONNECTIONS, { seconds: SECONDS }))
      rounds.now.push(await load(`${server.url}/api/now`, CONNECTIONS, { seconds: SECONDS, headers }))
      rounds.revalidate.push(await load(`${server.url}/api/now`, CONNECTIONS, { seconds: SECONDS, headers: { ...headers, 'if-none-match': etag } }))
    }
    const workerOps = processed() - before
    const health = medianFigure(rounds.health)
    const now = medianFigure(rounds.now)
    const revalidate = medianFigure(rounds.revalidate)

    console.log(`\n## Now and next (issue 25): GET /api/now, ${CHANNELS} channels (${onAir} on air now), ${fmt(Buffer.byteLength(body) / 1e3, 1)} kB an answer, ${CONNECTIONS} connections, median of ${ROUNDS} rounds of ${SECONDS} s`)
    console.log(loadLine('GET /api/health', health))
    console.log(loadLine('GET /api/now', now))
    console.log(loadLine('GET /api/now, If-None-Match (304 between programme changes)', revalidate))
    console.log(`worker operations while loaded: ${workerOps} (the plans refresh on ticks and writes, not per read)`)
    report({ measure: `GET /api/now, ${CHANNELS} channels, ${CONNECTIONS} connections`, value: `${fmt(now.rps, 0)} req/s, p95 ${fmt(now.p95, 1)} ms`, baseline: `${fmt(health.rps, 0)} req/s GET /api/health`, ratio: ratioText(now.rps, health.rps, 'percent'), target: '≥ 25 %', met: now.rps >= 0.25 * health.rps })
    report({ measure: 'GET /api/now 304 (If-None-Match)', value: `${fmt(revalidate.rps, 0)} req/s`, baseline: `${fmt(health.rps, 0)} req/s GET /api/health`, ratio: ratioText(revalidate.rps, health.rps, 'percent'), target: '—' })
  } finally {
    await server.close()
  }
}
