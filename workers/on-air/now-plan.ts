import type { Channel } from '../../contract/channels.js'
import type { Store } from '../storage/store.js'
import type { StoredProgramme } from '../storage/programmes.js'
import { programmeAnswer } from '../channels/programme-answer.js'
import { localDayOf } from '../editing/ripple.js'
import { iso } from '../schedule/model.js'
import type { ChannelPlan, NowPlan } from './now-answer.js'

// A channel's now plan (SPEC §17): what GET /api/now answers from, read by the on-air-plan
// command and kept by the API (plugins/now-plan.ts). From the programme on air at `at` through
// the end of the channel's local day, and at least PLAN_AHEAD programmes after it, so that now
// and the NEXT_PROGRAMMES after it stay answerable for a while as the clock moves (and the
// panel has the day's fixed and live events). Two page reads of the programme repository at
// most: the cost follows the programmes read, never how much the channel has built.

/** Programmes after the one on air a plan holds at least (it is refreshed when fewer than NEXT_PROGRAMMES remain ahead). */
export const PLAN_AHEAD = 12
/** Most programmes one plan reads through the end of the local day (a day of short filler stretches). */
export const PLAN_MOST = 200

/** The channel's programmes from the one on air at `at`, and whether nothing is built after the last. */
async function planProgrammes (db: Store, channel: Channel, at: number): Promise<{ programmes: StoredProgramme[], complete: boolean }> {
  const today = await db.programmes.programmesPage(channel.id, { from: at, to: localDayOf(at, channel.timezone).to }, { limit: PLAN_MOST })
  if (today.programmes.length > PLAN_AHEAD) return { programmes: today.programmes, complete: false }
  // The day ends soon: read on past it, a few programmes.
  const ahead = await db.programmes.programmesPage(channel.id, { from: at }, { limit: PLAN_AHEAD + 1 })
  return { programmes: ahead.programmes, complete: !ahead.more }
}

/** One channel's plan at `at`: its revision and alarms read before its programmes, so the plan is never older than what it says. */
export async function channelPlan (db: Store, channel: Channel, at: number): Promise<ChannelPlan> {
  const alarms = await db.alarms.list(channel.id)
  // The stored channel row carries no coverage (wt-b adds it to channel answers): read it here.
  const builtUntil = await db.channels.builtUntil(channel.id)
  const { programmes, complete } = await planProgrammes(db, channel, at)
  return {
    channel: { id: channel.id, number: channel.number, name: channel.name },
    revision: channel.revision,
    built_until: builtUntil === null ? null : iso(builtUntil),
    alarms,
    programmes: programmes.map((p) => programmeAnswer(p, channel)),
    complete
  }
}

/** The plans of every channel, by number, or of those of `ids` that exist (a channel deleted meanwhile has none). */
export async function nowPlan (db: Store, at: number, ids?: readonly string[]): Promise<NowPlan> {
  const channels = ids === undefined
    ? await db.channels.list()
    : (await Promise.all(ids.map(async (id) => db.channels.get(id)))).filter((c): c is Channel => c !== null)
  const plans: ChannelPlan[] = []
  for (const channel of channels) plans.push(await channelPlan(db, channel, at))
  return { at: iso(at), channels: plans }
}
