import { stat } from 'node:fs/promises'
import pLimit from 'p-limit'
import type { Channel } from '../../contract/channels.js'
import { DEFAULT_MISSING_MEDIA_HOURS } from '../../contract/limits.js'
import { localDate } from '../channels/wall-time.js'
import type { LibraryUrl } from '../media/library-urls.js'
import { iso } from '../schedule/model.js'
import type { AlarmInput } from '../storage/alarms.js'
import type { LibraryFile } from '../storage/media.js'
import { spokenInstant } from './alarms.js'

// The missing-media alarm (SPEC §16, §17): a library file due to air in the next
// SCHEDULEFLOW_MISSING_MEDIA_HOURS that is gone, or whose size or mtime is no longer what it was
// probed at, is one alarm per channel and file, naming the channel, when it is first due, the
// path relative to its library's root and the library; its details carry the build call that
// replaces it. The item is marked (`problem`), so builds skip it (MEDIA_UNAVAILABLE) until the
// file is back as probed, or a scan probes it again. Pure but for the stats: the command
// (workers/commands/missing-media.ts) reads the events and items and writes what this says.

const HOUR_MS = 3_600_000
/** Files stat'ed at once: a library on a network share answers slowly, not in series. */
const STATS_AT_ONCE = 8

export const MISSING_MEDIA_PREFIX = 'missing_media:'
/** One alarm per channel and file: `missing_media:<channel>:<library>:<relative path>` (ids hold no ':'). */
export const missingMediaKey = (channelId: string, libraryId: string, path: string): string => `${MISSING_MEDIA_PREFIX}${channelId}:${libraryId}:${path}`
/** The library and path a missing_media key names; null for another key. */
export function fileOfKey (key: string): { library_id: string, path: string } | null {
  if (!key.startsWith(MISSING_MEDIA_PREFIX)) return null
  const [, , libraryId, ...path] = key.split(':')
  return libraryId === undefined || path.length === 0 ? null : { library_id: libraryId, path: path.join(':') }
}

/** The problems this check sets on an item (and clears, never another's: a scan's "zero length" stays). */
const MISSING = 'missing since '
const CHANGED = 'changed since probed'
/** A problem this check set: a scan that finds the file as probed (or probes it again) should clear it. */
export const isMissingMediaMark = (problem: string | null): boolean => problem !== null && (problem.startsWith(MISSING) || problem.startsWith(CHANGED))
const ours = isMissingMediaMark

/** SCHEDULEFLOW_MISSING_MEDIA_HOURS as the pool hands it to workers (plugins/process-pool.ts). */
export function missingMediaHours (env: NodeJS.ProcessEnv = process.env): number {
  const hours = Number(env.SCHEDULEFLOW_MISSING_MEDIA_HOURS)
  return env.SCHEDULEFLOW_MISSING_MEDIA_HOURS === undefined || env.SCHEDULEFLOW_MISSING_MEDIA_HOURS === '' || !Number.isFinite(hours) || hours < 0 ? DEFAULT_MISSING_MEDIA_HOURS : hours
}

/** What a stat found of a file, against its item. */
export type FileState =
  | { state: 'ok' }
  | { state: 'missing', reason: string }
  | { state: 'changed', size: number, mtime_ms: number }

/** Stats the file and compares it with the item it was probed as (no item: only that it exists). */
async function fileState (absolute: string, item: LibraryFile | undefined): Promise<FileState> {
  let found
  try {
    found = await stat(absolute)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return { state: 'missing', reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : `unreadable (${code ?? 'error'})` }
  }
  if (!found.isFile()) return { state: 'missing', reason: 'not a file' }
  // Stored mtimes are whole ms (a scan rounds or truncates stat's fraction): a change is at least 1 ms.
  if (item !== undefined && (found.size !== item.size || Math.abs(found.mtimeMs - item.mtime_ms) >= 1)) {
    return { state: 'changed', size: found.size, mtime_ms: Math.round(found.mtimeMs) }
  }
  return { state: 'ok' }
}

/** Each file's state, by absolute path, STATS_AT_ONCE at a time. */
export async function fileStates (files: ReadonlyMap<string, LibraryFile | undefined>): Promise<Map<string, FileState>> {
  const limit = pLimit(STATS_AT_ONCE)
  const states = new Map<string, FileState>()
  await Promise.all([...files].map(async ([absolute, item]) => limit(async () => { states.set(absolute, await fileState(absolute, item)) })))
  return states
}

/** One channel's airings of one library file inside the window. */
export interface DueFile {
  file: LibraryUrl
  /** first and last start of an airing, ms (the first may have begun: a file on air now) */
  first: number
  last: number
  airings: number
  /** an airing is a built event (a build can replace it); false: only events of a placed schedule */
  built: boolean
}

type Subject = Pick<Channel, 'id' | 'name' | 'timezone'>

/** The alarm for one channel's airings of a file that is missing or changed. */
export function missingMediaAlarm (channel: Subject, due: DueFile, state: Exclude<FileState, { state: 'ok' }>, hours: number): AlarmInput {
  const { file } = due
  const at = spokenInstant(channel.timezone)
  const what = state.state === 'missing'
    ? `is ${state.reason}`
    : `has changed since it was probed (${file.item!.size} → ${state.size} bytes, modified ${iso(state.mtime_ms)})`
  const airings = due.airings > 1 ? `; ${due.airings} airings in the next ${hours} h` : ''
  const rebuild = due.built
    ? { method: 'POST', path: `/api/channels/${channel.id}/build`, body: { from: localDate(due.first, channel.timezone), to: localDate(due.last, channel.timezone) } }
    : null
  return {
    key: missingMediaKey(channel.id, file.library.id, file.path),
    kind: 'missing_media',
    channel_id: channel.id,
    message: `${channel.name}: ${file.path} (library ${file.library.name}) ${what}; due ${at(due.first)}${airings}${rebuild === null ? '' : ' — rebuild those days to replace it'}`,
    details: {
      state: state.state,
      library_id: file.library.id,
      library: file.library.name,
      path: file.path,
      due: iso(due.first),
      last_due: iso(due.last),
      airings: due.airings,
      item_id: file.item?.id ?? null,
      ...(state.state === 'changed' && { probed: { size: file.item!.size, mtime: iso(file.item!.mtime_ms) }, found: { size: state.size, mtime: iso(state.mtime_ms) } }),
      // The call that replaces it: the build skips the marked item (MEDIA_UNAVAILABLE); what has aired and pinned events stay.
      rebuild
    }
  }
}

/** The problem an item should carry after the check; undefined: leave it as it is. */
export function problemAfter (item: LibraryFile, state: FileState, now: number): string | null | undefined {
  if (state.state === 'ok') return ours(item.problem) ? null : undefined
  if (item.problem !== null && !ours(item.problem)) return undefined
  if (state.state === 'missing') return item.problem?.startsWith(MISSING) === true ? undefined : `${MISSING}${iso(now)}`
  return item.problem?.startsWith(CHANGED) === true ? undefined : `${CHANGED} (${item.size} → ${state.size} bytes, seen ${iso(now)})`
}

/** The window the check reads: [now, now + hours). */
export const missingMediaWindow = (now: number, hours: number): { from: number, to: number } => ({ from: now, to: now + hours * HOUR_MS })
