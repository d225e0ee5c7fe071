import { CommandError } from '../../contract/command-error.js'
import type { ProblemDetail } from '../../contract/common.js'
import { isValidTimezone, parseInstant } from '../schedule/time.js'
import { mediaUrlProblem } from '../media-url.js'
import { isObject } from '../json.js'
import { textProblem } from '../text.js'
import type { BuildRequest, ChannelCreate, ChannelPatch } from '../../contract/api.js'
import { MAX_BUILD_DAYS, WEEKDAYS } from '../../contract/limits.js'
import { daysBetween, isLocalDate } from './wall-time.js'
import type { Block, Breaks, FixedEvent, Override, Template, Weekday } from './types.js'

// The channel bodies (SPEC §11) read and checked in one pass: every problem is named by its
// field (`blocks.2.end`, `events.0.start`, …) and the whole body is refused with all of them,
// so nothing is half-stored. The API's schemas only document these bodies; this is the check.
// Playlists a body names are collected as references: the command looks them up in the store.

/** A playlist (or one of its groups) a body names, checked against the store by the command. */
export interface PlaylistReference { field: string, playlist: string, group?: string }

export class Problems {
  readonly list: ProblemDetail[] = []
  readonly references: PlaylistReference[] = []
  add (field: string, message: string): void { this.list.push({ field, message }) }
  /** Throws VALIDATION_FAILED naming every problem, if there is one. */
  refuse (what: string): void {
    if (this.list.length === 0) return
    const first = this.list[0]
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : ''
    throw new CommandError('VALIDATION_FAILED', `${what}: ${first.field}: ${first.message}${more}`, this.list)
  }
}

const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const NUMBER = /^\d{1,5}(\.\d{1,3})?$/
/** A channel number such as 7 or 7.1, as a channel takes it. */
export const isChannelNumber = (text: string): boolean => NUMBER.test(text)
const MAX_TEXT = 500
const MAX_BLOCKS = 500
const MAX_FIXED_EVENTS = 1000
const WEEK_MINUTES = 7 * 24 * 60

/**
 * A text field of a body: its type, length and characters checked (SPEC §12: no control
 * characters; line breaks only where `multiline`, an event's description).
 */
export function text (p: Problems, body: Record<string, unknown>, field: string, path: string, o: { required?: boolean, nullable?: boolean, max?: number, multiline?: boolean } = {}): string | null | undefined {
  const v = body[field]
  if (v === undefined) {
    if (o.required === true) p.add(path, 'required')
    return undefined
  }
  if (v === null && o.nullable === true) return null
  if (typeof v !== 'string') { p.add(path, o.nullable === true ? 'must be a string or null' : 'must be a string'); return undefined }
  if (o.required === true && v.trim() === '') { p.add(path, 'must not be empty'); return undefined }
  if (v.length > (o.max ?? MAX_TEXT)) { p.add(path, `at most ${o.max ?? MAX_TEXT} characters`); return undefined }
  const problem = textProblem(v, o.multiline)
  if (problem !== null) { p.add(path, problem); return undefined }
  return v
}

export function unknownFields (p: Problems, body: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) p.add(`${prefix}${key}`, 'not a field of this body')
}

export function urlField (p: Problems, value: string | null | undefined, path: string): void {
  if (typeof value !== 'string') return
  const problem = mediaUrlProblem(value)
  if (problem !== null) p.add(path, problem)
}

const CHANNEL_FIELDS = ['number', 'name', 'timezone', 'xmltv_id', 'logo', 'group', 'stream_url', 'default_filler'] as const

