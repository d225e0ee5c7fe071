import type { Dirent } from 'node:fs'
import { readdir, readFile, realpath, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { MEDIA_EXTENSIONS } from '../../contract/limits.js'
import { within } from './roots.js'

// A library's files (SPEC §16), walked safely and resumably: folders in name order, so the walk
// is one path order a scan task can stop in and the next resume after (the cursor is the last
// path done). Only files with a MEDIA_EXTENSIONS name are items. Never followed: `..` (readdir
// never names it), symbolic links leading out of the root or to folders (a loop, or files
// scanned twice). Special files (FIFOs, sockets, devices), broken links and unreadable folders
// are answered as skips with a reason. Hidden entries (a leading '.') are left alone.

/** One entry the walk answers, its path relative to the root with '/' between folders. */
export type WalkEntry =
  | { kind: 'file', path: string, absolute: string, size: number, mtimeMs: number }
  | { kind: 'skip', path: string, reason: string }

const MEDIA = new Set<string>(MEDIA_EXTENSIONS)
export const isMediaName = (name: string): boolean => MEDIA.has(extname(name).toLowerCase())

/** The walk's order: segment by segment, a folder's files after the folder's own name sorts. */
export function comparePaths (a: string, b: string): number {
  const x = a.split('/')
  const y = b.split('/')
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1
  }
  return x.length - y.length
}

/** The cursor as stored (media_scans.cursor, JSON): the last path a task finished. */
export const cursorText = (after: string): string => JSON.stringify({ after })

/** The path to resume after, or null to start at the beginning (no cursor, or one this code did not write). */
export function cursorAfter (text: string | null): string | null {
  if (text === null) return null
  try {
    const value = JSON.parse(text) as { after?: unknown }
    return typeof value.after === 'string' ? value.after : null
  } catch {
    return null
  }
}

function specialKind (entry: Dirent | import('node:fs').Stats): string | null {
  if (entry.isFIFO()) return 'a FIFO'
  if (entry.isSocket()) return 'a socket'
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device'
  return null
}

/**
 * The files under `root` after `after` (null: all), in path order. `realRoot` is the root's real
 * path: a link is followed only when it lands inside it. A folder other than the root that
 * cannot be read is a skip; the root itself unreadable throws (the scan fails).
 */
export async function * walk (root: string, realRoot: string, after: string | null, folder = ''): AsyncGenerator<WalkEntry> {
  let entries: Dirent[]
  try {
    entries = await readdir(folder === '' ? root : join(root, folder), { withFileTypes: true })
  } catch (err) {
    if (folder === '') throw err
    yield { kind: 'skip', path: folder, reason: `folder cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` }
    return
  }
  const names = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of names) {
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`
    const inside = after !== null && after.startsWith(`${path}/`)
    if (after !== null && !inside && comparePaths(path, after) <= 0) continue
    if (entry.isDirectory()) {
      yield * walk(root, realRoot, inside ? after : null, path)
      continue
    }
    const found = await entryOf(root, realRoot, path, entry)
    if (found !== null) yield found
  }
}

async function entryOf (root: string, realRoot: string, path: string, entry: Dirent): Promise<WalkEntry | null> {
  const absolute = join(root, path)
  const special = specialKind(entry)
  if (special !== null) return { kind: 'skip', path, reason: `not a regular file (${special})` }
  if (entry.isSymbolicLink()) return linkEntry(realRoot, path, absolute)
  if (!entry.isFile() || !isMediaName(path)) return null
  return fileEntry(path, absolute)
}

async function linkEntry (realRoot: string, path: string, absolute: string): Promise<WalkEntry | null> {
  let target: string
  try { target = await realpath(absolute) } catch { return isMediaName(path) ? { kind: 'skip', path, reason: 'symbolic link to nothing (broken)' } : null }
  if (!within(target, realRoot)) return { kind: 'skip', path, reason: 'symbolic link leading out of the library\'s root' }
  const info = await stat(target).catch(() => null)
  if (info === null) return { kind: 'skip', path, reason: 'symbolic link whose target cannot be read' }
  if (info.isDirectory()) return { kind: 'skip', path, reason: 'symbolic link to a folder: not followed (its files are scanned where they lie)' }
  const special = specialKind(info)
  if (special !== null) return { kind: 'skip', path, reason: `symbolic link to ${special}` }
  if (!isMediaName(path)) return null
  return { kind: 'file', path, absolute, size: info.size, mtimeMs: Math.floor(info.mtimeMs) }
}

async function fileEntry (path: string, absolute: string): Promise<WalkEntry> {
  try {
    const info = await stat(absolute)
    return { kind: 'file', path, absolute, size: info.size, mtimeMs: Math.floor(info.mtimeMs) }
  } catch (err) {
    return { kind: 'skip', path, reason: `file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` }
  }
}

/** Sidecars (a .nfo) larger than this are not read. */
const SIDECAR_MAX_BYTES = 1 << 20

/**
 * A sidecar's text, `relative` to the root, or null: none, not a regular file, too large, or
 * (through a link or `..`) outside the root. What describeFile is given to read with.
 */
export async function readSidecar (root: string, realRoot: string, relative: string): Promise<string | null> {
  if (relative.startsWith('/') || relative.split('/').some((s) => s === '..' || s === '.' || s === '')) return null
  try {
    const target = await realpath(join(root, relative))
    if (!within(target, realRoot)) return null
    const info = await stat(target)
    if (!info.isFile() || info.size > SIDECAR_MAX_BYTES) return null
    return await readFile(target, 'utf8')
  } catch {
    return null
  }
}
