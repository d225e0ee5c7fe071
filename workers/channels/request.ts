import { isValidTimezone, parseInstant } from '../schedule/time.js'
import { mediaUrlProblem } from '../media-url.js'
import { bodyProblems } from '../body-problems.js'
import { isObject } from '../json.js'
import { checkBuildRequest, checkChannelCreate, checkChannelPatch, checkOverride, checkOverridePatch, checkTemplate } from '../generated/body-checks.js'
import type { BuildRequest, ChannelCreate, ChannelPatch, OverrideCreate, OverrideEvent } from '../../contract/api.js'
import { CHANNEL_NUMBER_PATTERN, DEFAULT_COOLDOWN_HOURS, DEFAULT_OVERRIDE_REPLACE, MAX_BUILD_DAYS, WEEKDAYS } from '../../contract/limits.js'
import { daysBetween, isLocalDate } from './wall-time.js'
import type { Block, FixedEvent, Override, Template, Weekday } from './types.js'
import { Problems } from './problems.js'
import { fillerSource, kindNameOf, kindOf } from './source-kinds/index.js'

export { Problems }

// The channel bodies (SPEC §11) read and checked in one pass: every problem is named by its
// field (`blocks.2.end`, `events.0.start`, …) and the whole body is refused with all of them,
// so nothing is half-stored. Shapes, types, ranges and unknown fields are the contract's
// schemas, compiled at build (workers/generated/body-checks.ts); what follows is what a schema
// cannot say: a real time zone and calendar date, overlaps and duplicate ids between blocks,
// media URLs, and the sources a body names (playlists, collections: each kind's check in
// source-kinds/), collected as references the command looks up in the store.

/** The problems a generated check finds in `body`, with its reading started from them. */
function checked (check: Parameters<typeof bodyProblems>[0], body: unknown): Problems {
  const p = new Problems()
  for (const problem of bodyProblems(check, body)) p.list.push(problem)
  return p
}

const NUMBER = new RegExp(CHANNEL_NUMBER_PATTERN)
/** A channel number such as 7 or 7.1, as a channel takes it. */
export const isChannelNumber = (text: string): boolean => NUMBER.test(text)
const WEEK_MINUTES = 7 * 24 * 60

/** A media URL field (SPEC §12), when the schema passed it as text. */
export function urlField (p: Problems, value: unknown, path: string): void {
  if (typeof value !== 'string' || p.at(path)) return
  const problem = mediaUrlProblem(value)
  if (problem !== null) p.add(path, problem)
}

function channelFields (p: Problems, body: ChannelPatch): ChannelPatch {
  if (typeof body.name === 'string' && body.name.trim() === '' && !p.at('name')) p.add('name', 'must not be empty')
  if (typeof body.timezone === 'string' && !p.at('timezone') && !isValidTimezone(body.timezone)) p.add('timezone', `"${body.timezone}" is not an IANA time zone (e.g. Europe/London)`)
  urlField(p, body.stream_url, 'stream_url')
  if (typeof body.default_filler === 'string' && !p.at('default_filler')) checkFiller(p, body.default_filler, 'default_filler')
  return typeof body.name === 'string' ? { ...body, name: body.name.trim() } : { ...body }
}

export function readChannelCreate (body: unknown): { channel: ChannelCreate, problems: Problems } {
  const p = checked(checkChannelCreate, body)
  if (!isObject(body)) return { channel: {} as unknown as ChannelCreate, problems: p }
  return { channel: channelFields(p, body as ChannelCreate) as ChannelCreate, problems: p }
}

export function readChannelPatch (body: unknown): { patch: ChannelPatch, problems: Problems } {
  const p = checked(checkChannelPatch, body)
  if (!isObject(body)) return { patch: {}, problems: p }
  return { patch: channelFields(p, body as ChannelPatch), problems: p }
}

const minutesOf = (wall: string): number => Number(wall.slice(0, 2)) * 60 + Number(wall.slice(3, 5))

/** A filler a body names (a playlist id, or a collection id: it has ':'), checked by its kind. */
function checkFiller (p: Problems, id: string, field: string): void {
  const source = fillerSource(id)
  kindOf(source).check(p, source, field)
}

