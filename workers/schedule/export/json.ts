import { documentFileName, isSingle } from './naming.js'
import { nativeDocument } from './native.js'
import type { Exporter } from './types.js'

/**
 * `{ metadata, schedule: [...] }` for one schedule, `{ schedules: [ that, ... ] }` for all.
 * Absent optional fields are written as null, so every event has the same keys.
 */
export const exportJson: Exporter = (schedules, options) => {
  const documents = schedules.map(nativeDocument)
  const value = isSingle(schedules, options) ? documents[0] : { schedules: documents }
  return {
    content_type: 'application/json; charset=utf-8',
    filename: documentFileName(schedules, 'json', options),
    body: JSON.stringify(value, null, 2) + '\n'
  }
}
