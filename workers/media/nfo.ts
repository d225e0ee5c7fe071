import { XMLParser } from 'fast-xml-parser'

// Kodi-style .nfo sidecars (SPEC §16): `<episodedetails>` beside an episode, `<movie>` beside a
// film (or movie.nfo in its folder), `<tvshow>` in a show's folder (tvshow.nfo). Read with
// fast-xml-parser, which expands no external entities and fetches nothing. Pure.

/** The root elements read, and what each describes. */
export const NFO_KINDS = { episodedetails: 'episode', movie: 'movie', tvshow: 'show' } as const
export type NfoKind = typeof NFO_KINDS[keyof typeof NFO_KINDS]

/** What an .nfo says; null: it does not say. */
export interface NfoFacts {
  kind: NfoKind
  title: string | null
  /** an episode's `showtitle` */
  show: string | null
  season: number | null
  episode: number | null
  /** `year`, else the year of `aired` or `premiered` */
  year: number | null
  /** `plot`, else `outline` */
  description: string | null
  /** the first `genre` */
  category: string | null
}

/** An .nfo read: its facts, or why it was not (a malformed sidecar is ignored, not fatal). */
export type NfoRead = { facts: NfoFacts } | { problem: string }

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true, htmlEntities: false })

/**
 * Reads an .nfo's text. Kodi lets a URL follow the XML (a scraper hint): whatever follows the
 * root element's end is left out. The first element of a multi-episode file is read.
 */
export function readNfo (text: string): NfoRead {
  const roots = Object.keys(NFO_KINDS) as Array<keyof typeof NFO_KINDS>
  const root = roots.map((r) => ({ r, at: text.search(new RegExp(`<${r}[\\s>/]`, 'u')) })).filter((x) => x.at >= 0).sort((a, b) => a.at - b.at)[0]
  if (root === undefined) return { problem: 'no <episodedetails>, <movie> or <tvshow> element' }
  const close = `</${root.r}>`
  const end = text.indexOf(close)
  const xml = end < 0 ? text : text.slice(0, end + close.length)
  let doc: Record<string, unknown>
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>
  } catch (err) {
    return { problem: `not well-formed XML: ${(err as Error).message}` }
  }
  const element = first(doc[root.r])
  const fields = typeof element === 'object' && element !== null ? element as Record<string, unknown> : {}
  return {
    facts: {
      kind: NFO_KINDS[root.r],
      title: textOf(fields.title),
      show: textOf(fields.showtitle),
      season: wholeOf(fields.season),
      episode: wholeOf(fields.episode),
      year: wholeOf(fields.year) ?? yearOf(textOf(fields.aired)) ?? yearOf(textOf(fields.premiered)),
      description: textOf(fields.plot) ?? textOf(fields.outline),
      category: firstGenre(textOf(fields.genre))
    }
  }
}

const first = (v: unknown): unknown => Array.isArray(v) ? v[0] : v

/** An element's text: the first of a repeated one; null when empty or not text. */
function textOf (v: unknown): string | null {
  const value = first(v)
  if (typeof value !== 'string' && typeof value !== 'number') return null
  const s = String(value).trim()
  return s === '' ? null : s
}

/** A whole number written as digits (`5`, `05`); Kodi writes -1 for none. */
export function wholeOf (v: unknown): number | null {
  const s = textOf(v)
  return s !== null && /^\d{1,5}$/u.test(s) ? Number(s) : null
}

/** The year a date or year starts with (`2019`, `2019-05-01`, `20190501`), 1800–2199. */
export function yearOf (s: string | null): number | null {
  const m = s === null ? null : /^\s*((?:18|19|20|21)\d\d)(?:\d{4})?(?!\d)/u.exec(s)
  return m === null ? null : Number(m[1])
}

/** The first of `Drama / Crime`, `Drama, Crime` (one genre names a collection). */
export function firstGenre (s: string | null): string | null {
  if (s === null) return null
  const g = s.split(/\s*[/,;|]\s*/u)[0].trim()
  return g === '' ? null : g
}
