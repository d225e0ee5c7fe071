import { cleanText, TextCleaner } from '../../text.js'
import { MAX_LISTED_PROBLEMS } from '../validate.js'
import type { RawDocument, RawEvent } from './raw-event.js'

// SPEC §12: an import strips the control characters the API refuses (workers/text.ts) and says
// so in its answer's notes, naming each field of each event it cleaned (the first
// MAX_LISTED_PROBLEMS, then how many more). Text only: a video URL with one is refused as no
// media URL (workers/media-url.ts), since a URL with a character taken out is another URL.

const EVENT_TEXT_FIELDS = ['title', 'category', 'channel'] as const

function cleanEvent (e: RawEvent, cleaned: TextCleaner): void {
  const f = e.fields
  const label = (): string => `event ${e.index + 1}${typeof f.title === 'string' ? ` ("${cleanText(f.title).trim().slice(0, 60)}")` : ''}`
  for (const field of EVENT_TEXT_FIELDS) {
    const value = f[field]
    if (typeof value === 'string') f[field] = cleaned.clean(value, `${label()} ${field}`)
  }
  if (typeof f.description === 'string') f.description = cleaned.clean(f.description, `${label()} description`, true)
  if (Array.isArray(f.tags)) f.tags = f.tags.map((tag: unknown, i) => typeof tag === 'string' ? cleaned.clean(tag, `${label()} tags.${i}`) : tag)
  else if (typeof f.tags === 'string') f.tags = cleaned.clean(f.tags, `${label()} tags`)
}

/** The document's text kept to the rule, in place; its notes say what was removed where. */
export function cleanDocumentText (raw: RawDocument): void {
  const cleaned = new TextCleaner(MAX_LISTED_PROBLEMS)
  if (raw.name !== undefined) raw.name = cleaned.clean(raw.name, 'the document\'s title')
  for (const c of raw.channels) {
    c.id = cleaned.clean(c.id, `channel "${cleanText(c.id).slice(0, 60)}" id`)
    c.display_name = cleaned.clean(c.display_name, `channel "${c.id.slice(0, 60)}" display-name`)
  }
  for (const c of raw.xmltvChannels ?? []) {
    c.id = cleanText(c.id) // said once, above: every <channel> is in raw.channels too
    c.display_names = c.display_names.map((name) => cleanText(name).trim()).filter(Boolean)
    c.number_candidates = c.number_candidates.map((name) => cleanText(name).trim())
    if (c.icon !== undefined) c.icon = cleanText(c.icon)
  }
  for (const e of raw.events) cleanEvent(e, cleaned)
  raw.notes.push(...cleaned.summary())
}
