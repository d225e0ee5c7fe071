import { CommandError } from '../../../contract/command-error.js'
import { decodeUtf8 } from '../../text.js'
import type { ScheduleDocument } from '../model.js'
import type { Play } from '../../storage/store.js'
import { removeDuplicates } from '../checks/duplicates.js'
import { validateEvents, MAX_LISTED_PROBLEMS, ISO_HINT, XMLTV_TIME_HINT, type ValidEvent } from '../validate.js'
import { detectFormat, type ImportFormat } from './detect-format.js'
import { isValidTimezone } from '../time.js'
import { plural } from '../event-label.js'
import { readJson } from './read-json.js'
import { readNativeXml } from './read-native-xml.js'
import { readXmltv } from './read-xmltv.js'
import type { RawDocument, XmltvChannel } from './raw-event.js'
import { cleanDocumentText } from './clean-text.js'
import { placedCooldown, placedOverlaps, type AiringOf, type PlacedSources } from '../checks/placed-checks.js'
import type { ImportReport, ImportWarnings } from '../../../contract/api.js'

export interface ImportOptions {
  format?: ImportFormat
  name?: string
  /** The request's zone for naive times; without one, the document's (JSON metadata.timezone), else UTC. */
  timezone?: string
  cooldownHours: number
  /** Store a schedule with no events rather than refuse the import (the caller asked for one). */
  allowEmpty?: boolean
  /** Plays already stored in [from, to) (of one channel with `channelId`), so a replay of last week's video is a cooldown warning too. */
  storedPlays?: (from: number, to: number, channelId?: string) => Promise<Iterable<Play>>
  /**
   * An import onto channels (channel_id, create_channels): asked once the document is read,
   * it says where each event airs, and overlaps and replays are counted per channel with what
   * is stored on it (checks/placed-checks.ts). Without it, the events air on no channel.
   */
  placement?: {
    airingOf: (document: { format: ImportFormat, xmltvChannels: XmltvChannel[] }) => Promise<AiringOf>
    channelEvents: NonNullable<PlacedSources['channelEvents']>
  }
}

export type { ImportReport, ImportWarnings }

const READERS: Record<ImportFormat, (text: string) => RawDocument> = { xml: readNativeXml, json: readJson, xmltv: readXmltv }

/**
 * The document's events, checked. Its text and raw events are dropped when this returns,
 * so a 100,000-event import does not hold them through the checks and the insert.
 */
function readValidEvents (input: Buffer, options: ImportOptions): { events: ValidEvent[], total: number, name?: string, source: RawDocument['source'], channels: RawDocument['channels'], xmltvChannels: XmltvChannel[], notes: string[], format: ImportFormat, zone: string } {
  const text = decodeUtf8(input)
  if (text.trim() === '') throw new CommandError('EMPTY_DOCUMENT', 'the document is empty')
  const format = options.format ?? detectFormat(text)
  const raw = READERS[format](text)
  cleanDocumentText(raw)
  if (raw.events.length === 0 && options.allowEmpty !== true) throw nothingToImport(raw.notes)
  const { zone, notes } = zoneOfNaiveTimes(options.timezone, raw.timezone)
  const { events, problems, problemCount } = validateEvents(raw.events, zone, format === 'xmltv' ? XMLTV_TIME_HINT : ISO_HINT)
  if (problemCount > 0) {
    const listed = problemCount > MAX_LISTED_PROBLEMS ? ` (the first ${MAX_LISTED_PROBLEMS} are listed)` : ''
    const first = problemCount === 1 ? `: ${problems[0].message}` : `${listed}, the first: ${problems[0].message}`
    throw new CommandError('VALIDATION_FAILED', `${plural(problemCount, 'problem')} found${first}; nothing was imported`, problems)
  }
  return {
    events,
    total: events.length,
    name: raw.name,
    source: raw.source,
    channels: raw.channels,
    xmltvChannels: raw.xmltvChannels ?? [],
    notes: [...notes, ...raw.notes],
    format,
    zone
  }
}

/**
 * The request's zone wins; without one, the zone the document names (SPEC §2 reads naive
 * times in the request's zone, default UTC, and is silent on documents that name theirs).
 * Either way the answer's notes say what became of the document's zone.
 */
function zoneOfNaiveTimes (requested: string | undefined, documentZone: string | undefined): { zone: string, notes: string[] } {
  if (documentZone === undefined) return { zone: requested ?? 'UTC', notes: [] }
  if (requested !== undefined) {
    return { zone: requested, notes: requested === documentZone ? [] : [`metadata.timezone "${documentZone}" was not used: the request's timezone ${requested} was`] }
  }
  if (!isValidTimezone(documentZone)) {
    throw new CommandError('BAD_JSON', `metadata.timezone "${documentZone.slice(0, 60)}" is not an IANA time zone (e.g. Europe/Berlin)`, [{ field: 'metadata.timezone', message: 'unknown time zone' }])
  }
  return { zone: documentZone, notes: [`naive times were read in ${documentZone}, the document's metadata.timezone`] }
}

/**
 * A document that gives no event to store: refused, saying how many were read and why each
 * kind was left out, so an empty schedule is never stored by mistake (issue 11 item 4).
 */
function nothingToImport (notes: string[]): CommandError {
  const ask = 'nothing was imported; to store an empty schedule on purpose, ask for it (allow_empty=true, or --allow-empty by hand)'
  if (notes.length === 0) return new CommandError('EMPTY_DOCUMENT', `the document has no events; ${ask}`)
  const reasons = new Map<string, number>()
  for (const note of notes) {
    const reason = note.replace(/^programme \d+ \(".*"\) /s, '').replace(/: left out$/, '')
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
  }
  const why = [...reasons].map(([reason, count]) => `${count} ${reason}`).join('; ')
  const read = `${notes.length} programme${notes.length === 1 ? ' was' : 's were'} read and every one was left out (${why})`
  return new CommandError('EMPTY_DOCUMENT', `${read}; ${ask}`, notes.slice(0, MAX_LISTED_PROBLEMS).map((message) => ({ message })))
}

/**
 * Reads, checks and reports on a document without storing anything: every problem
 * rejects the whole import; duplicates, overlaps and cooldown replays are warnings.
 */
export async function prepareImport (
  input: Buffer,
  options: ImportOptions
): Promise<{ document: ScheduleDocument, report: ImportReport, warnings: ImportWarnings }> {
  const { events, total, name, source, channels, xmltvChannels, notes, format, zone } = readValidEvents(input, options)
  const { unique, duplicates } = removeDuplicates(events, zone)
  const airingOf: AiringOf = options.placement === undefined ? () => null : await options.placement.airingOf({ format, xmltvChannels })
  const sources: PlacedSources = { storedPlays: options.storedPlays, channelEvents: options.placement?.channelEvents }
  const { overlaps, total: conflictsTotal } = await placedOverlaps(unique, airingOf, sources)
  const { violations, total: cooldownTotal } = await placedCooldown(unique, airingOf, options.cooldownHours, sources)
  return {
    // The events keep their document index; storage takes what it needs of them.
    document: { name: options.name ?? name ?? `${format.toUpperCase()} import ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`, source, channels, events: unique },
    report: {
      total_imported: total,
      unique_events: unique.length,
      duplicates_removed: duplicates.length,
      conflicts_detected: conflictsTotal,
      cooldown_violations: cooldownTotal
    },
    warnings: { duplicates, conflicts: overlaps, conflicts_total: conflictsTotal, cooldown: violations, cooldown_total: cooldownTotal, notes }
  }
}
