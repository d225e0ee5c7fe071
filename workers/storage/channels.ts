import { newId } from '../ids.js'
import { sql, type Selectable } from 'kysely'
import type { Block, Channel, ChannelCreate, ChannelPatch, EventOrigin, Template, Weekday } from '../../contract/api.js'
import type { StoredEvent } from '../schedule/model.js'
import type { BuiltEvent, FixedEvent, KeptBecause, KeptEvent, Override, SequentialState } from '../channels/types.js'
import { isInstantInRange, type TimeRange } from '../schedule/time.js'
import { isObject } from '../json.js'
import { readJsonColumn } from './read-column.js'
import { CommandError } from '../../contract/command-error.js'
import { CHANNEL_SETTING_FIELDS, DEFAULT_ALARM_HOURS, DEFAULT_BUILD_AHEAD_DAYS, DEFAULT_COOLDOWN_HOURS, DEFAULT_FILLER_GUIDE_MINUTES, DEFAULT_REBUILD_FREEZE_HOURS } from '../../contract/limits.js'
import type { ChannelSettings } from '../../contract/editing.js'
import type { GuideMode, SegmentRole } from '../../contract/programmes.js'
import { rowsOf, type Scope } from './dialect.js'
import type { ChannelOverridesTable, ChannelsTable, Database, EventsTable } from './tables.js'
import type { Cursor } from '../paging.js'
import { channelsAiring, raiseChannels, readTags, storedEvent } from './event-rows.js'
import { tagsOf } from '../channels/event-tags.js'
import { noteRevisionBefore } from './before-write.js'
import { playlistScope } from './revisions.js'

// The channels of SPEC §11 and what they air: the channel rows, the template (a JSON column,
// always read and written whole), the dated overrides, and the events a build made, which live
// in the one events table with schedule_id NULL. Every write raises the channel's revision
// (SPEC §12) in its own transaction; the triggers of migration 7 raise the change counters.

/** An event on a channel: built (schedule_id null) or of a schedule placed on it. */
export interface StoredChannelEvent extends StoredEvent {
  schedule_id: string | null
  channel_id: string
  /** null for an event of a placed schedule */
  origin: EventOrigin | null
  reason: string | null
  pinned: boolean
  build_id: string | null
  guide_id: string | null
  /** the guide entry's title when it is not the event's (a block's title) */
  guide_title: string | null
  in_ms: number
  episode_num: string | null
  icon: string | null
  /** SPEC §14: the programme it is a segment of, its role there, its source's guide mode (null: the default rule) */
  programme_id: string | null
  segment_role: SegmentRole | null
  guide_mode: GuideMode | null
}

/**
 * What a guide (XMLTV's <programme>) writes of an event: read as compact rows, without the
 * media or build columns, so the all-channel guide reads a week of every channel cheaply. Its
 * tags name an item's year (SPEC §16, channels/event-tags.ts).
 */
export type GuideEvent = Pick<StoredChannelEvent, 'id' | 'title' | 'start' | 'end' | 'category' | 'description' | 'tags' | 'guide_id' | 'guide_title' | 'icon' | 'episode_num' | 'programme_id' | 'segment_role' | 'guide_mode'> & {
  origin: Pick<EventOrigin, 'kind'> | null
}

const MARK_COLUMNS = ['id', 'title', 'start_ms', 'end_ms', 'video_url', 'category', 'in_ms', 'programme_id', 'segment_role', 'origin_kind', 'origin_block', 'origin_override', 'origin_source'] as const

/** What the overlap and cooldown marks read of an event: with what tells whether it counts as an airing (SPEC §15). */
export type MarkEvent = Pick<StoredChannelEvent, 'id' | 'title' | 'start' | 'end' | 'video_url' | 'category' | 'in_ms' | 'programme_id' | 'segment_role'> &
  Pick<EventsTable, 'origin_kind' | 'origin_block' | 'origin_override' | 'origin_source'>

/** A stored event a build keeps, and why. */
export type StoredKeptEvent = StoredChannelEvent & KeptEvent

export type NewOverride = Omit<Override, 'id' | 'seq'>
export interface StoredOverride extends Override { channel_id: string, created: string }

/** The builds row: what was asked and what it gave. */
export interface BuildRecord { id: string, from_date: string, to_date: string, seed: string, freeze_hours: number, stats: unknown, warnings: unknown }

export interface ReplacedBuild { revision: number, deleted: number, inserted: number, /** the rows it deleted, whole */ replaced: EventRow[] }

export type Placement = 'placed' | 'no-schedule' | 'no-channel'

