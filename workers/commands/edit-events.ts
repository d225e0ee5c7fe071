import { newId } from '../ids.js'
import type { EditAnswer, History, ProgrammeEditAnswer, UndoAnswer } from '../../contract/api.js'
import { isObject } from '../json.js'
import { CommandError } from '../../contract/command-error.js'
import { iso } from '../schedule/model.js'
import type { Store } from '../storage/store.js'
import type { EditTarget, HistoryRecord, NewHistoryEntry, TargetState } from '../storage/edits.js'
import { readEditOps, type CheckedOp } from '../editing/request.js'
import { HISTORY_MAX, HISTORY_PAGE } from '../../contract/limits.js'
import { BUILD_HISTORY_KINDS, LAST_BUILD } from '../../contract/limits.js'
import { localDayOf } from '../editing/ripple.js'
import { inAirOrder } from '../editing/programme.js'
import { channelEvent } from '../storage/channels.js'
import { programmeAnswer } from '../channels/programme-answer.js'
import type { Channel } from '../../contract/channels.js'
import { handRow, isEmptyChange, namedIds, namedProgrammes, planEdits, type EditTimeline, type EventChangeRows, type EventRow } from '../editing/plan.js'
import { buildsNamed, entryToTakeBack, idsNamed, takeBack, type TakenBack, type UndoKind } from '../editing/undo.js'
import { describeEdit } from '../editing/summary.js'
import { AUTHOR_OPTIONS, AUTHOR_USAGE, DAY_MS, entryBy, historyEntry, keepSince } from './history.js'
import { editWarnings } from '../editing/warnings.js'
import { channelCooldowns } from '../channels/cooldown-policy.js'
import type { CommandContext, CommandDefinition, OptionValues } from './command.js'
import { found, isRecordId, notFound } from './not-found.js'
import { timezoneOption } from './options.js'
import { jsonBody } from './json-body.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, REPLAYED_FIELD, WriteOnce } from './idempotency.js'
import { noteRevisionBefore } from '../storage/before-write.js'
import { publishAfterWrite, type Span } from '../on-air/publish.js'

// Editing by hand (SPEC §12), for a schedule (--schedule ID) or a channel (--channel ID):
// edits, history, undo/redo and revert. Each write runs in one exclusive() transaction that
// checks the revision (--if-match), writes the rows, raises the revision and keeps the history
// entry; the warnings it causes are worked out after, on the whole timeline.

const TARGET_OPTIONS = {
  schedule: { type: 'string' },
  channel: { type: 'string' },
  'if-match': { type: 'string' },
  ...AUTHOR_OPTIONS,
  ...idempotencyOptions
} as const
const TARGET_USAGE = `--schedule ID | --channel ID [--if-match REVISION] ${AUTHOR_USAGE} ${IDEMPOTENCY_USAGE}`

function targetOption (options: OptionValues): EditTarget {
  const schedule = typeof options.schedule === 'string' ? options.schedule : undefined
  const channel = typeof options.channel === 'string' ? options.channel : undefined
  if ((schedule === undefined) === (channel === undefined)) throw new CommandError('BAD_ARGUMENTS', 'give --schedule ID or --channel ID')
  const target: EditTarget = schedule !== undefined ? { kind: 'schedule', id: schedule } : { kind: 'channel', id: channel! }
  if (!isRecordId(target.id)) throw notFound(target.kind, target.id)
  return target
}

export function revisionOption (options: OptionValues): number | undefined {
  const value = options['if-match']
  if (value === undefined) return undefined
  const n = Number(value)
  if (typeof value !== 'string' || !Number.isSafeInteger(n) || n < 1) throw new CommandError('BAD_REQUEST', 'If-Match must be a revision: a whole number such as "7"', [{ field: 'If-Match', message: 'not a revision' }])
  return n
}

