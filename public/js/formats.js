// @ts-check
// The document formats as the service describes them (GET /api/meta, from contract/formats.ts):
// the export buttons and the import choices are built from it, so a format added there shows
// here with no panel edit. Fetched once per page load; a failed fetch is tried again next time.
import { api } from './api.js'

/** @typedef {import('../../contract/format-schemas.js').Meta} Meta */
/** @typedef {Meta['export_formats'][number]} ExportFormatDescriptor */
/** @typedef {Meta['import_formats'][number]} ImportFormatDescriptor */

/** @type {Promise<Meta> | null} */
let meta = null

/** The /api/meta answer: the export formats (id, label, targets, span, …) and the import formats (id, label, extensions, media types). */
export function formats () {
  meta ??= api('/api/meta').catch((err) => {
    meta = null
    throw err
  })
  return meta
}

/**
 * The export formats of a target, in the order to offer them.
 * @param {'schedule' | 'channel'} target
 * @returns {Promise<ExportFormatDescriptor[]>}
 */
export const exportFormats = async (target) => (await formats()).export_formats.filter((f) => f.targets.includes(target))

/**
 * What a file picker for schedule imports accepts: every import format's file endings and media types.
 * @param {ImportFormatDescriptor[]} importFormats
 */
export const importAccept = (importFormats) => [...new Set(importFormats.flatMap((f) => [...f.extensions, ...f.media_types]))].join(',')

/**
 * "Native XML, JSON or XMLTV".
 * @param {ImportFormatDescriptor[]} importFormats
 */
export function importNames (importFormats) {
  const labels = importFormats.map((f) => f.label)
  return labels.length < 2 ? labels.join('') : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`
}
