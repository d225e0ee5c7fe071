import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import pLimit from 'p-limit'
import { LIVE_SCHEMES, PROBE_CONCURRENCY, PROBE_TIMEOUT_MS, REMOTE_PROBE_TIMEOUT_MS } from '../../contract/limits.js'

// ffprobe (SPEC §16): the one place a media file or URL is read. The binary is the one
// @ffprobe-installer/ffprobe ships, unless SCHEDULEFLOW_FFPROBE names another (tests always use
// the npm one: two builds read one clip as 5.000 and 5.024 s). Each probe has a timeout, and at
// most PROBE_CONCURRENCY run at once in a process. A live source (LIVE_SCHEMES, or an HLS
// playlist without #EXT-X-ENDLIST) is answered `live` with no length: it airs only as a fixed
// event. A local file that is missing or empty is answered without running ffprobe.

/** What ffprobe told about one file or URL. */
export interface Probe {
  /** ms, rounded; null when ffprobe gave none (a live stream, a broken file) */
  durationMs: number | null
  /** ffprobe's format name, e.g. "matroska,webm" */
  container: string | null
  /** the first video stream: "h264 1920x1080"; null: none */
  video: string | null
  /** the first audio stream's codec; null: none */
  audio: string | null
  /** chapter starts after the first, ms */
  chapters: number[]
  /** the container's tags, names lower-cased (title, show, season_number, episode_id, date, genre, description…) */
  tags: Record<string, string>
  /** why it cannot air; null: it can */
  problem: string | null
  /** true: a live stream (no end, no length), which airs only as a fixed event; absent: false */
  live?: boolean
}

interface FfprobeJson {
  format?: { format_name?: string, duration?: string, tags?: Record<string, string> }
  streams?: Array<{ codec_type?: string, codec_name?: string, width?: number, height?: number, duration?: string }>
  chapters?: Array<{ start_time?: string }>
}

/** The ffprobe binary: SCHEDULEFLOW_FFPROBE, else the npm package's. */
export function ffprobePath (env: NodeJS.ProcessEnv = process.env): string {
  const named = env.SCHEDULEFLOW_FFPROBE ?? ''
  if (named !== '') return named
  return npmFfprobe()
}

const npmFfprobe = (): string => (createRequire(import.meta.url)('@ffprobe-installer/ffprobe') as { path: string }).path

/**
 * The environment ffprobe runs in. The npm binary is a static build: to decode an MPEG-TS
 * service name it loads the system's iconv modules, built for another glibc, and crashes (every
 * .ts file and HLS stream, SIGSEGV). Pointed at a folder without modules, iconv fails cleanly
 * and the name is left undecoded (nothing here reads it). Another binary runs as it is.
 */
function ffprobeEnv (binary: string): NodeJS.ProcessEnv {
  let npm: string | null = null
  try { npm = npmFfprobe() } catch { /* another binary named, the package not installed */ }
  return binary === npm ? { ...process.env, GCONV_PATH: dirname(binary) } : process.env
}

/** A URL whose scheme is a live source's (rtmp, srt, udp…): it has no length. */
export const isLiveUrl = (location: string): boolean => LIVE_SCHEMES.some((s) => location.toLowerCase().startsWith(s))

const limit = pLimit(PROBE_CONCURRENCY)

/** Probes a local path or a URL; never throws: a failure is a Probe with its `problem`. */
export async function probe (location: string, options: { timeoutMs?: number, ffprobe?: string } = {}): Promise<Probe> {
  if (isLiveUrl(location)) return liveProbe()
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS
  return limit(async () => {
    const deadline = Date.now() + timeoutMs
    const url = isUrl(location)
    const early = url ? null : await localProblem(location) // a URL's problem ffprobe tells
    if (early !== null) return failed(early)
    if (isHls(location) && await hlsIsLive(location, timeoutMs)) return liveProbe()
    // a path as file:, so no name is taken for a protocol (`a:b.mkv`, `concat:…`) or an option (`-x.mkv`)
    const target = url ? location : `file:${resolve(location)}`
    let binary: string
    try { binary = options.ffprobe ?? ffprobePath() } catch { return failed('unreadable: no ffprobe (install @ffprobe-installer/ffprobe or set SCHEDULEFLOW_FFPROBE)') }
    return probeNow(target, binary, Math.max(1, deadline - Date.now()))
  })
}

/** Probes an http(s) URL with the remote timeout (REMOTE_PROBE_TIMEOUT_MS): one slow server holds nothing up for long. */
export async function probeRemote (url: string, options: { timeoutMs?: number, ffprobe?: string } = {}): Promise<Probe> {
  return probe(url, { ...options, timeoutMs: options.timeoutMs ?? REMOTE_PROBE_TIMEOUT_MS })
}