export interface ChannelRepository {
  /** CommandError CHANNEL_NUMBER_TAKEN / CHANNEL_XMLTV_ID_TAKEN (409) when another channel has them. */
  create(channel: ChannelCreate): Promise<Channel>
  /** By number (7 before 7.1 before 10). */
  list(): Promise<Channel[]>
  get(id: string): Promise<Channel | null>
  /** null: no such channel. The same 409s as create(). */
  update(id: string, patch: ChannelPatch): Promise<Channel | null>
  /** Deletes its built events, overrides and builds; schedules placed on it stay, taken off it. */
  delete(id: string): Promise<boolean>
  getTemplate(id: string): Promise<{ template: Template, revision: number } | null>
  putTemplate(id: string, template: Template): Promise<{ template: Template, revision: number } | null>
  /** In seq order (the later wins); with `dates`, those covering a day of [from, to] (local dates, included). */
  listOverrides(channelId: string, dates?: { from: string, to: string }): Promise<StoredOverride[]>
  /** null: no such channel. */
  addOverride(channelId: string, override: NewOverride): Promise<StoredOverride | null>
  /** Replaces an override's fields (name, dates, days, blocks, events), keeping its seq; raises the revision. false: no such override. */
  updateOverride(override: StoredOverride): Promise<boolean>
  deleteOverride(channelId: string, overrideId: string): Promise<boolean>
  /** Puts a schedule on a channel (or takes it off: null); its events air there. */
  placeSchedule(scheduleId: string, channelId: string | null): Promise<Placement>
  /** Every event on the channel on air at some instant of [from, to), in air order. */
  channelEvents(channelId: string, range?: TimeRange): Promise<StoredChannelEvent[]>
  /**
   * One page of channelEvents(): at most `limit` events on air in [from, to), after `after`, in
   * (start, id) order, by one seek of events_by_channel_id_start. `more`: another page follows.
   */
  channelEventsPage(channelId: string, range: TimeRange, page: { after?: Cursor, limit: number }): Promise<{ events: StoredChannelEvent[], more: boolean }>
  /** What a page's marks read of the events on air around it: the columns the checks take, in air order. */
  markEvents(channelId: string, range: TimeRange): Promise<MarkEvent[]>
  /** What the guide writes of the events channelEvents() reads, the same events in the same order. */
  guideEvents(channelId: string, range?: TimeRange): Promise<GuideEvent[]>
  /** Per block id: its last item starting before `before`, when it has one. */
  sequentialState(channelId: string, blockIds: readonly string[], before: number): Promise<Map<string, SequentialState>>
  /**
   * The channel's events on air in [from, to) that a build of that range keeps: those starting
   * before it, of placed schedules, and every segment (past `to` too) of a programme (SPEC §14)
   * that is pinned, frozen (a segment starting before `freezeEnd`) or began before the window:
   * a kept programme stays whole and keeps its stop time.
   */
  keptEvents(channelId: string, from: number, to: number, freezeEnd: number): Promise<StoredKeptEvent[]>
  /**
   * One transaction: deletes the built, unpinned events starting in [from, to) but those of
   * `keptIds` and every segment of their programmes, inserts `events`, stores the builds row, raises the revision. null: no such channel.
   */
  replaceBuild(
    channelId: string,
    range: { from: number, to: number },
    keptIds: readonly string[],
    events: readonly BuiltEvent[],
    build: BuildRecord
  ): Promise<ReplacedBuild | null>
  /** Pins (an editor's hand) or unpins one event; raises its channel's revision. */
  setPinned(eventId: string, pinned: boolean): Promise<boolean>
  /**
   * The channel's builds since a revision (builds are not in the edit history): `after`, those
   * that made a later revision; `unknown`, those stored before builds recorded their revision
   * (migration 10) later than `sinceMs` (ever: null). Builds are never pruned.
   */
  buildsSince(channelId: string, revision: number, sinceMs: number | null): Promise<{ after: number, unknown: number }>
  /** The local date ranges of the channel's stored builds (by hand or rolling) that reach `fromDate` or later. */
  buildRanges(channelId: string, fromDate: string): Promise<Array<{ from: string, to: string }>>
  /** The fingerprint of the inputs its last rolling build used (SPEC §17); null: none yet, or no such channel. */
  rollingInputs(channelId: string): Promise<string | null>
  /** Keeps that fingerprint; not a write a user made: no revision, no history. */
  setRollingInputs(channelId: string, fingerprint: string): Promise<void>
  /** The change counters (migration 3) of these playlists, those that exist: what a rolling build's fingerprint names them by. */
  playlistRevisions(ids: readonly string[]): Promise<Map<string, number>>
  /** SPEC §17 `built_until`: the end of the channel's last stored event, by index seeks (never a scan of its events); null: none. */
  builtUntil(channelId: string): Promise<number | null>
  /** [start, end) of every event on air in [from, to), in start order: what coverage reads of them (workers/on-air/coverage.ts). */
  airedSpans(channelId: string, range: { from: number, to: number }): Promise<Array<{ start: number, end: number }>>
}

const DEFAULT_TEMPLATE: Template = { cooldown_hours: DEFAULT_COOLDOWN_HOURS, blocks: [] }

/** `C{number}.{sum of its digits}.scheduleflow`: 7.1 → C7.1.8.scheduleflow, never the id of 71 or 1.7's sum twin. */
export const defaultXmltvId = (number: string): string =>
  `C${number}.${[...number].reduce((sum, c) => sum + (c >= '0' && c <= '9' ? Number(c) : 0), 0)}.scheduleflow`

