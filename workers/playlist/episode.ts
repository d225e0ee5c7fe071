// Season and episode numbers (SPEC §15): read from a title or a file name, from an M3U entry's
// attributes, and written as XMLTV's two systems. Pure: the M3U reader and writer, the builder
// and the XMLTV writer all call these, so each rule is written once.

/** A season or an episode number as far as they are known: the episode alone (`Ep. 5`) leaves season null. */
export interface SeasonEpisode { season: number | null, episode: number | null }

/** Above these a number is no season or episode (a year as season, `S2019E05`, is still one). */
export const MAX_SEASON = 9999
export const MAX_EPISODE = 9999

// Numbers sit between non-alphanumerics: `Show.S02E05.1080p`, `Show_2x05`, `Show - Season 2 Episode 5`,
// never inside a word or a longer number (`x264`, `1920x1080`, `H.264`).
const START = '(?<![\\p{L}\\p{N}])'
const END = '(?!\\p{N})'
const GAP = '[\\s._-]*'

// Tried in this order, the first that matches wins: the explicit forms before the loose ones,
// so `Show 2x05 S03E07` is S03E07 and words around the marker never outrank it.
const PATTERNS: ReadonlyArray<{ re: RegExp, season: number | null, episode: number }> = [
  // S02E05, s2e5, S02 E05, S02.E05, S2019E01 (the first of S01E01E02 or S01E01-E02)
  { re: new RegExp(`${START}s(\\d{1,4})${GAP}e(\\d{1,4})${END}`, 'iu'), season: 1, episode: 2 },
  // Season 2 Episode 5, Series 2, Episode 5, Season 2 - Ep. 5, S2 Ep 5
  { re: new RegExp(`${START}(?:season|series|s)${GAP}(\\d{1,4})${END}[\\s.,:_-]*(?:episode|ep)\\.?${GAP}(\\d{1,4})${END}`, 'iu'), season: 1, episode: 2 },
  // 2x05, 1x12: a one- or two-digit season and an episode of two or three digits, so
  // `2x speed`, `4x4`, `1920x1080` and `720x576` are none
  { re: new RegExp(`${START}(\\d{1,2})x(\\d{2,3})${END}(?![\\p{L}])`, 'iu'), season: 1, episode: 2 },
  // Episode 5, Ep. 5, Ep5 (the episode alone)
  { re: new RegExp(`${START}(?:episode|ep)\\.?${GAP}(\\d{1,4})${END}`, 'iu'), season: null, episode: 1 }
]

/**
 * The season and episode a title or file name names, or null when it names no episode.
 * `Harbour Lights S02E05` → 2, 5; `Ep. 5` → null, 5; `Blade Runner 2049`, `1080p`, `2x speed` → null.
 */
export function readEpisode (text: string): SeasonEpisode | null {
  const found = locateEpisode(text)
  return found === null ? null : { season: found.season, episode: found.episode }
}

/** readEpisode's answer with where the marker sits in `text` ([start, end)): what the media library splits a file name at (`Show - S02E05 - Title`). */
export function locateEpisode (text: string): (SeasonEpisode & { start: number, end: number }) | null {
  for (const { re, season, episode } of PATTERNS) {
    const m = re.exec(text)
    if (m === null) continue
    const e = Number(m[episode])
    const s = season === null ? null : Number(m[season])
    if (e > MAX_EPISODE || (s !== null && s > MAX_SEASON)) continue
    return { season: s, episode: e, start: m.index, end: m.index + m[0].length }
  }
  return null
}

/** A whole number written as digits (`5`, `05`), within `max`; else null. */
function wholeNumber (value: string | undefined, max: number): number | null {
  if (value === undefined || !/^\s*\d{1,5}\s*$/.test(value)) return null
  const n = Number(value)
  return n <= max ? n : null
}

/** The #EXTINF attributes the numbers are read from, in order (the first with a number wins); the writer writes the first. */
export const SEASON_ATTRIBUTES = ['tvg-season', 'season'] as const
export const EPISODE_ATTRIBUTES = ['tvg-episode', 'episode'] as const

/**
 * An M3U entry's numbers and the attributes left once those read are taken out. Each of
 * season and episode comes from the first that has it of: the attributes (`tvg-season="2"`,
 * `season="2"`, `tvg-episode="5"`, `episode="5"`, or `tvg-episode="S02E05"`), the title, the
 * URL's file name. An attribute read as a number is taken out of the rest (as group-title is),
 * since the writer writes it back from the item; one that reads as none stays as written.
 */
export function entryEpisode (attributes: Record<string, string>, title: string, fileName: string): SeasonEpisode & { rest: Record<string, string> } {
  const rest = { ...attributes }
  let season: number | null = null
  let episode: number | null = null
  for (const key of SEASON_ATTRIBUTES) {
    season = wholeNumber(rest[key], MAX_SEASON)
    if (season !== null) { delete rest[key]; break }
  }
  for (const key of EPISODE_ATTRIBUTES) {
    const value = rest[key]
    if (value === undefined) continue
    const plain = wholeNumber(value, MAX_EPISODE)
    const marked = plain === null ? readEpisode(value) : null
    if (plain === null && marked === null) continue
    episode = plain ?? marked!.episode
    if (marked !== null) season ??= marked.season
    delete rest[key]
    break
  }
  for (const text of [title, fileName]) {
    if (season !== null && episode !== null) break
    const read = readEpisode(text)
    if (read === null) continue
    season ??= read.season
    episode ??= read.episode
  }
  return { season, episode, rest }
}

/** The attributes the M3U writer adds for an item's numbers (read back by entryEpisode). */
export function episodeAttributes ({ season, episode }: SeasonEpisode): Record<string, string> {
  return {
    ...(season !== null && { [SEASON_ATTRIBUTES[0]]: String(season) }),
    ...(episode !== null && { [EPISODE_ATTRIBUTES[0]]: String(episode) })
  }
}

/**
 * XMLTV's `xmltv_ns` for a season and episode (counted from 0 there): S02E05 → `1.4.`, episode 5
 * alone → `.4.`; null when no episode is known. Season 0 (specials) and episode 0 have no
 * zero-based form: that part is left empty.
 */
export function xmltvNs (season: number | null | undefined, episode: number | null | undefined): string | null {
  if (episode === null || episode === undefined) return null
  const part = (n: number | null | undefined): string => n === null || n === undefined || n < 1 ? '' : String(n - 1)
  const written = `${part(season)}.${part(episode)}.`
  return written === '..' ? null : written
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/**
 * XMLTV's `onscreen` form of an `xmltv_ns` number that has a season and an episode:
 * `1.4.` and `1.4/12.` → `S02E05`; null for one without both (`.4/12.`, a playlist position).
 */
export function onscreenOf (episodeNum: string | null | undefined): string | null {
  if (episodeNum === null || episodeNum === undefined) return null
  const m = /^\s*(\d+)\s*(?:\/\s*\d+\s*)?\.\s*(\d+)\s*(?:\/\s*\d+\s*)?\./.exec(episodeNum)
  return m === null ? null : `S${pad2(Number(m[1]) + 1)}E${pad2(Number(m[2]) + 1)}`
}
