import type { Scope } from './dialect.js'
import type { Play, PlaysReading } from './store.js'

/**
 * What a set of plays adds up to, independent of the order they are read in: their count
 * and two sums of 32-bit hashes of (video, start). Two readings of a window with the same
 * fingerprint hold the same plays (a collision needs two 32-bit hashes to agree at once).
 */
class Fingerprint {
  count = 0
  private sumA = 0
  private sumB = 0

  add (videoKey: string, start: number): void {
    let a = 0x811c9dc5 // FNV-1a
    let b = 0x9747b28c
    const text = `${videoKey}\u0000${start}`
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15)
    }
    this.count++
    // Kept below 2^53: each sum is reduced modulo 2^32 as it grows.
    this.sumA = (this.sumA + (a >>> 0)) % 0x1_0000_0000
    this.sumB = (this.sumB + (b >>> 0)) % 0x1_0000_0000
  }

  equals (other: Fingerprint): boolean {
    return this.count === other.count && this.sumA === other.sumA && this.sumB === other.sumB
  }
}

/** Which plays a read counts: `except` leaves out one schedule's; `channelId` keeps one channel's only. */
export interface PlaysFilter { except?: string, channelId?: string }

/** The plays starting in [from, to), as they are read. */
async function selectPlays (scope: Scope, from: number, to: number, { except, channelId }: PlaysFilter = {}): Promise<Iterable<[string, number]>> {
  // events_by_start: one range of the index, whatever the number of schedules; with a channel,
  // events_by_channel_id_start.
  let query = scope.db().selectFrom('events').select(['video_key', 'start_ms']).where('start_ms', '>=', from).where('start_ms', '<', to)
  // Not `schedule_id <> ?` alone: that is NULL, so false, for every event a channel's build made
  // (schedule_id NULL), and a schedule's replays would not be counted against those plays.
  if (except !== undefined) query = query.where((eb) => eb.or([eb('schedule_id', 'is', null), eb('schedule_id', '<>', except)]))
  if (channelId !== undefined) query = query.where('channel_id', '=', channelId)
  return await scope.dialect.iterateRows(scope.db(), query.compile()) as Iterable<[string, number]>
}

/** The plays starting in [from, to), as the filter says. */
export async function playsIn (scope: Scope, from: number, to: number, filter: PlaysFilter = {}): Promise<Iterable<Play>> {
  const rows = await selectPlays(scope, from, to, filter)
  return (function * () { for (const [video_key, start] of rows) yield { video_key, start } })()
}

/** What a reading keeps for its re-check; callers see only `plays`. */
class Reading implements PlaysReading {
  seen: Fingerprint | null = null
  readonly plays: Iterable<Play>

  constructor (readonly from: number, readonly to: number, readonly filter: PlaysFilter, readonly markBefore: number, rows: Iterable<[string, number]>) {
    const reading = this
    this.plays = (function * () {
      const fingerprint = new Fingerprint()
      // Iterated, not collected: a window can hold hundreds of thousands of plays.
      for (const [video_key, start] of rows) {
        fingerprint.add(video_key, start)
        yield { video_key, start }
      }
      reading.seen = fingerprint
    })()
  }
}

/** Reads the plays of [from, to) outside the write lock, for playsUnchanged() inside it. */
export async function readPlays (scope: Scope, from: number, to: number, filter: PlaysFilter = {}): Promise<PlaysReading> {
  const markBefore = await scope.dialect.changeMark(scope.db())
  return new Reading(from, to, filter, markBefore, await selectPlays(scope, from, to, filter))
}

/**
 * Asked inside the write lock: when no other connection has committed since the reading
 * (the dialect's change mark), nothing is read again; otherwise the window is read again and
 * compared, so a write elsewhere in the database (another week, a playlist) does not make the
 * caller compute again.
 */
export async function playsUnchanged (scope: Scope, reading: PlaysReading): Promise<boolean> {
  if (!(reading instanceof Reading)) throw new Error('playsUnchanged: not a reading of this store')
  if (reading.seen === null) throw new Error('playsUnchanged: asked before the plays were read')
  if (await scope.dialect.changeMark(scope.db()) === reading.markBefore) return true
  const now = new Fingerprint()
  for (const [videoKey, start] of await selectPlays(scope, reading.from, reading.to, reading.filter)) now.add(videoKey, start)
  return now.equals(reading.seen)
}
