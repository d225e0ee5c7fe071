import { realpathSync, statSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { textProblem } from '../text.js'

// Where a media library may lie (SPEC §16): under one of SCHEDULEFLOW_MEDIA_ROOTS, as written
// and as it lands through symbolic links. Nothing outside them is ever read: the check runs when
// a library is declared and again at the start of each scan task (a root may have been swapped
// for a link since). Plain fs, no Fastify: the create-library command and the scan use it.

/** The roots the API hands the workers (plugins/process-pool.ts, from config.media.roots): resolved absolute dirs. */
export function mediaRoots (env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.SCHEDULEFLOW_MEDIA_ROOTS ?? '').split(':').map((r) => r.trim()).filter((r) => isAbsolute(r)).map((r) => resolve(r))
}

/** `path` is `root` or lies below it (both absolute and resolved). */
export const within = (path: string, root: string): boolean => {
  const rel = relative(root, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** The root as stored: a trailing '/' dropped (nothing else is normalised: `..` or `.` are refused, not resolved). */
export const libraryRoot = (root: string): string => root.length > 1 ? root.replace(/\/+$/, '') : root

const realOrNull = (path: string): string | null => {
  try { return realpathSync(path) } catch { return null }
}

/**
 * Why `root` may not be a library's root, or null. It must be absolute, written resolved (no
 * `.` or `..` segment, no `//`), inside one of `roots`, an existing directory, and, with its
 * symbolic links followed, still inside the same root's real path.
 */
export function rootProblem (root: string, roots: readonly string[]): string | null {
  if (root.trim() === '') return 'is empty'
  const text = textProblem(root)
  if (text !== null) return text
  if (roots.length === 0) return 'the media library is off: set SCHEDULEFLOW_MEDIA_ROOTS to the folders libraries may lie under'
  if (!isAbsolute(root)) return 'must be an absolute path (starting with /)'
  const path = libraryRoot(root)
  if (resolve(path) !== path) return 'must be written resolved: no "." or ".." segments and no "//"'
  const under = roots.find((r) => within(path, r))
  if (under === undefined) return `must be inside one of SCHEDULEFLOW_MEDIA_ROOTS (${roots.join(':')})`
  let isDir: boolean
  try { isDir = statSync(path).isDirectory() } catch { return 'does not exist (or cannot be read)' }
  if (!isDir) return 'is not a directory'
  const real = realOrNull(path)
  const realRoot = realOrNull(under)
  if (real === null || realRoot === null || !within(real, realRoot)) return `leads through a symbolic link out of ${under}`
  return null
}
