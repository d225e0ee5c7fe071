import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Channel } from '../../contract/channels.js'
import { DEFAULT_BUILD_AHEAD_DAYS } from '../../contract/limits.js'
import type { Store } from '../storage/store.js'
import type { StoredPublishTarget } from '../storage/publish-targets.js'
import type { StoredChannelEvent } from '../storage/channels.js'
import type { WorkerLog } from '../log.js'
import { addDays, localDays, type LocalDay } from '../channels/wall-time.js'
import { luxon } from '../schedule/time.js'
import { probedLengths } from '../media/library-urls.js'
import { dayFile, dirProblem, prune, publishSettings, removeFile, writeAtomically, type PublishSettings } from './publish-files.js'

// Publishing (SPEC §17): after a write to a channel's events (a build, a rolling build, an
// edit, an undo, a revert) each of its publish targets gets the local days the write touched
// rewritten, as far as the target publishes ahead (today to today + days_ahead − 1). A failure
// never fails the write: it is recorded on the target (last_error, and from when files are
// still to be written, which the tick retries) and opens a publish_failed alarm; the next
// success clears both.

const DAY_MS = 86_400_000

/** [from, to) in epoch ms. */
export interface Span { from: number, to: number }

/** How many local days from today a target publishes: its own days_ahead, else the channel's build_ahead_days (the default when its rolling build is off). */
export const daysAheadOf = (channel: Channel, target: StoredPublishTarget): number =>
  target.days_ahead ?? (channel.build_ahead_days > 0 ? channel.build_ahead_days : DEFAULT_BUILD_AHEAD_DAYS)

const localDateOf = (ms: number, zone: string): string => luxon().DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd')

/** The local days a target publishes at `now`: today and the days_ahead − 1 after it, in the channel's zone. */
export function windowDays (channel: Channel, target: StoredPublishTarget, now: number): LocalDay[] {
  const count = daysAheadOf(channel, target)
  if (count === 0) return []
  const today = localDateOf(now, channel.timezone)
  return localDays(today, addDays(today, count - 1), channel.timezone)
}

export const alarmKey = (channelId: string, dir: string): string => `publish_failed:${channelId}:${dir}`

const overlaps = (day: LocalDay, e: { start: number, end: number }, after = 0): boolean => e.end > day.start && e.start < day.end + after

/**
 * Writes (or removes, for a day with nothing on it) each day's file of `days` into the target's
 * dir, then prunes; answers the files written. Throws on the first failure.
 */
async function writeDays (
  db: Store, channel: Channel, target: StoredPublishTarget, days: readonly LocalDay[], now: number, settings: PublishSettings
): Promise<number> {
  // Checked again at each publish: the roots may have changed, or a symbolic link appeared.
  const problem = dirProblem(target.dir, settings.roots)
  if (problem !== null) throw new Error(`${target.dir}: ${problem}`)
  await mkdir(target.dir, { recursive: true })
  let files = 0
  if (days.length > 0) {
    // Loaded here: an edit of a channel with no target loads no exporter.
    const { exportChannel } = await import('../schedule/export/index.js')
    // A day format reads a day past its day (ffplayout's media length of a film cut at midnight).
    const events = await db.channels.channelEvents(channel.id, { from: days[0].start, to: days[days.length - 1].end + DAY_MS })
    // ffplayout's `duration` is the media's probed length where the file is a library item (one read for every day).
    const probed = target.kind === 'ffplayout' ? await probedLengths(db, events.map((e) => e.video_url)) : undefined
    for (const day of days) {
      const file = join(target.dir, dayFile(target.kind, day))
      if (!events.some((e) => overlaps(day, e))) {
        await removeFile(file)
        continue
      }
      const dayEvents: StoredChannelEvent[] = events.filter((e) => overlaps(day, e, DAY_MS))
      await writeAtomically(file, exportChannel(target.kind, { channel, events: dayEvents, probed }, { day }).body)
      files++
    }
  }
  await prune(target.kind, target.dir, channel.timezone, now, settings.retentionDays)
  return files
}

export interface TargetOutcome { ok: boolean, files: number, error?: string }

/** Publishes `days` to one target and records how it went, with its alarm; never throws for a file system failure. */
export async function publishTarget (
  db: Store, channel: Channel, target: StoredPublishTarget, days: readonly LocalDay[], now: number, settings = publishSettings()
): Promise<TargetOutcome> {
  let files: number
  try {
    files = await writeDays(db, channel, target, days, now, settings)
  } catch (err) {
    const error = (err as Error).message
    // Still to write: from the first day asked for (or now, when none was), until a publish succeeds.
    await db.publishTargets.failed(target.id, error, days[0]?.start ?? now)
    await db.alarms.open({
      key: alarmKey(channel.id, target.dir),
      kind: 'publish_failed',
      channel_id: channel.id,
      message: `channel ${channel.number} (${channel.name}): publishing ${target.kind} files to ${target.dir} failed: ${error}`,
      details: { kind: target.kind, dir: target.dir, error }
    }, now)
    return { ok: false, files: 0, error }
  }
  await db.publishTargets.succeeded(target.id, now, files)
  await db.alarms.clear(alarmKey(channel.id, target.dir), now)
  return { ok: true, files }
}

/** Publishes the days of each target's window that meet one of `spans`; a target with none is left alone. */
export async function publishSpans (db: Store, channelId: string, spans: readonly Span[], now: number): Promise<TargetOutcome[]> {
  if (spans.length === 0) return []
  const targets = await db.publishTargets.list(channelId)
  if (targets.length === 0) return []
  const channel = await db.channels.get(channelId)
  if (channel === null) return []
  const settings = publishSettings()
  const outcomes: TargetOutcome[] = []
  for (const target of targets) {
    const days = windowDays(channel, target, now).filter((d) => spans.some((s) => overlaps(d, { start: s.from, end: s.to })))
    if (days.length > 0) outcomes.push(await publishTarget(db, channel, target, days, now, settings))
  }
  return outcomes
}

/**
 * The one call after a write to a channel's events has committed (a build, a rolling build, an
 * edit, an undo, a revert): rewrites the affected local days' files of every target. Never
 * throws: a failure is the target's (recorded and alarmed), and even one of the store is only
 * logged, so the write's answer stands.
 */
export async function publishAfterWrite (store: Store, channelId: string, affected: Span | readonly Span[], now: number, log?: WorkerLog): Promise<void> {
  try {
    await publishSpans(store, channelId, Array.isArray(affected) ? affected : [affected as Span], now)
  } catch (err) {
    log?.warn('publishing after the write failed; the tick tries again', { channel_id: channelId, err: (err as Error).message })
  }
}

/**
 * What the tick publishes for one target: the days of its window whose file is missing (a day
 * newly inside the window, or a file removed by hand) and, after a failure, every day from the
 * first one still to be written. Days with nothing on them and no file are left out.
 */
export async function dueDays (db: Store, channel: Channel, target: StoredPublishTarget, now: number): Promise<LocalDay[]> {
  const window = windowDays(channel, target, now)
  const pending = target.pending_from_ms
  const retry = (d: LocalDay): boolean => pending !== null && d.end > pending
  const missing = window.filter((d) => !retry(d) && !existsSync(join(target.dir, dayFile(target.kind, d))))
  if (missing.length === 0) return window.filter(retry)
  const events = await db.channels.channelEvents(channel.id, { from: missing[0].start, to: missing[missing.length - 1].end })
  const hasEvents = new Set(missing.filter((d) => events.some((e) => overlaps(d, e))))
  return window.filter((d) => retry(d) || hasEvents.has(d))
}