/** The state, or 404; with If-Match, 412 naming who wrote the revision that came since. */
export async function checkedState (tx: Store, target: EditTarget, ifMatch: number | undefined): Promise<TargetState> {
  const state = found(await tx.edits.state(target), target.kind, target.id)
  if (ifMatch !== undefined && ifMatch !== state.revision) {
    const [last] = await tx.edits.history(target, { limit: 1 })
    const who = last !== undefined && last.revision === state.revision ? `changed by ${last.by_name} (${last.by_role}) at ${iso(last.at_ms)}` : 'changed by an import or a placement since'
    throw new CommandError('PRECONDITION_FAILED', `this ${target.kind} was ${who}: it is at revision ${state.revision}, not ${ifMatch}; reload it and edit again`)
  }
  // What a failed answer after the commit names as `revision_before` (protocol.ts, CommittingFrame).
  noteRevisionBefore(state.revision)
  return state
}

/** `channel`: a channel's name and filler title, which a programme's answer may need (read only when an op names a programme). */
function timelineOf (target: EditTarget, state: TargetState, zone: string, channel: Pick<Channel, 'name' | 'filler_title'> | null): EditTimeline {
  let position = state.maxPosition
  return {
    ...target,
    zone,
    programme: (id, rows) => {
      const segments = inAirOrder(rows).map(channelEvent)
      return programmeAnswer({ id, start: segments[0].start, segments }, channel ?? { name: '', filler_title: null })
    },
    newRow: (id, f): EventRow => handRow({
      id,
      schedule_id: target.kind === 'schedule' ? target.id : null,
      channel_id: target.kind === 'schedule' ? state.channelRef : target.id,
      position: ++position,
      title: f.title,
      start_ms: f.start,
      end_ms: f.end,
      video_url: f.video_url ?? null,
      category: f.category ?? null,
      description: f.description ?? null,
      channel: state.soleChannel,
      reason: target.kind === 'channel' ? 'added by hand' : null,
      pinned: target.kind === 'channel' ? 1 : 0
    })
  }
}

/**
 * The rows an edit reads: those its ops name, every segment of the programmes they name, and
 * every event of each ripple's local day with the first event after it (the ripple's wall),
 * not the whole timeline (a 10,000-event schedule is edited one event at a time).
 */
async function rowsFor (tx: Store, target: EditTarget, ops: readonly CheckedOp[], zone: string): Promise<EventRow[]> {
  const rows = new Map((await tx.edits.rowsOf(namedIds(ops), target)).map((r) => [r.id, r]))
  const programmes = namedProgrammes(ops)
  const segments = target.kind === 'channel' && programmes.length > 0 ? await tx.edits.programmes.segments(target.id, programmes) : []
  for (const row of segments) rows.set(row.id, row)
  for (const op of ops) {
    const start = op.op === 'update' && op.ripple !== null
      ? rows.get(op.id)?.start_ms
      : op.op === 'update-programme' && op.ripple !== null ? Math.min(...segments.filter((s) => s.programme_id === op.id).map((s) => s.start_ms)) : undefined
    if (start === undefined || !Number.isFinite(start)) continue
    const day = localDayOf(start, zone)
    for (const other of await tx.edits.rowsStarting(target, day.from, day.to)) if (!rows.has(other.id)) rows.set(other.id, other)
    const wall = await tx.edits.programmes.firstFrom({ column: target.kind === 'schedule' ? 'schedule_id' : 'channel_id', id: target.id }, day.to)
    if (wall !== undefined && !rows.has(wall.id)) rows.set(wall.id, wall)
  }
  return [...rows.values()]
}

/** The events an edit leaves changed or added, as it wrote them: what its warnings are about. */
const touchedBy = (c: EventChangeRows): EventRow[] => [...c.added, ...c.changed.map((x) => x.after)]

/** Where an edit changed the air: each row it added, removed or changed, before and after (what a channel's publish targets rewrite). */
const spansOf = (c: EventChangeRows): Span[] => [...c.added, ...c.removed, ...c.changed.flatMap((x) => [x.before, x.after])]
  .map((r) => ({ from: Number(r.start_ms), to: Number(r.end_ms) }))

