import { realpath } from 'node:fs/promises'
import { PROBE_CONCURRENCY, SCAN_TASK_BUDGET_MS } from '../../contract/limits.js'
import type { Scan, SkippedFile } from '../../contract/media.js'
import type { Store } from '../storage/store.js'
import type { MediaItemInput, ScanProgress } from '../storage/media.js'
import { isMissingMediaMark } from '../on-air/missing-media.js'
import { describeFile } from './describe.js'
import { probe } from './probe.js'
import { mediaRoots, rootProblem } from './roots.js'
import { cursorAfter, cursorText, readSidecar, walk, type WalkEntry } from './walk.js'

// One task of a library scan (SPEC §16): from the scan's cursor, for up to a time budget, each
// media file is stat'ed; one unchanged since its probe (size and mtime) is only marked seen, any
// other is probed (ffprobe) and described (name, tags, .nfo). The task's outcome is stored in
// one transaction (storeScanTask), so a task that dies or is cancelled stores nothing and the
// next begins where the last stored one ended. When the walk ends the scan is done, and items
// it did not see (their files are gone) are removed. The job (plugins/media-scans.ts) runs the
// tasks one after another through the pool; `m3upro scan-library` runs them in one process.

export interface ScanTaskOptions {
  /** the service clock, ms (started/finished/probed instants) */
  now: () => number
  /** stop taking new files after this long (real time) */
  budgetMs?: number
  ffprobe?: string
  env?: NodeJS.ProcessEnv
}

/** Files gathered per database look-up of their stored size and mtime. */
const LOOKUP_BATCH = 256

/** A stored scan as the API answers it: without the cursor only its tasks read. */
export const publicScan = ({ cursor: _cursor, ...scan }: Scan & { cursor: string | null }): Scan => scan

interface TaskState {
  progress: ScanProgress
  seen: string[]
  items: MediaItemInput[]
}

/** What a task works in: its scan, the library's root (and its real path), the options. */
interface Task {
  db: Store
  libraryId: string
  scanId: string
  root: string
  realRoot: string
  options: ScanTaskOptions
  state: TaskState
}

type FileEntry = Extract<WalkEntry, { kind: 'file' }>

/** What a task did: the scan as it then is, and whether the task stored its work (false: the scan had ended, or another task of it stored first). */
export interface ScanTask { scan: Scan, stored: boolean }

/** Runs one task of a running scan; a scan not running is answered as it is. Null: no such scan. */
export async function runScanTask (db: Store, scanId: string, options: ScanTaskOptions): Promise<ScanTask | null> {
  const scan = await db.media.getScan(scanId)
  if (scan === null) return null
  if (scan.state !== 'running') return { scan: publicScan(scan), stored: false }
  const root = await db.media.rootOf(scan.library_id)
  const problem = root === null ? 'the library is gone' : rootProblem(root, mediaRoots(options.env))
  if (root === null || problem !== null) {
    await db.media.finishScan(scanId, 'failed', options.now(), `the library's root ${problem ?? ''}`.trim())
    return answer(db, scanId, true)
  }
  const state: TaskState = { progress: { files_seen: 0, probed: 0, cached: 0, failed: 0, removed: 0, skipped: [], cursor: scan.cursor }, seen: [], items: [] }
  let ended: boolean
  try {
    const task: Task = { db, libraryId: scan.library_id, scanId, root, realRoot: await realpath(root), options, state }
    ended = await walkFor(task, cursorAfter(scan.cursor))
  } catch (err) {
    // The root vanished or became unreadable mid-scan: the scan says so (by code: the answer names no server path).
    const code = (err as NodeJS.ErrnoException).code
    if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw err
    await db.media.finishScan(scanId, 'failed', options.now(), `the library's root could not be read (${code})`)
    return answer(db, scanId, true)
  }
  const stored = await db.media.storeScanTask(scanId, scan.cursor, state.seen, state.items, state.progress, ended ? options.now() : null)
  return answer(db, scanId, stored)
}

