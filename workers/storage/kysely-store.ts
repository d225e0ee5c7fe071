import type { Play, PlaysOf, PlaysReading, Store, StoreCounts } from './store.js'
import { Scope, type StorageDialect } from './dialect.js'
import { KyselyScheduleRepository } from './schedules.js'
import { KyselyPlaylistRepository } from './playlists.js'
import { KyselyIdempotencyRepository } from './idempotency.js'
import { KyselyFillDecisionRepository } from './fill-decisions.js'
import { KyselyChannelRepository } from './channels.js'
import { KyselyEditRepository } from './edits.js'
import { KyselyProgrammeRepository } from './programmes.js'
import { KyselyAlarmRepository } from './alarms.js'
import { KyselyMediaRepository } from './media.js'
import { KyselyFeedTokenRepository } from './feed-tokens.js'
import { KyselyKeyNameRepository } from './key-names.js'
import { KyselyPublishTargetRepository } from './publish-targets.js'
import { playsIn, playsUnchanged, readPlays } from './plays.js'

/**
 * The Store, written once in Kysely over a StorageDialect. The store exclusive() hands its
 * work is the same class over the transaction's connection: its writes join that transaction.
 */
export class KyselyStore implements Store {
  readonly kind: Store['kind']
  readonly schedules: KyselyScheduleRepository
  readonly playlists: KyselyPlaylistRepository
  readonly idempotency: KyselyIdempotencyRepository
  readonly fillDecisions: KyselyFillDecisionRepository
  readonly channels: KyselyChannelRepository
  readonly edits: KyselyEditRepository
  readonly programmes: KyselyProgrammeRepository
  readonly alarms: KyselyAlarmRepository
  /** The media library (SPEC §16) */
  readonly media: KyselyMediaRepository
  readonly feedTokens: KyselyFeedTokenRepository
  readonly keyNames: KyselyKeyNameRepository
  readonly publishTargets: KyselyPublishTargetRepository

  /** `afterCommit`: called once an exclusive() transaction has committed (a test hook). */
  constructor (private readonly scope: Scope, private readonly afterCommit: () => Promise<void> = async () => {}) {
    this.kind = scope.dialect.kind
    this.schedules = new KyselyScheduleRepository(scope)
    this.playlists = new KyselyPlaylistRepository(scope)
    this.idempotency = new KyselyIdempotencyRepository(scope)
    this.fillDecisions = new KyselyFillDecisionRepository(scope)
    this.channels = new KyselyChannelRepository(scope)
    this.edits = new KyselyEditRepository(scope)
    this.programmes = new KyselyProgrammeRepository(scope)
    this.alarms = new KyselyAlarmRepository(scope)
    this.media = new KyselyMediaRepository(scope)
    this.feedTokens = new KyselyFeedTokenRepository(scope)
    this.keyNames = new KyselyKeyNameRepository(scope)
    this.publishTargets = new KyselyPublishTargetRepository(scope)
  }

  static over (dialect: StorageDialect, afterCommit?: () => Promise<void>): KyselyStore {
    return new KyselyStore(Scope.of(dialect), afterCommit)
  }

  async playsBetween (from: number, to: number, of: PlaysOf = {}): Promise<Iterable<Play>> {
    return playsIn(this.scope, from, to, { channelId: of.channelId })
  }

  async readPlays (from: number, to: number, of: PlaysOf = {}): Promise<PlaysReading> {
    return readPlays(this.scope, from, to, { channelId: of.channelId })
  }

  async playsUnchanged (reading: PlaysReading): Promise<boolean> {
    return playsUnchanged(this.scope, reading)
  }

  async exclusive<T> (work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.scope.inTransaction) return work(this)
    const result = await this.scope.transaction((scope) => work(new KyselyStore(scope)))
    await this.afterCommit()
    return result
  }

  async schemaVersion (): Promise<number> {
    return this.scope.dialect.schemaVersion()
  }

  async counts (): Promise<StoreCounts> {
    // One statement, so the figures are of one moment. events counts built events too.
    const row = await this.scope.db().selectNoFrom((eb) => {
      const count = (table: 'schedules' | 'events' | 'playlists' | 'playlist_items' | 'channels') => eb.selectFrom(table).select(eb.fn.countAll().as('n')).as(table)
      return [count('schedules'), count('events'), count('playlists'), count('playlist_items'), count('channels')]
    }).executeTakeFirstOrThrow()
    // A PostgreSQL count is a bigint, read as text.
    return {
      schedules: Number(row.schedules),
      events: Number(row.events),
      playlists: Number(row.playlists),
      playlist_items: Number(row.playlist_items),
      channels: Number(row.channels)
    }
  }

  async close (): Promise<void> {
    await this.scope.dialect.close()
  }
}
