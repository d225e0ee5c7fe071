import { Type, type Static } from '@sinclair/typebox'
import { Nullable, Success } from './common.js'

// Playlists (M3U): their lists, reads and imports.

export const PlaylistSummarySchema = Type.Object({ id: Type.String(), name: Type.String(), created: Type.String(), item_count: Type.Integer() })
export type PlaylistSummary = Static<typeof PlaylistSummarySchema>

export const PlaylistListSchema = Type.Object({ playlists: Type.Array(PlaylistSummarySchema), count: Type.Integer() })
export type PlaylistList = Static<typeof PlaylistListSchema>

export const PlaylistItemSchema = Type.Object({
  title: Type.String(),
  url: Type.String({ description: 'as written in the playlist' }),
  duration: Nullable(Type.Number({ description: 'seconds; null when unknown' })),
  group: Nullable(Type.String()),
  tvg: Type.Record(Type.String(), Type.String(), { description: 'the #EXTINF attributes but group-title' })
})
export type PlaylistItem = Static<typeof PlaylistItemSchema>

export const PlaylistWithItemsSchema = Type.Object({
  playlist: Type.Composite([PlaylistSummarySchema, Type.Object({ attributes: Type.Record(Type.String(), Type.String()) })]),
  items: Type.Array(PlaylistItemSchema)
})
export type PlaylistWithItems = Static<typeof PlaylistWithItemsSchema>

export const PlaylistImportAnswerSchema = Type.Object({ status: Success, playlist: PlaylistSummarySchema, warnings: Type.Array(Type.String()) })
export type PlaylistImportAnswer = Static<typeof PlaylistImportAnswerSchema>