/** 7 < 7.1 < 7.10 < 10: by the number before the dot, then after it. */
function byNumber (a: Channel, b: Channel): number {
  const [ai, af = ''] = a.number.split('.')
  const [bi, bf = ''] = b.number.split('.')
  return Number(ai) - Number(bi) || (af === '' ? -1 : 0) - (bf === '' ? -1 : 0) || Number(af) - Number(bf) || a.number.localeCompare(b.number)
}

const channel = (row: Selectable<ChannelsTable>): Channel => ({
  id: row.id,
  number: row.number,
  name: row.name,
  timezone: row.timezone,
  xmltv_id: row.xmltv_id,
  logo: row.logo,
  group: row.group_title,
  stream_url: row.stream_url,
  default_filler: row.default_filler,
  default_filler_guide: row.default_filler_guide,
  filler_guide_minutes: Number(row.filler_guide_minutes),
  filler_title: row.filler_title,
  build_ahead_days: Number(row.build_ahead_days),
  rebuild_freeze_hours: Number(row.rebuild_freeze_hours),
  alarm_hours: Number(row.alarm_hours),
  // What the row holds: the commands that answer a channel add its coverage (workers/on-air/coverage.ts withCoverage).
  built_until: null,
  gaps: [],
  revision: Number(row.revision),
  created: row.created,
  updated: row.updated
})

const isTemplate = (v: unknown): v is Template => isObject(v) && Array.isArray(v.blocks)
const isList = (v: unknown): v is unknown[] => Array.isArray(v)

export type EventRow = Selectable<EventsTable>

const isReadableSpan = (start: number, end: number): boolean => isInstantInRange(start) && isInstantInRange(end) && end > start
export const isReadable = (row: EventRow): boolean => isReadableSpan(row.start_ms, row.end_ms)

/** The contract's origin: the fields a row has, no nulls. */
function originOf (row: EventRow): EventOrigin {
  const origin: EventOrigin = { kind: row.origin_kind! }
  if (row.origin_block !== null) origin.block = row.origin_block
  if (row.origin_override !== null) origin.override = row.origin_override
  if (row.origin_source !== null) origin.source = row.origin_source
  if (row.origin_position !== null) origin.position = Number(row.origin_position)
  return origin
}

export const channelEvent = (row: EventRow): StoredChannelEvent => ({
  ...storedEvent(row),
  schedule_id: row.schedule_id,
  channel_id: row.channel_id!,
  origin: row.origin_kind === null ? null : originOf(row),
  reason: row.reason,
  pinned: Number(row.pinned) === 1,
  build_id: row.build_id,
  guide_id: row.guide_id,
  guide_title: row.guide_title,
  in_ms: Number(row.in_ms),
  episode_num: row.episode_num,
  icon: row.icon,
  programme_id: row.programme_id,
  segment_role: row.segment_role,
  guide_mode: row.guide_mode
})

/** The columns of a GuideEvent, in the order guideEvent() reads them. */
const GUIDE_COLUMNS = ['id', 'title', 'start_ms', 'end_ms', 'category', 'description', 'guide_id', 'guide_title', 'origin_kind', 'icon', 'episode_num', 'programme_id', 'segment_role', 'guide_mode', 'tags'] as const
type GuideRow = [
  string, string, number, number, string | null, string | null, string | null, string | null, EventOrigin['kind'] | null, string | null, string | null,
  string | null, SegmentRole | null, GuideMode | null, string
]

const guideEvent = ([
  id, title, start, end, category, description, guideId, guideTitle, originKind, icon, episodeNum, programmeId, segmentRole, guideMode, tags
]: GuideRow): GuideEvent => ({
  id,
  title,
  start,
  end,
  category,
  description,
  tags: readTags(tags),
  guide_id: guideId,
  guide_title: guideTitle,
  origin: originKind === null ? null : { kind: originKind },
  icon,
  episode_num: episodeNum,
  programme_id: programmeId,
  segment_role: segmentRole,
  guide_mode: guideMode
})

/** The columns a channel patch sets (the contract's names to the table's): a PATCH, and an undo of one (edits.ts). */
export const channelColumns = (patch: ChannelPatch): Partial<Selectable<ChannelsTable>> => ({
  ...(patch.number !== undefined && { number: patch.number }),
  ...(patch.name !== undefined && { name: patch.name }),
  ...(patch.timezone !== undefined && { timezone: patch.timezone }),
  ...(patch.xmltv_id !== undefined && { xmltv_id: patch.xmltv_id }),
  ...(patch.logo !== undefined && { logo: patch.logo }),
  ...(patch.group !== undefined && { group_title: patch.group }),
  ...(patch.stream_url !== undefined && { stream_url: patch.stream_url }),
  ...(patch.default_filler !== undefined && { default_filler: patch.default_filler }),
  ...(patch.default_filler_guide !== undefined && { default_filler_guide: patch.default_filler_guide }),
  ...(patch.filler_guide_minutes !== undefined && { filler_guide_minutes: patch.filler_guide_minutes }),
  ...(patch.filler_title !== undefined && { filler_title: patch.filler_title }),
  ...(patch.build_ahead_days !== undefined && { build_ahead_days: patch.build_ahead_days }),
  ...(patch.rebuild_freeze_hours !== undefined && { rebuild_freeze_hours: patch.rebuild_freeze_hours }),
  ...(patch.alarm_hours !== undefined && { alarm_hours: patch.alarm_hours })
})

