import { join } from 'node:path'
import { libraryUrls, type LibraryRoot, type LibraryUrl } from '../media/library-urls.js'
import { fileOfKey, fileStates, missingMediaAlarm, missingMediaHours, missingMediaWindow, MISSING_MEDIA_PREFIX, problemAfter, type DueFile } from '../on-air/missing-media.js'
import { iso } from '../schedule/model.js'
import type { LibraryFile } from '../storage/media.js'
import type { Store } from '../storage/store.js'
import type { CommandDefinition } from './command.js'

// check-missing-media (SPEC §16, §17): the on-air tick's `missing-media` step (plugins/missing-media.ts)
// runs it every MISSING_MEDIA_CHECK_MINUTES on the leader. It reads each channel's events in
// [now, now + SCHEDULEFLOW_MISSING_MEDIA_HOURS) by the (channel_id, start_ms) index, keeps those whose
// video_url is a file in a library, stats each such file once, and opens or clears the
// missing_media alarms and the items' marks (workers/on-air/missing-media.ts). Its cost grows with
// what is due in the window (and the alarms open), never with the library or the events stored.

export interface MissingMediaCheck {
  now: string
  hours: number
  /** distinct library files due in the window, plus those of alarms open before */
  files: number
  missing: number
  changed: number
  opened: number
  cleared: number
  /** missing_media alarms open after the check: the gauge scheduleflow_missing_media */
  open: number
}

/** Two sets of airings of one file as one. */
const joined = (a: DueFile, b: DueFile): DueFile =>
  ({ file: a.file, first: Math.min(a.first, b.first), last: Math.max(a.last, b.last), airings: a.airings + b.airings, built: a.built || b.built })

type StoredChannel = Awaited<ReturnType<Store['channels']['list']>>[number]

/** Each channel's airings of library files in the window: one entry per channel and file. */
async function dueFiles (db: Store, roots: LibraryRoot[], now: number, hours: number): Promise<Array<{ channel: StoredChannel, due: DueFile }>> {
  const window = missingMediaWindow(now, hours)
  const perChannel = []
  for (const channel of await db.channels.list()) perChannel.push({ channel, events: await db.channels.markEvents(channel.id, window) })
  const located = await libraryUrls(db, perChannel.flatMap((c) => c.events.map((e) => e.video_url)), roots)
  const found: Array<{ channel: StoredChannel, due: DueFile }> = []
  for (const { channel, events } of perChannel) {
    const byFile = new Map<LibraryUrl, DueFile>()
    for (const e of events) {
      const file = e.video_url === null ? undefined : located.get(e.video_url)
      if (file === undefined) continue
      const due = byFile.get(file)
      const built = e.origin_kind !== null
      if (due === undefined) byFile.set(file, { file, first: e.start, last: e.start, airings: 1, built })
      else byFile.set(file, joined(due, { file, first: e.start, last: e.start, airings: 1, built }))
    }
    // Two URLs of one file (a path and its file:// form) are one file: merged by library and path.
    const merged = new Map<string, DueFile>()
    for (const due of byFile.values()) {
      const key = `${due.file.library.id}\n${due.file.path}`
      const was = merged.get(key)
      merged.set(key, was === undefined ? due : joined(was, due))
    }
    for (const due of merged.values()) found.push({ channel, due })
  }
  return found
}

/** The files of alarms open before that are not due now: checked too, so a file back clears its item's mark. */
async function formerlyAlarmed (db: Store, keys: string[], roots: LibraryRoot[], due: ReadonlySet<string>): Promise<Map<string, LibraryFile>> {
  const byId = new Map(roots.map((r) => [r.id, r]))
  const files = keys.map(fileOfKey)
    .filter((f): f is { library_id: string, path: string } => f !== null && byId.has(f.library_id) && !due.has(join(byId.get(f.library_id)!.root, f.path)))
  const found = new Map<string, LibraryFile>()
  for (const item of await db.media.libraryFiles(files)) found.set(join(byId.get(item.library_id)!.root, item.path), item)
  return found
}

export const checkMissingMedia: CommandDefinition<MissingMediaCheck> = {
  summary: 'open and clear the missing_media alarms: library files due in the next SCHEDULEFLOW_MISSING_MEDIA_HOURS that are gone or changed since probed (SPEC §16)',
  async run ({ store, now: clock }) {
    const db = await store()
    const now = clock()
    const hours = missingMediaHours()
    const roots = await db.media.libraryRoots()
    const open = (await db.alarms.keys()).map((a) => a.key).filter((k) => k.startsWith(MISSING_MEDIA_PREFIX))
    const due = roots.length === 0 ? [] : await dueFiles(db, roots, now, hours)

    // Each file is stat'ed once, however many channels air it.
    const files = new Map<string, LibraryFile | undefined>(due.map(({ due: d }) => [d.file.absolute, d.file.item]))
    for (const [absolute, item] of await formerlyAlarmed(db, open, roots, new Set(files.keys()))) files.set(absolute, item)
    const states = await fileStates(files)

    const wanted = new Map<string, Parameters<Store['alarms']['open']>[0]>()
    for (const { channel, due: d } of due) {
      const state = states.get(d.file.absolute)!
      if (state.state !== 'ok') {
        const alarm = missingMediaAlarm(channel, d, state, hours)
        wanted.set(alarm.key, alarm)
      }
    }
    let opened = 0
    let cleared = 0
    for (const alarm of wanted.values()) if (await db.alarms.open(alarm, now)) opened++
    for (const key of open) if (!wanted.has(key) && await db.alarms.clear(key, now)) cleared++

    const problems: Array<{ id: string, problem: string | null }> = []
    for (const [absolute, item] of files) {
      const problem = item === undefined ? undefined : problemAfter(item, states.get(absolute)!, now)
      if (problem !== undefined) problems.push({ id: item!.id, problem })
    }
    await db.media.setProblems(problems)

    const count = (state: string): number => [...states.values()].filter((s) => s.state === state).length
    return { now: iso(now), hours, files: files.size, missing: count('missing'), changed: count('changed'), opened, cleared, open: wanted.size }
  }
}