/** The block's cross-field rules and the sources it names, each where the schema passed the fields it reads. */
function readBlock (p: Problems, b: Block, path: string): void {
  const clean = (...fields: string[]): boolean => !fields.some((f) => p.at(`${path}.${f}`))
  if (clean('start', 'end') && b.start === b.end) p.add(`${path}.end`, 'equal to start: a block needs a length (an end before the start runs past midnight)')
  if (clean('source')) kindOf(b.source).check(p, b.source, `${path}.source.${kindNameOf(b.source)}`)
  else {
    const source: unknown = b.source
    const item = isObject(source) ? source.item : undefined
    if (isObject(item)) urlField(p, item.url, `${path}.source.item.url`)
  }
  if (clean('filler') && typeof b.filler === 'string') checkFiller(p, b.filler, `${path}.filler`)
  if (clean('breaks') && b.breaks !== undefined && b.breaks !== null) {
    const breaks = b.breaks
    checkFiller(p, breaks.filler, `${path}.breaks.filler`)
    for (const f of ['bumper_in', 'bumper_out'] as const) if (typeof breaks[f] === 'string') checkFiller(p, breaks[f], `${path}.breaks.${f}`)
  }
}

interface Placed { index: number, id: string, day: Weekday, start: number, end: number, wall: string }

/** Blocks that overlap within a day, on the circular week (Sun 23:00–01:00 meets Mon 00:30): each pair named once. */
function refuseOverlaps (p: Problems, blocks: Block[], path: string, indexes: number[]): void {
  const placed: Placed[] = []
  blocks.forEach((b, i) => {
    const start = minutesOf(b.start)
    const end = minutesOf(b.end)
    const length = end > start ? end - start : end + 1440 - start
    for (const day of b.days) {
      const s = WEEKDAYS.indexOf(day) * 1440 + start
      placed.push({ index: indexes[i], id: b.id, day, start: s, end: s + length, wall: `${day} ${b.start}–${b.end}` })
    }
  })
  const said = new Set<string>()
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i]
      const b = placed[j]
      if (a.index === b.index) continue
      const hit = [-WEEK_MINUTES, 0, WEEK_MINUTES].some((shift) => a.start < b.end + shift && b.start + shift < a.end)
      const pair = `${Math.min(a.index, b.index)}/${Math.max(a.index, b.index)}`
      if (!hit || said.has(pair)) continue
      said.add(pair)
      const later = a.index > b.index ? a : b
      const earlier = later === a ? b : a
      p.add(`${path}.${later.index}`, `block "${later.id}" (${later.wall}) overlaps block "${earlier.id}" (${earlier.wall})`)
    }
  }
}

/** Blocks of a template or an override: ids unique, each block's rules, none overlapping within a day. The good ones. */
function readBlocks (p: Problems, raw: unknown, path: string): Block[] {
  if (!Array.isArray(raw) || p.list.some((x) => x.field === path)) return []
  const blocks: Block[] = []
  const indexes: number[] = []
  const ids = new Map<string, number>()
  raw.forEach((b: Block, i) => {
    const at = `${path}.${i}`
    if (typeof b?.id === 'string') {
      if (ids.has(b.id)) p.add(`${at}.id`, `"${b.id}" is the id of block ${ids.get(b.id)!} too`)
      else ids.set(b.id, i)
    }
    if (!isObject(b)) return
    const before = p.at(at)
    readBlock(p, b, at)
    if (before) return
    if (!p.at(at)) { blocks.push(b); indexes.push(i) }
  })
  refuseOverlaps(p, blocks, path, indexes)
  return blocks
}

export function readTemplate (body: unknown): { template: Template, problems: Problems } {
  const p = checked(checkTemplate, body)
  if (!isObject(body)) return { template: { blocks: [] }, problems: p }
  const given = body as Template
  const blocks = readBlocks(p, given.blocks, 'blocks')
  const byCategory = given.cooldown_by_category !== undefined && !p.at('cooldown_by_category') && { cooldown_by_category: given.cooldown_by_category }
  return { template: { cooldown_hours: given.cooldown_hours ?? DEFAULT_COOLDOWN_HOURS, ...byCategory, blocks }, problems: p }
}

