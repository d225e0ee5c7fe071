import { posix } from 'node:path'
import { NFO_MAX_CHARS } from '../../contract/limits.js'
import { readEpisode } from '../playlist/episode.js'
import { readName } from './names.js'
import { firstGenre, readNfo, wholeOf, yearOf, type NfoFacts } from './nfo.js'
import type { Probe } from './probe.js'

// What a media file is (SPEC §16): its title, show, season, episode, year, description and
// category, from three sources, each field taken from the first that gives it:
//   1. a Kodi-style .nfo sidecar (nfo.ts): the file's own (`Name.nfo` beside `Name.mkv`), else
//      for a film `movie.nfo` in its folder; an episode's show and genre also come from
//      `tvshow.nfo` in its show's folder, after its own .nfo;
//   2. the container's tags (title, show, season_number, episode_sort / episode_id, date / year,
//      genre, description / synopsis / comment);
//   3. the path (names.ts): `Show/Season 02/Show - S02E05 - Title.mkv`, `1x05`, `Title (Year).mkv`.
// Someone wrote the .nfo on purpose, tags are often left by a tool, and a name is a guess.
// Pure but for reading the sidecars.

/** The fields of a media item a file's name, tags and sidecars give. */
export interface Description {
  title: string
  show: string | null
  season: number | null
  episode: number | null
  year: number | null
  description: string | null
  category: string | null
  /** What was ignored and why, e.g. a malformed .nfo (`Show/x.nfo: not well-formed XML …`); absent: nothing. */
  notes?: string[]
}

/** What a file's container tags say (the names ffprobe gives, lower-cased by probe.ts). */
type TagFacts = { [K in Exclude<keyof Description, 'notes'>]: Description[K] | null }

/**
 * Describes the file at `relativePath` (relative to its library's root, '/' between folders).
 * `readSidecar(relative)` answers a sidecar's text (e.g. the `.nfo` beside it), or null when
 * there is none. Never throws for what a file or sidecar holds: a sidecar that cannot be read
 * as an .nfo is left out and named in `notes`.
 */
export async function describeFile (relativePath: string, probe: Probe, readSidecar: (relative: string) => Promise<string | null>): Promise<Description> {
  const notes: string[] = []
  const name = readName(relativePath)
  const tags = tagFacts(probe.tags)
  const folder = posix.dirname(relativePath)
  const beside = (file: string): string => folder === '.' ? file : `${folder}/${file}`
  const ext = posix.extname(relativePath)
  const own = await sidecar(readSidecar, beside(`${posix.basename(relativePath, ext)}.nfo`), notes)
  const isEpisode = own?.kind === 'episode' || tags.episode !== null || tags.show !== null || name.episode !== null
  const movie = own === null && !isEpisode ? await sidecar(readSidecar, beside('movie.nfo'), notes) : null
  const show = isEpisode && name.showFolder !== null ? await sidecar(readSidecar, `${name.showFolder}/tvshow.nfo`, notes) : null
  const nfo = own !== null && own.kind !== 'show' ? own : movie
  const pick = <T>(...values: Array<T | null | undefined>): T | null => values.find((v) => v !== null && v !== undefined) ?? null
  return {
    title: pick(nfo?.title, tags.title) ?? name.title,
    show: pick(nfo?.show, show?.title, own?.kind === 'show' ? own.title : null, tags.show, name.show),
    season: pick(nfo?.season, tags.season, name.season),
    episode: pick(nfo?.episode, tags.episode, name.episode),
    year: pick(nfo?.year, tags.year, name.year),
    description: pick(nfo?.description, tags.description),
    category: pick(nfo?.category, show?.category, tags.category),
    ...(notes.length > 0 && { notes })
  }
}

/** A sidecar's facts, or null when there is none or it cannot be read (then why, in `notes`). */
async function sidecar (read: (relative: string) => Promise<string | null>, relative: string, notes: string[]): Promise<NfoFacts | null> {
  let text: string | null
  try {
    text = await read(relative)
  } catch (err) {
    notes.push(`${relative}: unreadable (${(err as Error).message}), ignored`)
    return null
  }
  if (text === null) return null
  if (text.length > NFO_MAX_CHARS) {
    notes.push(`${relative}: longer than ${NFO_MAX_CHARS} characters, ignored`)
    return null
  }
  const parsed = readNfo(text)
  if ('problem' in parsed) {
    notes.push(`${relative}: ${parsed.problem}, ignored`)
    return null
  }
  return parsed.facts
}

/** The container tags' facts. `episode_id` may be a number or a marker (`S02E05`). */
function tagFacts (tags: Record<string, string>): TagFacts {
  const text = (...keys: string[]): string | null => {
    for (const k of keys) {
      const v = tags[k]?.trim()
      if (v !== undefined && v !== '') return v
    }
    return null
  }
  const id = text('episode_id')
  const marked = id === null ? null : readEpisode(id)
  return {
    title: text('title'),
    show: text('show'),
    season: wholeOf(text('season_number')) ?? marked?.season ?? null,
    episode: wholeOf(text('episode_sort')) ?? wholeOf(id) ?? marked?.episode ?? null,
    year: yearOf(text('date', 'year')),
    description: text('description', 'synopsis', 'comment'),
    category: firstGenre(text('genre'))
  }
}