function channelFields (p: Problems, body: Record<string, unknown>, create: boolean): ChannelPatch {
  unknownFields(p, body, CHANNEL_FIELDS, '')
  const number = text(p, body, 'number', 'number', { required: create, max: 9 })
  if (typeof number === 'string' && !NUMBER.test(number)) p.add('number', 'a channel number such as 7 or 7.1')
  const name = text(p, body, 'name', 'name', { required: create, max: 200 })
  if (!create && name !== undefined && name?.trim() === '') p.add('name', 'must not be empty')
  const timezone = text(p, body, 'timezone', 'timezone', { required: create, max: 64 })
  if (typeof timezone === 'string' && !isValidTimezone(timezone)) p.add('timezone', `"${timezone}" is not an IANA time zone (e.g. Europe/London)`)
  const xmltvId = text(p, body, 'xmltv_id', 'xmltv_id', { max: 200 })
  if (typeof xmltvId === 'string' && !/^[\w.\-@]+$/.test(xmltvId)) p.add('xmltv_id', 'letters, digits, . - _ @ only')
  const logo = text(p, body, 'logo', 'logo', { nullable: true, max: 2000 })
  if (typeof logo === 'string' && !/^https?:\/\//.test(logo)) p.add('logo', 'an http(s) URL')
  const group = text(p, body, 'group', 'group', { nullable: true, max: 200 })
  const streamUrl = text(p, body, 'stream_url', 'stream_url', { nullable: true, max: 2000 })
  urlField(p, streamUrl, 'stream_url')
  const filler = text(p, body, 'default_filler', 'default_filler', { nullable: true, max: 100 })
  if (typeof filler === 'string') p.references.push({ field: 'default_filler', playlist: filler })
  const patch: ChannelPatch = {}
  if (typeof number === 'string') patch.number = number
  if (typeof name === 'string') patch.name = name.trim()
  if (typeof timezone === 'string') patch.timezone = timezone
  if (typeof xmltvId === 'string') patch.xmltv_id = xmltvId
  if (logo !== undefined) patch.logo = logo
  if (group !== undefined) patch.group = group
  if (streamUrl !== undefined) patch.stream_url = streamUrl
  if (filler !== undefined) patch.default_filler = filler
  return patch
}

export function readChannelCreate (body: unknown): { channel: ChannelCreate, problems: Problems } {
  const p = new Problems()
  if (!isObject(body)) { p.add('body', 'a JSON object'); return { channel: {} as unknown as ChannelCreate, problems: p } }
  return { channel: channelFields(p, body, true) as ChannelCreate, problems: p }
}

export function readChannelPatch (body: unknown): { patch: ChannelPatch, problems: Problems } {
  const p = new Problems()
  if (!isObject(body)) { p.add('body', 'a JSON object'); return { patch: {}, problems: p } }
  const patch = channelFields(p, body, false)
  if (Object.keys(body).length === 0) p.add('body', 'give at least one field to change')
  return { patch, problems: p }
}

const minutesOf = (wall: string): number => Number(wall.slice(0, 2)) * 60 + Number(wall.slice(3, 5))

function playlistId (p: Problems, value: unknown, path: string, group?: string): string | undefined {
  if (typeof value !== 'string' || value === '') { p.add(path, 'a playlist id'); return undefined }
  p.references.push({ field: path, playlist: value, ...(group !== undefined && { group }) })
  return value
}

const BLOCK_FIELDS = ['id', 'days', 'start', 'end', 'title', 'source', 'order', 'cooldown_hours', 'fill', 'filler', 'breaks'] as const

function readBlock (p: Problems, raw: unknown, path: string): Block | null {
  if (!isObject(raw)) { p.add(path, 'a block object'); return null }
  const before = p.list.length
  unknownFields(p, raw, BLOCK_FIELDS, `${path}.`)
  const id = text(p, raw, 'id', `${path}.id`, { required: true, max: 100 })
  let days: Weekday[] = []
  if (!Array.isArray(raw.days) || raw.days.length === 0) p.add(`${path}.days`, 'a non-empty list of mon … sun')
  else {
    raw.days.forEach((d, i) => { if (!WEEKDAYS.includes(d as Weekday)) p.add(`${path}.days.${i}`, 'one of mon, tue, wed, thu, fri, sat, sun') })
    days = [...new Set(raw.days as Weekday[])]
    if (days.length !== raw.days.length) p.add(`${path}.days`, 'a day is listed twice')
  }
  for (const f of ['start', 'end'] as const) {
    if (typeof raw[f] !== 'string' || !WALL_TIME.test(raw[f])) p.add(`${path}.${f}`, 'a local wall time HH:MM (00:00–23:59)')
  }
  if (typeof raw.start === 'string' && raw.start === raw.end) p.add(`${path}.end`, 'equal to start: a block needs a length (an end before the start runs past midnight)')
  text(p, raw, 'title', `${path}.title`, { nullable: true, max: 200 })
  const source = raw.source
  if (!isObject(source)) p.add(`${path}.source`, 'an object: { playlist, group? } or { item: { url, title, duration } }')
  else if ('item' in source) {
    const item = source.item
    if (!isObject(item)) p.add(`${path}.source.item`, 'an object { url, title, duration }')
    else {
      const url = text(p, item, 'url', `${path}.source.item.url`, { required: true, max: 2000 })
      urlField(p, url, `${path}.source.item.url`)
      text(p, item, 'title', `${path}.source.item.title`, { required: true, max: 500 })
      if (typeof item.duration !== 'number' || !Number.isFinite(item.duration) || item.duration <= 0 || item.duration > 86_400) p.add(`${path}.source.item.duration`, 'seconds, more than 0 and at most 86400')
    }
    if (Object.keys(source).length > 1) p.add(`${path}.source`, 'an item source has only `item`')
  } else {
    const group = source.group
    if (group !== undefined && (typeof group !== 'string' || group === '')) p.add(`${path}.source.group`, 'a group-title of the playlist')
    playlistId(p, source.playlist, `${path}.source.playlist`, typeof group === 'string' && group !== '' ? group : undefined)
  }
  if (raw.order !== undefined && !['shuffle', 'sequential', 'random'].includes(raw.order as string)) p.add(`${path}.order`, 'one of shuffle, sequential, random')
  if (raw.fill !== undefined && !['pad', 'gap', 'cut'].includes(raw.fill as string)) p.add(`${path}.fill`, 'one of pad, gap, cut')
  if (raw.cooldown_hours !== undefined && raw.cooldown_hours !== null && (typeof raw.cooldown_hours !== 'number' || !(raw.cooldown_hours >= 0 && raw.cooldown_hours <= 8784))) {
    p.add(`${path}.cooldown_hours`, 'hours, 0 to 8784')
  }
  if (raw.filler !== undefined && raw.filler !== null) playlistId(p, raw.filler, `${path}.filler`)
  if (raw.fill === 'pad' && (raw.filler === undefined || raw.filler === null)) p.add(`${path}.filler`, 'fill "pad" needs a filler playlist')
  if (raw.breaks !== undefined && raw.breaks !== null) readBreaks(p, raw.breaks, `${path}.breaks`)
  return p.list.length > before || typeof id !== 'string' ? null : { ...(raw as unknown as Block), days }
}

function readBreaks (p: Problems, raw: unknown, path: string): Breaks | null {
  if (!isObject(raw)) { p.add(path, 'an object { every_minutes, max_seconds, filler } or null'); return null }
  unknownFields(p, raw, ['every_minutes', 'max_seconds', 'filler'], `${path}.`)
  const int = (f: string, max: number): void => {
    const v = raw[f]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) p.add(`${path}.${f}`, `a whole number, 1 to ${max}`)
  }
  int('every_minutes', 720)
  int('max_seconds', 3600)
  playlistId(p, raw.filler, `${path}.filler`)
  return raw as unknown as Breaks
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

/** Blocks of a template or an override: each checked, ids unique, none overlapping within a day. */
function readBlocks (p: Problems, raw: unknown, path: string): Block[] {
  if (!Array.isArray(raw)) { p.add(path, 'a list of blocks'); return [] }
  if (raw.length > MAX_BLOCKS) { p.add(path, `at most ${MAX_BLOCKS} blocks`); return [] }
  const blocks: Block[] = []
  const indexes: number[] = []
  const ids = new Map<string, number>()
  raw.forEach((b, i) => {
    const block = readBlock(p, b, `${path}.${i}`)
    if (isObject(b) && typeof b.id === 'string') {
      if (ids.has(b.id)) p.add(`${path}.${i}.id`, `"${b.id}" is the id of block ${ids.get(b.id)!} too`)
      else ids.set(b.id, i)
    }
    if (block !== null) { blocks.push(block); indexes.push(i) }
  })
  refuseOverlaps(p, blocks, path, indexes)
  return blocks
}

export function readTemplate (body: unknown): { template: Template, problems: Problems } {
  const p = new Problems()
  if (!isObject(body)) { p.add('body', 'a JSON object { cooldown_hours?, blocks }'); return { template: { blocks: [] }, problems: p } }
  unknownFields(p, body, ['cooldown_hours', 'blocks'], '')
  const cooldown = body.cooldown_hours
  if (cooldown !== undefined && (typeof cooldown !== 'number' || !(cooldown >= 0 && cooldown <= 8784))) p.add('cooldown_hours', 'hours, 0 to 8784')
  const blocks = readBlocks(p, body.blocks, 'blocks')
  return { template: { cooldown_hours: typeof cooldown === 'number' ? cooldown : 48, blocks }, problems: p }
}

export function readOverride (body: unknown, zone: string): { override: Omit<Override, 'id' | 'seq'>, problems: Problems } {
  const p = new Problems()
  const empty = { name: '', from: '', to: '', days: null, blocks: [], events: [] }
  if (!isObject(body)) { p.add('body', 'a JSON object { name, from, to, days?, blocks?, events? }'); return { override: empty, problems: p } }
  unknownFields(p, body, ['name', 'from', 'to', 'days', 'blocks', 'events'], '')
  const name = text(p, body, 'name', 'name', { required: true, max: 200 })
  for (const f of ['from', 'to'] as const) if (typeof body[f] !== 'string' || !isLocalDate(body[f])) p.add(f, 'a local date YYYY-MM-DD')
  const from = body.from as string
  const to = body.to as string
  if (isLocalDate(String(from)) && isLocalDate(String(to)) && to < from) p.add('to', `${to} is before from (${from}): the dates are reversed`)
  let days: Weekday[] | null = null
  if (body.days !== undefined && body.days !== null) {
    if (!Array.isArray(body.days) || body.days.length === 0 || !body.days.every((d) => WEEKDAYS.includes(d as Weekday))) p.add('days', 'null, or a non-empty list of mon … sun')
    else days = [...new Set(body.days as Weekday[])]
  }
  const blocks = body.blocks === undefined ? [] : readBlocks(p, body.blocks, 'blocks')
  const events: FixedEvent[] = []
  if (body.events !== undefined) {
    if (!Array.isArray(body.events) || body.events.length > MAX_FIXED_EVENTS) p.add('events', `a list of at most ${MAX_FIXED_EVENTS} events`)
    else body.events.forEach((raw, i) => { const e = readFixedEvent(p, raw, `events.${i}`, zone); if (e !== null) events.push(e) })
  }
  if (blocks.length === 0 && events.length === 0 && !p.list.some((x) => x.field?.startsWith('blocks') === true || x.field?.startsWith('events') === true)) {
    p.add('blocks', 'an override needs blocks or events')
  }
  events.sort((a, b) => a.start - b.start)
  for (let i = 1; i < events.length; i++) {
    if (events[i].start < events[i - 1].end) p.add('events', `fixed events "${events[i - 1].title}" and "${events[i].title}" overlap`)
  }
  return { override: { name: name ?? '', from, to, days, blocks, events }, problems: p }
}

function readFixedEvent (p: Problems, raw: unknown, path: string, zone: string): FixedEvent | null {
  if (!isObject(raw)) { p.add(path, 'an event { title, start, end, video_url? }'); return null }
  const before = p.list.length
  unknownFields(p, raw, ['title', 'start', 'end', 'video_url', 'category', 'description'], `${path}.`)
  const title = text(p, raw, 'title', `${path}.title`, { required: true })
  const instant = (f: 'start' | 'end'): number | null => {
    const ms = typeof raw[f] === 'string' ? parseInstant(raw[f], zone) : null
    if (ms === null) p.add(`${path}.${f}`, 'an ISO 8601 date-time (naive times are read in the channel\'s zone)')
    return ms
  }
  const start = instant('start')
  const end = instant('end')
  if (start !== null && end !== null && end <= start) p.add(`${path}.end`, 'not after start')
  const url = text(p, raw, 'video_url', `${path}.video_url`, { nullable: true, max: 2000 })
  urlField(p, url, `${path}.video_url`)
  const category = text(p, raw, 'category', `${path}.category`, { nullable: true })
  const description = text(p, raw, 'description', `${path}.description`, { nullable: true, max: 5000, multiline: true })
  if (p.list.length > before) return null
  return { title: title!, start: start!, end: end!, video_url: url ?? null, category: category ?? null, description: description ?? null }
}

export interface BuildPlan { from: string, to: string, seed: string, dryRun: boolean, freezeHours: number }

export function readBuildRequest (body: unknown, fallbackSeed: string): BuildPlan {
  const p = new Problems()
  if (!isObject(body)) { p.add('body', 'a JSON object { from, to, seed?, dry_run?, freeze_hours? }'); p.refuse('the build request'); throw new Error('unreachable') }
  unknownFields(p, body, ['from', 'to', 'seed', 'dry_run', 'freeze_hours'] satisfies Array<keyof BuildRequest>, '')
  for (const f of ['from', 'to'] as const) if (typeof body[f] !== 'string' || !isLocalDate(body[f])) p.add(f, 'a local date of the channel, YYYY-MM-DD')
  const from = body.from as string
  const to = body.to as string
  if (isLocalDate(String(from)) && isLocalDate(String(to))) {
    const span = daysBetween(from, to)
    if (span < 0) p.add('to', `${to} is before from (${from})`)
    else if (span >= MAX_BUILD_DAYS) p.add('to', `a build covers at most ${MAX_BUILD_DAYS} days; ${from}…${to} is ${span + 1}`)
  }
  const seed = body.seed
  if (seed !== undefined && (typeof seed !== 'string' && (typeof seed !== 'number' || !Number.isFinite(seed)))) p.add('seed', 'a string or a number')
  if (typeof seed === 'string' && seed.length > 200) p.add('seed', 'at most 200 characters')
  else if (typeof seed === 'string' && textProblem(seed) !== null) p.add('seed', textProblem(seed)!) // stored with the build
  if (body.dry_run !== undefined && typeof body.dry_run !== 'boolean') p.add('dry_run', 'true or false')
  const freeze = body.freeze_hours
  if (freeze !== undefined && (typeof freeze !== 'number' || !(freeze >= 0 && freeze <= MAX_BUILD_DAYS * 24))) p.add('freeze_hours', `hours, 0 to ${MAX_BUILD_DAYS * 24}`)
  p.refuse('the build request')
  return { from, to, seed: seed === undefined ? fallbackSeed : String(seed), dryRun: body.dry_run === true, freezeHours: typeof freeze === 'number' ? freeze : 0 }
}