export function readOverride (body: unknown, zone: string): { override: Omit<Override, 'id' | 'seq'>, problems: Problems } {
  const p = checked(checkOverride, body)
  const empty = { name: '', from: '', to: '', days: null, replace: DEFAULT_OVERRIDE_REPLACE, blocks: [], events: [] }
  if (!isObject(body)) return { override: empty, problems: p }
  const given = body as OverrideCreate
  const { from, to } = given
  for (const f of ['from', 'to'] as const) if (typeof given[f] === 'string' && !p.at(f) && !isLocalDate(given[f])) p.add(f, 'a local date YYYY-MM-DD')
  if (!p.at('from') && !p.at('to') && to < from) p.add('to', `${to} is before from (${from}): the dates are reversed`)
  const days = Array.isArray(given.days) ? [...new Set(given.days)] : null
  const blocks = readBlocks(p, given.blocks ?? [], 'blocks')
  const events: FixedEvent[] = []
  if (Array.isArray(given.events) && !p.list.some((x) => x.field === 'events')) {
    given.events.forEach((raw, i) => { const e = readFixedEvent(p, raw, `events.${i}`, zone); if (e !== null) events.push(e) })
  }
  if (blocks.length === 0 && events.length === 0 && !p.at('blocks') && !p.at('events')) p.add('blocks', 'an override needs blocks or events')
  events.sort((a, b) => a.start - b.start)
  for (let i = 1; i < events.length; i++) {
    if (events[i].start < events[i - 1].end) p.add('events', `fixed events "${events[i - 1].title}" and "${events[i].title}" overlap`)
  }
  return { override: { name: given.name ?? '', from, to, days, replace: given.replace ?? DEFAULT_OVERRIDE_REPLACE, blocks, events }, problems: p }
}

/**
 * A JSON merge patch of a stored override (SPEC §14): its shape checked as the create's fields,
 * each optional (`blocks` and `events` replace the stored ones whole), then the override it makes
 * read whole as a create is, so a patch can make nothing a create could not.
 */
export function readOverridePatch (body: unknown, stored: Omit<Override, 'id' | 'seq'>, zone: string): { override: Omit<Override, 'id' | 'seq'>, problems: Problems } {
  const p = checked(checkOverridePatch, body)
  if (!isObject(body) || p.list.length > 0) return { override: stored, problems: p }
  const { name, from, to, days, replace, blocks, events } = stored
  const asStored = events.map((e) => ({ ...e, start: new Date(e.start).toISOString(), end: new Date(e.end).toISOString() }))
  return readOverride({ name, from, to, days, replace, blocks, events: asStored, ...body }, zone)
}

/** An event's instants, read in the channel's zone; the schema passed its shape. */
function readFixedEvent (p: Problems, raw: OverrideEvent, path: string, zone: string): FixedEvent | null {
  if (p.at(path)) return null
  const instant = (f: 'start' | 'end'): number | null => {
    const ms = parseInstant(raw[f], zone)
    if (ms === null) p.add(`${path}.${f}`, 'an ISO 8601 date-time (naive times are read in the channel\'s zone)')
    return ms
  }
  const start = instant('start')
  const end = instant('end')
  if (start !== null && end !== null && end <= start) p.add(`${path}.end`, 'not after start')
  urlField(p, raw.video_url, `${path}.video_url`)
  if (p.at(path)) return null
  return { title: raw.title, start: start!, end: end!, video_url: raw.video_url ?? null, category: raw.category ?? null, description: raw.description ?? null }
}

/** `programmes`: a dry run also answers its programmes in brief (a build that stores ignores it). */
export interface BuildPlan { from: string, to: string, seed: string, dryRun: boolean, programmes?: boolean, freezeHours: number }

export function readBuildRequest (body: unknown, fallbackSeed: string): BuildPlan {
  const p = checked(checkBuildRequest, body)
  if (!isObject(body)) p.refuse('the build request')
  const given = body as BuildRequest
  const { from, to } = given
  for (const f of ['from', 'to'] as const) if (!p.at(f) && !isLocalDate(given[f])) p.add(f, 'a local date of the channel, YYYY-MM-DD')
  if (!p.at('from') && !p.at('to')) {
    const span = daysBetween(from, to)
    if (span < 0) p.add('to', `${to} is before from (${from})`)
    else if (span >= MAX_BUILD_DAYS) p.add('to', `a build covers at most ${MAX_BUILD_DAYS} days; ${from}…${to} is ${span + 1}`)
  }
  p.refuse('the build request')
  const seed = given.seed === undefined ? fallbackSeed : String(given.seed)
  return { from, to, seed, dryRun: given.dry_run === true, programmes: given.programmes === true, freezeHours: given.freeze_hours ?? 0 }
}