interface Written { revision: number, changes: EventChangeRows, checkedAs: { cooldownHours: number, placedOn: string | null } }

/**
 * What an edit, undo or revert keeps under its Idempotency-Key, in its transaction: its answer
 * but the warnings, with what they are worked out from. The warnings are worked out after the
 * commit (outside the deadline, protocol.ts), for the first answer and for a replay alike.
 */
type KeptEdit<A> = Omit<A, 'status' | 'warnings'> & { touched: string[], checkedAs: Written['checkedAs'] }

/** What a write callback of editOnce answers: the write, and the rest of its answer. */
interface EditWrite<A> { written: Written, rest: Omit<A, 'status' | 'warnings' | 'revision'> }

/**
 * Runs `write` once per Idempotency-Key (WriteOnce), then answers what it kept with the
 * warnings of the events it touched: the rows as it wrote them, or for a repeat of a stored
 * write (answered again, marked replayed) those rows as they are now.
 */
async function editOnce<A extends { warnings: EditAnswer['warnings'] }> (ctx: CommandContext, command: string, target: EditTarget, input: Buffer, write: (tx: Store) => Promise<EditWrite<A>>): Promise<A> {
  const db = await ctx.store()
  const once = WriteOnce.of<KeptEdit<A>>(command, ctx.options, ctx.positionals, input)
  let written: EventRow[] | undefined
  let spans: Span[] = []
  const keep = async (tx: Store): Promise<KeptEdit<A>> => {
    const { written: w, rest } = await write(tx)
    written = touchedBy(w.changes)
    spans = spansOf(w.changes)
    return { ...rest, revision: w.revision, touched: written.map((r) => r.id), checkedAs: w.checkedAs } as KeptEdit<A>
  }
  const earlier = await once.earlier(db)
  const { answer, replayed } = earlier !== undefined ? { answer: earlier, replayed: true } : await once.commit(db, keep)
  if (!replayed && target.kind === 'channel') await publishAfterWrite(db, target.id, spans, ctx.now(), ctx.log)
  const { touched, checkedAs, [REPLAYED_FIELD]: _mark, ...rest } = answer as KeptEdit<A> & { [REPLAYED_FIELD]?: true }
  const rows = !replayed && written !== undefined ? written : await db.edits.rowsOf(touched, target)
  // A channel's replays count airings, each with its own cooldown (SPEC §15), as its marks do.
  const policy = target.kind === 'channel' ? await channelCooldowns(db, target.id) : null
  const warnings = await editWarnings(db, target, rows, { ...checkedAs, policy })
  return { status: 'success', ...rest, warnings, ...(replayed && { [REPLAYED_FIELD]: true }) } as unknown as A
}

/** Writes `changes` (and a channel's settings) with their history entry; a write that changes nothing keeps the revision. */
async function write (tx: Store, ctx: CommandContext, target: EditTarget, state: TargetState, taken: TakenBack, entry: NewHistoryEntry): Promise<Written> {
  const { changes, settings } = taken
  const checkedAs = { cooldownHours: state.cooldownHours, placedOn: state.channelRef }
  if (isEmptyChange(changes) && settings === undefined) return { revision: state.revision, changes, checkedAs }
  const detail = settings === undefined ? entry.detail : { ...entry.detail, settings }
  const revision = await tx.edits.apply(target, changes, { ...entry, ...(detail !== undefined && { detail }) }, keepSince(ctx.options))
  return { revision, changes, checkedAs }
}

