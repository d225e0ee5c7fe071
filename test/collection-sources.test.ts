import t from 'tap'
import fc from 'fast-check'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { bearer, buildTestApp, tempDir } from './helpers.js'
import { makeClip } from './media-fixtures.js'
import { createLibrary, scanInto, storeOf, type SeededFile } from './media-library.js'
import { importPlaylist } from './channel-fixtures.js'
import type { ChannelEvent } from '../contract/api.js'

// SPEC §16, collections as sources and no silent guesses, through the API and real workers: a
// block airs a library's show (probed lengths, season and episode order, a file scanned since
// the last build airs in the next), a filler may be a collection, an item of unknown length or
// whose file cannot air is skipped and said (unless the block sets assume_seconds), a playlist
// import takes probed lengths and counts what has none, auto-fill counts what it assumed.

const operator = bearer('operator')
const DAY = '2026-03-02'
const MS = (iso: string): number => Date.parse(iso)

t.test('collections as sources, and no silent guesses', async (t) => {
  const root = tempDir(t)
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_MEDIA_ROOTS: root })
  const store = await storeOf(config)
  t.teardown(() => store.close())

  // The show: three episodes of known lengths, named out of order on disk; an extra of unknown
  // length; an empty file (its probe says it cannot air); two idents in a folder.
  const show = (season: number, episode: number): SeededFile => ({ title: `S0${season}E0${episode}`, show: 'Harbour', season, episode })
  const files: Record<string, SeededFile> = {
    'Harbour/Season 01/Harbour - S01E02.mkv': show(1, 2),
    'Harbour/Season 02/Harbour - S02E01.mkv': show(2, 1),
    'Harbour/Season 01/Harbour - S01E01.mkv': show(1, 1),
    'Harbour/Extras/Behind the scenes.mkv': { title: 'Behind the scenes', show: 'Harbour', duration: null },
    'Harbour/broken.mkv': { title: 'Broken', show: 'Harbour' },
    'Idents/a.mkv': { title: 'Ident A' },
    'Idents/b.mkv': { title: 'Ident B' }
  }
  const lengths: Record<string, number> = { 'Harbour/Season 01/Harbour - S01E01.mkv': 3, 'Harbour/Season 01/Harbour - S01E02.mkv': 4, 'Harbour/Season 02/Harbour - S02E01.mkv': 5, 'Harbour/Extras/Behind the scenes.mkv': 2, 'Idents/a.mkv': 1, 'Idents/b.mkv': 1 }
  for (const [path, seconds] of Object.entries(lengths)) await makeClip(join(root, path), seconds)
  await writeFile(join(root, 'Harbour/broken.mkv'), '')
  const library = await createLibrary(store, 'Shows', root)
  await scanInto(store, library, root, files)
  const harbour = `${library}:show:Harbour`
  const idents = `${library}:folder:Idents`

  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '26', name: 'Library TV', timezone: 'UTC', build_ahead_days: 0 } })
  t.equal(created.statusCode, 201, created.body)
  const channel = created.json().channel.id
  const block = { id: 'harbour', days: ['mon'], start: '20:00', end: '20:01', source: { collection: harbour }, order: 'sequential', at_end: 'stop', fill: 'gap' }
  const putTemplate = async (blocks: unknown[]) => app.inject({ method: 'PUT', url: `/api/channels/${channel}/template`, headers: operator, payload: { blocks } })
  const dryRun = async () => {
    const res = await app.inject({ method: 'POST', url: `/api/channels/${channel}/build`, headers: operator, payload: { from: DAY, to: DAY, seed: 's', dry_run: true } })
    t.equal(res.statusCode, 200, res.body)
    return res.json()
  }
  const inBlock = (events: ChannelEvent[]) => events.filter((e) => e.origin?.kind === 'item')

  t.equal((await putTemplate([block])).statusCode, 200)
  const first = await dryRun()
  const aired = inBlock(first.events)
  t.same(aired.map((e) => e.title), ['S01E01', 'S01E02', 'S02E01'], 'the show in season and episode order; the unknown and the broken ones do not air')
  aired.forEach((e, i) => {
    t.ok(Math.abs(MS(e.end) - MS(e.start) - [3000, 4000, 5000][i]) <= 50, `${e.title} airs its probed length`)
  })
  t.equal(aired[0].start, `${DAY}T20:00:00.000Z`)
  t.equal(aired[0].video_url, join(root, 'Harbour/Season 01/Harbour - S01E01.mkv'), 'the absolute path')
  const codes = (answer: { warnings: Array<{ code: string, message: string }> }, code: string) => answer.warnings.filter((w) => w.code === code)
  t.equal(codes(first, 'UNKNOWN_DURATION').length, 1, 'said once')
  t.match(codes(first, 'UNKNOWN_DURATION')[0].message, /"Behind the scenes".*no known duration/)
  t.equal(codes(first, 'MEDIA_UNAVAILABLE').length, 1)
  t.match(codes(first, 'MEDIA_UNAVAILABLE')[0].message, /"Broken"/)
  t.equal(first.stats.items_assumed, 0)

  // A file added and scanned airs in the next build, in its place in the series.
  await makeClip(join(root, 'Harbour/Season 02/Harbour - S02E02.mkv'), 2)
  await scanInto(store, library, root, { ...files, 'Harbour/Season 02/Harbour - S02E02.mkv': show(2, 2) })
  const second = await dryRun()
  t.same(inBlock(second.events).map((e) => e.title), ['S01E01', 'S01E02', 'S02E01', 'S02E02'], 'the new episode airs after S02E01')

  // assume_seconds: the extra airs that long, counted.
  t.equal((await putTemplate([{ ...block, assume_seconds: 7 }])).statusCode, 200)
  const assumed = await dryRun()
  const extra = inBlock(assumed.events).find((e) => e.title === 'Behind the scenes')
  t.ok(extra !== undefined, 'the extra airs')
  t.equal(MS(extra!.end) - MS(extra!.start), 7000, 'as long as assume_seconds')
  t.equal(assumed.stats.items_assumed, 1)
  t.equal(codes(assumed, 'UNKNOWN_DURATION').length, 0)

  // A collection as a block's filler: the pad comes from the folder.
  t.equal((await putTemplate([{ ...block, fill: 'pad', filler: idents }])).statusCode, 200)
  const padded = await dryRun()
  const pads = padded.events.filter((e: { segment_role: string, start: string }) => e.segment_role === 'pad' && e.start < `${DAY}T20:01`)
  t.ok(pads.length > 0 && pads.every((e: { title: string }) => /^Ident/.test(e.title)), 'pad from the Idents collection')

  // A collection as the channel's default filler: the day outside the block airs the folder.
  const patched = await app.inject({ method: 'PATCH', url: `/api/channels/${channel}`, headers: operator, payload: { default_filler: idents } })
  t.equal(patched.statusCode, 200, patched.body)
  const withDefault = await dryRun()
  const fillers = withDefault.events.filter((e: ChannelEvent) => e.origin?.kind === 'default')
  t.ok(fillers.length > 0 && fillers.every((e: ChannelEvent) => /^Ident [AB]$/.test(e.title)), 'the default filler is the Idents folder')
  t.match((await app.inject({ method: 'PATCH', url: `/api/channels/${channel}`, headers: operator, payload: { default_filler: `${library}:folder:Nowhere` } })).json(),
    { status: 'error', errors: [{ field: 'default_filler', message: /no collection/ }] })
  t.equal((await app.inject({ method: 'PATCH', url: `/api/channels/${channel}`, headers: operator, payload: { default_filler: null } })).statusCode, 200)

  // Refused whole, naming the field: a malformed collection id, an unknown one, a filler that is neither.
  for (const [source, field] of [
    [{ collection: 'no-colons' }, 'blocks.0.source.collection'],
    [{ collection: `${library}:show:Nobody` }, 'blocks.0.source.collection'],
    [{ collection: `${library}:season:Harbour` }, 'blocks.0.source.collection']
  ] as const) {
    const res = await putTemplate([{ ...block, source }])
    t.equal(res.statusCode, 400, res.body)
    t.match(res.json(), { status: 'error', code: 'VALIDATION_FAILED', request_id: String, errors: [{ field }] })
  }
  const badFiller = await putTemplate([{ ...block, filler: `${library}:genre:Nothing` }])
  t.match(badFiller.json(), { status: 'error', errors: [{ field: 'blocks.0.filler', message: /no collection/ }] })

  // A collection gone since: the build says SOURCE_MISSING, nothing airs from it.
  t.equal((await putTemplate([block])).statusCode, 200)
  await store.media.deleteLibrary(library)
  const gone = await dryRun()
  t.equal(inBlock(gone.events).length, 0)
  t.ok(codes(gone, 'SOURCE_MISSING').some((w) => w.message.includes(`collection:${harbour}`)), 'SOURCE_MISSING names it')
})

