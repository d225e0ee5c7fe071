import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import ffmpeg from '@ffmpeg-installer/ffmpeg'

// Real media for the media library's tests (SPEC §16), made by the ffmpeg binary that
// @ffmpeg-installer/ffmpeg ships (nothing is downloaded): tiny clips of known lengths, with
// chapters or tags when asked. A clip of N seconds probes within a few ms of N.

const run = promisify(execFile)

export const ffmpegPath: string = ffmpeg.path

export interface ClipOptions {
  /** chapter starts in seconds (the first chapter starts at 0 and is implied) */
  chapters?: number[]
  /** container tags: title, show, season_number, episode_id, genre, date, description… */
  tags?: Record<string, string>
  /** sound only (an .m4a, .mp3…) */
  audioOnly?: boolean
}

/**
 * A clip of `seconds` at `path` (its folders made), its container from the extension (.mkv
 * keeps chapters and free tags best). 64×36 at 25 fps, 48 kHz mono (an AAC frame is 21 ms there): fast to make and probe.
 */
export async function makeClip (path: string, seconds: number, options: ClipOptions = {}): Promise<string> {
  await mkdir(dirname(path), { recursive: true })
  const args = ['-y', '-v', 'error']
  if (options.audioOnly !== true) args.push('-f', 'lavfi', '-i', `color=c=blue:size=64x36:rate=25:duration=${seconds}`)
  args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`)
  const inputs = options.audioOnly === true ? 1 : 2
  if (options.chapters !== undefined && options.chapters.length > 0) {
    const meta = `${path}.ffmeta`
    const starts = [0, ...options.chapters, seconds]
    const chapters = starts.slice(0, -1).map((s, i) => `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${Math.round(s * 1000)}\nEND=${Math.round(starts[i + 1] * 1000)}\ntitle=Part ${i + 1}\n`)
    await writeFile(meta, `;FFMETADATA1\n${chapters.join('')}`)
    args.push('-f', 'ffmetadata', '-i', meta, '-map_chapters', String(inputs))
  }
  for (let i = 0; i < inputs; i++) args.push('-map', String(i))
  for (const [k, v] of Object.entries(options.tags ?? {})) args.push('-metadata', `${k}=${v}`)
  if (options.audioOnly !== true) args.push('-c:v', 'mpeg4', '-q:v', '31')
  args.push('-c:a', path.endsWith('.mp3') ? 'libmp3lame' : 'aac', '-t', String(seconds), path)
  await run(ffmpegPath, args)
  return path
}

/** Several clips under `root`: { relative path: seconds }. */
export async function makeClips (root: string, clips: Record<string, number>): Promise<void> {
  for (const [relative, seconds] of Object.entries(clips)) await makeClip(join(root, relative), seconds)
}