/** Plans and writes the ops `opsOf` reads from the body, in the timeline's zone, once per Idempotency-Key. */
async function runEdits (ctx: CommandContext, command: string, target: EditTarget, input: Buffer, opsOf: (zone: string) => CheckedOp[]): Promise<EditAnswer> {
  const ifMatch = revisionOption(ctx.options)
  const zone = target.kind === 'schedule' ? timezoneOption(ctx.options) : null
  return editOnce<EditAnswer>(ctx, command, target, input, async (tx) => {
    const state = await checkedState(tx, target, ifMatch)
    const ops = opsOf(zone ?? state.timezone ?? 'UTC')
    const channel = target.kind === 'channel' && namedProgrammes(ops).length > 0 ? found(await tx.channels.get(target.id), 'channel', target.id) : null
    const timeline = timelineOf(target, state, zone ?? state.timezone ?? 'UTC', channel)
    const plan = planEdits(timeline, await rowsFor(tx, target, ops, timeline.zone), ops, newId)
    const rippled = new Set(plan.results.flatMap((r) => r.moved ?? []))
    const entry = entryBy(ctx, 'edit', describeEdit(plan.changes, timeline.zone, rippled))
    return { written: await write(tx, ctx, target, state, { changes: plan.changes }, entry), rest: { results: plan.results } }
  })
}

export const editEvents: CommandDefinition<EditAnswer> = {
  summary: 'edit events of a schedule or channel: {"ops": [{"op": "add" | "update" | "delete", …}]} as JSON (SPEC §12), all or none; on a channel an op may name a "programme" in place of an "id"',
  usage: `${TARGET_USAGE} [--timezone ZONE] [file]`,
  options: { ...TARGET_OPTIONS, timezone: { type: 'string' } },
  async run (ctx) {
    const target = targetOption(ctx.options)
    const { input, body } = await jsonBody(ctx.readInput)
    return runEdits(ctx, 'edit-events', target, input, (zone) => readEditOps(body, zone))
  }
}

/**
 * One programme of a channel edited whole (SPEC §14), as PATCH and DELETE …/programmes/:pid:
 * the body is the PATCH's, read as the one bulk op naming the programme (its problems named
 * `ops.0.…`, as an event's PATCH names them); answered with the programme as it is after.
 */
export const editProgramme: CommandDefinition<ProgrammeEditAnswer> = {
  summary: 'move, resize, pin or ripple one programme of a channel with all its segments: {"start"?, "end"?, "pinned"?, "ripple"?: true | "day" | "gap"} as JSON; --delete: delete it',
  usage: `--channel ID --programme PID [--delete] ${TARGET_USAGE.replace('--schedule ID | --channel ID ', '')} [file]`,
  options: { ...TARGET_OPTIONS, programme: { type: 'string' }, delete: { type: 'boolean' } },
  async run (ctx) {
    const target = targetOption(ctx.options)
    const programme = ctx.options.programme
    if (target.kind !== 'channel' || typeof programme !== 'string' || programme === '') throw new CommandError('BAD_ARGUMENTS', 'give --channel ID and --programme PID: programmes are a channel\'s')
    const deleting = ctx.options.delete === true
    const { input, body } = deleting ? { input: Buffer.alloc(0), body: {} } : await jsonBody(ctx.readInput)
    // The programme is named by --programme alone: a body naming an op or another programme is refused, not overridden.
    if (isObject(body)) for (const field of ['op', 'id', 'programme']) if (field in body) throw new CommandError('VALIDATION_FAILED', `${field}: not a field of this body`, [{ field, message: 'not a field of this body' }])
    const op = deleting ? { op: 'delete', programme } : isObject(body) ? { ...body, op: 'update', programme } : body
    // The rest keeps the replay mark (REPLAYED_FIELD) a repeat of a stored write carries.
    const { results: [result], warnings, ...rest } = await runEdits(ctx, 'edit-programme', target, input, (zone) => readEditOps({ ops: [op] }, zone))
    return {
      ...rest,
      ...(result?.programme !== undefined && { programme: result.programme }),
      ...(result?.moved !== undefined && { moved: result.moved }),
      ...(result?.item_cut !== undefined && { item_cut: result.item_cut }),
      warnings
    }
  }
}

/** What an undo or revert takes back, and how its entry reads. */
interface EntriesPicked { entries: HistoryRecord[], summary: string, undoes: number | null, kind: 'undo' | 'revert' }

