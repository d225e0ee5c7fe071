import { randomBytes } from 'node:crypto'
import { existsSync, realpathSync } from 'node:fs'
import { mkdir, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { PublishKind } from '../../contract/on-air.js'
import { DEFAULT_PUBLISH_RETENTION_DAYS } from '../../contract/limits.js'
import { localDays, type LocalDay } from '../channels/wall-time.js'

// The files a publish target holds (SPEC §17), on disk: where each local day's file goes for
// each playout engine, written so that a reader never opens half of one (a temp file in the
// same dir, fsync, rename, fsync the dir), and the old ones pruned. Only names this module
// writes are ever removed: a target dir may hold the engine's own files too.

const DAY_MS = 86_400_000

/** What the API process hands the workers (plugins/process-pool.ts, from config.onAir). */
export interface PublishSettings {
  /** resolved absolute directories a target's dir must be inside; none: publishing is off */
  roots: string[]
  /** files of days that ended more than this many days ago are pruned */
  retentionDays: number
}

export function publishSettings (env: NodeJS.ProcessEnv = process.env): PublishSettings {
  const roots = (env.SCHEDULEFLOW_PUBLISH_ROOTS ?? '').split(',').map((r) => r.trim()).filter((r) => isAbsolute(r)).map((r) => resolve(r))
  const raw = env.SCHEDULEFLOW_PUBLISH_RETENTION_DAYS
  const retention = Number(raw)
  return { roots, retentionDays: raw !== undefined && raw !== '' && Number.isInteger(retention) && retention >= 0 ? retention : DEFAULT_PUBLISH_RETENTION_DAYS }
}

const within = (path: string, root: string): boolean => {
  const rel = relative(root, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** The path with its deepest existing ancestor's symbolic links resolved: where a write to it would land. */
function realLanding (path: string): string {
  let existing = path
  const rest: string[] = []
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing))
    existing = dirname(existing)
  }
  try { return join(realpathSync(existing), ...rest) } catch { return path }
}

/**
 * Why `dir` may not be a target's dir, or null: it must be absolute and inside one of the roots,
 * as written (`..` resolved) and as it lands through symbolic links that exist now.
 */
export function dirProblem (dir: string, roots: readonly string[]): string | null {
  if (roots.length === 0) return 'publishing is off: set SCHEDULEFLOW_PUBLISH_ROOTS to the directories publish targets may write under'
  if (!isAbsolute(dir)) return 'must be an absolute directory'
  const resolved = resolve(dir)
  const root = roots.find((r) => within(resolved, r))
  if (root === undefined) return `must be inside one of SCHEDULEFLOW_PUBLISH_ROOTS (${roots.join(', ')})`
  if (!within(realLanding(resolved), realLanding(root))) return `leads through a symbolic link out of ${root}`
  return null
}

/** A day's file, relative to the target's dir: ErsatzTV Next `{start_ms}_{finish_ms}.json`, ffplayout `YYYY/MM/YYYY-MM-DD.json`. */
export function dayFile (kind: PublishKind, day: LocalDay): string {
  if (kind === 'ersatztv') return `${day.start}_${day.end}.json`
  return join(day.date.slice(0, 4), day.date.slice(5, 7), `${day.date}.json`)
}

async function syncDir (dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try { await handle.sync() } finally { await handle.close() }
}

const TEMP = /^\..+\.tmp-[0-9a-f]{12}$/

/** Writes `body` to `file` so that a reader sees the old file or the new one, never part of one. */
export async function writeAtomically (file: string, body: string): Promise<void> {
  const dir = dirname(file)
  await mkdir(dir, { recursive: true })
  const temp = join(dir, `.${basename(file)}.tmp-${randomBytes(6).toString('hex')}`)
  try {
    const handle = await open(temp, 'wx', 0o644)
    try {
      await handle.writeFile(body)
      await handle.sync()
    } finally { await handle.close() }
    await rename(temp, file)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  await syncDir(dir)
}

/** Removes a day's file (a day with nothing on it: the engine airs its fallback or filler there). */
export async function removeFile (file: string): Promise<void> {
  if (!existsSync(file)) return
  await rm(file, { force: true })
  await syncDir(dirname(file))
}

const ERSATZTV_FILE = /^(\d+)_(\d+)\.json$/
const FFPLAYOUT_FILE = /^(\d{4})-(\d{2})-(\d{2})\.json$/

const entries = async (dir: string): Promise<import('node:fs').Dirent[]> => {
  try { return await readdir(dir, { withFileTypes: true }) } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

/** Temp files a killed writer left: older than `cutoffMs`, so never one a running writer is about to rename. */
async function pruneTemps (dir: string, list: import('node:fs').Dirent[], cutoffMs: number): Promise<void> {
  for (const e of list) {
    if (!e.isFile() || !TEMP.test(e.name)) continue
    const path = join(dir, e.name)
    if ((await stat(path)).mtimeMs < cutoffMs) await rm(path, { force: true })
  }
}

/**
 * Removes the files of days that ended before `cutoffMs` (and temp files a killed writer left),
 * only names this service writes; an emptied ffplayout month or year folder goes too.
 * Answers how many day files it removed.
 */
export async function prune (kind: PublishKind, dir: string, zone: string, nowMs: number, retentionDays: number): Promise<number> {
  const cutoff = nowMs - retentionDays * DAY_MS
  let removed = 0
  const top = await entries(dir)
  const stale = Date.now() - 3_600_000 // file times are the machine's, not the service clock's
  await pruneTemps(dir, top, stale)
  if (kind === 'ersatztv') {
    for (const e of top) {
      const m = e.isFile() ? ERSATZTV_FILE.exec(e.name) : null
      if (m !== null && Number(m[2]) < cutoff) { await rm(join(dir, e.name), { force: true }); removed++ }
    }
    return removed
  }
  for (const year of top.filter((e) => e.isDirectory() && /^\d{4}$/.test(e.name))) {
    const yearDir = join(dir, year.name)
    for (const month of (await entries(yearDir)).filter((e) => e.isDirectory() && /^\d{2}$/.test(e.name))) {
      const monthDir = join(yearDir, month.name)
      const files = await entries(monthDir)
      await pruneTemps(monthDir, files, stale)
      for (const e of files) {
        const m = e.isFile() ? FFPLAYOUT_FILE.exec(e.name) : null
        if (m === null || m[1] !== year.name || m[2] !== month.name) continue
        const date = `${m[1]}-${m[2]}-${m[3]}`
        let end: number
        try { end = localDays(date, date, zone)[0].end } catch { continue } // not a calendar day: not ours
        if (end < cutoff) { await rm(join(monthDir, e.name), { force: true }); removed++ }
      }
      await rmdir(monthDir).catch(() => {}) // only when empty
    }
    await rmdir(yearDir).catch(() => {})
  }
  return removed
}