t.test('a playlist import takes probed lengths inside a library and counts what has none; a build skips those, auto-fill counts what it assumed', async (t) => {
  const root = tempDir(t)
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_MEDIA_ROOTS: root })
  const store = await storeOf(config)
  t.teardown(() => store.close())
  await makeClip(join(root, 'films/One.mkv'), 3)
  await makeClip(join(root, 'films/Two.mkv'), 4)
  const library = await createLibrary(store, 'Films', root)
  await scanInto(store, library, root, { 'films/One.mkv': {}, 'films/Two.mkv': {} })

  const body = ['#EXTM3U', '#EXTINF:-1,One', `file://${root}/films/One.mkv`, '#EXTINF:999,Two', `${root}/films/../films/Two.mkv`, '#EXTINF:-1,Remote', 'https://cdn.example/remote.mp4', ''].join('\n')
  const res = await app.inject({ method: 'POST', url: '/api/playlists/import?name=films', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: body })
  t.equal(res.statusCode, 201, res.body)
  t.match(res.json(), { without_duration: 1, library_durations: 2, warnings: [/1 item has no known duration/] })
  const playlist = res.json().playlist.id
  const items = (await app.inject({ method: 'GET', url: `/api/playlists/${playlist}`, headers: operator })).json().items
  t.ok(Math.abs(items[0].duration - 3) <= 0.05 && Math.abs(items[1].duration - 4) <= 0.05, 'the probed lengths, over #EXTINF')
  t.equal(items[2].duration, null)
  t.equal((await importPlaylistCount(app)), 0, 'a playlist with every duration known says none')

  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '27', name: 'Films', timezone: 'UTC', build_ahead_days: 0 } })
  const channel = created.json().channel.id
  await app.inject({ method: 'PUT', url: `/api/channels/${channel}/template`, headers: operator, payload: { blocks: [{ id: 'f', days: ['mon'], start: '20:00', end: '20:01', source: { playlist }, order: 'sequential', at_end: 'stop', fill: 'gap' }] } })
  const built = (await app.inject({ method: 'POST', url: `/api/channels/${channel}/build`, headers: operator, payload: { from: DAY, to: DAY, dry_run: true } })).json()
  t.same(built.events.filter((e: { origin: { kind: string } }) => e.origin.kind === 'item').map((e: { title: string }) => e.title), ['One', 'Two'], 'Remote does not air')
  t.match(built.warnings, [{ code: 'UNKNOWN_DURATION', message: /"Remote" \(https:\/\/cdn\.example\/remote\.mp4\)/ }])

  const fill = await app.inject({ method: 'POST', url: '/api/schedules/auto-fill', headers: operator, payload: { playlist_id: playlist, start_time: `${DAY}T00:00:00Z`, duration_hours: 1, assume_seconds: 600, shuffle: false, cooldown_hours: 0, dry_run: true } })
  t.equal(fill.statusCode, 200, fill.body)
  const remote = fill.json().events.filter((e: { title: string }) => e.title === 'Remote')
  t.ok(remote.length > 0 && remote.every((e: { start: string, end: string }) => MS(e.end) - MS(e.start) === 600_000), 'auto-fill runs it assume_seconds')
  t.equal(fill.json().stats.assumed_durations, remote.length, 'and counts each')
})