type Picker = (tx: Store, target: EditTarget, state: TargetState) => Promise<EntriesPicked>

async function takeBackEntries (ctx: CommandContext, command: string, pick: Picker): Promise<UndoAnswer> {
  const target = targetOption(ctx.options)
  const ifMatch = revisionOption(ctx.options)
  return editOnce<UndoAnswer>(ctx, command, target, Buffer.alloc(0), async (tx) => {
    const state = await checkedState(tx, target, ifMatch)
    const { entries, summary, undoes, kind } = await pick(tx, target, state)
    // The rows the entries name, and every row of a build among them (found by its build_id).
    const rows = [...await tx.edits.rowsOf(idsNamed(entries)), ...await tx.edits.rowsOfBuilds(buildsNamed(entries))]
    const current = new Map(rows.map((r) => [r.id, r]))
    const settings = target.kind === 'channel' && entries.some((e) => e.detail.settings !== undefined) ? await tx.edits.settingsNow(target.id) ?? undefined : undefined
    const taken = takeBack(entries, current, settings)
    const entry = { ...entryBy(ctx, kind, summary), undoes }
    return { written: await write(tx, ctx, target, state, taken, entry), rest: { reverted: entries.map((e) => e.revision) } }
  })
}

export const undoEdit: CommandDefinition<UndoAnswer> = {
  summary: 'take back the last write of a schedule or channel (an edit, build, template, override or settings change; --redo: the last undo); itself a new revision',
  usage: `${TARGET_USAGE} [--redo]`,
  options: { ...TARGET_OPTIONS, redo: { type: 'boolean' } },
  run: (ctx) => takeBackEntries(ctx, 'undo-edit', async (tx, target) => {
    const kind: UndoKind = ctx.options.redo === true ? 'redo' : 'undo'
    // Which entry, from the heads alone; then that one entry's rows.
    const { revision } = entryToTakeBack(await tx.edits.historyHeads(target, HISTORY_MAX), kind)
    const entry = (await tx.edits.historyEntry(target, revision))!
    return { entries: [entry], summary: `${kind} of r${entry.revision}: ${entry.summary}`, undoes: entry.revision, kind: 'undo' }
  })
}

/** --revision N, or --to last_build: the newest build's revision. */
async function revertTarget (tx: Store, target: EditTarget, state: TargetState, options: OptionValues): Promise<{ revision: number, said: string }> {
  if (options.to !== undefined) {
    if (options.to !== LAST_BUILD) throw new CommandError('BAD_REQUEST', `to must be "${LAST_BUILD}"`, [{ field: 'to', message: `not "${LAST_BUILD}"` }])
    const revision = await tx.edits.newestOfKind(target, BUILD_HISTORY_KINDS)
    if (revision === null) throw new CommandError('NOTHING_TO_UNDO', `no build of this ${target.kind} in the history kept: nothing to go back to`)
    return { revision, said: `revert to the last build (r${revision})` }
  }
  const revision = Number(options.revision)
  if (!Number.isSafeInteger(revision) || revision < 1 || revision >= state.revision) {
    throw new CommandError('BAD_REQUEST', `revision must be a whole number from 1 to ${state.revision - 1} (this ${target.kind} is at revision ${state.revision})`, [{ field: 'revision', message: 'not an earlier revision' }])
  }
  return { revision, said: `revert to r${revision}` }
}

