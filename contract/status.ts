import { Type, type Static } from '@sinclair/typebox'
import { Nullable } from './common.js'

// ── Status ────────────────────────────────────────────────────────────────────────────

export const StoreCountsSchema = Type.Object({
  schedules: Type.Integer(),
  events: Type.Integer(),
  playlists: Type.Integer(),
  playlist_items: Type.Integer(),
  channels: Type.Integer()
})
export type StoreCounts = Static<typeof StoreCountsSchema>

/** Where schedules are kept: SQLite in the data dir, or the PostgreSQL of DATABASE_URL. */
export const StorageKindSchema = Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')])
export type StorageKind = Static<typeof StorageKindSchema>

export const SystemInfoSchema = Type.Object({
  version: Type.String(),
  node: Type.String(),
  storage: Type.Object({ kind: StorageKindSchema, schema_version: Type.Integer() }),
  counts: StoreCountsSchema
})
export type SystemInfo = Static<typeof SystemInfoSchema>

export interface MigrateAnswer { schema_version: number }

const PoolLoadSchema = Type.Object({
  active: Type.Integer(),
  max: Type.Integer(),
  queued: Type.Integer(),
  max_queue: Type.Integer(),
  utilization_percent: Type.Number()
})

export const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded')]),
  uptime_ms: Type.Integer(),
  process_pool: PoolLoadSchema,
  storage: Type.Object({ kind: StorageKindSchema, ok: Type.Boolean() }),
  rate_limits: Type.Object({
    counted: Type.Union([Type.Literal('shared'), Type.Literal('per-instance')], {
      description: 'shared: in Redis, across instances; per-instance: by this instance alone (no REDIS_URL, or Redis not answering)'
    }),
    redis: Nullable(Type.Object({ ok: Type.Boolean({ description: 'Redis answered the last command' }) }, { description: 'null without REDIS_URL' }))
  }),
  instance: Type.String({ description: 'SCHEDULEFLOW_INSTANCE_ID: which instance answered' }),
  alarms: Nullable(Type.Integer({ description: 'alarms open now (GET /api/alarms; SPEC §17): counted, never a reason for 503; null: the count could not be read' })),
  reasons: Type.Optional(Type.Array(Type.String()))
})

export const QueueStatsSchema = Type.Object({
  instance: Type.String({ description: 'SCHEDULEFLOW_INSTANCE_ID: these figures are this instance\'s alone' }),
  active: Type.Integer(),
  idle: Type.Integer(),
  queued: Type.Integer(),
  max_concurrency: Type.Integer(),
  max_queue: Type.Integer(),
  draining: Type.Boolean(),
  totals: Type.Record(Type.String(), Type.Integer()),
  peaks: Type.Object({ active: Type.Integer(), queued: Type.Integer() }),
  latency_ms: Type.Object({
    samples: Type.Integer(),
    p50: Nullable(Type.Number()),
    p95: Nullable(Type.Number()),
    p99: Nullable(Type.Number())
  }),
  recent_errors: Type.Array(Type.Object({
    time: Type.String(),
    command: Type.String(),
    status: Type.Integer({ description: 'the status answered: 4xx refused (the input), 5xx failed' }),
    code: Type.String(),
    message: Type.String(),
    request_id: Type.String()
  }), { description: 'the last 20 operations refused or failed, newest first: what totals.errors counts (= refused + failed)' })
})

export const AuthAnswerSchema = Type.Object({
  role: Type.String({ description: 'viewer, operator, admin, or anonymous' }),
  key_id: Nullable(Type.String({ description: 'a digest of the key, safe to quote' })),
  key_name: Nullable(Type.String({ description: 'what history and the log call the key' })),
  key_source: Nullable(Type.String({ description: 'stored (renamable by an admin: PATCH /api/keys/:id) or environment (named in SCHEDULEFLOW_API_KEYS)' })),
  named: Type.Boolean({ description: 'false only for a stored key that still has its default name, never given one by a person: the panel offers to name it' })
})

// ── Test commands (reachable only with SCHEDULEFLOW_TEST_COMMANDS=true) ──────────────

export const TestSleepAnswerSchema = Type.Object({ pid: Type.Integer(), started: Type.Number(), ended: Type.Number() })
export type TestSleepAnswer = Static<typeof TestSleepAnswerSchema>
export const TestEchoAnswerSchema = Type.Object({ bytes: Type.Integer(), word: Nullable(Type.String()), env_keys: Type.Array(Type.String()) })
export type TestEchoAnswer = Static<typeof TestEchoAnswerSchema>
export const TestAllocateAnswerSchema = Type.Object({ pid: Type.Integer(), rss_mb: Type.Integer() })
export type TestAllocateAnswer = Static<typeof TestAllocateAnswerSchema>
export const TestRoleAnswerSchema = Type.Object({ identity: Type.Union([Type.Object({ id: Type.String(), role: Type.String() }), Type.Null()]) })
