import { Type, type Static } from '@sinclair/typebox'
import { NextPageSchema, Nullable } from './common.js'
import { COLLECTION_KINDS, LIBRARY_NAME_MAX, NOT_BLANK, MAX_RESCAN_MINUTES, SCAN_SKIPPED_LISTED, SCAN_STATES, type CollectionKind, type ScanState } from './limits.js'

// The media library (SPEC §16): folders under SCHEDULEFLOW_MEDIA_ROOTS, scanned with ffprobe
// into items with probed durations, chapters and episode data, gathered into collections a
// block or a filler airs from.

export type { CollectionKind, ScanState }

// ── Libraries ────────────────────────────────────────────────────────────────────────────

export const LibraryRequestSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: LIBRARY_NAME_MAX, pattern: NOT_BLANK }),
  root: Type.String({ minLength: 1, maxLength: 1000, description: 'an absolute directory under one of SCHEDULEFLOW_MEDIA_ROOTS (":"-separated); nothing outside them is ever read' }),
  rescan_minutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: MAX_RESCAN_MINUTES, description: 'the service rescans the library this often (one instance when several run); null or 0: only when asked' })))
}, { additionalProperties: false })
export type LibraryRequest = Static<typeof LibraryRequestSchema>

export const LibrarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  root: Type.String(),
  rescan_minutes: Nullable(Type.Integer()),
  items: Type.Integer({ description: 'items the last scans stored' }),
  last_scan: Nullable(Type.String({ description: 'the id of the newest scan' })),
  created: Type.String()
})
export type Library = Static<typeof LibrarySchema>

export const LibraryAnswerSchema = Type.Object({ library: LibrarySchema })
export const LibraryListSchema = Type.Object({ libraries: Type.Array(LibrarySchema) })
export type LibraryList = Static<typeof LibraryListSchema>

// ── Scans ────────────────────────────────────────────────────────────────────────────────

export const ScanStateSchema = Type.Unsafe<ScanState>({ type: 'string', enum: SCAN_STATES })

export const SkippedFileSchema = Type.Object({
  path: Type.String({ description: 'relative to the library\'s root' }),
  reason: Type.String()
})
export type SkippedFile = Static<typeof SkippedFileSchema>

export const ScanSchema = Type.Object({
  id: Type.String(),
  library_id: Type.String(),
  state: ScanStateSchema,
  files_seen: Type.Integer({ description: 'media files found so far' }),
  probed: Type.Integer({ description: 'files ffprobe read this scan' }),
  cached: Type.Integer({ description: 'files unchanged since their probe (path, size and mtime): not probed again' }),
  failed: Type.Integer({ description: 'files skipped with a reason' }),
  removed: Type.Integer({ description: 'items whose file is gone, removed from the library' }),
  skipped: Type.Array(SkippedFileSchema, { maxItems: SCAN_SKIPPED_LISTED, description: `the first ${SCAN_SKIPPED_LISTED} files skipped, with why` }),
  started: Type.String(),
  finished: Nullable(Type.String()),
  error: Nullable(Type.String({ description: 'why a failed scan stopped' }))
})
export type Scan = Static<typeof ScanSchema>

export const ScanAnswerSchema = Type.Object({ scan: ScanSchema })
export type ScanAnswer = Static<typeof ScanAnswerSchema>

// ── Items and collections ────────────────────────────────────────────────────────────────

export const MediaItemSchema = Type.Object({
  id: Type.String(),
  library_id: Type.String(),
  path: Type.String({ description: 'relative to the library\'s root' }),
  title: Type.String(),
  duration: Nullable(Type.Number({ description: 'seconds, 3 decimals, from ffprobe; null when unknown' })),
  show: Type.Optional(Type.String()),
  season: Type.Optional(Type.Integer()),
  episode: Type.Optional(Type.Integer()),
  year: Type.Optional(Type.Integer()),
  description: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  chapters: Type.Array(Type.Number(), { description: 'chapter starts after the first, seconds with 3 decimals' }),
  container: Nullable(Type.String({ description: 'ffprobe\'s format name' })),
  video: Nullable(Type.String({ description: 'the first video stream: codec and size, e.g. "h264 1920x1080"' })),
  audio: Nullable(Type.String({ description: 'the first audio stream\'s codec' })),
  size: Type.Integer({ description: 'bytes' }),
  mtime: Type.String({ description: 'ISO 8601 UTC' }),
  problem: Type.Optional(Type.String({ description: 'why the file cannot air (unreadable, no streams, zero length); such an item is never scheduled' }))
})
export type MediaItem = Static<typeof MediaItemSchema>

export const MediaItemListSchema = Type.Object({ items: Type.Array(MediaItemSchema), next: NextPageSchema })
export type MediaItemList = Static<typeof MediaItemListSchema>

export const CollectionKindSchema = Type.Unsafe<CollectionKind>({ type: 'string', enum: COLLECTION_KINDS })

export const CollectionSchema = Type.Object({
  id: Type.String({ description: 'what a block\'s or filler\'s source names: { "collection": id }' }),
  library_id: Type.String(),
  kind: CollectionKindSchema,
  name: Type.String(),
  items: Type.Integer()
})
export type Collection = Static<typeof CollectionSchema>

export const CollectionListSchema = Type.Object({ collections: Type.Array(CollectionSchema) })
export type CollectionList = Static<typeof CollectionListSchema>
