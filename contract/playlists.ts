import { Type, type Static } from '@sinclair/typebox'
import { Nullable, Success } from './common.js'
import { GuideModeOrNullSchema } from './programmes.js'
import { GUIDE_MODES, MAX_COOLDOWN_HOURS } from './limits.js'

// Playlists (M3U): their lists, reads and imports.

const PlaylistGuideSchema = {
  ...GuideModeOrNullSchema,
  description: 'how its clips show in the guide when they air as breaks, pad or default filler (SPEC §14); null: the default rule (meld)'
}

export const PlaylistSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created: Type.String(),
  item_count: Type.Integer(),
  guide: PlaylistGuideSchema,
  cooldown_hours: Nullable(Type.Number({ description: 'how long before one of its items may air again (SPEC §15: a block\'s cooldown_hours wins over it, it over the template\'s); null: the template\'s rule' }))
})
export type PlaylistSummary = Static<typeof PlaylistSummarySchema>

export const PlaylistListSchema = Type.Object({ playlists: Type.Array(PlaylistSummarySchema), count: Type.Integer() })
export type PlaylistList = Static<typeof PlaylistListSchema>

export const PlaylistItemSchema = Type.Object({
  title: Type.String(),
  url: Type.String({ description: 'as written in the playlist' }),
  duration: Nullable(Type.Number({ description: 'seconds; null when unknown' })),
  group: Nullable(Type.String()),
  tvg: Type.Record(Type.String(), Type.String(), { description: 'the #EXTINF attributes but group-title and those read as season or episode (tvg-season, season, tvg-episode, episode)' }),
  season: Nullable(Type.Integer({ minimum: 0, description: 'SPEC §15: from the import or the API, else read from the title or file name (S02E05, 2x05, Season 2 Episode 5); null when unknown' })),
  episode: Nullable(Type.Integer({ minimum: 0, description: 'as season' }))
})
export type PlaylistItem = Static<typeof PlaylistItemSchema>

export const PlaylistWithItemsSchema = Type.Object({
  playlist: Type.Composite([PlaylistSummarySchema, Type.Object({ attributes: Type.Record(Type.String(), Type.String()) })]),
  items: Type.Array(PlaylistItemSchema)
})
export type PlaylistWithItems = Static<typeof PlaylistWithItemsSchema>

/** The answer of an import, and of a replacement of a playlist's items (PUT /api/playlists/:id, SPEC §15). */
export const PlaylistImportAnswerSchema = Type.Object({
  status: Success,
  playlist: PlaylistSummarySchema,
  warnings: Type.Array(Type.String()),
  without_duration: Type.Integer({ description: 'SPEC §16: items with no known duration (a channel build skips them, UNKNOWN_DURATION, unless the block sets assume_seconds)' }),
  library_durations: Type.Integer({ description: 'SPEC §16: items whose path (/abs/path or file:///abs/path) lies in a media library and took its probed duration, over what #EXTINF said' })
})
export type PlaylistImportAnswer = Static<typeof PlaylistImportAnswerSchema>

/**
 * PATCH /api/playlists/:id: the playlist's own fields, a merge patch (a field left out stays as
 * it is; at least one). Its items are replaced by PUT /api/playlists/:id (SPEC §15).
 */
// Unions, not the Unsafe enum or Nullable: the API's TypeBox validator compiles this body.
export const PlaylistPatchSchema = Type.Object({
  guide: Type.Optional(Type.Union([...GUIDE_MODES.map((mode) => Type.Literal(mode)), Type.Null()], { description: PlaylistGuideSchema.description })),
  cooldown_hours: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: MAX_COOLDOWN_HOURS }), Type.Null()], { description: `hours, ≤ ${MAX_COOLDOWN_HOURS}, before one of its items may air again (SPEC §15: a block's cooldown_hours wins over it, it over the template's); null: the template's rule` }))
}, { additionalProperties: false, minProperties: 1 })
export type PlaylistPatch = Static<typeof PlaylistPatchSchema>

export const PlaylistAnswerSchema = Type.Object({ playlist: PlaylistSummarySchema })
export type PlaylistAnswer = Static<typeof PlaylistAnswerSchema>
