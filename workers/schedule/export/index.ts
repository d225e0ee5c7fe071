// Schedule exporters (SPEC §3 "Export"): one schedule, or all of them, to a document in
// one of the formats players, EPG consumers and playout engines read. Plain string
// builders; the caller sends `body` with `content_type` and `filename`.

import { CommandError } from '../../../contract/command-error.js'
import { exportableMediaUrl } from '../../media-url.js'
import { cleanText, hasControlCharacters } from '../../text.js'
import { exportCasparcg } from './casparcg.js'
import { exportFfplayout } from './ffplayout.js'
import { exportJson } from './json.js'
import { exportM3u } from './m3u.js'
import type { ExportFormat, ExportOptions, ExportSchedule, ExportedDocument, Exporter } from './types.js'
import { exportXml } from './xml.js'
import { exportXmltv } from './xmltv.js'

export type { ExportFormat, ExportOptions, ExportSchedule, ExportedDocument } from './types.js'

const EXPORTERS: Record<ExportFormat, Exporter> = {
  xml: exportXml,
  json: exportJson,
  m3u: exportM3u,
  xmltv: exportXmltv,
  ffplayout: exportFfplayout,
  casparcg: exportCasparcg
}

export const EXPORT_FORMATS: readonly ExportFormat[] = Object.freeze(Object.keys(EXPORTERS) as ExportFormat[])

export function isExportFormat (value: string): value is ExportFormat {
  return Object.hasOwn(EXPORTERS, value)
}

/**
 * The document for `schedules`: one element for a single-schedule export, every schedule
 * for "export all" (an empty list exports as "all"). Throws BAD_REQUEST for a format it
 * does not know or a request the format cannot answer (e.g. an ffplayout day with no events).
 */
export function exportSchedules (format: ExportFormat, schedules: ExportSchedule[], options: ExportOptions = {}): ExportedDocument {
  if (!isExportFormat(format)) {
    throw new CommandError('BAD_REQUEST', `unknown export format "${String(format)}"; one of ${EXPORT_FORMATS.join(', ')}`)
  }
  return EXPORTERS[format](schedules.map((s) => withCleanText(withMediaUrlsOnly(s))), options)
}

/**
 * Defensive for rows an earlier version stored: a video URL that is no media URL
 * (`javascript:`, a leading `#`, a line break) is exported as no URL, so it can become
 * neither an M3U directive nor a second line nor a link a player or EPG page follows.
 */
function withMediaUrlsOnly (schedule: ExportSchedule): ExportSchedule {
  if (schedule.events.every((e) => exportableMediaUrl(e.video_url) === e.video_url)) return schedule
  return { ...schedule, events: schedule.events.map((e) => ({ ...e, video_url: exportableMediaUrl(e.video_url) })) }
}

const dirty = (value: string | null, multiline = false): boolean => value !== null && hasControlCharacters(value, multiline)
const clean = (value: string | null, multiline = false): string | null => value === null ? null : cleanText(value, multiline)
const dirtyEvent = (e: ExportSchedule['events'][number]): boolean =>
  dirty(e.title) || dirty(e.category) || dirty(e.description, true) || dirty(e.channel) || e.tags.some((t) => dirty(t))

/**
 * SPEC §12, for rows an earlier version stored: no export writes a control character. Every
 * text is kept to workers/text.ts's rule (a line break in a title, a category or a name becomes a
 * space, so it cannot split an M3U entry, an ffplayout title or a CasparCG label; a
 * description keeps its lines), before any format sees it. Copies only what needs it.
 */
function withCleanText (schedule: ExportSchedule): ExportSchedule {
  const header = dirty(schedule.name) || dirty(schedule.channel_id) || schedule.channels.some((c) => dirty(c.id) || dirty(c.display_name))
  if (!header && !schedule.events.some(dirtyEvent)) return schedule
  return {
    ...schedule,
    name: cleanText(schedule.name),
    channel_id: cleanText(schedule.channel_id),
    channels: schedule.channels.map((c) => ({ id: cleanText(c.id), display_name: cleanText(c.display_name) })),
    events: schedule.events.map((e) => dirtyEvent(e)
      ? { ...e, title: cleanText(e.title), category: clean(e.category), description: clean(e.description, true), channel: clean(e.channel), tags: e.tags.map((t) => cleanText(t)) }
      : e)
  }
}