/** An override as its table stores it: an add, a patch, and an undo of either (edits.ts). */
export const overrideRow = (o: StoredOverride): Selectable<ChannelOverridesTable> => ({
  id: o.id,
  channel_id: o.channel_id,
  seq: o.seq,
  name: o.name,
  from_date: o.from,
  to_date: o.to,
  days: o.days === null ? null : JSON.stringify(o.days),
  blocks: JSON.stringify(o.blocks),
  events: JSON.stringify(o.events),
  created: o.created,
  replace: o.replace
})

/** Refuses a number or xmltv_id another channel than `self` has (a create, a PATCH, an undo putting one back). Called under the write lock. */
export async function refuseTaken (tx: Database, self: string | null, number: string | undefined, xmltvId: string | undefined): Promise<void> {
  const other = (column: 'number' | 'xmltv_id', value: string) => {
    let query = tx.selectFrom('channels').select(['id', 'name']).where(column, '=', value)
    if (self !== null) query = query.where('id', '<>', self)
    return query.executeTakeFirst()
  }
  if (number !== undefined) {
    const taken = await other('number', number)
    if (taken !== undefined) throw new CommandError('CHANNEL_NUMBER_TAKEN', `channel number ${number} is taken by "${taken.name}"`, [{ field: 'number', message: `taken by channel ${taken.id}` }])
  }
  if (xmltvId !== undefined) {
    const taken = await other('xmltv_id', xmltvId)
    if (taken !== undefined) throw new CommandError('CHANNEL_XMLTV_ID_TAKEN', `xmltv_id ${xmltvId} is taken by "${taken.name}"`, [{ field: 'xmltv_id', message: `taken by channel ${taken.id}` }])
  }
}

/** The fields a channel settings change names (CHANNEL_SETTING_FIELDS), as the channel has them. */
export const channelSettings = (channel: Channel): Required<ChannelSettings> =>
  Object.fromEntries(CHANNEL_SETTING_FIELDS.map((f) => [f, channel[f]])) as Required<ChannelSettings>

/** Rows per `IN (…)` list: well below either database's limit on parameters. */
const IDS_PER_STATEMENT = 500

/** Why an event of no programme (stored before migration 11 gave them one) is kept by itself. */
const ownReason = (row: EventRow, freezeEnd: number): KeptBecause | undefined =>
  Number(row.pinned) === 1 ? 'pinned' : row.start_ms < freezeEnd ? 'frozen' : undefined

/**
 * Whether a segment is kept with its whole programme. Default filler is not: a stretch of it
 * may run for hours, and freezing its first clip must not freeze them all; each of its clips is
 * kept (pinned, frozen) or rebuilt alone, as before programmes.
 */
const keptWhole = (row: EventRow): row is EventRow & { programme_id: string } =>
  row.programme_id !== null && row.schedule_id === null && row.origin_kind !== 'default'

/**
 * The programmes a build keeps whole (SPEC §14), and why: any segment pinned; any segment
 * starting before `freezeEnd` (aired, or about to); begun before the window (the rest of an
 * airing under way stays). A reason the build counts wins over 'before'.
 */
function keptProgrammes (rows: readonly EventRow[], from: number, freezeEnd: number): Map<string, KeptBecause> {
  const rank: Record<KeptBecause, number> = { pinned: 3, frozen: 2, before: 1, placed: 0 }
  const why = new Map<string, KeptBecause>()
  for (const row of rows) {
    if (!keptWhole(row)) continue
    const because = ownReason(row, freezeEnd) ?? (row.start_ms < from ? 'before' : undefined)
    const was = why.get(row.programme_id)
    if (because !== undefined && (was === undefined || rank[because] > rank[was])) why.set(row.programme_id, because)
  }
  return why
}

/**
 * The select of a channel's events on air in [from, to), unordered, its columns the caller's:
 * the start bound is `from` less the channel's longest event, so the (channel_id, start_ms)
 * index seeks to it. null: the channel has no events.
 */
export async function onAirWhere (executor: Database, channelId: string, from: number, to: number) {
  const length = sql<number>`end_ms - start_ms`
  const longest = await executor.selectFrom('events').select(length.as('length')).where('channel_id', '=', channelId).orderBy(length, 'desc').limit(1).executeTakeFirst()
  if (longest === undefined) return null
  return executor.selectFrom('events')
    .where('channel_id', '=', channelId)
    .where('start_ms', '>', from - Number(longest.length) - 1)
    .where('start_ms', '<', to)
    .where('end_ms', '>', from)
}

export class KyselyChannelRepository implements ChannelRepository {
  constructor (private readonly scope: Scope) {}

  /** The default xmltv_id, or it with -2, -3… when a channel renumbered since keeps it. */
  private async freeXmltvId (tx: Database, number: string): Promise<string> {
    const base = defaultXmltvId(number).replace(/\.scheduleflow$/, '')
    const taken = async (id: string): Promise<boolean> => await tx.selectFrom('channels').select('id').where('xmltv_id', '=', id).executeTakeFirst() !== undefined
    let id = `${base}.scheduleflow`
    for (let n = 2; await taken(id); n++) id = `${base}-${n}.scheduleflow`
    return id
  }