export const revertEdits: CommandDefinition<UndoAnswer> = {
  summary: 'take a schedule or channel back to the state right after --revision N (or --to last_build: the newest build), its events and settings; itself a new revision',
  usage: `${TARGET_USAGE} --revision N | --to ${LAST_BUILD}`,
  options: { ...TARGET_OPTIONS, revision: { type: 'string' }, to: { type: 'string' } },
  run: (ctx) => takeBackEntries(ctx, 'revert-edits', async (tx, target, state) => {
    const { revision, said } = await revertTarget(tx, target, state, ctx.options)
    const entries = await tx.edits.history(target, { after: revision, rows: true })
    if (entries.length === 0) {
      if (revision === state.revision) throw new CommandError('NOTHING_TO_UNDO', `${said}: nothing to do, this ${target.kind} is still as it was right after it`)
      throw new CommandError('NOTHING_TO_UNDO', await nothingToRevert(tx, target, state, revision, ctx.options))
    }
    return { entries, summary: `${said}: took back ${entries.length === 1 ? 'r' + String(entries[0].revision) : `r${entries.at(-1)!.revision}–r${entries[0].revision}`}`, undoes: null, kind: 'revert' }
  })
}

/**
 * Why a revert to `revision` finds no kept edit after it, saying only what is known (issue 21):
 * the revisions since were made by writes the history does not keep. A channel's builds record
 * the revision they made, so a build since is named; without one (and nothing dropped from the
 * history) its events are as they were then. A schedule's revision moves outside its history
 * only when it is put on or taken off a channel, which leaves its events as they are.
 */
async function nothingToRevert (tx: Store, target: EditTarget, state: TargetState, revision: number, options: OptionValues): Promise<string> {
  const head = `no edit since revision ${revision} in the history kept`
  const since = state.revision === revision + 1 ? `revision ${state.revision} was` : `revisions ${revision + 1} to ${state.revision} were`
  const [last] = await tx.edits.history(target, { limit: 1 }) // at or before `revision`
  // Entries go by age: with one kept at or before `revision`, none after it was dropped.
  const pruned = last === undefined ? ` (or by edits older than the ${Math.round((Date.now() - keepSince(options)) / DAY_MS)} days the history keeps)` : ''
  if (target.kind === 'schedule') {
    return pruned === ''
      ? `${head}: ${since} made by putting it on or taking it off a channel, which does not change its events: they are as they were then`
      : `${head}: ${since} made by putting it on or taking it off a channel${pruned}; nothing was changed`
  }
  const builds = await tx.channels.buildsSince(target.id, revision, last?.at_ms ?? null)
  if (builds.after > 0) {
    return `${head}: ${builds.after === 1 ? 'a build' : `${builds.after} builds`} changed this channel's events since then, and builds are not in the history yet, so a revert cannot cross one; nothing was changed`
  }
  if (builds.unknown === 0) {
    return pruned === ''
      ? `${head}: ${since} made by settings, template, override or placement changes and no build ran since, so its events are as they were then`
      : `${head}: no build ran since; ${since} made by settings, template, override or placement changes${pruned}; nothing was changed`
  }
  return `${head}: ${since} made by writes the history does not keep (settings, template or override changes, or builds${pruned}); a build among them would have changed the events, and a revert cannot cross a build until builds are in the history; nothing was changed`
}

export const editHistory: CommandDefinition<History> = {
  summary: 'the writes of a schedule or channel (edits, builds, template, override and settings changes, undos, reverts), newest first, with what each changed in words and who made it',
  usage: `--schedule ID | --channel ID [--limit N (1-${HISTORY_MAX}, default ${HISTORY_PAGE})]`,
  options: { schedule: { type: 'string' }, channel: { type: 'string' }, limit: { type: 'string' } },
  async run (ctx) {
    const target = targetOption(ctx.options)
    // Entries hold whole rows (a bulk edit of 1,000 events, 2,000 of them): the newest page by default.
    const limit = ctx.options.limit === undefined ? HISTORY_PAGE : Number(ctx.options.limit)
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > HISTORY_MAX) throw new CommandError('BAD_REQUEST', `limit must be a whole number from 1 to ${HISTORY_MAX}`, [{ field: 'limit', message: 'out of range' }])
    const db = await ctx.store()
    const revision = found(await db.edits.revision(target), target.kind, target.id)
    return { revision, history: (await db.edits.history(target, { limit })).map(historyEntry) }
  }
}
