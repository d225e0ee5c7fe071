import { newId } from '../ids.js'
import { buildChannel } from '../channels/build.js'
import { kindOf, namedSources, sourceItem, sourceKey } from '../channels/source-kinds/index.js'
import { SourceReader } from '../channels/source-kinds/reader.js'
import { readBuildRequest, type BuildPlan } from '../channels/request.js'
import { localDays } from '../channels/wall-time.js'
import { CooldownPolicy, namedPlaylists } from '../channels/cooldown-policy.js'
import type { Block, BuildInput, BuildResult, SourceItem } from '../channels/types.js'
import type { GuideMode } from '../../contract/programmes.js'
import { airedEvent } from '../schedule/model.js'
import { programmeBriefs } from '../channels/programme-answer.js'
import type { BuildAnswer, BuildDryRun, BuildStored, Channel, ChannelEvent } from '../../contract/api.js'
import type { Play, Store } from '../storage/store.js'
import type { ReplacedBuild, StoredKeptEvent } from '../storage/channels.js'
import type { BuildFacts } from '../../contract/editing.js'
import type { CommandContext, CommandDefinition } from './command.js'
import type { WorkerLog } from '../log.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, WriteOnce } from './idempotency.js'
import { checkedState, revisionOption } from './edit-events.js'
import { OPTIMISTIC_ATTEMPTS } from './auto-fill.js'
import { CHANNEL_OPTION, findChannel } from './channels.js'
import { jsonBody } from './json-body.js'
import { requiredId } from './options.js'
import { MAX_PAGE, MAX_PREVIEW_PROGRAMMES } from '../../contract/limits.js'
import { AUTHOR_OPTIONS, recordWrite } from './history.js'
import { describeBuild } from '../editing/summary.js'
import { withCoverage } from '../on-air/coverage.js'
import { publishAfterWrite, type Span } from '../on-air/publish.js'

// build-channel (SPEC §11): the auto-fill command's pattern. The build is computed outside
// the write lock from what the store holds (template, overrides, playlists, the channel's
// plays, the kept events, the sequential state), then stored under the lock once the plays it
// read and the channel's revision are unchanged; else computed again, and at last under the lock.

const HOUR_MS = 3_600_000

/** What a build reads before it computes; read again when the channel changed meanwhile. */
interface Inputs { channel: Channel, input: Omit<BuildInput, 'plays' | 'kept'>, window: { from: number, to: number }, plays: { from: number, to: number }, freezeEnd: number }

/** A stored playlist item as a block's source reads it (source-kinds/playlist.ts). */
export { sourceItem }

async function gather (db: Store, id: string, plan: BuildPlan, now: number): Promise<Inputs> {
  const channel = await findChannel(db, id)
  const { template } = (await db.channels.getTemplate(id))!
  const overrides = await db.channels.listOverrides(id, { from: plan.from, to: plan.to })
  const blocks: Block[] = [...template.blocks, ...overrides.flatMap((o) => o.blocks)]
  // Each source its kind loads (source-kinds/): playlists, groups, collections read now, so a
  // playlist replaced or a file scanned since the last build airs in this one.
  const reader = new SourceReader(db)
  const sources = new Map<string, SourceItem[]>()
  for (const source of namedSources(blocks, channel.default_filler)) {
    const items = await kindOf(source).load(reader, source)
    if (items !== null) sources.set(sourceKey(source), items) // else the builder warns SOURCE_MISSING
  }
  const playlistGuides = new Map<string, GuideMode | null>()
  const playlistCooldowns = new Map<string, number>()
  for (const playlistId of namedPlaylists(template, overrides, channel.default_filler)) {
    const playlist = await reader.playlist(playlistId)
    if (playlist === null) continue
    if (playlist.cooldown_hours !== null) playlistCooldowns.set(playlistId, playlist.cooldown_hours)
    playlistGuides.set(playlistId, playlist.guide)
  }
  const days = localDays(plan.from, plan.to, channel.timezone)
  const window = { from: days[0].start, to: days[days.length - 1].end }
  // The plays read around the window: as far as the longest cooldown any item may resolve to.
  const cooldownMs = new CooldownPolicy({ template, overrides, playlists: playlistCooldowns, defaultFiller: channel.default_filler }).longestMs
  return {
    channel,
    window,
    plays: { from: window.from - cooldownMs, to: window.to + cooldownMs },
    freezeEnd: now + plan.freezeHours * HOUR_MS,
    input: {
      channel: { id, timezone: channel.timezone, default_filler: channel.default_filler, default_filler_guide: channel.default_filler_guide },
      template,
      overrides,
      from: plan.from,
      to: plan.to,
      seed: plan.seed,
      now,
      freezeMs: plan.freezeHours * HOUR_MS,
      buildId: newId(),
      sources,
      playlistGuides,
      playlistCooldowns,
      // What aired before the window; the kept events inside it (frozen, pinned, placed) move
      // each series on as the builder passes them (SPEC §15).
      sequential: await db.channels.sequentialState(id, [...new Set(blocks.map((b) => b.id))], window.from)
    }
  }
}