const answer = async (db: Store, scanId: string, stored: boolean): Promise<ScanTask | null> => {
  const scan = await db.media.getScan(scanId)
  return scan === null ? null : { scan: publicScan(scan), stored }
}

/** Walks from `after` until the budget is spent (false) or the walk ends (true), filling `state`. */
async function walkFor (task: Task, after: string | null): Promise<boolean> {
  const started = performance.now()
  const budget = task.options.budgetMs ?? SCAN_TASK_BUDGET_MS
  const spent = (): boolean => performance.now() - started >= budget
  let batch: WalkEntry[] = []
  for await (const entry of walk(task.root, task.realRoot, after)) {
    batch.push(entry)
    if (batch.length < LOOKUP_BATCH) continue
    if (!await handleBatch(task, batch, spent) || spent()) return false
    batch = []
  }
  return handleBatch(task, batch, spent)
}

const skip = (state: TaskState, file: SkippedFile): void => {
  state.progress.failed++
  state.progress.skipped.push(file)
}

/**
 * The batch's entries in order; answers false when the budget ran out part-way (the cursor then
 * names the last entry done), true when all are done. Probes run PROBE_CONCURRENCY at once, the
 * budget checked between.
 */
async function handleBatch (task: Task, batch: WalkEntry[], spent: () => boolean): Promise<boolean> {
  const { state } = task
  const files = batch.filter((e): e is FileEntry => e.kind === 'file')
  const stored = await task.db.media.itemsAt(task.libraryId, files.map((f) => f.path))
  let pending: FileEntry[] = []
  const flush = async (): Promise<void> => {
    const rows = await Promise.all(pending.map(async (file) => itemOf(task, file)))
    for (const row of rows) {
      state.items.push(row)
      state.progress.probed++
      if (row.problem != null) skip(state, { path: row.path, reason: row.problem })
    }
    pending = []
  }
  for (let i = 0; i < batch.length; i++) {
    const entry = batch[i]
    if (entry.kind === 'skip') skip(state, { path: entry.path, reason: entry.reason })
    else {
      state.progress.files_seen++
      const known = stored.get(entry.path)
      // A file the missing-media check marked, found again as probed, is probed again: that clears the mark.
      if (known !== undefined && Number(known.size) === entry.size && Number(known.mtime_ms) === entry.mtimeMs && !isMissingMediaMark(known.problem)) {
        state.progress.cached++
        state.seen.push(entry.path)
        if (known.problem !== null) skip(state, { path: entry.path, reason: known.problem })
      } else pending.push(entry)
    }
    if (pending.length >= PROBE_CONCURRENCY || i === batch.length - 1) {
      await flush()
      state.progress.cursor = cursorText(entry.path)
      if (i < batch.length - 1 && spent()) return false
    }
  }
  return true
}

/** ffprobe's message names the file by its absolute path: answers name it relative to the root (SPEC §6: never a server path). */
const withoutRoot = (problem: string, file: FileEntry): string => problem.split(file.absolute).join(file.path)

async function itemOf ({ libraryId, scanId, root, realRoot, options }: Task, file: FileEntry): Promise<MediaItemInput> {
  const probed = await probe(file.absolute, { ffprobe: options.ffprobe })
  const described = await describeFile(file.path, probed, async (relative) => readSidecar(root, realRoot, relative))
  const slash = file.path.lastIndexOf('/')
  return {
    library_id: libraryId,
    path: file.path,
    folder: slash < 0 ? '' : file.path.slice(0, slash),
    size: file.size,
    mtime_ms: file.mtimeMs,
    duration_ms: probed.durationMs,
    chapters: JSON.stringify(probed.chapters),
    container: probed.container,
    video: probed.video,
    audio: probed.audio,
    ...described,
    problem: probed.problem === null ? (file.size === 0 ? 'the file is empty' : null) : withoutRoot(probed.problem, file),
    probed_ms: options.now(),
    seen_scan_id: scanId
  }
}