t.test('a playlist import probes a remote item with no length (SCHEDULEFLOW_PROBE_REMOTE), once: a second import reuses the answer', async (t) => {
  const clip = await makeClip(join(tempDir(t), 'remote.mp4'), 3)
  const bytes = await readFile(clip)
  let requests = 0
  const server = createServer((req, res) => {
    requests++
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': bytes.length })
    res.end(req.method === 'HEAD' ? undefined : bytes)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/remote.mp4`
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_PROBE_REMOTE: 'true' })
  const body = `#EXTM3U\n#EXTINF:-1,Remote\n${url}\n#EXTINF:-1,Live\nrtmp://127.0.0.1/live/feed\n`
  const first = await app.inject({ method: 'POST', url: '/api/playlists/import?name=remote', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: body })
  t.equal(first.statusCode, 201, first.body)
  t.equal(first.json().without_duration, 1, 'the live feed has no length; the file now has one')
  const items = (await app.inject({ url: `/api/playlists/${first.json().playlist.id as string}`, headers: operator })).json().items
  t.ok(Math.abs(items[0].duration - 3) <= 0.05, `the probed length (${items[0].duration as number} s) over #EXTINF:-1`)
  const seen = requests
  t.ok(seen > 0, 'ffprobe read it from the server')
  await app.inject({ method: 'POST', url: '/api/playlists/import?name=again', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: body })
  t.equal(requests, seen, 'a second import probes nothing: the answer is kept by URL')

  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '28', name: 'Remote', timezone: 'UTC', build_ahead_days: 0 } })
  const channel = created.json().channel.id as string
  const playlist = first.json().playlist.id as string
  await app.inject({ method: 'PUT', url: `/api/channels/${channel}/template`, headers: operator, payload: { blocks: [{ id: 'r', days: ['mon'], start: '20:00', end: '20:01', source: { playlist }, order: 'sequential', fill: 'gap', assume_seconds: 10 }] } })
  const built = (await app.inject({ method: 'POST', url: `/api/channels/${channel}/build`, headers: operator, payload: { from: DAY, to: DAY, dry_run: true } })).json()
  t.same([...new Set(built.events.filter((e: { origin: { kind: string } }) => e.origin.kind === 'item').map((e: { title: string }) => e.title))], ['Remote'], 'the live feed never airs as a block item, even with assume_seconds')
  t.match(built.warnings, [{ code: 'MEDIA_UNAVAILABLE', message: /"Live" \(rtmp:.*live source: it airs only as a fixed event/ }])
})

