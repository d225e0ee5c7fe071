import { CommandError } from '../contract/command-error.js'

/** UTF-8 (a BOM is dropped); anything else is refused rather than stored as mojibake. */
export function decodeUtf8 (input: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input)
  } catch {
    throw new CommandError('BAD_ENCODING', 'the document is not UTF-8 text')
  }
}

// SPEC §12's character rule for text, written once: what the API refuses (textProblem), what
// an import strips (cleanText, with a warning) and what no export writes (cleanText again, for
// rows an earlier version stored). Refused: C0 control characters but tab, DEL, and U+2028 /
// U+2029 (JavaScript's and JSON-in-HTML's line breaks); LF and CR are allowed only in a
// multi-line field (an event's description). A line break or NUL in a title is what splits an
// M3U `#EXTINF`, an ffplayout title or a CasparCG label a player reads line by line.

const SINGLE_LINE_CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F\u2028\u2029]/
const MULTI_LINE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u2028\u2029]/
const LINE_BREAKS = /\s*(?:\r\n|[\r\n\u2028\u2029])[\s\u2028\u2029]*/g
const OTHER_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g

/** What the rule allows, in words, for messages and the README. */
export const TEXT_RULE = 'no control characters (tab is allowed; line breaks only in a description), no DEL, no U+2028/U+2029'

const codePoint = (c: string): string => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`

/** Whether `value` breaks the rule (a fast test: most text passes it). */
export const hasControlCharacters = (value: string, multiline = false): boolean =>
  (multiline ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).test(value)

/** Why `value` breaks the rule, or null when it keeps it: the first offending character named. */
export function textProblem (value: string, multiline = false): string | null {
  const found = (multiline ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).exec(value)
  if (found === null) return null
  const what = /[\n\r\u2028\u2029]/.test(found[0]) ? 'a line break' : 'a control character'
  return `holds ${what} (${codePoint(found[0])} at character ${found.index + 1}): text may hold ${TEXT_RULE}`
}

/**
 * A name a person gives something (a feed token, an API key): trimmed, not empty, at most `max`
 * characters, one line by the rule above; else VALIDATION_FAILED naming `field`.
 */
export function checkedName (value: unknown, max: number, field = 'name'): string {
  const name = typeof value === 'string' ? value.trim() : ''
  const problem = name === '' ? 'is empty' : name.length > max ? `is longer than ${max} characters` : textProblem(name)
  if (problem !== null) throw new CommandError('VALIDATION_FAILED', `${field} ${problem}`, [{ field, message: problem }])
  return name
}

/**
 * `value` kept to the rule: in one-line text a run of line breaks becomes one space; in
 * multi-line text U+2028/U+2029 become LF; every other control character and DEL is removed.
 * Unchanged (the same string) when it keeps the rule already.
 */
export function cleanText (value: string, multiline = false): string {
  if (!hasControlCharacters(value, multiline)) return value
  const broken = multiline ? value.replace(/[\u2028\u2029]/g, '\n') : value.replace(LINE_BREAKS, ' ')
  return broken.replace(OTHER_CONTROLS, '')
}

/** The characters cleanText removes or replaces in `value`, named once each (`NUL (U+0000), BEL (U+0007)`), for an import's warning. */
export function controlCharactersIn (value: string, multiline = false): string {
  const pattern = new RegExp((multiline ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).source, 'g')
  return [...new Set(value.match(pattern) ?? [])].map(codePoint).join(', ')
}

/**
 * An import's cleaning (SPEC §12: imports strip what the API refuses, with a warning): clean()
 * keeps a value to the rule and notes where it changed one, the first `listed` of them by
 * name; summary() is the notes, with how many more there were.
 */
export class TextCleaner {
  private readonly said: string[] = []
  private count = 0
  constructor (private readonly listed: number) {}

  clean (value: string, where: string, multiline = false): string {
    if (!hasControlCharacters(value, multiline)) return value
    if (this.count++ < this.listed) this.said.push(`${where}: ${controlCharactersIn(value, multiline)} removed (control characters are not kept)`)
    return cleanText(value, multiline)
  }

  summary (): string[] {
    const more = this.count - this.listed
    return more > 0 ? [...this.said, `${more} more text field${more === 1 ? '' : 's'} had control characters removed`] : [...this.said]
  }
}
