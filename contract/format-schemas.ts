import { Type, type Static } from '@sinclair/typebox'
import {
  CHANNEL_EXPORT_FORMATS, DEFAULT_CHANNEL_EXPORT, DEFAULT_SCHEDULE_EXPORT, DOCUMENT_TYPES, EXPORT_FORMATS, EXPORT_SPANS,
  EXPORT_TARGETS, IMPORT_FORMAT_IDS, IMPORT_FORMATS,
  SCHEDULE_EXPORT_FORMATS, SCHEDULE_SOURCES, formatList,
  type ChannelExportFormat, type ExportFormat, type ImportFormat, type ScheduleExportFormat, type ScheduleSource
} from './formats.js'

// The schemas of contract/formats.ts's descriptors: the routes' format enums, and the /api/meta
// answer the panel builds its export buttons and import choices from. Apart from formats.ts
// because worker code reads the descriptors and must not load TypeBox.

/** In answers, an enum, not a union of literals: the serializer writes it as a plain string. */
const stringEnum = <T extends string>(values: readonly T[], options: { description?: string, default?: T } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options })

/** In requests, a union of literals: the routes' validator (TypeBox's compiler) knows no Unsafe. */
const oneOfLiterals = <T extends string>(values: readonly T[], options: { description?: string, default?: T } = {}) =>
  Type.Union(values.map((v) => Type.Literal(v)), options)

export const ScheduleExportFormatSchema = oneOfLiterals<ScheduleExportFormat>(SCHEDULE_EXPORT_FORMATS, {
  description: `document format: ${formatList(SCHEDULE_EXPORT_FORMATS)}`,
  default: DEFAULT_SCHEDULE_EXPORT
})
export const ChannelExportFormatSchema = oneOfLiterals<ChannelExportFormat>(CHANNEL_EXPORT_FORMATS, {
  description: `document format: ${formatList(CHANNEL_EXPORT_FORMATS)}`,
  default: DEFAULT_CHANNEL_EXPORT
})
export const ImportFormatSchema = oneOfLiterals<ImportFormat>(IMPORT_FORMAT_IDS, { description: 'the document\'s format (default: detected from its content)' })
export const ScheduleSourceSchema = stringEnum<ScheduleSource>(SCHEDULE_SOURCES)

export const ExportFormatDescriptorSchema = Type.Object({
  id: stringEnum<ExportFormat>(Object.keys(EXPORT_FORMATS) as ExportFormat[]),
  label: Type.String(),
  targets: Type.Array(stringEnum(EXPORT_TARGETS)),
  span: stringEnum(EXPORT_SPANS, { description: 'range: from/to; day: one local day, date=YYYY-MM-DD' }),
  media_type: stringEnum(DOCUMENT_TYPES),
  extension: Type.String(),
  description: Type.String()
})

export const ImportFormatDescriptorSchema = Type.Object({
  id: stringEnum<ImportFormat>(IMPORT_FORMAT_IDS),
  label: Type.String(),
  extensions: Type.Array(Type.String()),
  media_types: Type.Array(Type.String())
})

export const MetaSchema = Type.Object({
  export_formats: Type.Array(ExportFormatDescriptorSchema, { description: 'every export format, in the order to offer them' }),
  import_formats: Type.Array(ImportFormatDescriptorSchema),
  defaults: Type.Object({ schedule_export: Type.String(), channel_export: Type.String() })
}, { description: 'The document formats this service reads and writes (contract/formats.ts)' })
export type Meta = Static<typeof MetaSchema>

/** The /api/meta answer: the descriptors as they are, with their ids. */
export const META: Meta = {
  export_formats: (Object.keys(EXPORT_FORMATS) as ExportFormat[]).map((id) => ({ id, ...EXPORT_FORMATS[id], targets: [...EXPORT_FORMATS[id].targets] })),
  import_formats: IMPORT_FORMAT_IDS.map((id) => ({
    id,
    ...IMPORT_FORMATS[id],
    extensions: [...IMPORT_FORMATS[id].extensions],
    media_types: [...IMPORT_FORMATS[id].media_types]
  })),
  defaults: { schedule_export: DEFAULT_SCHEDULE_EXPORT, channel_export: DEFAULT_CHANNEL_EXPORT }
}