  async create (input: ChannelCreate): Promise<Channel> {
    const now = new Date().toISOString()
    return this.scope.write(async (tx) => {
      await refuseTaken(tx, null, input.number, input.xmltv_id)
      const row: Selectable<ChannelsTable> = {
        id: newId(),
        number: input.number,
        name: input.name,
        timezone: input.timezone,
        xmltv_id: input.xmltv_id ?? await this.freeXmltvId(tx, input.number),
        logo: input.logo ?? null,
        group_title: input.group ?? null,
        stream_url: input.stream_url ?? null,
        default_filler: input.default_filler ?? null,
        default_filler_guide: input.default_filler_guide ?? null,
        filler_guide_minutes: input.filler_guide_minutes ?? DEFAULT_FILLER_GUIDE_MINUTES,
        filler_title: input.filler_title ?? null,
        build_ahead_days: input.build_ahead_days ?? DEFAULT_BUILD_AHEAD_DAYS,
        rebuild_freeze_hours: input.rebuild_freeze_hours ?? DEFAULT_REBUILD_FREEZE_HOURS,
        alarm_hours: input.alarm_hours ?? DEFAULT_ALARM_HOURS,
        rolling_inputs: null,
        template: JSON.stringify(DEFAULT_TEMPLATE),
        revision: 1,
        created: now,
        updated: now
      }
      await tx.insertInto('channels').values(row).execute()
      return channel(row)
    })
  }

  async list (): Promise<Channel[]> {
    return (await this.scope.db().selectFrom('channels').selectAll().execute()).map(channel).sort(byNumber)
  }

  async get (id: string): Promise<Channel | null> {
    const row = await this.scope.db().selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst()
    return row === undefined ? null : channel(row)
  }

  async update (id: string, patch: ChannelPatch): Promise<Channel | null> {
    return this.scope.write(async (tx) => {
      await refuseTaken(tx, id, patch.number, patch.xmltv_id)
      const set = channelColumns(patch)
      const row = await tx.updateTable('channels')
        .set({ ...set, revision: sql<number>`revision + 1`, updated: new Date().toISOString() })
        .where('id', '=', id).returningAll().executeTakeFirst()
      return row === undefined ? null : channel(row)
    })
  }

  async delete (id: string): Promise<boolean> {
    return this.scope.write(async (tx) => {
      // First its built events: the owner CHECK refuses a built event left with no channel,
      // so a forgotten step fails loudly. Placed schedules' events only lose the channel (the FK).
      await tx.deleteFrom('events').where('channel_id', '=', id).where('schedule_id', 'is', null).execute()
      const { numDeletedRows } = await tx.deleteFrom('channels').where('id', '=', id).executeTakeFirstOrThrow()
      return numDeletedRows > 0n
    })
  }

  async getTemplate (id: string): Promise<{ template: Template, revision: number } | null> {
    const row = await this.scope.db().selectFrom('channels').select(['template', 'revision']).where('id', '=', id).executeTakeFirst()
    return row === undefined ? null : { template: readJsonColumn(row.template, isTemplate, DEFAULT_TEMPLATE), revision: Number(row.revision) }
  }

  async putTemplate (id: string, template: Template): Promise<{ template: Template, revision: number } | null> {
    const row = await this.scope.write((tx) => tx.updateTable('channels')
      .set({ template: JSON.stringify(template), revision: sql<number>`revision + 1`, updated: new Date().toISOString() })
      .where('id', '=', id).returning('revision').executeTakeFirst())
    return row === undefined ? null : { template, revision: Number(row.revision) }
  }

  /** Raises the channel's revision inside `tx`; its new value, or null when there is no such channel. */
  private async raiseRevision (tx: Database, id: string): Promise<number | null> {
    const row = await tx.updateTable('channels').set({ revision: sql<number>`revision + 1`, updated: new Date().toISOString() })
      .where('id', '=', id).returning('revision').executeTakeFirst()
    if (row !== undefined) noteRevisionBefore(Number(row.revision) - 1)
    return row === undefined ? null : Number(row.revision)
  }

  async listOverrides (channelId: string, dates?: { from: string, to: string }): Promise<StoredOverride[]> {
    let query = this.scope.db().selectFrom('channel_overrides').selectAll().where('channel_id', '=', channelId)
    // Local dates as YYYY-MM-DD compare as text.
    if (dates !== undefined) query = query.where('to_date', '>=', dates.from).where('from_date', '<=', dates.to)
    return (await query.orderBy('seq').execute()).map((row) => ({
      id: row.id,
      channel_id: row.channel_id,
      seq: Number(row.seq),
      name: row.name,
      from: row.from_date,
      to: row.to_date,
      days: readJsonColumn(row.days, (v): v is Weekday[] | null => v === null || Array.isArray(v), null),
      blocks: readJsonColumn(row.blocks, isList, []) as Block[],
      events: readJsonColumn(row.events, isList, []) as FixedEvent[],
      created: row.created,
      replace: row.replace === 'hours' ? 'hours' : 'blocks'
    }))
  }

