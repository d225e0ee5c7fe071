import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { ChannelNow, NowAll } from '../contract/on-air.js'
import { channelNow, holdsAt, indexPlan, positionKey, type IndexedPlan, type NowPlan } from '../workers/on-air/now-answer.js'
import { CHANNELS_SCOPE } from '../workers/storage/revisions.js'
import { projectVersion } from '../workers/project.js'

// The now plans (SPEC §17): GET /api/now is polled every few seconds by lobby screens and the
// panel, so it is answered here, from plans this instance keeps, not by a worker per request
// (the one exception §17 makes to "no schedule work in the API"). A plan (workers/on-air/
// now-plan.ts) is read through the pool, one refresh at a time for the same channels:
//   - at every on-air tick (step `now-plan`, on every instance: each keeps its own), which
//     also brings in alarms the steps before it opened or cleared;
//   - when a read finds the channels' change counter moved since the plan was read (a build,
//     an edit, an undo or revert, a channel created or deleted, by any instance): the counter
//     the conditional GETs read, one row, read before the worker so a plan is never newer
//     than what it was checked against;
//   - when the clock passes the point where a channel's plan no longer holds NEXT_PROGRAMMES
//     after now (only that channel's is read again).
// Reads between refreshes run no worker. The ETag names which programmes an answer shows and
// the plan's revision and alarms, not the offsets, so a poll between programme changes is a 304.

const VERSION = projectVersion()
/** A read refreshes at most this many times before answering from what it has (a writer racing every refresh). */
const REFRESHES_PER_READ = 2

/** A channel's plan as kept: indexed, when it was read (refreshes only replace older ones), and its tag. */
interface Held { indexed: IndexedPlan, seq: number, tag: string }

/** An answer and its ETag; the body made only when it is sent (a 304 makes none). */
export interface PlannedAnswer<T> { tag: string, answer(): T }

export interface NowPlans {
  /** Every channel's now/next at the service clock's now. */
  all(): Promise<PlannedAnswer<NowAll>>
  /** One channel's; undefined when there is no such channel. */
  one(id: string): Promise<PlannedAnswer<ChannelNow> | undefined>
  /** Reads every channel's plan again (the tick's step); answers how many channels it holds. */
  refresh(): Promise<{ channels: number }>
}

declare module 'fastify' {
  interface FastifyInstance {
    nowPlans: NowPlans
  }
}

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22)

/** What the tag says of a channel's plan besides its position: who it is, its revision (every programme change moves it), coverage, alarms. */
const planTag = ({ plan }: IndexedPlan): string => hash([plan.channel, plan.revision, plan.built_until, plan.alarms])

/** The plans this instance keeps, and their refreshes through the pool. */
class KeptPlans {
  readonly held = new Map<string, Held>()
  /** The channels by number and the channels' counter, as of the last refresh of them all (its seq). */
  listing: { ids: string[], counter: number | undefined, seq: number } | undefined
  private seq = 0
  private readonly flights = new Map<string, Promise<void>>()

  constructor (private readonly fastify: FastifyInstance) {}

  /** Reads the plans of `ids` (all: undefined) at `now`; one flight per set of channels, which a second caller joins unless `fresh`. */
  async refresh (ids: string[] | undefined, now: number, { fresh = false } = {}): Promise<void> {
    const key = ids === undefined ? '*' : ids.join(',')
    const running = this.flights.get(key)
    if (running !== undefined) {
      if (!fresh) return running
      await running.catch(() => {})
      return this.refresh(ids, now, { fresh })
    }
    const flight = this.read(ids, now).finally(() => this.flights.delete(key))
    this.flights.set(key, flight)
    return flight
  }

  /** What must be read again before answering all channels at `now`: all of them, some, or nothing. */
  async staleOfAll (now: number): Promise<string[] | undefined | 'all'> {
    const counter = await this.fastify.storage.revision(CHANNELS_SCOPE)
    const listing = this.listing
    if (listing === undefined || counter === undefined || counter !== listing.counter) return 'all'
    const expired = listing.ids.filter((id) => {
      const kept = this.held.get(id)
      return kept === undefined || !holdsAt(kept.indexed, now)
    })
    return expired.length === 0 ? undefined : expired
  }

