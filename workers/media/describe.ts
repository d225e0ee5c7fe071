import { basename, extname } from 'node:path'
import type { Probe } from './probe.js'

// What a media file is (SPEC §16): its title, show, season, episode, year, description and
// category, from its path (`Show/Season 02/Show - S02E05 - Title.mkv`, `1x05`, `Title (Year).mkv`),
// its container tags and a Kodi-style .nfo sidecar beside it. Pure but for reading the sidecar.

/** The fields of a media item a file's name, tags and sidecar give. */
export interface Description {
  title: string
  show: string | null
  season: number | null
  episode: number | null
  year: number | null
  description: string | null
  category: string | null
}

/**
 * Describes the file at `relativePath` (relative to its library's root, '/' between folders).
 * `readSidecar(relative)` answers a sidecar's text (e.g. the `.nfo` beside it), or null when
 * there is none.
 */
export async function describeFile (relativePath: string, probe: Probe, readSidecar: (relative: string) => Promise<string | null>): Promise<Description> {
  // The foundation's placeholder: the file's name as its title. Part A reads the rest.
  void probe
  void readSidecar
  return { title: basename(relativePath, extname(relativePath)), show: null, season: null, episode: null, year: null, description: null, category: null }
}
