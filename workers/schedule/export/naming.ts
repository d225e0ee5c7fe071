import type { ExportOptions, ExportSchedule } from './types.js'

/**
 * A file-name-safe form of a schedule name: ASCII lowercase letters and digits, runs of
 * anything else as one `-`. Accents are folded first so "Café" gives "cafe"; a name with
 * nothing left (e.g. all Japanese) falls back to `fallback`.
 */
export function slug (name: string, fallback = 'schedule'): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  const dashed = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
  const cut = dashed.slice(0, 60).replace(/-+$/, '')
  return cut === '' ? fallback : cut
}

/** One schedule asked for by id, rather than an export of all (however many there are). */
export const isSingle = (schedules: ExportSchedule[], options: ExportOptions): boolean => schedules.length === 1 && options.all !== true

/** `<slug>.<extension>` for one schedule, `schedules-all.<extension>` for an export of all of them. */
export function documentFileName (schedules: ExportSchedule[], extension: string, options: ExportOptions): string {
  const base = isSingle(schedules, options) ? slug(schedules[0].name) : 'schedules-all'
  return `${base}.${extension}`
}
