import t from 'tap'
import { randomBytes } from 'node:crypto'
import { execFile } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { tempDir } from './helpers.js'
import { ffmpegPath, makeClip } from './media-fixtures.js'
import { testDatabaseUrl } from './test-database.js'
import { describeFile } from '../workers/media/describe.js'
import { probe, probeRemote } from '../workers/media/probe.js'
import { remoteDurations } from '../workers/media/remote.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import { REMOTE_PROBE_MAX_AGE_MS, REMOTE_PROBE_RETRY_MS } from '../contract/limits.js'

// ffprobe on real clips made by ffmpeg (SPEC §16): lengths, chapters and tags read as made;
// empty, corrupt and missing files answered with a problem; remote items over a local HTTP
// server, live sources without a probe, and remote probes kept in remote_probes.

t.setTimeout(120_000)

const dir = tempDir(t)
const clips = {
  'Show/Season 01/Show - S01E02 - Pilot.mkv': 2,
  'film.mp4': 1.5,
  'song.m4a': 1.2,
  'Кино и 映画 with spaces.mkv': 1,
  'news.ts': 1,
  'concat:odd|name.mkv': 1
}

/** An HTTP server over `dir` that counts the requests for each path (ranges served, as ffprobe asks them). */
function serve (root: string): { server: Server, hits: Map<string, number>, url: (path: string) => string } {
  const hits = new Map<string, number>()
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    hits.set(path, (hits.get(path) ?? 0) + 1)
    if (path === '/hang') return // never answers
    const file = join(root, path)
    stat(file).then((s) => {
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
      const start = range === null ? 0 : Number(range[1])
      const end = range === null || range[2] === '' ? s.size - 1 : Number(range[2])
      res.writeHead(range === null ? 200 : 206, { 'content-length': end - start + 1, 'accept-ranges': 'bytes', ...(range !== null && { 'content-range': `bytes ${start}-${end}/${s.size}` }) })
      createReadStream(file, { start, end }).pipe(res)
    }, () => { res.writeHead(404).end() })
  })
  server.listen(0, '127.0.0.1')
  const url = (path: string): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}/${encodeURI(path)}`
  return { server, hits, url }
}

const near = (actual: number | null, expected: number): boolean => actual !== null && Math.abs(actual - expected) <= 50

t.before(async () => {
  for (const [path, seconds] of Object.entries(clips)) {
    const first = path.endsWith('Pilot.mkv')
    await makeClip(join(dir, path), seconds, {
      audioOnly: path.endsWith('.m4a'),
      ...(first && { chapters: [0.8, 1.5], tags: { title: 'The Pilot', genre: 'Drama', description: 'It begins.' } })
    })
  }
  await writeFile(join(dir, 'empty.mkv'), '')
  await writeFile(join(dir, 'corrupt.mkv'), randomBytes(64 * 1024))
})

t.test('local files: lengths, streams, chapters, tags; empty, corrupt and missing files have a problem', async (t) => {
  for (const [path, seconds] of Object.entries(clips)) {
    const p = await probe(join(dir, path))
    t.equal(p.problem, null, `${path}: no problem`)
    t.ok(near(p.durationMs, seconds * 1000), `${path}: ${p.durationMs} ms for ${seconds} s`)
    t.equal(p.live ?? false, false)
    t.equal(p.audio, 'aac')
    t.equal(p.video === null, path.endsWith('.m4a'), `${path}: video ${p.video}`)
  }
  const episode = await probe(join(dir, 'Show/Season 01/Show - S01E02 - Pilot.mkv'))
  t.equal(episode.chapters.length, 2, 'two chapter marks after the first')
  t.ok(near(episode.chapters[0], 800) && near(episode.chapters[1], 1500), `chapters at ${episode.chapters.join(', ')} ms`)
  t.match(episode.tags, { title: 'The Pilot', genre: 'Drama', description: 'It begins.' })
  t.match(episode.container, /matroska/)

  t.match(await probe(join(dir, 'empty.mkv')), { problem: 'empty file (0 bytes)', durationMs: null })
  // Random bytes (a class of input): ffprobe mostly refuses them (a problem), and now and then
  // finds a container with no stream, a raw video stream with no picture size (a problem), or a
  // raw stream with a size and no length (CI once met "h261 352x288"). None is ever given a
  // length or taken for a live stream: a build skips such an item as UNKNOWN_DURATION (SPEC §16).
  t.match(await probe(join(dir, 'corrupt.mkv')), { durationMs: null, live: false })
  for (let i = 0; i < 30; i++) {
    const path = join(dir, `random-${i}.mkv`)
    await writeFile(path, randomBytes(16 * 1024))
    const p = await probe(path)
    if (p.durationMs !== null || p.live === true) t.fail(`random bytes probed as media with a length, or live: ${JSON.stringify(p)}`)
  }
  t.match(await probe(join(dir, 'gone.mkv')), { problem: 'missing' })
  t.match(await probe(dir), { problem: 'not a regular file' })
})

t.test('a real file described: the .nfo beside it, then its tags, then its name', async (t) => {
  const path = 'Show/Season 01/Show - S01E02 - Pilot.mkv'
  const read = async (relative: string): Promise<string | null> => readFile(join(dir, relative), 'utf8').catch(() => null)
  const plain = await describeFile(path, await probe(join(dir, path)), read)
  t.same(plain, { title: 'The Pilot', show: 'Show', season: 1, episode: 2, year: null, description: 'It begins.', category: 'Drama' })
  await writeFile(join(dir, 'Show/Season 01/Show - S01E02 - Pilot.nfo'), '<episodedetails><title>Pilot, Part 2</title><showtitle>The Show</showtitle><plot>It goes on.</plot><aired>2021-01-02</aired></episodedetails>')
  t.teardown(() => writeFile(join(dir, 'Show/Season 01/Show - S01E02 - Pilot.nfo'), 'x'))
  const withNfo = await describeFile(path, await probe(join(dir, path)), read)
  t.same(withNfo, { title: 'Pilot, Part 2', show: 'The Show', season: 1, episode: 2, year: 2021, description: 'It goes on.', category: 'Drama' })
})

t.test('remote and live items', async (t) => {
  const { server, hits, url } = serve(dir)
  t.teardown(() => { server.closeAllConnections(); server.close() })
  await new Promise((resolve) => server.once('listening', resolve))

  const film = await probeRemote(url('film.mp4'))
  t.equal(film.problem, null)
  t.ok(near(film.durationMs, 1500), `${film.durationMs} ms over HTTP`)
  const named = await probeRemote(url('Кино и 映画 with spaces.mkv'))
  t.ok(near(named.durationMs, 1000), 'a name with spaces and non-Latin letters, URL-encoded')
  t.match(await probeRemote(url('nothing-here.mkv')), { problem: /^unreadable: .*404/, durationMs: null })

  // an HLS playlist with no end is live: nothing but the playlist is read
  await writeFile(join(dir, 'live.m3u8'), '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:40\n#EXTINF:2.0,\nseg40.ts\n#EXTINF:2.0,\nseg41.ts\n')
  await writeFile(join(dir, 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlive.m3u8\n')
  t.match(await probeRemote(url('live.m3u8'), { ffprobe: '/nonexistent/ffprobe' }), { live: true, durationMs: null, problem: null })
  t.match(await probeRemote(url('master.m3u8'), { ffprobe: '/nonexistent/ffprobe' }), { live: true, problem: null }, 'a master playlist is judged by its variant')
  t.equal(hits.get('/seg40.ts'), undefined, 'no segment fetched')
  // one with its end is a recording of a length
  await promisify(execFile)(ffmpegPath, ['-v', 'error', '-i', join(dir, 'film.mp4'), '-c', 'copy', '-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod', join(dir, 'vod.m3u8')])
  const vod = await probeRemote(url('vod.m3u8'))
  t.match(vod, { live: false, problem: null })
  t.ok(near(vod.durationMs, 1500), `a finished HLS playlist: ${vod.durationMs} ms`)

  // live schemes are never probed (no binary needed)
  for (const live of ['rtmp://127.0.0.1/live/stream', 'SRT://127.0.0.1:9000', 'udp://239.0.0.1:1234']) {
    t.match(await probe(live, { ffprobe: '/nonexistent/ffprobe' }), { live: true, durationMs: null, problem: null }, live)
  }
  // a server that never answers: the probe gives up within its timeout
  t.match(await probeRemote(url('hang'), { timeoutMs: 500 }), { problem: /^unreadable: /, durationMs: null, live: false })
})

t.test('remote lengths are kept in remote_probes for a day: a second call probes nothing', async (t) => {
  const databaseUrl = await testDatabaseUrl(t)
  const store = databaseUrl !== null ? await openPostgresStore(databaseUrl) : await openSqliteStore(tempDir(t))
  t.teardown(() => store.close())
  const { server, hits, url } = serve(dir)
  t.teardown(() => { server.closeAllConnections(); server.close() })
  await new Promise((resolve) => server.once('listening', resolve))
  const requests = (): number => [...hits.values()].reduce((a, b) => a + b, 0)

  const film = url('film.mp4')
  const missing = url('missing.mp4')
  const live = 'rtmp://127.0.0.1/live'
  const now = Date.parse('2027-01-10T12:00:00Z')
  const first = await remoteDurations(store, [film, missing, live, film, '/srv/media/local.mkv'], now)
  t.same([...first.keys()].sort(), [film, missing, live].sort(), 'each URL once; a local path is no remote item')
  t.ok(near(first.get(film)!.durationMs, 1500))
  t.match(first.get(missing), { durationMs: null, live: false, problem: /404/ })
  t.same(first.get(live), { durationMs: null, live: true, problem: null })
  const afterFirst = requests()
  t.ok(afterFirst > 0)

  const second = await remoteDurations(store, [film, missing, live], now + 60_000)
  t.equal(requests(), afterFirst, 'a minute later nothing is asked of the server')
  t.same(second.get(film), first.get(film))
  t.same(second.get(missing), first.get(missing))

  const filmHits = (): number => hits.get('/film.mp4') ?? 0
  const filmBefore = filmHits()
  await remoteDurations(store, [film, missing], now + REMOTE_PROBE_RETRY_MS + 1)
  t.ok(requests() > afterFirst, 'a failure is tried again after REMOTE_PROBE_RETRY_MS')
  t.equal(filmHits(), filmBefore, '… a length is not')
  const later = now + REMOTE_PROBE_MAX_AGE_MS + 1
  await remoteDurations(store, [film], later)
  t.ok(filmHits() > filmBefore, 'a day later the URL is probed again')
  t.equal((await remoteDurations(store, [film], later + 1, { budgetMs: 0 })).size, 1, 'the fresh probe was stored')
  t.equal((await remoteDurations(store, [url('song.m4a')], now, { budgetMs: 0 })).size, 0, 'past its budget a URL is left unprobed, absent')
})