  async addOverride (channelId: string, override: NewOverride): Promise<StoredOverride | null> {
    return this.scope.write(async (tx) => {
      if (await this.raiseRevision(tx, channelId) === null) return null
      const last = await tx.selectFrom('channel_overrides').select((eb) => eb.fn.max('seq').as('seq')).where('channel_id', '=', channelId).executeTakeFirst()
      const stored: StoredOverride = { id: newId(), channel_id: channelId, seq: Number(last?.seq ?? 0) + 1, created: new Date().toISOString(), ...override }
      await tx.insertInto('channel_overrides').values(overrideRow(stored)).execute()
      return stored
    })
  }

  async updateOverride (override: StoredOverride): Promise<boolean> {
    return this.scope.write(async (tx) => {
      const { id, channel_id: channelId, seq: _seq, created: _created, ...row } = overrideRow(override)
      const { numUpdatedRows } = await tx.updateTable('channel_overrides').set(row).where('id', '=', id).where('channel_id', '=', channelId).executeTakeFirstOrThrow()
      if (numUpdatedRows === 0n) return false
      await this.raiseRevision(tx, channelId)
      return true
    })
  }

  async deleteOverride (channelId: string, overrideId: string): Promise<boolean> {
    return this.scope.write(async (tx) => {
      const { numDeletedRows } = await tx.deleteFrom('channel_overrides').where('id', '=', overrideId).where('channel_id', '=', channelId).executeTakeFirstOrThrow()
      if (numDeletedRows === 0n) return false
      await this.raiseRevision(tx, channelId)
      return true
    })
  }

  async placeSchedule (scheduleId: string, channelId: string | null): Promise<Placement> {
    return this.scope.write(async (tx) => {
      if (channelId !== null && await tx.selectFrom('channels').select('id').where('id', '=', channelId).executeTakeFirst() === undefined) return 'no-channel'
      // The triggers of migration 7 raise the channels' revisions (the one left and the one joined);
      // the channels its events air on without it (an XMLTV import that created them) are raised here.
      await raiseChannels(tx, (await channelsAiring(tx, scheduleId)).filter((id) => id !== channelId))
      // A write to the schedule too: its revision (SPEC §12) moves with it.
      const { numUpdatedRows } = await tx.updateTable('schedules').set({ channel_ref: channelId, revision: sql<number>`revision + 1` }).where('id', '=', scheduleId).executeTakeFirstOrThrow()
      if (numUpdatedRows === 0n) return 'no-schedule'
      await tx.updateTable('events').set({ channel_id: channelId }).where('schedule_id', '=', scheduleId).execute()
      return 'placed'
    })
  }

  /**
   * The select of the channel's events on air in [from, to), in air order, by the two indexes on
   * (channel_id, …), as channelEventsOutside reads by channel; its columns are the caller's.
   * null: the channel has no events.
   */
  private async onAirQuery (executor: Database, channelId: string, from: number, to: number) {
    return (await this.onAirWhere(executor, channelId, from, to))?.orderBy('start_ms').orderBy('end_ms').orderBy('position') ?? null
  }

  /** onAirQuery's rows, unordered. */
  private async onAirWhere (executor: Database, channelId: string, from: number, to: number) {
    return onAirWhere(executor, channelId, from, to)
  }

  /** The channel's events on air in [from, to), whole rows. */
  private async onAir (executor: Database, channelId: string, from: number, to: number): Promise<EventRow[]> {
    const query = await this.onAirQuery(executor, channelId, from, to)
    return query === null ? [] : (await query.selectAll().execute()).filter(isReadable)
  }

  async channelEvents (channelId: string, { from, to }: TimeRange = {}): Promise<StoredChannelEvent[]> {
    return (await this.onAir(this.scope.db(), channelId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER)).map(channelEvent)
  }

  async channelEventsPage (
    channelId: string,
    { from, to }: TimeRange,
    { after, limit }: { after?: Cursor, limit: number }
  ): Promise<{ events: StoredChannelEvent[], more: boolean }> {
    let query = await this.onAirWhere(this.scope.db(), channelId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER)
    if (query === null) return { events: [], more: false }
    // (start_ms, id) > the cursor's, with start_ms >= its start first: the bound the index seeks to.
    if (after !== undefined) query = query.where('start_ms', '>=', after.start).where((eb) => eb.or([eb('start_ms', '>', after.start), eb('id', '>', after.id)]))
    const rows = await query.selectAll().orderBy('start_ms').orderBy('id').limit(limit + 1).execute()
    return { events: rows.slice(0, limit).filter(isReadable).map(channelEvent), more: rows.length > limit }
  }

  async markEvents (channelId: string, { from, to }: TimeRange): Promise<MarkEvent[]> {
    const query = await this.onAirQuery(this.scope.db(), channelId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER)
    if (query === null) return []
    // The columns the checks take, not whole rows: the window around a page is thousands of events.
    const rows = await query.select(MARK_COLUMNS).execute()
    return rows.filter((row) => isReadableSpan(row.start_ms, row.end_ms))
      .map(({ start_ms: start, end_ms: end, in_ms: inMs, ...row }) => ({ ...row, start, end, in_ms: Number(inMs) }))
  }

