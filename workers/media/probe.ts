import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import pLimit from 'p-limit'
import { LIVE_SCHEMES, PROBE_CONCURRENCY, PROBE_TIMEOUT_MS } from '../../contract/limits.js'

// ffprobe (SPEC §16): the one place a media file or URL is read. The binary is the one
// @ffprobe-installer/ffprobe ships, unless SCHEDULEFLOW_FFPROBE names another (tests always use
// the npm one: two builds read one clip as 5.000 and 5.024 s). Each probe has a timeout, and at
// most PROBE_CONCURRENCY run at once in a process.

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
  return (createRequire(import.meta.url)('@ffprobe-installer/ffprobe') as { path: string }).path
}

/** A URL whose scheme is a live source's (rtmp, srt, udp…): it has no length. */
export const isLiveUrl = (location: string): boolean => LIVE_SCHEMES.some((s) => location.toLowerCase().startsWith(s))

const limit = pLimit(PROBE_CONCURRENCY)

/** Probes a local path or an http(s) URL; never throws: a failure is a Probe with its `problem`. */
export async function probe (location: string, options: { timeoutMs?: number, ffprobe?: string } = {}): Promise<Probe> {
  return limit(async () => probeNow(location, options.ffprobe ?? ffprobePath(), options.timeoutMs ?? PROBE_TIMEOUT_MS))
}

async function probeNow (location: string, binary: string, timeoutMs: number): Promise<Probe> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', location]
  const output = await new Promise<{ stdout: string, error: string | null }>((resolve) => {
    execFile(binary, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error === null) return resolve({ stdout, error: null })
      const why = error.killed === true ? `ffprobe gave no answer within ${timeoutMs / 1000} s` : (stderr.trim().split('\n').at(-1) ?? '') || error.message
      resolve({ stdout, error: why })
    })
  })
  if (output.error !== null) return failed(`unreadable: ${output.error}`)
  let json: FfprobeJson
  try { json = JSON.parse(output.stdout) as FfprobeJson } catch { return failed('unreadable: ffprobe answered no JSON') }
  return probeOf(json)
}

const failed = (problem: string): Probe => ({ durationMs: null, container: null, video: null, audio: null, chapters: [], tags: {}, problem })

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
  if (videoStream === undefined && audioStream === undefined) problem = 'no video or audio stream'
  else if (durationMs === 0) problem = 'zero length'
  return {
    durationMs,
    container: json.format?.format_name ?? null,
    video: videoStream === undefined ? null : `${videoStream.codec_name ?? 'video'}${videoStream.width !== undefined ? ` ${videoStream.width}x${videoStream.height ?? 0}` : ''}`,
    audio: audioStream?.codec_name ?? null,
    chapters,
    tags,
    problem
  }
}
