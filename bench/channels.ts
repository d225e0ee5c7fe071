import { buildChannel } from '../workers/channels/build.js'
import { sourceItem } from '../workers/commands/channels-build.js'
import { parseM3u } from '../workers/playlist/m3u.js'
import type { Override, SourceItem, Template } from '../workers/channels/types.js'
import type { BuildStored, BuildDryRun, Channel } from '../contract/api.js'
import { fmt, median } from './measure.js'
import { BENCH_KEY, send, startBenchServer, type BenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 13: 93 days of a 30-block template drawing from a 10,000-item playlist, built through
// the API (stored, and as a dry run) beside the pure builder called in this process on the same
// inputs; then the all-channel guide of 20 channels × 7 days, its first request after a write
// and its 304 revalidation, beside GET /api/health.

const ITEMS = 10_000
const BUILD_DAYS = 93
const GUIDE_CHANNELS = 20
const GUIDE_DAYS = 7
const DAY_MS = 86_400_000
const GROUPS = ['News', 'Film', 'Kids', 'Sport', 'Music']

/** `n` items of 20–56 minutes in five groups, weighted 1–4 for random order. */
export function catalogue (n: number): string {
  const m3u = ['#EXTM3U']
  for (let i = 0; i < n; i++) m3u.push(`#EXTINF:${1200 + (i % 37) * 60} weight="${1 + (i % 4)}" group-title="${GROUPS[i % 5]}",Programme ${i}`, `https://cdn.example/programme-${i}.mp4`)
  return m3u.join('\n')
}

/** Idents and trailers of 1–3 minutes: what pads blocks and fills breaks. */
export function fillers (n: number): string {
  const m3u = ['#EXTM3U']
  for (let i = 0; i < n; i++) m3u.push(`#EXTINF:${60 + (i % 13) * 10} group-title="Idents",Ident ${i}`, `https://cdn.example/ident-${i}.mp4`)
  return m3u.join('\n')
}

/**
 * 30 blocks: ten bands of the day for weekdays, Saturday and Sunday, covering every hour
 * without overlap, with every order, fill and source kind (three fixed items a day).
 */
export function thirtyBlocks (playlist: string, filler: string): Template {
  const dayGroups = { wk: ['mon', 'tue', 'wed', 'thu', 'fri'], sat: ['sat'], sun: ['sun'] } as const
  const item = (title: string, minutes: number) => ({ item: { url: `https://cdn.example/${title.toLowerCase().replace(/\W+/g, '-')}.mp4`, title, duration: minutes * 60 } })
  const breaks = { every_minutes: 15, max_seconds: 120, filler }
  const bands = [
    { band: 'night', start: '00:00', end: '06:00', source: { playlist }, order: 'shuffle', fill: 'cut' },
    { band: 'early', start: '06:00', end: '08:00', source: { playlist, group: 'News' }, order: 'random', fill: 'gap' },
    { band: 'news', start: '08:00', end: '08:30', title: 'Morning News', source: item('Morning News', 30) },
    { band: 'kids', start: '08:30', end: '12:00', source: { playlist, group: 'Kids' }, order: 'shuffle', fill: 'pad', filler },
    { band: 'midday', start: '12:00', end: '12:30', title: 'Midday News', source: item('Midday News', 30) },
    { band: 'sport', start: '12:30', end: '17:00', source: { playlist, group: 'Sport' }, order: 'random', fill: 'cut' },
    { band: 'series', start: '17:00', end: '18:00', source: { playlist, group: 'Music' }, order: 'sequential', fill: 'gap' },
    { band: 'evening', start: '18:00', end: '20:00', source: { playlist, group: 'News' }, order: 'shuffle', fill: 'cut', breaks },
    { band: 'films', start: '20:00', end: '23:00', source: { playlist, group: 'Film' }, order: 'shuffle', fill: 'pad', filler, breaks, cooldown_hours: 168 },
    { band: 'late', start: '23:00', end: '00:00', title: 'Late Edition', source: item('Late Edition', 25), fill: 'pad', filler }
  ]
  const blocks = Object.entries(dayGroups).flatMap(([group, days]) => bands.map(({ band, ...block }) => ({ id: `${band}-${group}`, days: [...days], ...block })))
  return { cooldown_hours: 48, blocks } as Template
}

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** A wall time in ms and the answer. */
export async function timed<T> (call: () => Promise<T>): Promise<{ ms: number, value: T }> {
  const t0 = performance.now()
  const value = await call()
  return { ms: performance.now() - t0, value }
}

/** What a bench channel's build read: its catalogue and filler playlists (ids and M3U texts), channel and range. */
export interface PureBuildSetup {
  channel: Channel
  template: Template
  overrides: Override[]
  catalogue: { id: string, m3u: string }
  filler: { id: string, m3u: string }
  defaultFiller: string | null
  range: { from: string, to: string, seed: string }
}

/**
 * The baseline: the pure builder on the inputs the API build read (the template as stored, the
 * same playlists and seed), in this process, no storage; three runs after a warm-up. It must
 * make as many events as the API stored (SPEC §11: same inputs and seed, same events).
 */
export async function timePureBuild (setup: PureBuildSetup, apiEvents: number): Promise<{ runs: number[], ms: number }> {
  const items = (text: string): SourceItem[] => parseM3u(text).items.map(sourceItem)
  const catalogueItems = items(setup.catalogue.m3u)
  const sources = new Map<string, SourceItem[]>([[`playlist:${setup.catalogue.id}`, catalogueItems], [`playlist:${setup.filler.id}`, items(setup.filler.m3u)]])
  for (const group of GROUPS) sources.set(`playlist:${setup.catalogue.id}#${group}`, catalogueItems.filter((i) => i.category === group))
  const { channel } = setup
  const pure = (): ReturnType<typeof buildChannel> => buildChannel({
    channel: { id: channel.id, timezone: channel.timezone, default_filler: setup.defaultFiller },
    template: setup.template,
    overrides: setup.overrides,
    ...setup.range,
    now: Date.now(),
    freezeMs: 0,
    buildId: 'bench',
    sources,
    kept: [],
    plays: new Map(),
    sequential: new Map()
  })
  pure() // warm-up: the builder's code compiled
  const runs = []
  for (let i = 0; i < 3; i++) runs.push(await timed(async () => pure()))
  if (runs[0].value.events.length !== apiEvents) throw new Error(`the pure builder made ${runs[0].value.events.length} events, the API ${apiEvents}`)
  return { runs: runs.map((r) => r.ms), ms: median(runs.map((r) => r.ms)) }
}

/** The bench's two playlists imported through the API: `items` programmes and 200 idents. */
export async function importBenchPlaylists (server: BenchServer, items: number): Promise<Pick<PureBuildSetup, 'catalogue' | 'filler'>> {
  const imported = async (name: string, m3u: string): Promise<PureBuildSetup['filler']> =>
    ({ id: (await server.post<{ playlist: { id: string } }>(`/api/playlists/import?name=${name}`, m3u, 'audio/x-mpegurl')).playlist.id, m3u })
  return { catalogue: await imported('catalogue', catalogue(items)), filler: await imported('fillers', fillers(200)) }
}

export async function channelWithTemplate (server: BenchServer, number: number, template: Template): Promise<Channel> {
  const { channel } = await send<{ channel: Channel }>(server, 'POST', '/api/channels', { number: String(number), name: `Channel ${number}`, timezone: 'Europe/London' })
  await send(server, 'PUT', `/api/channels/${channel.id}/template`, template)
  return channel
}

export async function benchChannels (): Promise<void> {
  const server = await startBenchServer({ LOG_LEVEL: 'warn' })
  try {
    const playlists = await importBenchPlaylists(server, ITEMS)
    const [playlist, filler] = [playlists.catalogue, playlists.filler]
    const template = thirtyBlocks(playlist.id, filler.id)
    // From tomorrow (UTC): nothing of the range has aired yet, so every build replaces all of it.
    const tomorrow = (Math.floor(Date.now() / DAY_MS) + 1) * DAY_MS

    // a. 93 days of the 30-block template.
    const channel = await channelWithTemplate(server, 1, template)
    const range = { from: isoDate(tomorrow), to: isoDate(tomorrow + (BUILD_DAYS - 1) * DAY_MS), seed: 'bench' }
    const buildPath = `/api/channels/${channel.id}/build`
    const build = async (): Promise<{ ms: number, value: BuildStored }> => timed(() => send<BuildStored>(server, 'POST', buildPath, range))
    await build() // warm-up: workers started, the playlists read once
    const stored = [await build(), await build(), await build()]
    const storedMs = median(stored.map((s) => s.ms))
    const dryRuns: Array<{ ms: number, value: BuildDryRun }> = []
    let dryBytes = 0
    for (let i = 0; i < 3; i++) {
      dryRuns.push(await timed(async () => {
        const res = await fetch(`${server.url}${buildPath}`, { method: 'POST', headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...range, dry_run: true }) })
        const text = await res.text()
        dryBytes = Buffer.byteLength(text)
        return JSON.parse(text) as BuildDryRun
      }))
    }
    const dryMs = median(dryRuns.map((d) => d.ms))

    // The baseline: the pure builder on the same inputs, in this process, no storage.
    const { template: storedTemplate } = await send<{ template: Template }>(server, 'GET', `/api/channels/${channel.id}/template`)
    const events = stored[0].value.stats.events
    const pureRuns = await timePureBuild({
      channel,
      template: storedTemplate,
      overrides: [],
      ...playlists,
      defaultFiller: null,
      range
    }, events)
    const pureMs = pureRuns.ms

    console.log('\n## Channel build (issue 13)')
    console.log(`${BUILD_DAYS} days of a ${template.blocks.length}-block template from a ${ITEMS.toLocaleString('en')}-item playlist: ${events.toLocaleString('en')} events (the same count in process), dry-run answer ${fmt(dryBytes / 1e6, 1)} MB`)
    console.log(`API build, stored (median of 3 after a warm-up): ${stored.map((s) => fmt(s.ms, 0)).join(', ')} ms → ${fmt(storedMs, 0)} ms (target ≤ 2000 ms: ${storedMs <= 2000 ? 'met' : 'MISSED'})`)
    console.log(`API build, dry run with its events (median of 3):  ${dryRuns.map((s) => fmt(s.ms, 0)).join(', ')} ms → ${fmt(dryMs, 0)} ms`)
    console.log(`the pure builder in process (median of 3):         ${pureRuns.runs.map((ms) => fmt(ms, 0)).join(', ')} ms → ${fmt(pureMs, 0)} ms`)
    report({ measure: `channel build ${BUILD_DAYS} d × ${template.blocks.length} blocks, ${ITEMS.toLocaleString('en')} items, stored (${events.toLocaleString('en')} events)`, value: `${fmt(storedMs, 0)} ms`, baseline: `${fmt(pureMs, 0)} ms pure builder in process`, ratio: ratioText(storedMs, pureMs), target: '≤ 2000 ms', met: storedMs <= 2000 })
    report({ measure: `channel build ${BUILD_DAYS} d, dry run (${fmt(dryBytes / 1e6, 1)} MB answer)`, value: `${fmt(dryMs, 0)} ms`, baseline: `${fmt(pureMs, 0)} ms pure builder in process`, ratio: ratioText(dryMs, pureMs), target: '—' })
    await send(server, 'DELETE', `/api/channels/${channel.id}`)

    // b. The all-channel guide: 20 channels × 7 days of the same template.
    const week = { from: isoDate(tomorrow), to: isoDate(tomorrow + (GUIDE_DAYS - 1) * DAY_MS), seed: 'guide' }
    const guideChannels: Channel[] = []
    let guideEvents = 0
    for (let n = 1; n <= GUIDE_CHANNELS; n++) {
      const c = await channelWithTemplate(server, 100 + n, template)
      guideEvents += (await send<BuildStored>(server, 'POST', `/api/channels/${c.id}/build`, week)).stats.events
      guideChannels.push(c)
    }
    const guideUrl = `${server.url}/api/guide.xml`
    const authorization = `Bearer ${BENCH_KEY}`
    const firsts: number[] = []
    let etag = ''
    let guideBytes = 0
    for (let round = 0; round < 3; round++) {
      // A write first: the guide's ETag moves, so the next request builds it.
      await send(server, 'PATCH', `/api/channels/${guideChannels[round].id}`, { name: `Channel renamed ${round}` })
      const first = await timed(async () => {
        const res = await fetch(guideUrl, { headers: { authorization } })
        if (res.status !== 200) throw new Error(`guide.xml answered ${res.status}`)
        etag = res.headers.get('etag') ?? ''
        return (await res.arrayBuffer()).byteLength
      })
      firsts.push(first.ms)
      guideBytes = first.value
    }
    const revalidations: number[] = []
    const health: number[] = []
    for (let i = 0; i < 20; i++) {
      revalidations.push((await timed(async () => {
        const res = await fetch(guideUrl, { headers: { authorization, 'if-none-match': etag } })
        if (res.status !== 304) throw new Error(`guide.xml revalidation answered ${res.status}`)
        await res.arrayBuffer()
      })).ms)
      health.push((await timed(async () => (await fetch(`${server.url}/api/health`)).arrayBuffer())).ms)
    }
    const firstMs = median(firsts)
    const revalidateMs = median(revalidations)
    const healthMs = median(health)
    console.log(`\n## All-channel guide (issue 13): ${GUIDE_CHANNELS} channels × ${GUIDE_DAYS} days built, ${guideEvents.toLocaleString('en')} events, guide.xml ${fmt(guideBytes / 1e6, 1)} MB (default range)`)
    console.log(`first request after a write (median of 3): ${firsts.map((m) => fmt(m, 0)).join(', ')} ms → ${fmt(firstMs, 0)} ms (target ≤ 500 ms: ${firstMs <= 500 ? 'met' : 'MISSED'})`)
    console.log(`304 revalidation, If-None-Match (median of 20): ${fmt(revalidateMs, 2)} ms (target ≤ 10 ms: ${revalidateMs <= 10 ? 'met' : 'MISSED'}); GET /api/health (median of 20): ${fmt(healthMs, 2)} ms`)
    report({ measure: `guide.xml, ${GUIDE_CHANNELS} channels × ${GUIDE_DAYS} d (${guideEvents.toLocaleString('en')} events, ${fmt(guideBytes / 1e6, 1)} MB), first after a write`, value: `${fmt(firstMs, 0)} ms`, baseline: `${fmt(healthMs, 2)} ms GET /api/health`, ratio: ratioText(firstMs, healthMs), target: '≤ 500 ms', met: firstMs <= 500 })
    report({ measure: 'guide.xml 304 revalidation (median of 20)', value: `${fmt(revalidateMs, 2)} ms`, baseline: `${fmt(healthMs, 2)} ms GET /api/health`, ratio: ratioText(revalidateMs, healthMs), target: '≤ 10 ms', met: revalidateMs <= 10 })
  } finally {
    await server.close()
  }
}