  async guideEvents (channelId: string, { from, to }: TimeRange = {}): Promise<GuideEvent[]> {
    const db = this.scope.db()
    const query = await this.onAirQuery(db, channelId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER)
    if (query === null) return []
    // Value arrays, not objects of every column: a week of twenty channels is some 12,000 rows.
    const events: GuideEvent[] = []
    for (const row of await this.scope.dialect.iterateRows(db, query.select(GUIDE_COLUMNS).compile()) as Iterable<GuideRow>) {
      if (isReadableSpan(row[2], row[3])) events.push(guideEvent(row))
    }
    return events
  }

  async sequentialState (channelId: string, blockIds: readonly string[], before: number): Promise<Map<string, SequentialState>> {
    const db = this.scope.db()
    const state = new Map<string, SequentialState>()
    for (const block of blockIds) {
      // One seek of events_by_channel_block each.
      const row = await db.selectFrom('events').select(['video_key', 'origin_position', 'origin_source', 'title'])
        .where('channel_id', '=', channelId).where('origin_block', '=', block).where('start_ms', '<', before).where('origin_kind', '=', 'item')
        .orderBy('start_ms', 'desc').limit(1).executeTakeFirst()
      if (row !== undefined) {
        state.set(
          block,
          { key: row.video_key, position: row.origin_position === null ? null : Number(row.origin_position), source: row.origin_source, title: row.title }
        )
      }
    }
    return state
  }

  async keptEvents (channelId: string, from: number, to: number, freezeEnd: number): Promise<StoredKeptEvent[]> {
    const db = this.scope.db()
    const rows = await this.onAir(db, channelId, from, to)
    // On air at some instant of [from − 1 ms, from): a programme that began before the window
    // and runs into it, even when its segment at `from` starts there.
    const before = await this.onAir(db, channelId, from - 1, from)
    const why = keptProgrammes([...before, ...rows], from, freezeEnd)
    // Every segment of a kept programme, those past the window too (the build reaches past its
    // end and must neither overlap nor delete them), by events_by_channel_programme.
    const seen = new Set(rows.map((r) => r.id))
    const ids = [...why.keys()]
    for (let first = 0; first < ids.length; first += IDS_PER_STATEMENT) {
      const more = await db.selectFrom('events').selectAll().where('channel_id', '=', channelId).where('programme_id', 'in', ids.slice(first, first + IDS_PER_STATEMENT)).execute()
      for (const row of more) if (row.end_ms > from && !seen.has(row.id) && isReadable(row)) { seen.add(row.id); rows.push(row) }
    }
    rows.sort((a, b) => a.start_ms - b.start_ms || a.end_ms - b.end_ms || a.position - b.position)
    const kept: StoredKeptEvent[] = []
    for (const row of rows) {
      const because: KeptBecause | null = row.start_ms < from
        ? 'before'
        : row.schedule_id !== null
          ? 'placed'
          : (keptWhole(row) ? why.get(row.programme_id) : ownReason(row, freezeEnd)) ?? null
      if (because !== null) kept.push({ ...channelEvent(row), video_key: row.video_key, kept: because })
    }
    return kept
  }

  async replaceBuild (
    channelId: string,
    { from, to }: { from: number, to: number },
    keptIds: readonly string[],
    events: readonly BuiltEvent[],
    build: BuildRecord
  ): Promise<ReplacedBuild | null> {
    return this.scope.write(async (tx) => {
      const revision = await this.raiseRevision(tx, channelId)
      if (revision === null) return null
      // Built events name the channel's XMLTV id, as an imported event names its channel: the
      // overlaps of a schedule on that XMLTV channel count them.
      const { xmltv_id: xmltvId } = await tx.selectFrom('channels').select('xmltv_id').where('id', '=', channelId).executeTakeFirstOrThrow()
      const keep = new Set(keptIds)
      // Whole rows: the build's history entry keeps them, so an undo puts them back (edits.ts).
      const candidates = await tx.selectFrom('events').selectAll()
        .where('channel_id', '=', channelId).where('schedule_id', 'is', null).where('pinned', '=', 0)
        .where('start_ms', '>=', from).where('start_ms', '<', to)
        .execute()
      // A kept segment keeps its whole programme: none of its segments is deleted.
      const keptProgrammes = new Set(candidates.filter((r) => keep.has(r.id) && r.programme_id !== null && r.origin_kind !== 'default').map((r) => r.programme_id))
      const replacedRows = candidates.filter((r) => !keep.has(r.id) && !keptProgrammes.has(r.programme_id))
      const replaced = replacedRows.map((row) => row.id)
      for (let first = 0; first < replaced.length; first += IDS_PER_STATEMENT) {
        await tx.deleteFrom('events').where('id', 'in', replaced.slice(first, first + IDS_PER_STATEMENT)).execute()
      }
      await this.scope.dialect.insertRows(tx, 'events', rowsOf(events, (e, position) => ({
        id: newId(),
        schedule_id: null,
        channel_id: channelId,
        position,
        title: e.title,
        start_ms: e.start,
        end_ms: e.end,
        video_url: e.video_url,
        video_key: e.video_key,
        category: e.category,
        description: e.description ?? null,
        tags: e.year == null ? '[]' : JSON.stringify(tagsOf(e.year)),
        channel: xmltvId,
        origin_kind: e.origin.kind,
        origin_block: e.origin.block ?? null,
        origin_override: e.origin.override ?? null,
        origin_source: e.origin_source,
        origin_position: e.origin_position,
        reason: e.reason,
        pinned: 0,
        build_id: build.id,
        guide_id: e.guide_id,
        guide_title: e.guide_title,
        in_ms: e.in_ms,
        episode_num: e.episode_num,
        icon: e.icon,
        programme_id: e.programme_id,
        segment_role: e.segment_role,
        guide_mode: e.guide_mode
      })))
      await tx.insertInto('channel_builds').values({
        id: build.id,
        channel_id: channelId,
        created: new Date().toISOString(),
        from_date: build.from_date,
        to_date: build.to_date,
        seed: build.seed,
        freeze_hours: build.freeze_hours,
        stats: JSON.stringify(build.stats),
        warnings: JSON.stringify(build.warnings),
        revision
      }).execute()
      return { revision, deleted: replaced.length, inserted: events.length, replaced: replacedRows }
    })
  }

