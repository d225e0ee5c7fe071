import { namedPlaylists } from '../channels/cooldown-policy.js'
import { namedSources } from '../channels/source-kinds/index.js'
import { builtUntil, coveredDays, covers, daySeed, fingerprint, freezeEnd, horizon, rollPlan, SCHEDULER, type RollAnswer, type RollDay } from '../on-air/rolling.js'
import type { Channel } from '../../contract/api.js'
import type { Store } from '../storage/store.js'
import type { CommandContext, CommandDefinition } from './command.js'
import { CHANNEL_OPTION, findChannel } from './channels.js'
import { storeChannelBuild, type BuildRun } from './channels-build.js'
import { requiredId } from './options.js'

// roll-channel (SPEC §17): one channel kept built build_ahead_days ahead, run by the on-air
// scheduler's `rolling-builds` step (plugins/rolling-builds.ts) on the leader. The days missing
// are built and, after a change of template, overrides or sources, the built days' unfrozen part
// rebuilt: one day at a time, each through build-channel's own path (storeChannelBuild) with its
// own seed and the channel's rebuild_freeze_hours, recorded in history as `rolling_build` by the
// scheduler. A failed build opens `build_failed:<channel>`; the next roll that succeeds clears it.

/** The alarm key of a channel's failed rolling build. */
export const buildFailedKey = (channelId: string): string => `build_failed:${channelId}`

/** The fingerprint of what the channel's days are built from now. */
async function currentInputs (db: Store, channel: Channel): Promise<string> {
  const { template } = (await db.channels.getTemplate(channel.id))!
  const overrides = await db.channels.listOverrides(channel.id)
  const named = [...namedPlaylists(template, overrides, channel.default_filler)]
  const revisions = await db.channels.playlistRevisions(named)
  const playlists = new Map(named.map((id) => [id, revisions.get(id) ?? null]))
  // A scan that adds, removes or re-probes an item of a collection the channel airs is a source change (SPEC §16, §17).
  const collections = new Map<string, string | null>()
  for (const source of namedSources([...template.blocks, ...overrides.flatMap((o) => o.blocks)], channel.default_filler)) {
    if ('collection' in source) collections.set(source.collection, await db.media.collectionVersion(source.collection))
  }
  return fingerprint({ channel, template, overrides, playlists, collections })
}

/** Builds one day; false when another instance built a missing day meanwhile (nothing stored). */
async function buildDay (db: Store, channel: Channel, day: RollDay, ctx: Pick<CommandContext, 'options' | 'requestId' | 'log'>, now: number): Promise<boolean> {
  const run: BuildRun = {
    now,
    kind: 'rolling_build',
    author: { options: { ...ctx.options, by: SCHEDULER.name, role: SCHEDULER.role }, requestId: ctx.requestId },
    log: ctx.log,
    // A missing day is built once: asked again under the write lock.
    ...(day.why === 'missing' && { wanted: async (tx: Store) => !covers(await tx.channels.buildRanges(channel.id, day.date), day.date) })
  }
  const plan = { from: day.date, to: day.date, seed: daySeed(channel.id, day.date), dryRun: false, freezeHours: channel.rebuild_freeze_hours }
  return await storeChannelBuild(db, channel.id, plan, run) !== null
}

const rollChannel: CommandDefinition<RollAnswer> = {
  summary: 'keep a channel built build_ahead_days ahead: build the missing local days, rebuild the unfrozen ones after a change of its inputs (SPEC §17)',
  usage: '--channel <id> [--history-days N]',
  options: { ...CHANNEL_OPTION, 'history-days': { type: 'string' } },
  async run (ctx) {
    const id = requiredId(typeof ctx.options.channel === 'string' ? [ctx.options.channel] : [], 'channel')
    const now = ctx.now()
    const db = await ctx.store()
    const channel = await findChannel(db, id)
    const days = horizon(now, channel.timezone, channel.build_ahead_days)
    const answer: RollAnswer = { channel_id: id, built: [], rebuilt: [], built_until: null }
    if (days.length === 0) return answer
    const inputs = await currentInputs(db, channel)
    const stored = await db.channels.rollingInputs(id)
    const covered = coveredDays(days, await db.channels.buildRanges(id, days[0].date))
    for (const day of rollPlan(days, covered, stored !== null && stored !== inputs, freezeEnd(now, channel))) {
      try {
        // Not built here: another instance built the missing day meanwhile.
        if (await buildDay(db, channel, day, ctx, now)) answer[day.why === 'missing' ? 'built' : 'rebuilt'].push(day.date)
      } catch (err) {
        const message = `the rolling build of ${day.date} failed: ${(err as Error).message}`
        await db.alarms.open({ key: buildFailedKey(id), kind: 'build_failed', channel_id: id, message, details: { date: day.date } }, now)
        ctx.log.warn('rolling build failed', { channel_id: id, date: day.date, error: (err as Error).message })
        return { ...answer, built_until: builtUntil(days, covered), failed: { date: day.date, message } }
      }
      covered.add(day.date)
    }
    // Kept once every day is built from these inputs: a failure above leaves the old one, so the next roll tries again.
    if (stored !== inputs) await db.channels.setRollingInputs(id, inputs)
    if ((await db.alarms.list(id)).some((a) => a.kind === 'build_failed')) await db.alarms.clear(buildFailedKey(id), now)
    return { ...answer, built_until: builtUntil(days, covered) }
  }
}
export default rollChannel

/**
 * The channels the rolling-builds step rolls: those with build_ahead_days > 0, by id. Not
 * list-channels: a tick needs no channel's coverage, which every channel answer reads.
 */
export const rollingChannels: CommandDefinition<{ channels: string[] }> = {
  summary: 'the ids of the channels kept built ahead (build_ahead_days > 0): what the on-air scheduler rolls',
  async run ({ store }) {
    const db = await store()
    return { channels: (await db.channels.list()).filter((c) => c.build_ahead_days > 0).map((c) => c.id) }
  }
}