/** `scheme://…`: a URL; anything else is a path. */
const isUrl = (location: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//iu.test(location)

/** http(s): read over the network (ffprobe's own protocols); anything else is a local path. */
export const isRemote = (location: string): boolean => /^https?:\/\//iu.test(location)

/** An HLS playlist, by its name (a query string aside). */
const isHls = (location: string): boolean => /\.m3u8(?:[?#].*)?$/iu.test(location)

/** Why a local file cannot be probed at all (missing, not a file, empty); null: ffprobe may try. */
async function localProblem (path: string): Promise<string | null> {
  try {
    const s = await stat(path)
    if (!s.isFile()) return 'not a regular file'
    return s.size === 0 ? 'empty file (0 bytes)' : null
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable: ${(err as Error).message}`
  }
}

/**
 * True when an HLS playlist has no end (#EXT-X-ENDLIST): a live stream, whatever duration
 * ffprobe would make of the segments listed now. A master playlist is judged by its first
 * variant. A playlist that cannot be read is left to ffprobe (which says why).
 */
async function hlsIsLive (location: string, timeoutMs: number, depth = 0): Promise<boolean> {
  const text = await readText(location, timeoutMs)
  if (text === null || !text.trimStart().startsWith('#EXTM3U')) return false
  if (text.includes('#EXT-X-ENDLIST')) return false
  if (!text.includes('#EXT-X-STREAM-INF')) return true
  const variant = text.split(/\r?\n/u).map((l) => l.trim()).find((l, i, lines) => l !== '' && !l.startsWith('#') && lines.slice(0, i).some((p) => p.startsWith('#EXT-X-STREAM-INF')))
  if (variant === undefined || depth > 0) return true
  const next = isRemote(location) ? new URL(variant, location).toString() : join(dirname(location), variant)
  return hlsIsLive(next, timeoutMs, depth + 1)
}

async function readText (location: string, timeoutMs: number): Promise<string | null> {
  try {
    if (!isRemote(location)) return await readFile(location, 'utf8')
    const res = await fetch(location, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })
    return res.ok ? await res.text() : null
  } catch {
    return null
  }
}

async function probeNow (location: string, binary: string, timeoutMs: number): Promise<Probe> {
  // -rw_timeout (µs): ffprobe itself gives up on a stalled connection, before it is killed
  const network = isRemote(location) ? ['-rw_timeout', String(timeoutMs * 1000)] : []
  const args = ['-v', 'error', ...network, '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', location]
  const output = await new Promise<{ stdout: string, error: string | null }>((resolve) => {
    execFile(binary, args, { env: ffprobeEnv(binary), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error === null) return resolve({ stdout, error: null })
      const said = stderr.trim().split('\n').at(-1) ?? ''
      const why = error.killed === true
        ? `ffprobe gave no answer within ${timeoutMs / 1000} s`
        : said !== '' ? said : error.signal !== null && error.signal !== undefined ? `ffprobe crashed (${error.signal})` : `ffprobe failed (exit code ${String(error.code)})`
      resolve({ stdout, error: why })
    })
  })
  if (output.error !== null) return failed(`unreadable: ${output.error}`)
  let json: FfprobeJson
  try { json = JSON.parse(output.stdout) as FfprobeJson } catch { return failed('unreadable: ffprobe answered no JSON') }
  return probeOf(json)
}

const liveProbe = (): Probe => ({ durationMs: null, container: null, video: null, audio: null, chapters: [], tags: {}, problem: null, live: true })

const failed = (problem: string): Probe => ({ durationMs: null, container: null, video: null, audio: null, chapters: [], tags: {}, problem, live: false })

const ms = (seconds: string | undefined): number | null => {
  const n = Number(seconds)
  return seconds === undefined || !Number.isFinite(n) || n < 0 ? null : Math.round(n * 1000)
}

/** ffprobe's JSON as a Probe: the container's duration (else the longest stream's), the first video and audio streams, chapters after the first. */
export function probeOf (json: FfprobeJson): Probe {
  const streams = json.streams ?? []
  const videoStream = streams.find((s) => s.codec_type === 'video')
  const audioStream = streams.find((s) => s.codec_type === 'audio')
  const streamMs = streams.map((s) => ms(s.duration)).filter((d): d is number => d !== null)
  const durationMs = ms(json.format?.duration) ?? (streamMs.length > 0 ? Math.max(...streamMs) : null)
  const tags: Record<string, string> = {}
  for (const [k, v] of Object.entries(json.format?.tags ?? {})) tags[k.toLowerCase()] = v
  const chapters = (json.chapters ?? []).map((c) => ms(c.start_time)).filter((c): c is number => c !== null && c > 0)
  let problem: string | null = null
  // A video stream without a picture size is what ffprobe makes of bytes it merely guesses a
  // raw codec in (random data read as h263 0x0): nothing to air unless there is sound.
  const pictureless = videoStream !== undefined && (videoStream.width === 0 || videoStream.height === 0)
  if (videoStream === undefined && audioStream === undefined) problem = 'no video or audio stream'
  else if (pictureless && audioStream === undefined) problem = 'no picture (a video stream of size 0) and no audio'
  else if (durationMs === 0) problem = 'zero length'
  const container = json.format?.format_name ?? null
  return {
    durationMs,
    container,
    video: videoStream === undefined ? null : `${videoStream.codec_name ?? 'video'}${videoStream.width !== undefined ? ` ${videoStream.width}x${videoStream.height ?? 0}` : ''}`,
    audio: audioStream?.codec_name ?? null,
    chapters,
    tags,
    problem,
    // ffprobe reads an endless HLS playlist as one with no duration
    live: durationMs === null && problem === null && container !== null && container.split(',').includes('hls')
  }
}