  async buildsSince (channelId: string, revision: number, sinceMs: number | null): Promise<{ after: number, unknown: number }> {
    const count = (later: boolean): Promise<{ count: number }> => {
      let query = this.scope.db().selectFrom('channel_builds').select((eb) => eb.fn.countAll<number>().as('count')).where('channel_id', '=', channelId)
      if (later) return query.where('revision', '>', revision).executeTakeFirstOrThrow()
      // `created` is an ISO instant, so text order is time order.
      query = query.where('revision', 'is', null)
      return (sinceMs === null ? query : query.where('created', '>', new Date(sinceMs).toISOString())).executeTakeFirstOrThrow()
    }
    const [after, unknown] = await Promise.all([count(true), count(false)])
    return { after: Number(after.count), unknown: Number(unknown.count) }
  }

  async buildRanges (channelId: string, fromDate: string): Promise<Array<{ from: string, to: string }>> {
    // Local dates as YYYY-MM-DD compare as text.
    const rows = await this.scope.db().selectFrom('channel_builds').select(['from_date', 'to_date'])
      .where('channel_id', '=', channelId).where('to_date', '>=', fromDate).execute()
    return rows.map((r) => ({ from: r.from_date, to: r.to_date }))
  }

  async rollingInputs (channelId: string): Promise<string | null> {
    const row = await this.scope.db().selectFrom('channels').select('rolling_inputs').where('id', '=', channelId).executeTakeFirst()
    return row?.rolling_inputs ?? null
  }

  async setRollingInputs (channelId: string, fingerprint: string): Promise<void> {
    await this.scope.write((tx) => tx.updateTable('channels').set({ rolling_inputs: fingerprint }).where('id', '=', channelId).execute())
  }

  async playlistRevisions (ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map()
    const scopes = ids.map(playlistScope)
    const rows = await this.scope.db().selectFrom('revisions').select(['scope', 'revision']).where('scope', 'in', scopes).execute()
    const byScope = new Map(rows.map((r) => [r.scope, Number(r.revision)]))
    return new Map(ids.flatMap((id) => { const n = byScope.get(playlistScope(id)); return n === undefined ? [] : [[id, n]] }))
  }

  async builtUntil (channelId: string): Promise<number | null> {
    const db = this.scope.db()
    // The last start by events_by_channel_id_start; an earlier, longer event may end later, so
    // the latest end among those on air from then on (onAirWhere's seek, bounded by the longest event).
    const last = await db.selectFrom('events').select('start_ms').where('channel_id', '=', channelId).orderBy('start_ms', 'desc').limit(1).executeTakeFirst()
    if (last === undefined) return null
    const query = await onAirWhere(db, channelId, Number(last.start_ms), Number.MAX_SAFE_INTEGER)
    const row = await query?.select((eb) => eb.fn.max('end_ms').as('end')).executeTakeFirst()
    return row?.end == null ? null : Number(row.end)
  }

  async airedSpans (channelId: string, { from, to }: { from: number, to: number }): Promise<Array<{ start: number, end: number }>> {
    const query = await onAirWhere(this.scope.db(), channelId, from, to)
    if (query === null) return []
    const rows = await query.select(['start_ms', 'end_ms']).orderBy('start_ms').execute()
    return rows.map((r) => ({ start: Number(r.start_ms), end: Number(r.end_ms) })).filter((r) => isReadableSpan(r.start, r.end))
  }

  async setPinned (eventId: string, pinned: boolean): Promise<boolean> {
    return this.scope.write(async (tx) => {
      const row = await tx.updateTable('events').set({ pinned: pinned ? 1 : 0 }).where('id', '=', eventId).returning('channel_id').executeTakeFirst()
      if (row === undefined) return false
      if (row.channel_id !== null) await this.raiseRevision(tx, row.channel_id)
      return true
    })
  }
}
