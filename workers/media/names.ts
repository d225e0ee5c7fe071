import { locateEpisode } from '../playlist/episode.js'

// What a media file's path says it is (SPEC §16), the weakest of describe.ts's three sources:
// `Show/Season 02/Show - S02E05 - Title.mkv`, `Show 1x05.mkv`, `Show Season 2 Episode 5.mkv`
// (the markers are workers/playlist/episode.ts's, written once there), and films as
// `Title (Year).mkv`. Pure.

/** What a path names. */
export interface NameFacts {
  title: string
  show: string | null
  season: number | null
  episode: number | null
  year: number | null
  /**
   * The show's folder (relative, '/' between folders), where its tvshow.nfo is: the folder the
   * show was read from, or for a name with no marker the file's (its tags may make it an
   * episode); null at the root.
   */
  showFolder: string | null
}

/** A season's folder: `Season 02`, `Series 2`, `S02` (and Staffel, Saison, Temporada, Stagione, Сезон), `Specials` (season 0). */
const SEASON_FOLDER = /^(?:(?:season|series|staffel|saison|temporada|stagione|сезон|s)[\s._-]*(\d{1,4})|(specials?))$/iu
/** A year in brackets: `Title (1982)`, `Title [1982]`. A bare year is part of a title (`Blade Runner 2049`). */
const BRACKETED_YEAR = /[([]((?:18|19|20)\d\d)[)\]]/u
/** Release names' tags (`.1080p.WEB-DL.x264`): a dotted name's title ends before the first. */
const RELEASE_TAG = /(?<![\p{L}\p{N}])(?:\d{3,4}[pi]|4k|uhd|hdr\d*|web(?:-?dl|-?rip)?|blu-?ray|bdrip|brrip|dvdrip|hdtv|[xh]\.?26[45]|hevc|avc|aac\d?|ac3|dts|proper|repack|internal)(?![\p{L}\p{N}])/iu
/** What is trimmed from both ends of a piece of a name: separators between show, marker and title. */
const EDGES = /^[\s\-–—_.,:;|]+|[\s\-–—_.,:;|]+$/gu

/** The number a season folder names, else null. */
export function seasonOfFolder (folder: string): number | null {
  const m = SEASON_FOLDER.exec(folder.trim())
  if (m === null) return null
  return m[2] !== undefined ? 0 : Number(m[1])
}

/**
 * The facts a path relative to the library's root gives. An episode is a file whose name has a
 * marker (S02E05, 2x05, Season 2 Episode 5, Episode 5); its show is the folder above it (above
 * its season folder) when the name starts with that show or with nothing, else the words
 * before the marker; its title is the words after it. Anything else is a film or a clip: its
 * title the name before a bracketed year, which is its year.
 */
export function readName (relativePath: string): NameFacts {
  const folders = relativePath.split('/').filter((p) => p !== '')
  const base = stripExtension(folders.pop() ?? '')
  const scene = !/\s/u.test(base) && /[._]/u.test(base)
  const text = scene ? base.replace(/[._]+/gu, ' ') : base
  const inSeason = folders.length > 0 ? seasonOfFolder(folders[folders.length - 1]) : null
  const showDepth = folders.length - (inSeason === null ? 0 : 1)
  const showFolder = showDepth > 0 ? folders.slice(0, showDepth).join('/') : null
  const marker = locateEpisode(text)
  if (marker === null) return { ...filmOf(text, scene), show: null, season: null, episode: null, showFolder }
  const named = withoutYear(tidy(text.slice(0, marker.start)))
  const folderShow = showDepth > 0 ? withoutYear(tidy(folders[showDepth - 1])) : ''
  const byFolder = folderShow !== '' && (named === '' || inSeason !== null || sameWords(named, folderShow))
  const show = byFolder ? folderShow : named
  const title = tidy(scene ? beforeReleaseTags(text.slice(marker.end)) : text.slice(marker.end))
  return {
    title: title !== '' ? title : tidy(text) || base,
    show: show !== '' ? show : null,
    season: marker.season ?? inSeason,
    episode: marker.episode,
    year: null,
    showFolder: byFolder ? showFolder : null
  }
}

function filmOf (text: string, scene: boolean): { title: string, year: number | null } {
  const m = BRACKETED_YEAR.exec(text)
  const before = m === null ? '' : tidy(text.slice(0, m.index))
  if (m !== null && before !== '') return { title: before, year: Number(m[1]) }
  const title = tidy(scene ? beforeReleaseTags(text) : text)
  return { title: title !== '' ? title : tidy(text) || text, year: null }
}

function stripExtension (file: string): string {
  const dot = file.lastIndexOf('.')
  return dot > 0 ? file.slice(0, dot) : file
}

/** Separators off both ends, runs of spaces as one. */
const tidy = (s: string): string => s.replace(/\s+/gu, ' ').replace(EDGES, '')

/** `Show (2019)` → `Show`: a show folder's year tells which show, not when an episode aired. */
const withoutYear = (s: string): string => tidy(s.replace(new RegExp(`\\s*${BRACKETED_YEAR.source}\\s*$`, 'u'), ''))

const beforeReleaseTags = (s: string): string => {
  const m = RELEASE_TAG.exec(s)
  return m === null ? s : s.slice(0, m.index)
}

/** Letters and digits alike, case aside: `harbour lights` is `Harbour Lights!`. */
const sameWords = (a: string, b: string): boolean => {
  const key = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
  return key(a) === key(b)
}
