import { cleanText } from '../../text.js'

// Text and attribute values for the XML exporters (native XML, XMLTV, CasparCG).

// XML 1.0 allows tab, LF, CR and these ranges. Anything else (other C0 controls, lone
// surrogates, U+FFFE/U+FFFF) makes the whole document ill-formed, so it is dropped.
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

// Most values (numbers, booleans, plain titles) need neither: one cheap test skips the work.
// Without the u flag a surrogate is one code unit, so any astral character takes the slow path too.
const NEEDS_TEXT_WORK = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/
const NEEDS_ATTRIBUTE_WORK = /[&<>"'\r\n\t\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a literal CR into LF; the reference keeps it, so a value re-imports unchanged.
  '\r': '&#13;'
}

// In attributes a parser also turns literal LF and tab into spaces.
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '\n': '&#10;', '\t': '&#9;' }

export function stripIllegalXmlChars (value: string): string {
  return value.replace(ILLEGAL_XML_CHARS, '')
}

export function escapeXmlText (value: string): string {
  if (!NEEDS_TEXT_WORK.test(value)) return value
  return stripIllegalXmlChars(value).replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c])
}

export function escapeXmlAttribute (value: string): string {
  if (!NEEDS_ATTRIBUTE_WORK.test(value)) return value
  return stripIllegalXmlChars(value).replace(/[&<>"'\r\n\t]/g, (c) => ATTRIBUTE_ESCAPES[c])
}

/** `<name>value</name>`, escaped; `<name></name>` for an empty value. */
export function xmlElement (name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXmlText(String(value))}</${name}>`
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

// SPEC §12: no export writes a control character, old rows included: every one-line text is
// kept to workers/text.ts's rule (a line break becomes a space) and trimmed, and what XML
// forbids besides (a lone surrogate) is dropped.
const NEEDS_XML_WORK = /[\uD800-\uDFFF\uFFFE\uFFFF]/ // one cheap test: titles seldom have one

/** A one-line text as the XMLTV and channel-list exports write it. */
export function oneLineText (value: string): string {
  const line = cleanText(value)
  return (NEEDS_XML_WORK.test(line) ? stripIllegalXmlChars(line) : line).trim()
}