/** The plays the cooldown counts: every stored play near the window but the built ones this build replaces. */
function playsOutside (plays: Iterable<Play>, window: { from: number, to: number }, kept: StoredKeptEvent[]): Map<string, number[]> {
  const keptStarts = new Set(kept.map((k) => k.start))
  const byVideo = new Map<string, number[]>()
  for (const p of plays) {
    // A play inside the window is replaced unless a kept event starts then (kept events stay).
    if (p.start >= window.from && p.start < window.to && !keptStarts.has(p.start)) continue
    let starts = byVideo.get(p.video_key)
    if (starts === undefined) byVideo.set(p.video_key, starts = [])
    starts.push(p.start)
  }
  for (const starts of byVideo.values()) starts.sort((a, b) => a - b)
  return byVideo
}

/** A dry run's events: the first MAX_PAGE (SPEC §12), so a 93-day preview stays one page. */
const eventAnswers = (result: BuildResult): ChannelEvent[] => result.events.slice(0, MAX_PAGE).map((e, i) => ({
  ...airedEvent(`preview-${i + 1}`, e),
  origin: { ...e.origin, ...(e.origin_source !== null && { source: e.origin_source }), ...(e.origin_position !== null && { position: e.origin_position }) },
  reason: e.reason,
  pinned: false,
  schedule_id: null,
  guide_id: e.guide_id,
  programme_id: e.programme_id,
  segment_role: e.segment_role,
  in_ms: e.in_ms,
  episode_num: e.episode_num
}))

/** The build's history entry (SPEC §14): the rows it replaced, whole; its own are found by build_id. */
const recordBuild = async (tx: Store, run: BuildRun, id: string, stored: ReplacedBuild, facts: BuildFacts): Promise<void> =>
  recordWrite(tx, run.author, id, stored.revision, {
    kind: run.kind, summary: describeBuild(facts), changes: { added: [], removed: stored.replaced, changed: [] }, detail: { build: facts }
  })

/** How one build is run: by hand (build-channel) or by the scheduler (roll-channel, SPEC §17). */
export interface BuildRun {
  /** The service's now (the command's ctx.now()): what freeze_hours counts from. */
  now: number
  kind: 'build' | 'rolling_build'
  /** Who, for the history entry: --by, --role, --history-days and the request id. */
  author: Pick<CommandContext, 'options' | 'requestId'>
  log: WorkerLog
  /** If-Match: the channel's revision as the client last saw it, checked under the write lock. */
  ifMatch?: number
  /** Asked under the write lock before anything is stored: false, nothing is (answered null). */
  wanted?: (tx: Store) => Promise<boolean>
}

/** Thrown inside the write transaction when `wanted` says no: nothing is written. */
class NotWanted extends Error {}

/**
 * Computes a build of `plan` (not a dry run) and stores it with its history entry: outside the
 * write lock from what the store holds, then stored under the lock once the plays it read and the
 * channel's revision are unchanged; else computed again, and at last under the lock. null: `wanted`
 * said no under the lock (nothing stored).
 */
