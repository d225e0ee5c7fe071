import { Type, type Static } from '@sinclair/typebox'
import { Nullable } from './common.js'
import { ProgrammeSchema } from './programmes.js'
import { ALARM_KINDS, FEED_TOKEN_NAME_MAX, FEED_TOKEN_PREFIX, GAPS_AHEAD_HOURS, MAX_BUILD_AHEAD_DAYS, MAX_PUBLISH_TARGETS, NEXT_PROGRAMMES, PUBLISH_KINDS, type AlarmKind, type PublishKind } from './limits.js'

// On air (SPEC §17): what keeps a channel built and says what airs. Coverage and gaps on every
// channel answer, now/next, alarms, publish targets for playout engines, feed tokens for IPTV
// apps and the HDHomeRun tuner they open.

export type { AlarmKind, PublishKind }

// ── Coverage ─────────────────────────────────────────────────────────────────────────────

export const GapSchema = Type.Object({
  start: Type.String(),
  end: Type.String(),
  on_purpose: Type.Boolean({ description: 'left empty by a block with fill "gap": listed, but raises no gap alarm' })
})
export type Gap = Static<typeof GapSchema>

/** What every channel answer carries about how far it is built (SPEC §17). */
export const CoverageFields = {
  built_until: Nullable(Type.String({ description: 'the end of the last stored event; null: nothing built' })),
  gaps: Type.Array(GapSchema, { description: `the empty stretches between now and ${GAPS_AHEAD_HOURS} h ahead, in time order` })
}

// ── Alarms ───────────────────────────────────────────────────────────────────────────────

export const AlarmKindSchema = Type.Unsafe<AlarmKind>({ type: 'string', enum: ALARM_KINDS })

export const AlarmSchema = Type.Object({
  id: Type.String(),
  kind: AlarmKindSchema,
  channel_id: Type.Optional(Type.String()),
  since: Type.String({ description: 'when it opened' }),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown())
})
export type Alarm = Static<typeof AlarmSchema>

export const AlarmListSchema = Type.Object({ alarms: Type.Array(AlarmSchema) })
export type AlarmList = Static<typeof AlarmListSchema>

// ── Now and next ─────────────────────────────────────────────────────────────────────────

export const OnAirProgrammeSchema = Type.Composite([ProgrammeSchema, Type.Object({
  offset_ms: Type.Integer({ description: 'how far into the programme now is (at server_time)' }),
  remaining_ms: Type.Integer({ description: 'how long it still airs (at server_time)' })
})])
export type OnAirProgramme = Static<typeof OnAirProgrammeSchema>

export const ChannelNowSchema = Type.Object({
  channel: Type.Object({ id: Type.String(), number: Type.String(), name: Type.String() }),
  now: Nullable(OnAirProgrammeSchema), // null: nothing airs now (a gap, or nothing built)
  next: Type.Array(ProgrammeSchema, { maxItems: NEXT_PROGRAMMES, description: `the following ${NEXT_PROGRAMMES} programmes (fewer only where nothing more is built)` }),
  built_until: CoverageFields.built_until,
  alarms: Type.Array(AlarmSchema),
  server_time: Type.String({ description: 'the instant offsets are given at; a client advances them from it' })
})
export type ChannelNow = Static<typeof ChannelNowSchema>

export const NowAllSchema = Type.Object({ channels: Type.Array(ChannelNowSchema), server_time: Type.String() })
export type NowAll = Static<typeof NowAllSchema>

// ── Publish targets ──────────────────────────────────────────────────────────────────────

export const PublishKindSchema = Type.Unsafe<PublishKind>({
  type: 'string',
  enum: PUBLISH_KINDS,
  description: 'ersatztv: {start_ms}_{finish_ms}.json per local day (ErsatzTV Next); ffplayout: YYYY/MM/YYYY-MM-DD.json'
})

export const PublishTargetRequestSchema = Type.Object({
  kind: PublishKindSchema,
  dir: Type.String({ minLength: 1, maxLength: 1000, description: 'an absolute directory under one of SCHEDULEFLOW_PUBLISH_ROOTS' }),
  days_ahead: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: MAX_BUILD_AHEAD_DAYS, description: 'local days from today published; default the channel\'s build_ahead_days' })))
}, { additionalProperties: false })
export type PublishTargetRequest = Static<typeof PublishTargetRequestSchema>

export const PublishPutSchema = Type.Object({
  targets: Type.Array(PublishTargetRequestSchema, { maxItems: MAX_PUBLISH_TARGETS, description: 'replaces the channel\'s targets; [] stops publishing' })
}, { additionalProperties: false })
export type PublishPut = Static<typeof PublishPutSchema>

export const PublishTargetSchema = Type.Object({
  kind: PublishKindSchema,
  dir: Type.String(),
  days_ahead: Nullable(Type.Integer()),
  last_published: Nullable(Type.String({ description: 'when files were last written without error' })),
  files: Type.Integer({ description: 'files the last publish wrote' }),
  last_error: Nullable(Type.String({ description: 'why the last publish failed; null once one succeeds' }))
})
export type PublishTarget = Static<typeof PublishTargetSchema>

export const PublishAnswerSchema = Type.Object({ targets: Type.Array(PublishTargetSchema) })
export type PublishAnswer = Static<typeof PublishAnswerSchema>

// ── Feed tokens ──────────────────────────────────────────────────────────────────────────

export const FeedTokenCreateSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: FEED_TOKEN_NAME_MAX, description: 'who the token is for, e.g. "Lobby TV"' })
}, { additionalProperties: false })
export type FeedTokenCreate = Static<typeof FeedTokenCreateSchema>

export const FeedTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created: Type.String(),
  last_used: Nullable(Type.String())
})
export type FeedToken = Static<typeof FeedTokenSchema>

export const FeedTokenCreatedSchema = Type.Composite([FeedTokenSchema, Type.Object({
  token: Type.String({ description: `${FEED_TOKEN_PREFIX}…: shown this once; only its hash is stored` })
})])
export type FeedTokenCreated = Static<typeof FeedTokenCreatedSchema>

export const FeedTokenListSchema = Type.Object({ tokens: Type.Array(FeedTokenSchema) })
export type FeedTokenList = Static<typeof FeedTokenListSchema>

// ── HDHomeRun tuner emulation (SiliconDust's HTTP API shapes) ──────────────────────────────

export const HdhrDiscoverSchema = Type.Object({
  FriendlyName: Type.String(),
  Manufacturer: Type.String(),
  ModelNumber: Type.String(),
  FirmwareName: Type.String(),
  FirmwareVersion: Type.String(),
  DeviceID: Type.String(),
  DeviceAuth: Type.String(),
  BaseURL: Type.String(),
  LineupURL: Type.String(),
  TunerCount: Type.Integer()
})
export type HdhrDiscover = Static<typeof HdhrDiscoverSchema>

export const HdhrLineupEntrySchema = Type.Object({ GuideNumber: Type.String(), GuideName: Type.String(), URL: Type.String() })
export type HdhrLineupEntry = Static<typeof HdhrLineupEntrySchema>

export const HdhrLineupStatusSchema = Type.Object({
  ScanInProgress: Type.Integer(),
  ScanPossible: Type.Integer(),
  Source: Type.String(),
  SourceList: Type.Array(Type.String())
})
export type HdhrLineupStatus = Static<typeof HdhrLineupStatusSchema>
