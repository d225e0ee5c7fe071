import { luxon } from '../schedule/time.js'
import type { Block, Template } from '../../contract/channels.js'
import type { BuildFacts, ChannelSettings } from '../../contract/editing.js'
import type { StoredOverride } from '../storage/channels.js'
import type { EventChangeRows, EventRow } from './plan.js'

// What a history entry says in words (SPEC §14): "Harbour Lights S02E04 moved 20:00 → 20:10",
// "built 2026-12-04 – 2026-12-17 (seed abc): 1,131 events, replaced 980", "block films-day: end
// 19:00 → 18:30", "override Boat Race added", "name: Riverside → Riverside TV". Times are in the
// timeline's zone (a channel's own). A long list names a few and counts the rest.

/** How many things a summary names before "and N more". */
const NAMED = 3

/** The first few phrases, then how many more. */
export function listed (phrases: readonly string[], none: string, named = NAMED): string {
  if (phrases.length === 0) return none
  const shown = phrases.slice(0, named).join('; ')
  return phrases.length > named ? `${shown}; and ${phrases.length - named} more` : shown
}

/** 1131 → "1,131", whatever the process's locale. */
export const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`

function localParts (ms: number, zone: string): { date: string, time: string } {
  const t = luxon().DateTime.fromMillis(ms, { zone })
  return { date: t.toISODate() ?? '', time: t.toFormat(t.second === 0 && t.millisecond === 0 ? 'HH:mm' : 'HH:mm:ss') }
}

/** "20:00", or "2026-03-03 00:10" when `ms` is on another local day than `beside`. */
function clock (ms: number, zone: string, beside?: number): string {
  const here = localParts(ms, zone)
  return beside === undefined || localParts(beside, zone).date === here.date ? here.time : `${here.date} ${here.time}`
}

/** "2026-03-02 20:00–20:30". */
function span (start: number, end: number, zone: string): string {
  return `${localParts(start, zone).date} ${clock(start, zone)}–${clock(end, zone, start)}`
}

/** A programme's rows (its segments), or an event alone: what one phrase names. */
interface Unit { title: string, start: number, end: number }
function unitOf (rows: readonly EventRow[]): Unit {
  const titled = rows.find((r) => r.segment_role === 'part') ?? rows[0]
  return { title: titled.title, start: Math.min(...rows.map((r) => r.start_ms)), end: Math.max(...rows.map((r) => r.end_ms)) }
}

function grouped<T> (items: readonly T[], row: (item: T) => EventRow): T[][] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const r = row(item)
    const key = r.programme_id ?? r.id
    const group = groups.get(key) ?? groups.set(key, []).get(key)!
    group.push(item)
  }
  return [...groups.values()]
}

/** One changed event (or programme): what happened to it. */
function changedPhrase (pairs: ReadonlyArray<{ before: EventRow, after: EventRow }>, zone: string): string {
  const before = unitOf(pairs.map((p) => p.before))
  const after = unitOf(pairs.map((p) => p.after))
  const what: string[] = []
  const moved = before.start !== after.start
  const resized = before.end - before.start !== after.end - after.start
  if (moved && !resized) what.push(`moved ${clock(before.start, zone)} → ${clock(after.start, zone, before.start)}`)
  else if (resized) {
    const was = `${clock(before.start, zone)}–${clock(before.end, zone, before.start)}`
    what.push(`${moved ? 'moved and resized' : 'resized'} ${was} → ${clock(after.start, zone, before.start)}–${clock(after.end, zone, after.start)}`)
  }
  if (before.title !== after.title) what.push(`retitled "${after.title}"`)
  const first = pairs[0]
  if (first.before.pinned !== first.after.pinned) what.push(first.after.pinned === 1 ? 'pinned' : 'unpinned')
  for (const field of ['category', 'video_url', 'description'] as const) {
    if (pairs.some((p) => p.before[field] !== p.after[field])) what.push(`${field.replace('_', ' ')} changed`)
  }
  return `${before.title} ${what.length === 0 ? 'changed' : what.join(', ')}`
}

/**
 * An edit in words: each event (or programme: its segments together) added, deleted, moved,
 * resized, retitled; the events a ripple shifted (`rippled`) counted, not named.
 */
export function describeEdit (changes: EventChangeRows, zone: string, rippled: ReadonlySet<string> = new Set()): string {
  const own = changes.changed.filter((c) => !rippled.has(c.after.id))
  const shifted = grouped(changes.changed.filter((c) => rippled.has(c.after.id)), (c) => c.after).length
  const phrases = [
    ...grouped(own, (c) => c.after).map((pairs) => changedPhrase(pairs, zone)),
    ...grouped(changes.added, (r) => r).map((rows) => { const u = unitOf(rows); return `${u.title} added ${span(u.start, u.end, zone)}` }),
    ...grouped(changes.removed, (r) => r).map((rows) => { const u = unitOf(rows); return `${u.title} deleted (${span(u.start, u.end, zone)})` })
  ]
  const ripple = shifted === 0 ? [] : [`${plural(shifted, 'event')} moved by a ripple`]
  return [listed(phrases, ripple.length === 0 ? 'no change' : ''), ...ripple].filter((p) => p !== '').join('; ')
}

export const describeBuild = (b: BuildFacts): string =>
  `built ${b.from === b.to ? b.from : `${b.from} – ${b.to}`} (seed ${b.seed}): ${plural(b.events, 'event')}, replaced ${count(b.replaced)}`

/** A setting's value in a summary: "none" for nothing, lists joined, objects named as changed by the caller. */
function shown (value: unknown): string {
  if (value === null || value === undefined) return 'none'
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object') ? value.join(',') : `${value.length}`
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** "end 19:00 → 18:30" for each field that differs; objects (a source, breaks) are said to have changed. */
function fieldChanges (before: Record<string, unknown>, after: Record<string, unknown>, fields?: readonly string[], colon = ''): string[] {
  const names = fields ?? [...new Set([...Object.keys(before), ...Object.keys(after)])]
  return names.flatMap((f) => {
    const was = before[f]
    const now = after[f]
    if (JSON.stringify(was ?? null) === JSON.stringify(now ?? null)) return []
    const structured = [was, now].some((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
    return [structured ? `${f} changed` : `${f.replace(/_/g, ' ')}${colon} ${shown(was)} → ${shown(now)}`]
  })
}

/** A template PUT: cooldown, then blocks by id (added, removed, each changed field). */
export function describeTemplate (before: Template, after: Template): string {
  const phrases: string[] = []
  if ((before.cooldown_hours ?? null) !== (after.cooldown_hours ?? null)) phrases.push(`cooldown ${shown(before.cooldown_hours)} h → ${shown(after.cooldown_hours)} h`)
  const was = new Map(before.blocks.map((b) => [b.id, b]))
  const now = new Map(after.blocks.map((b) => [b.id, b]))
  for (const block of after.blocks) {
    const old = was.get(block.id)
    if (old === undefined) { phrases.push(`block ${block.id} added (${block.days.join(',')} ${block.start}–${block.end})`); continue }
    const fields = fieldChanges(old as Block & Record<string, unknown>, block as Block & Record<string, unknown>)
    if (fields.length > 0) phrases.push(`block ${block.id}: ${fields.join(', ')}`)
  }
  for (const block of before.blocks) if (!now.has(block.id)) phrases.push(`block ${block.id} removed`)
  return listed(phrases, 'template saved unchanged', 4)
}

const OVERRIDE_FIELDS = ['name', 'from', 'to', 'days'] as const

/** An override added, changed (each field; blocks and events by count) or deleted. */
export function describeOverride (before: StoredOverride | null, after: StoredOverride | null): string {
  if (before === null && after !== null) return `override ${after.name} added (${after.from === after.to ? after.from : `${after.from} – ${after.to}`})`
  if (before === null) return 'no change'
  if (after === null) return `override ${before.name} deleted`
  const fields = fieldChanges(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, OVERRIDE_FIELDS)
  for (const part of ['blocks', 'events'] as const) {
    if (JSON.stringify(before[part]) === JSON.stringify(after[part])) continue
    fields.push(before[part].length === after[part].length ? `${part} changed` : `${part} ${before[part].length} → ${after[part].length}`)
  }
  return `override ${before.name} changed: ${fields.length === 0 ? 'nothing' : fields.join(', ')}`
}

/** A channel PATCH: each field changed. */
export const describeChannel = (before: ChannelSettings, after: ChannelSettings): string =>
  listed(fieldChanges(before, after, undefined, ':'), 'channel saved unchanged', 6)
