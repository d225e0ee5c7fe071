import { CommandError } from '../../contract/command-error.js'
import type { ProblemDetail } from '../../contract/common.js'
import { exportableMediaUrl, mediaUrlMessage, mediaUrlProblem } from '../media-url.js'
import { MAX_LISTED_PROBLEMS } from '../schedule/validate.js'
import { cleanText, TextCleaner } from '../text.js'
import { entryEpisode, episodeAttributes } from './episode.js'
import type { ParsedPlaylist, PlaylistItem } from './model.js'

// Extended M3U as IPTV and player software writes it (SPEC §3). The packages on npm
// either target HLS media playlists or drop what we must keep (unknown attributes,
// directives, values with commas and quotes, round-trip writing), so this is a small
// reader and writer of our own, tested against that list in test/unit/m3u.test.ts.

/**
 * `key="value"`, `key='value'` or `key=value` pairs, up to the first comma outside
 * quotes, which starts the title. Returns the attributes and the index of that comma.
 */
function readAttributes (text: string, from: number): { attributes: Record<string, string>, titleStart: number } {
  const attributes: Record<string, string> = {}
  let i = from
  while (i < text.length) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
    if (i >= text.length || text[i] === ',') break
    const keyStart = i
    while (i < text.length && !/[\s=,]/.test(text[i])) i++
    const key = text.slice(keyStart, i)
    if (text[i] !== '=') {
      if (key === '') i++ // a stray character: step over it
      continue
    }
    i++
    let value: string
    const quote = text[i]
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, i + 1)
      const end = close < 0 ? text.length : close
      value = text.slice(i + 1, end)
      i = end + 1
    } else {
      const valueStart = i
      while (i < text.length && !/[\s,]/.test(text[i])) i++
      value = text.slice(valueStart, i)
    }
    if (key !== '') attributes[key] = value
  }
  return { attributes, titleStart: i < text.length ? i + 1 : text.length }
}