export async function storeChannelBuild (
  db: Store, id: string, plan: BuildPlan, run: BuildRun, once: WriteOnce<BuildStored> = WriteOnce.of<BuildStored>('build-channel', {}, [])
): Promise<BuildStored | null> {
  // What the committed build replaced: the days its publish targets get rewritten (SPEC §17).
  let affected: Span | undefined
  const storeBuild = async (tx: Store, inputs: Inputs, { result, kept }: Computed): Promise<BuildStored> => {
    if (run.wanted !== undefined && !await run.wanted(tx)) throw new NotWanted()
    // If-Match (SPEC §12): the channel as the client last saw it, checked under the write lock.
    if (run.ifMatch !== undefined) await checkedState(tx, { kind: 'channel', id }, run.ifMatch)
    const last = result.events.reduce((end, e) => Math.max(end, e.end), inputs.window.to)
    affected = { from: inputs.window.from, to: last }
    const stored = await tx.channels.replaceBuild(id, { from: inputs.window.from, to: last }, kept.map((k) => k.id), result.events, {
      id: inputs.input.buildId,
      from_date: plan.from,
      to_date: plan.to,
      seed: plan.seed,
      freeze_hours: plan.freezeHours,
      stats: result.stats,
      warnings: result.warnings
    })
    const channel = await withCoverage(tx, await findChannel(tx, id), run.now)
    const facts = { id: inputs.input.buildId, from: plan.from, to: plan.to, seed: plan.seed, events: stored?.inserted ?? 0, replaced: stored?.deleted ?? 0 }
    if (stored !== null) await recordBuild(tx, run, id, stored, facts)
    run.log.info('channel built', { channel_id: id, events: result.stats.events, deleted: stored?.deleted, kind: run.kind })
    return { ...figures(plan, channel, result), dry_run: false, build_id: inputs.input.buildId }
  }
  try {
    let committed = null
    for (let attempt = 1; committed === null && attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
      const inputs = await gather(db, id, plan, run.now)
      const reading = await db.readPlays(inputs.plays.from, inputs.plays.to, { channelId: id })
      const computed = await compute(db, id, reading.plays, inputs)
      committed = await once.commitIf(db,
        async (tx) => (await tx.channels.get(id))?.revision === inputs.channel.revision && await tx.playsUnchanged(reading),
        (tx) => storeBuild(tx, inputs, computed))
      if (committed === null) run.log.info('build-channel: the channel or its plays changed while it computed; computing again', { attempt })
    }
    committed ??= await once.commit(db, async (tx) => {
      const inputs = await gather(tx, id, plan, run.now)
      return storeBuild(tx, inputs, await compute(tx, id, await tx.playsBetween(inputs.plays.from, inputs.plays.to, { channelId: id }), inputs))
    })
    // After the commit, never failing it: a failed publish is the target's alarm (workers/on-air/publish.ts).
    if (affected !== undefined) await publishAfterWrite(db, id, affected, run.now, run.log)
    return committed.answer
  } catch (err) {
    if (err instanceof NotWanted) return null
    throw err
  }
}

interface Computed { result: BuildResult, kept: StoredKeptEvent[] }

async function compute (reader: Store, id: string, plays: Iterable<Play>, inputs: Inputs): Promise<Computed> {
  const kept = await reader.channels.keptEvents(id, inputs.window.from, inputs.window.to, inputs.freezeEnd)
  return { kept, result: buildChannel({ ...inputs.input, kept, plays: playsOutside(plays, inputs.window, kept) }) }
}

const figures = (plan: BuildPlan, channel: Channel, result: BuildResult) => ({
  status: 'success' as const, channel, revision: channel.revision, seed: plan.seed, stats: result.stats, warnings: result.warnings, warnings_total: result.warnings_total
})

const buildChannelCommand: CommandDefinition<BuildAnswer> = {
  summary: 'build a channel\'s events for a range of local days from its template and overrides (SPEC §11)',
  usage: `--channel <id> [--if-match REVISION] [--by NAME --role ROLE] [request.json]  (from, to, seed?, dry_run?, programmes?, freeze_hours?) ${IDEMPOTENCY_USAGE}`,
  options: { ...CHANNEL_OPTION, 'if-match': { type: 'string' }, ...AUTHOR_OPTIONS, ...idempotencyOptions },
  async run ({ options, positionals, readInput, store, log, requestId, now }) {
    const id = requiredId(typeof options.channel === 'string' ? [options.channel] : [], 'channel')
    const ifMatch = revisionOption(options)
    const { input, body } = await jsonBody(readInput)
    const plan = readBuildRequest(body, newId().slice(0, 8))
    const db = await store()
    const once = WriteOnce.of<BuildStored>('build-channel', options, positionals, input)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay

    if (plan.dryRun) {
      const inputs = await gather(db, id, plan, now())
      const { result } = await compute(db, id, await db.playsBetween(inputs.plays.from, inputs.plays.to, { channelId: id }), inputs)
      const channel = await withCoverage(db, inputs.channel, now())
      const answer: BuildDryRun = { ...figures(plan, channel, result), dry_run: true, events: eventAnswers(result), events_total: result.events.length }
      if (plan.programmes !== true) return answer
      const { programmes, total } = programmeBriefs(result.events, channel, MAX_PREVIEW_PROGRAMMES)
      return { ...answer, programmes, programmes_total: total }
    }
    const run: BuildRun = { now: now(), kind: 'build', author: { options, requestId }, log, ...(ifMatch !== undefined && { ifMatch }) }
    return (await storeChannelBuild(db, id, plan, run, once))!
  }
}
export default buildChannelCommand