  private async read (ids: string[] | undefined, now: number): Promise<void> {
    const started = ++this.seq
    // The counter first: a write after it makes the plan newer than it, never older.
    const counter = ids === undefined ? await this.fastify.storage.revision(CHANNELS_SCOPE) : undefined
    const args = [`--at=${new Date(now).toISOString()}`, ...(ids ?? []).map((id) => `--channel=${id}`)]
    const plan = await this.fastify.runCli('on-air-plan', args)
    this.keep(plan, started)
    const answered = new Set(plan.channels.map((c) => c.channel.id))
    // A channel asked for (or kept) and not answered is gone, unless a later read kept it.
    for (const id of ids ?? [...this.held.keys()]) {
      if (!answered.has(id) && (this.held.get(id)?.seq ?? Infinity) < started) this.held.delete(id)
    }
    if (ids === undefined && (this.listing === undefined || this.listing.seq < started)) this.listing = { ids: [...answered], counter, seq: started }
  }

  private keep (plan: NowPlan, started: number): void {
    const at = Date.parse(plan.at)
    for (const channel of plan.channels) {
      const was = this.held.get(channel.channel.id)
      if (was !== undefined && was.seq > started) continue
      const indexed = indexPlan(channel, at)
      this.held.set(channel.channel.id, { indexed, seq: started, tag: planTag(indexed) })
    }
  }
}

/** Every channel's now/next at the service clock's now, refreshing first what does not hold. */
async function allNow (fastify: FastifyInstance, kept: KeptPlans): Promise<PlannedAnswer<NowAll>> {
  for (let refreshes = 0; ; refreshes++) {
    const now = fastify.clock.now()
    const stale = refreshes === REFRESHES_PER_READ ? undefined : await kept.staleOfAll(now)
    if (stale !== undefined) {
      await kept.refresh(stale === 'all' ? undefined : stale, now)
      continue
    }
    const channels = (kept.listing?.ids ?? []).map((id) => kept.held.get(id)).filter((h): h is Held => h !== undefined)
    return {
      tag: `W/"${hash([VERSION, 'now', channels.map((h) => [h.tag, positionKey(h.indexed, now)])])}"`,
      answer: () => {
        const serverTime = new Date(now).toISOString()
        return { channels: channels.map((h) => channelNow(h.indexed, now, serverTime)), server_time: serverTime }
      }
    }
  }
}

/** One channel's, refreshed first when its revision moved or the clock passed its plan; undefined: no such channel. */
async function oneNow (fastify: FastifyInstance, kept: KeptPlans, id: string): Promise<PlannedAnswer<ChannelNow> | undefined> {
  for (let refreshes = 0; ; refreshes++) {
    const now = fastify.clock.now()
    const revision = await fastify.storage.editRevision('channel', id)
    const plan = kept.held.get(id)
    const fresh = plan !== undefined && revision !== undefined && plan.indexed.plan.revision === revision && holdsAt(plan.indexed, now)
    if (!fresh && refreshes < REFRESHES_PER_READ) {
      await kept.refresh([id], now)
      // No plan after a refresh: no such channel (deleted, or never was).
      if (!kept.held.has(id)) return undefined
      continue
    }
    if (plan === undefined) return undefined
    return {
      tag: `W/"${hash([VERSION, 'now', id, plan.tag, positionKey(plan.indexed, now)])}"`,
      answer: () => channelNow(plan.indexed, now, new Date(now).toISOString())
    }
  }
}

export default fp(async (fastify) => {
  const kept = new KeptPlans(fastify)
  const plans: NowPlans = {
    all: async () => allNow(fastify, kept),
    one: async (id) => oneNow(fastify, kept, id),
    async refresh () {
      await kept.refresh(undefined, fastify.clock.now(), { fresh: true })
      return { channels: kept.listing?.ids.length ?? 0 }
    }
  }
  fastify.decorate('nowPlans', plans)

  // Last of the on-air steps: the plan then carries what the others built and alarmed.
  fastify.onAir.addStep({ name: 'now-plan', leaderOnly: false, run: async () => plans.refresh() })
}, { name: 'now-plan', dependencies: ['clock', 'storage', 'process-pool', 'on-air'] })
