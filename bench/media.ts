import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BuildStored, Channel, Template } from '../contract/api.js'
import type { Collection, Library, Scan } from '../contract/media.js'
import { PROBE_CONCURRENCY } from '../contract/limits.js'
import { ffprobePath } from '../workers/media/probe.js'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import type { MediaItemInput } from '../workers/storage/media.js'
import { makeClip } from '../test/media-fixtures.js'
import { catalogue, fillers, isoDate, timed } from './channels.js'
import { fmt, median } from './measure.js'
import { send, startBenchServer, type BenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 26 ("How it is checked", SPEC §16), three figures:
// a. the first scan of FILES real clips through the API (POST …/scan, polled to done), in
//    files/s, beside the bare ffprobe run over the same files: one at a time, and
//    PROBE_CONCURRENCY at a time (what one worker allows itself: the scan's limit);
// b. the rescan of an unchanged TREE-file tree (every file's path, size and mtime as its item
//    has them: only stats, nothing probed), target ≤ 2 s, beside a bare stat walk of the tree;
// c. a 7-day build from a TREE-item collection beside the same build from a TREE-item playlist
//    of the same lengths, within the channel build target (≤ 2 s).
// The clips are made once (ffmpeg from npm, a few at a time) into a cache under the system's
// temp dir and reused by later runs; the tree is hard links to them, and its items are stored
// through the store (as a finished scan would leave them), so no TREE probes are needed.
// BENCH_MEDIA_FILES and BENCH_MEDIA_TREE make a small smoke run (e.g. 40 and 400).

const FILES = Number(process.env.BENCH_MEDIA_FILES ?? 1000)
const TREE = Number(process.env.BENCH_MEDIA_TREE ?? 10_000)
const CLIP_SECONDS = 2
/** Clips made at once: the machine has other work (two cores). */
const MAKE_AT_ONCE = 2
const CLIP_CACHE = join(tmpdir(), 'scheduleflow-bench-clips-v1')
const FOLDER_SIZE = 100
const GENRE = 'Bench'
const BUILD_DAYS = 7
const BUILD_TARGET_MS = 2000
const RESCAN_TARGET_MS = 2000
const DAY_MS = 86_400_000

/** Runs `work` on each index below `n`, `width` at a time. */
async function lanes (n: number, width: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => { for (let i = next++; i < n; i = next++) await work(i) }))
}

const clipName = (i: number): string => `clip-${String(i).padStart(5, '0')}.mp4`

/** The cache's first `n` clips, made where missing (each written aside and renamed: a run stopped half-way leaves no broken clip). */
export async function cachedClips (n: number): Promise<string[]> {
  mkdirSync(CLIP_CACHE, { recursive: true })
  const paths = Array.from({ length: n }, (_, i) => join(CLIP_CACHE, clipName(i)))
  const missing = paths.filter((p) => !existsSync(p))
  if (missing.length > 0) {
    console.log(`making ${missing.length} clips of ${CLIP_SECONDS} s into ${CLIP_CACHE} (once; later runs reuse them)…`)
    const t0 = performance.now()
    await lanes(missing.length, MAKE_AT_ONCE, async (i) => {
      const aside = `${missing[i]}.part.mp4`
      await makeClip(aside, CLIP_SECONDS)
      renameSync(aside, missing[i])
    })
    console.log(`made in ${fmt((performance.now() - t0) / 1000, 0)} s`)
  }
  return paths
}

/** `count` files under `root` in folders of FOLDER_SIZE, each a hard link to one of `clips` (a copy where links cannot be made). */
function linkTree (root: string, clips: string[], count: number): string[] {
  const relative: string[] = []
  for (let i = 0; i < count; i++) {
    const folder = `f${String(Math.floor(i / FOLDER_SIZE)).padStart(3, '0')}`
    if (i % FOLDER_SIZE === 0) mkdirSync(join(root, folder), { recursive: true })
    const path = `${folder}/${clipName(i)}`
    const from = clips[i % clips.length]
    try { linkSync(from, join(root, path)) } catch { copyFileSync(from, join(root, path)) }
    relative.push(path)
  }
  return relative
}

