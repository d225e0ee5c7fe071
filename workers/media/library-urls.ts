import { isAbsolute, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LibraryFile } from '../storage/media.js'
import type { Store } from '../storage/store.js'

// Which library file an event's video_url names (SPEC §16): an absolute path or a file:// URL
// inside a declared library's root. What the missing-media check stats and the playout exports
// take the probed length from; any other URL (http, rtmp, a relative path) is no library's.

export interface LibraryRoot { id: string, name: string, root: string }

/** A video_url's file: the URL's absolute path, normalised; null when it is no local file. */
export function localPath (url: string | null): string | null {
  if (url === null || url === '') return null
  if (url.startsWith('file://')) {
    try { return normalize(fileURLToPath(url)) } catch { return null }
  }
  return isAbsolute(url) ? normalize(url) : null
}

/** The library whose root holds `path` (the deepest, if roots nest) and the path relative to that root. */
export function inLibrary (path: string, roots: readonly LibraryRoot[]): { library: LibraryRoot, path: string } | null {
  let best: LibraryRoot | null = null
  for (const r of roots) {
    const root = r.root.endsWith(sep) ? r.root : r.root + sep
    if (path.startsWith(root) && (best === null || r.root.length > best.root.length)) best = r
  }
  if (best === null) return null
  const root = best.root.endsWith(sep) ? best.root : best.root + sep
  return { library: best, path: path.slice(root.length).split(sep).join('/') }
}

/** A video_url found in a library: where, and its stored item (undefined: a file no scan has stored). */
export interface LibraryUrl { library: LibraryRoot, path: string, absolute: string, item: LibraryFile | undefined }

/** The library files `urls` name, by URL, with their items read in one statement (per 250 files); `roots` when the caller has read them. */
export async function libraryUrls (db: Store, urls: Iterable<string | null>, roots?: readonly LibraryRoot[]): Promise<Map<string, LibraryUrl>> {
  const found = new Map<string, LibraryUrl>()
  roots ??= await db.media.libraryRoots()
  if (roots.length === 0) return found
  for (const url of new Set(urls)) {
    const absolute = localPath(url)
    const place = absolute === null ? null : inLibrary(absolute, roots)
    if (place !== null) found.set(url!, { ...place, absolute: absolute!, item: undefined })
  }
  const files = new Map<string, { library_id: string, path: string }>()
  for (const f of found.values()) files.set(`${f.library.id}\n${f.path}`, { library_id: f.library.id, path: f.path })
  const items = new Map((await db.media.libraryFiles([...files.values()])).map((i) => [`${i.library_id}\n${i.path}`, i]))
  for (const f of found.values()) f.item = items.get(`${f.library.id}\n${f.path}`)
  return found
}

/**
 * The probed length (ms) of each URL that names a library item with a known duration: what the
 * playout exports write as the media's length (ffplayout `duration`, CasparCG `duration` where the
 * layer goes empty). One read of the roots and one of the items per export, not per event.
 */
export async function probedLengths (db: Store, urls: Iterable<string | null>): Promise<Map<string, number>> {
  const lengths = new Map<string, number>()
  for (const [url, { item }] of await libraryUrls(db, urls)) if (item?.duration_ms != null) lengths.set(url, item.duration_ms)
  return lengths
}
