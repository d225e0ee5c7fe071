// Every document format, written once (issue 22): what each export and import format is, as
// plain values with no imports, so worker code reads them without loading TypeBox
// (test/worker-imports.test.ts). contract/format-schemas.ts derives the route enums, the
// OpenAPI and the /api/meta answer from them; the panel reads /api/meta; the exporters are a
// record keyed by ExportFormat (workers/schedule/export/index.ts), so a format described here
// without an exporter, or with one for a target it does not declare, fails to compile.

/** The media types documents are sent in (with their charset): every export format's, and the playlists' M3U. */
export const DOCUMENT_TYPES = ['application/xml; charset=utf-8', 'application/json; charset=utf-8', 'audio/x-mpegurl; charset=utf-8'] as const
export type DocumentType = typeof DOCUMENT_TYPES[number]

const [XML, JSON_TYPE, M3U] = DOCUMENT_TYPES

/** A worker's exported document: sent as `body` with `content_type`, named `filename` (not JSON to the client). */
export interface ExportedDocument {
  content_type: DocumentType
  filename: string
  body: string
}

/** What a format exports: schedules (/api/schedules/:id/export), channels (/api/channels/:id/export), or both. */
export const EXPORT_TARGETS = ['schedule', 'channel'] as const
export type ExportTarget = typeof EXPORT_TARGETS[number]

/** `range`: the events between from and to; `day`: one local day (`date=YYYY-MM-DD`), a playout engine's daily playlist. */
export const EXPORT_SPANS = ['range', 'day'] as const
export type ExportSpan = typeof EXPORT_SPANS[number]

export interface ExportFormatDescriptor {
  /** What the panel's button says. */
  label: string
  targets: readonly ExportTarget[]
  span: ExportSpan
  media_type: DocumentType
  /** The file name's ending: `<name>.<extension>` (a day format names its file after the day). */
  extension: string
  /** What reads it, for the API docs. */
  description: string
}

/** Every export format, in the order the panel and the docs list them. */
export const EXPORT_FORMATS = {
  xml: { label: 'Native XML', targets: ['schedule'], span: 'range', media_type: XML, extension: 'xml', description: 'ScheduleFlow\'s own XML; re-imports to the same events' },
  json: { label: 'JSON', targets: ['schedule'], span: 'range', media_type: JSON_TYPE, extension: 'json', description: 'ScheduleFlow\'s own JSON; re-imports to the same events' },
  xmltv: { label: 'XMLTV guide', targets: ['schedule', 'channel'], span: 'range', media_type: XML, extension: 'xmltv.xml', description: 'the programme guide EPG clients read (valid against the XMLTV DTD)' },
  m3u: { label: 'M3U playlist', targets: ['schedule', 'channel'], span: 'range', media_type: M3U, extension: 'm3u', description: 'one entry per event in air order, for players' },
  ffplayout: { label: 'ffplayout (one day)', targets: ['schedule', 'channel'], span: 'day', media_type: JSON_TYPE, extension: 'json', description: 'ffplayout\'s daily JSON playlist' },
  casparcg: { label: 'CasparCG rundown', targets: ['schedule', 'channel'], span: 'range', media_type: XML, extension: 'casparcg.xml', description: 'a rundown CasparCG clients load' },
  ersatztv: { label: 'ErsatzTV Next (one day)', targets: ['channel'], span: 'day', media_type: JSON_TYPE, extension: 'json', description: 'an ErsatzTV Next playout file' }
} as const satisfies Record<string, ExportFormatDescriptor>

export type ExportFormat = keyof typeof EXPORT_FORMATS
type FormatsFor<T extends ExportTarget> = { [F in ExportFormat]: T extends typeof EXPORT_FORMATS[F]['targets'][number] ? F : never }[ExportFormat]
export type ScheduleExportFormat = FormatsFor<'schedule'>
export type ChannelExportFormat = FormatsFor<'channel'>
/** The formats whose document is one local day. */
export type DayExportFormat = { [F in ExportFormat]: typeof EXPORT_FORMATS[F]['span'] extends 'day' ? F : never }[ExportFormat]

const formatsFor = <T extends ExportTarget>(target: T): Array<FormatsFor<T>> =>
  (Object.keys(EXPORT_FORMATS) as ExportFormat[]).filter((f) => (EXPORT_FORMATS[f].targets as readonly ExportTarget[]).includes(target)) as Array<FormatsFor<T>>

export const SCHEDULE_EXPORT_FORMATS: readonly ScheduleExportFormat[] = Object.freeze(formatsFor('schedule'))
export const CHANNEL_EXPORT_FORMATS: readonly ChannelExportFormat[] = Object.freeze(formatsFor('channel'))
export const DEFAULT_SCHEDULE_EXPORT: ScheduleExportFormat = 'xml'
export const DEFAULT_CHANNEL_EXPORT: ChannelExportFormat = 'xmltv'

/** "xml, json, … or casparcg", with "(one day)" after a day format: for summaries and usage lines. */
export function formatList (formats: readonly ExportFormat[]): string {
  const named = formats.map((f) => EXPORT_FORMATS[f].span === 'day' ? `${f} (one day)` : f)
  return named.length < 2 ? named.join('') : `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`
}

/** The media types the formats' documents are sent in, each once: what an export route documents. */
export const mediaTypesOf = (formats: readonly ExportFormat[]): DocumentType[] => [...new Set(formats.map((f) => EXPORT_FORMATS[f].media_type))]

export interface ImportFormatDescriptor {
  label: string
  /** What a file picker offers: file name endings and media types. */
  extensions: readonly string[]
  media_types: readonly string[]
}

/** The schedule import formats (SPEC §3), each also detected from content when none is given. */
export const IMPORT_FORMATS = {
  xml: { label: 'Native XML', extensions: ['.xml'], media_types: ['application/xml', 'text/xml'] },
  json: { label: 'JSON', extensions: ['.json'], media_types: ['application/json'] },
  xmltv: { label: 'XMLTV', extensions: ['.xmltv', '.xml'], media_types: ['application/xml', 'text/xml'] }
} as const satisfies Record<string, ImportFormatDescriptor>

export type ImportFormat = keyof typeof IMPORT_FORMATS
export const IMPORT_FORMAT_IDS: readonly ImportFormat[] = Object.freeze(Object.keys(IMPORT_FORMATS) as ImportFormat[])

/** Where a schedule came from: one of the import formats, or an auto-fill. Stored (a CHECK in the schema): a new import format needs a migration too. */
export const SCHEDULE_SOURCES = [...IMPORT_FORMAT_IDS, 'auto-fill'] as const
export type ScheduleSource = ImportFormat | 'auto-fill'