/** One run of the bare ffprobe, as workers/media/probe.ts runs it. */
const ffprobe = (binary: string, path: string): Promise<void> => new Promise((resolve, reject) => {
  execFile(binary, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', path], { maxBuffer: 16 * 1024 * 1024 }, (error) => (error === null ? resolve() : reject(error)))
})

/** The baseline of a rescan: every file of the tree found and stat'ed, in process. */
async function statWalk (root: string): Promise<number> {
  let n = 0
  const walk = async (dir: string): Promise<void> => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(dir, entry.name))
      else { await stat(join(dir, entry.name)); n++ }
    }
  }
  await walk(root)
  return n
}

/** Starts a scan of the library and polls it until it ends; its last answer. */
async function scanToEnd (server: BenchServer, libraryId: string): Promise<Scan> {
  const { scan } = await send<{ scan: Scan }>(server, 'POST', `/api/libraries/${libraryId}/scan`, {})
  for (;;) {
    const { scan: now } = await send<{ scan: Scan }>(server, 'GET', `/api/libraries/${libraryId}/scans/${scan.id}`)
    if (now.state !== 'running') {
      if (now.state !== 'done') throw new Error(`the scan ended ${now.state}: ${now.error ?? ''}`)
      return now
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * The tree's items stored as a finished scan leaves them (one scan, every item seen by it), with
 * the catalogue's lengths (bench/channels.ts: 20–56 minutes) so the build compares with a playlist
 * of the same items, all of one genre: one TREE-item collection.
 */
async function seedItems (server: BenchServer, libraryId: string, root: string, paths: string[]): Promise<void> {
  const store = await openSqliteStore(server.config.dataDir)
  try {
    const { scan } = await store.media.startScan(libraryId, Date.now())
    const items: MediaItemInput[] = paths.map((path, i) => {
      const s = statSync(join(root, path))
      return {
        library_id: libraryId,
        path,
        folder: path.slice(0, path.lastIndexOf('/')),
        size: s.size,
        mtime_ms: Math.trunc(s.mtimeMs),
        duration_ms: (1200 + (i % 37) * 60) * 1000,
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
        video: 'mpeg4 64x36',
        audio: 'aac',
        title: `Programme ${i}`,
        show: null,
        season: null,
        episode: null,
        year: null,
        description: null,
        category: GENRE,
        problem: null,
        probed_ms: Date.now(),
        seen_scan_id: scan.id
      }
    })
    const progress = { files_seen: items.length, probed: 0, cached: items.length, failed: 0, removed: 0, skipped: [], cursor: null }
    await store.media.storeScanTask(scan.id, null, [], items, progress, Date.now())
  } finally {
    await store.close()
  }
}

/** Three blocks a day from one source (shuffle, sequential, random), padded with idents: the same for a playlist and a collection. */
function dayOfThree (source: Template['blocks'][number]['source'], filler: string): Template {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as Template['blocks'][number]['days']
  return {
    blocks: [
      { id: 'night', days, start: '00:00', end: '08:00', source, order: 'shuffle', fill: 'pad', filler },
      { id: 'day', days, start: '08:00', end: '16:00', source, order: 'sequential', fill: 'pad', filler },
      { id: 'evening', days, start: '16:00', end: '00:00', source, order: 'random', fill: 'pad', filler }
    ]
  } as Template
}

/** A 7-day build of a fresh channel on `template`: median of 3 after a warm-up. */
async function timeBuilds (server: BenchServer, number: number, template: Template): Promise<{ ms: number, events: number }> {
  const body = { number: String(number), name: `Media ${number}`, timezone: 'Europe/London', build_ahead_days: 0 }
  const { channel } = await send<{ channel: Channel }>(server, 'POST', '/api/channels', body)
  await send(server, 'PUT', `/api/channels/${channel.id}/template`, template)
  const tomorrow = (Math.floor(Date.now() / DAY_MS) + 1) * DAY_MS
  const range = { from: isoDate(tomorrow), to: isoDate(tomorrow + (BUILD_DAYS - 1) * DAY_MS), seed: 'media' }
  const build = (): Promise<{ ms: number, value: BuildStored }> => timed(() => send<BuildStored>(server, 'POST', `/api/channels/${channel.id}/build`, range))
  await build() // warm-up: workers started, the source read once
  const runs = [await build(), await build(), await build()]
  return { ms: median(runs.map((r) => r.ms)), events: runs[0].value.stats.events }
}

export async function benchMedia (): Promise<void> {
  const clips = await cachedClips(FILES)
  const media = mkdtempSync(join(tmpdir(), 'scheduleflow-bench-media-'))
  const server = await startBenchServer({ LOG_LEVEL: 'warn', SCHEDULEFLOW_MEDIA_ROOTS: media })
  try {
    console.log('\n## Media library (issue 26)')

    // a. The first scan of FILES clips, beside the bare ffprobe over the same files.
    const firstRoot = join(media, 'first')
    const files = linkTree(firstRoot, clips, FILES).map((p) => join(firstRoot, p))
    const binary = ffprobePath()
    await ffprobe(binary, clips[0]) // warm-up: the binary read from disk once
    const sequential = await timed(() => lanes(files.length, 1, (i) => ffprobe(binary, files[i])))
    const concurrent = await timed(() => lanes(files.length, PROBE_CONCURRENCY, (i) => ffprobe(binary, files[i])))
    const { library: first } = await send<{ library: Library }>(server, 'POST', '/api/libraries', { name: 'First scan', root: firstRoot })
    const scan = await timed(() => scanToEnd(server, first.id))
    if (scan.value.probed !== FILES) throw new Error(`the first scan probed ${scan.value.probed} files, not ${FILES}: ${JSON.stringify(scan.value).slice(0, 400)}`)
    const rate = (ms: number): number => FILES / (ms / 1000)
    console.log(`first scan of ${FILES.toLocaleString('en')} clips through the API: ${fmt(scan.ms / 1000, 1)} s → ${fmt(rate(scan.ms), 1)} files/s`)
    console.log(`bare ffprobe over the same files, one at a time: ${fmt(sequential.ms / 1000, 1)} s → ${fmt(rate(sequential.ms), 1)} files/s; ${PROBE_CONCURRENCY} at a time: ${fmt(concurrent.ms / 1000, 1)} s → ${fmt(rate(concurrent.ms), 1)} files/s (the limit)`)
    report({
      measure: `issue 26 first scan, ${FILES.toLocaleString('en')} real clips (files/s)`,
      value: `${fmt(rate(scan.ms), 1)} files/s`,
      baseline: `${fmt(rate(concurrent.ms), 1)} files/s bare ffprobe ${PROBE_CONCURRENCY} at a time (${fmt(rate(sequential.ms), 1)} one at a time)`,
      ratio: ratioText(rate(scan.ms), rate(concurrent.ms), 'percent'),
      target: '— (measured; the bare run is the limit)'
    })

    // b. The rescan of an unchanged TREE-file tree: only stats.
    const treeRoot = join(media, 'tree')
    const paths = linkTree(treeRoot, clips, TREE)
    const { library: tree } = await send<{ library: Library }>(server, 'POST', '/api/libraries', { name: 'Tree', root: treeRoot })
    await seedItems(server, tree.id, treeRoot, paths)
    await statWalk(treeRoot) // warm-up: the tree's inodes in the page cache for both
    const walk = await timed(() => statWalk(treeRoot))
    const rescan = (): Promise<{ ms: number, value: Scan }> => timed(() => scanToEnd(server, tree.id))
    const rescans = [await rescan(), await rescan(), await rescan()]
    for (const r of rescans) {
      if (r.value.probed !== 0 || r.value.cached !== TREE) throw new Error(`the rescan of an unchanged tree probed ${r.value.probed} and found ${r.value.cached} unchanged of ${TREE}`)
    }
    const rescanMs = median(rescans.map((r) => r.ms))
    console.log(`rescan of an unchanged ${TREE.toLocaleString('en')}-file tree (median of 3): ${rescans.map((r) => fmt(r.ms, 0)).join(', ')} ms → ${fmt(rescanMs, 0)} ms (target ≤ ${RESCAN_TARGET_MS} ms: ${rescanMs <= RESCAN_TARGET_MS ? 'met' : 'MISSED'}); nothing probed`)
    console.log(`baseline, a bare stat walk of the tree in process: ${fmt(walk.ms, 0)} ms (${walk.value.toLocaleString('en')} files)`)
    report({
      measure: `issue 26 rescan, unchanged ${TREE.toLocaleString('en')}-file tree (only stats)`,
      value: `${fmt(rescanMs, 0)} ms`,
      baseline: `${fmt(walk.ms, 0)} ms bare stat walk in process`,
      ratio: ratioText(rescanMs, walk.ms),
      target: `≤ ${RESCAN_TARGET_MS} ms`,
      met: rescanMs <= RESCAN_TARGET_MS
    })

    // c. A 7-day build from the TREE-item collection beside the same from a TREE-item playlist.
    const { collections } = await send<{ collections: Collection[] }>(server, 'GET', `/api/libraries/${tree.id}/collections`)
    const genre = collections.find((c) => c.kind === 'genre' && c.name === GENRE)
    if (genre === undefined || genre.items !== TREE) throw new Error(`no ${TREE}-item genre collection: ${JSON.stringify(collections.filter((c) => c.kind === 'genre'))}`)
    const playlist = await server.post<{ playlist: { id: string } }>('/api/playlists/import?name=catalogue', catalogue(TREE), 'audio/x-mpegurl')
    const filler = await server.post<{ playlist: { id: string } }>('/api/playlists/import?name=fillers', fillers(200), 'audio/x-mpegurl')
    const fromPlaylist = await timeBuilds(server, 1, dayOfThree({ playlist: playlist.playlist.id }, filler.playlist.id))
    const fromCollection = await timeBuilds(server, 2, dayOfThree({ collection: genre.id }, filler.playlist.id))
    console.log(`${BUILD_DAYS}-day build, 3 blocks a day, from a ${TREE.toLocaleString('en')}-item collection (median of 3): ${fmt(fromCollection.ms, 0)} ms, ${fromCollection.events.toLocaleString('en')} events (target ≤ ${BUILD_TARGET_MS} ms: ${fromCollection.ms <= BUILD_TARGET_MS ? 'met' : 'MISSED'})`)
    console.log(`the same from a ${TREE.toLocaleString('en')}-item playlist of the same lengths:          ${fmt(fromPlaylist.ms, 0)} ms, ${fromPlaylist.events.toLocaleString('en')} events; collection / playlist ${ratioText(fromCollection.ms, fromPlaylist.ms)}`)
    report({
      measure: `issue 26 channel build ${BUILD_DAYS} d from a ${TREE.toLocaleString('en')}-item collection`,
      value: `${fmt(fromCollection.ms, 0)} ms`,
      baseline: `${fmt(fromPlaylist.ms, 0)} ms the same from a ${TREE.toLocaleString('en')}-item playlist`,
      ratio: ratioText(fromCollection.ms, fromPlaylist.ms),
      target: `≤ ${BUILD_TARGET_MS} ms`,
      met: fromCollection.ms <= BUILD_TARGET_MS
    })
  } finally {
    await server.close()
    rmSync(media, { recursive: true, force: true })
  }
}
