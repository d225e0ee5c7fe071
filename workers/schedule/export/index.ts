// The export registry (SPEC §3, §11): every format of contract/formats.ts with its exporters,
// one per target it declares. A format described there without an exporter here, or with one
// for a target it does not declare, fails to compile. Schedules and channels both export
// through it (commands/export-schedule.ts, commands/channels-export.ts). Plain string builders;
// the caller sends `body` with `content_type` and `filename`.

import { EXPORT_FORMATS, SCHEDULE_EXPORT_FORMATS, type ChannelExportFormat, type ExportFormat, type ExportTarget, type ScheduleExportFormat } from '../../../contract/formats.js'
import { CommandError } from '../../../contract/command-error.js'
import { exportableMediaUrl } from '../../media-url.js'
import { cleanText, hasControlCharacters } from '../../text.js'
import { exportCasparcg } from './casparcg.js'
import { channelAsSchedule } from './channel.js'
import { exportErsatzTv } from './ersatztv.js'
import { exportFfplayout } from './ffplayout.js'
import { exportJson } from './json.js'
import { exportM3u } from './m3u.js'
import type { ChannelExportOptions, ChannelExporter, ChannelWithEvents, ExportOptions, ExportSchedule, ExportedDocument, Exporter } from './types.js'
import { exportXml } from './xml.js'
import { channelXmltv, exportXmltv } from './xmltv.js'

export type { ExportFormat, ExportOptions, ExportSchedule, ExportedDocument } from './types.js'

type Declares<F extends ExportFormat, T extends ExportTarget> = T extends typeof EXPORT_FORMATS[F]['targets'][number] ? true : false
/** A format's exporters: `schedule` exactly when it applies to schedules, `channel` exactly when it applies to channels. */
type ExportersOf<F extends ExportFormat> =
  (Declares<F, 'schedule'> extends true ? { schedule: Exporter } : { schedule?: never }) &
  (Declares<F, 'channel'> extends true ? { channel: ChannelExporter } : { channel?: never })

/** A channel through a schedule exporter: the channel as one schedule named by its XMLTV id, its day and zone as the options. */
const asSchedule = (exporter: Exporter): ChannelExporter => (data, { day }) =>
  exporter([exportable(channelAsSchedule(data))], { timezone: data.channel.timezone, ...(day !== undefined && { date: day.date }) })

const EXPORTERS: { [F in ExportFormat]: ExportersOf<F> } = {
  xml: { schedule: exportXml },
  json: { schedule: exportJson },
  xmltv: { schedule: exportXmltv, channel: channelXmltv },
  m3u: { schedule: exportM3u, channel: asSchedule(exportM3u) },
  ffplayout: { schedule: exportFfplayout, channel: asSchedule(exportFfplayout) },
  casparcg: { schedule: exportCasparcg, channel: asSchedule(exportCasparcg) },
  ersatztv: { channel: exportErsatzTv }
}

const isScheduleFormat = (value: string): value is ScheduleExportFormat => (SCHEDULE_EXPORT_FORMATS as readonly string[]).includes(value)

/**
 * The document for `schedules`: one element for a single-schedule export, every schedule
 * for "export all" (an empty list exports as "all"). Throws BAD_REQUEST for a format it
 * does not know or a request the format cannot answer (e.g. an ffplayout day with no events).
 */
export function exportSchedules (format: ScheduleExportFormat, schedules: ExportSchedule[], options: ExportOptions = {}): ExportedDocument {
  if (!isScheduleFormat(format)) {
    throw new CommandError('BAD_REQUEST', `unknown export format "${String(format)}"; one of ${SCHEDULE_EXPORT_FORMATS.join(', ')}`)
  }
  return EXPORTERS[format].schedule(schedules.map(exportable), options)
}

/** One channel's document: its events as read for the format's span (a day format's from its day's start to a day past its end). */
export function exportChannel (format: ChannelExportFormat, data: ChannelWithEvents, options: ChannelExportOptions): ExportedDocument {
  return EXPORTERS[format].channel(data, options)
}

/** Every text and URL as an export may write it (below). */
const exportable = (schedule: ExportSchedule): ExportSchedule => withCleanText(withMediaUrlsOnly(schedule))

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
      ? {
          ...e,
          title: cleanText(e.title),
          category: clean(e.category),
          description: clean(e.description, true),
          channel: clean(e.channel),
          tags: e.tags.map((t) => cleanText(t))
        }
      : e)
  }
}