/** An import whose every item has a duration: its without_duration. */
async function importPlaylistCount (app: Parameters<typeof importPlaylist>[0]): Promise<number> {
  const res = await app.inject({ method: 'POST', url: '/api/playlists/import?name=known', headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: '#EXTM3U\n#EXTINF:60,A\nhttps://cdn.example/a.mp4\n' })
  return res.json().without_duration
}

t.test('fuzz: any block source is a 400 in the error shape or a build with warnings, never a 500', async (t) => {
  const { app } = await buildTestApp(t)
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '28', name: 'Fuzz', timezone: 'UTC', build_ahead_days: 0 } })
  const channel = created.json().channel.id
  const id = fc.oneof(fc.string({ maxLength: 40 }), fc.uuid(), fc.tuple(fc.uuid(), fc.constantFrom('show', 'folder', 'genre', 'season', ''), fc.string({ maxLength: 20 })).map(([a, b, c]) => `${a}:${b}:${c}`))
  const source = fc.oneof(
    id.map((collection) => ({ collection })),
    id.map((playlist) => ({ playlist })),
    fc.record({ collection: id, playlist: id }),
    id.map((filler) => ({ playlist: filler, group: '' })),
    fc.anything()
  )
  await fc.assert(fc.asyncProperty(source, fc.option(id), async (src, filler) => {
    const blocks = [{ id: 'b', days: ['mon'], start: '20:00', end: '21:00', source: src, ...(filler !== null && { filler }) }]
    const put = await app.inject({ method: 'PUT', url: `/api/channels/${channel}/template`, headers: operator, payload: { blocks } })
    if (put.statusCode !== 200) {
      t.equal(put.statusCode, 400, put.body)
      t.match(put.json(), { status: 'error', code: String, message: String, request_id: String })
      return
    }
    const build = await app.inject({ method: 'POST', url: `/api/channels/${channel}/build`, headers: operator, payload: { from: DAY, to: DAY, dry_run: true } })
    t.equal(build.statusCode, 200, build.body)
  }), { numRuns: 40, endOnFailure: true })
})