/** The file name of a URL without its extension: the title of an entry that carries none, and where season and episode are read last. */
function titleFromUrl (url: string): string {
  const path = url.split(/[?#]/)[0].replace(/\/+$/, '')
  const name = path.slice(path.lastIndexOf('/') + 1)
  let decoded = name
  try { decoded = decodeURIComponent(name) } catch { /* keep it as written */ }
  return decoded.replace(/\.[A-Za-z0-9]{1,5}$/, '') || url
}

// What a line of a plain list (no #EXTM3U, no #EXTINF) must look like: a URL, an absolute,
// Windows or ./ path, a relative path with a separator, or a file name with an extension
// (a query or fragment may follow it).
// Lines of JSON, XML or prose are none of these, so such a document is not taken for a
// list of entries (issue 11 item 3: a JSON schedule once became a 1,412-item playlist).
const LOCATION = /^(?:[a-z][a-z0-9+.-]*:\/\/\S+|file:\S+|(?:[a-z]:)?[\\/]\S.*|\.{1,2}[\\/]\S.*|[^\s]+[\\/][^\s]*|.*\.[a-z0-9]*[a-z][a-z0-9]*(?:[?#]\S*)?)$/i
const isLocation = (line: string): boolean => LOCATION.test(line) && !/[<>{}"]/.test(line) && mediaUrlProblem(line) === null

/** A document with no M3U line at all is a playlist only when every entry line names media. */
function refuseUnlessPlainList (lines: string[]): void {
  const strangers: ProblemDetail[] = []
  let count = 0
  lines.forEach((raw, at) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || isLocation(line)) return
    if (count++ < MAX_LISTED_PROBLEMS) strangers.push({ line: at + 1, column: 1, message: `"${line.slice(0, 60)}" is not a URL or file path` })
  })
  if (count === 0) return
  throw new CommandError('UNKNOWN_FORMAT', `not an M3U playlist: it has no #EXTM3U or #EXTINF line, and ${count} of its lines ${count === 1 ? 'is' : 'are'} not a URL or file path (line ${strangers[0].line}: ${strangers[0].message}); nothing was imported`, strangers)
}

interface PendingEntry {
  title?: string
  duration: number | null
  attributes: Record<string, string>
  group?: string
  directives: string[]
  line: number
}

/**
 * The playlist's entries, directives and warnings. An entry whose URL is no media URL
 * (`javascript:`, a control character…) refuses the whole playlist: VALIDATION_FAILED
 * naming every such entry (up to MAX_LISTED_PROBLEMS) by index and line.
 */
export function parseM3u (text: string): ParsedPlaylist {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  if (!lines.some((line) => /^\s*#EXT(?:M3U|INF:)/i.test(line))) refuseUnlessPlainList(lines)
  const result: ParsedPlaylist = { attributes: {}, items: [], warnings: [] }
  const problems: ProblemDetail[] = []
  let problemCount = 0
  let pending: PendingEntry | undefined
  const entry = (line: number): PendingEntry => (pending ??= { duration: null, attributes: {}, directives: [], line })

  lines.forEach((raw, at) => {
    const line = raw.trim()
    const lineNo = at + 1
    if (line === '') return
    if (/^#EXTM3U\b/i.test(line)) {
      if (at === 0 || result.items.length === 0) Object.assign(result.attributes, readAttributes(line, 7).attributes)
      return
    }
    if (/^#EXTINF:/i.test(line)) {
      if (pending?.title !== undefined) result.warnings.push(`line ${pending.line}: #EXTINF with no URL after it: left out`)
      if (pending?.title !== undefined) pending = undefined
      const current = entry(lineNo)
      const body = line.slice(8)
      const durationText = /^\s*(-?\d+(?:\.\d+)?)/.exec(body)
      const seconds = durationText === null ? NaN : Number(durationText[1])
      current.duration = Number.isFinite(seconds) && seconds > 0 ? seconds : null // -1 and 0: unknown (live streams)
      const { attributes, titleStart } = readAttributes(body, durationText === null ? 0 : durationText[0].length)
      current.attributes = attributes
      current.title = body.slice(titleStart).trim()
      current.line = lineNo
      return
    }
    if (line.startsWith('#')) {
      // Directives belong to the entry they precede; plain comments are dropped.
      if (!/^#EXT/i.test(line)) return
      const current = entry(lineNo)
      current.directives.push(line)
      const group = /^#EXTGRP:(.*)$/i.exec(line)
      if (group !== null) current.group = group[1].trim()
      return
    }
    const current = entry(lineNo)
    const urlProblem = mediaUrlProblem(line)
    if (urlProblem !== null && problemCount++ < MAX_LISTED_PROBLEMS) {
      problems.push({ index: result.items.length, field: 'url', line: lineNo, column: 1, message: mediaUrlMessage('url', line, urlProblem) })
    }
    const { 'group-title': groupTitle, ...attributes } = current.attributes
    const fileName = titleFromUrl(line)
    const title = current.title !== undefined && current.title !== '' ? current.title : fileName
    // SPEC §15: season and episode from the attributes, else the title, else the file name.
    const { season, episode, rest: tvg } = entryEpisode(attributes, title, fileName)
    const item: PlaylistItem = {
      title,
      url: line,
      duration: current.duration,
      group: groupTitle !== undefined && groupTitle !== '' ? groupTitle : current.group ?? null,
      tvg,
      directives: current.directives,
      season,
      episode
    }
    result.items.push(item)
    pending = undefined
  })
  if (pending?.title !== undefined) result.warnings.push(`line ${pending.line}: #EXTINF with no URL after it: left out`)
  result.warnings.push(...cleanPlaylistText(result))
  if (problemCount > 0) {
    const listed = problemCount > MAX_LISTED_PROBLEMS ? ` (the first ${MAX_LISTED_PROBLEMS} are listed)` : ''
    throw new CommandError('VALIDATION_FAILED', `${problemCount} entr${problemCount === 1 ? 'y has' : 'ies have'} no media URL${listed}; nothing was imported`, problems)
  }
  return result
}

/**
 * SPEC §12: the playlist's text (titles, groups, attributes, directives) with the control
 * characters the API refuses stripped, in place; the warnings name each entry and field.
 * URLs are not cleaned: one with a control character is refused as no media URL.
 */
function cleanPlaylistText (playlist: ParsedPlaylist): string[] {
  const cleaner = new TextCleaner(MAX_LISTED_PROBLEMS)
  const cleanAttributes = (attributes: Record<string, string>, where: string): Record<string, string> =>
    Object.fromEntries(Object.entries(attributes).map(([k, v]) => [cleanText(k), cleaner.clean(v, `${where} ${cleanText(k)}`)]))
  playlist.attributes = cleanAttributes(playlist.attributes, '#EXTM3U')
  playlist.items.forEach((item, i) => {
    const where = `entry ${i + 1}`
    item.title = cleaner.clean(item.title, `${where} title`).trim()
    if (item.group !== null) item.group = cleaner.clean(item.group, `${where} group`).trim()
    item.tvg = cleanAttributes(item.tvg, where)
    item.directives = item.directives.map((d) => cleaner.clean(d, `${where} directive`))
  })
  return cleaner.summary()
}

/** ` key="value"`, or single quotes for a value holding a double quote (the reader takes both). */
function attribute (key: string, value: string): string {
  const text = cleanText(value)
  if (!text.includes('"')) return ` ${key}="${text}"`
  return text.includes("'") ? ` ${key}="${text.replace(/"/g, "'")}"` : ` ${key}='${text}'`
}

/** Writes what parseM3u reads back to the same items. */
export function writeM3u (playlist: Pick<ParsedPlaylist, 'attributes' | 'items'>): string {
  const header = Object.entries(playlist.attributes).map(([k, v]) => attribute(k, v)).join('')
  const out = [`#EXTM3U${header}`]
  for (const item of playlist.items) {
    // Defensive for rows an earlier version stored: a URL that is no media URL would be a
    // directive, a second line or a script link in the file; it is left out, named in a comment.
    const url = exportableMediaUrl(item.url)
    if (url === null) {
      out.push(`# not a media URL, left out: ${cleanText(item.title)}`)
      continue
    }
    const groupFromDirective = item.directives.some((d) => /^#EXTGRP:/i.test(d))
    const attributes = { ...item.tvg, ...episodeAttributes(item), ...(item.group !== null && !groupFromDirective && { 'group-title': item.group }) }
    const attributeText = Object.entries(attributes).map(([k, v]) => attribute(cleanText(k), v)).join('')
    out.push(`#EXTINF:${item.duration ?? -1}${attributeText},${cleanText(item.title)}`)
    out.push(...item.directives.map((d) => cleanText(d)).filter((d) => d.startsWith('#')), url)
  }
  return out.join('\n') + '\n'
}
