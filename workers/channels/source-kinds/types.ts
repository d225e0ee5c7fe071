import type { PlaylistItem } from '../../../contract/playlists.js'
import type { BlockSource, SourceItem } from '../types.js'
import type { Problems } from '../problems.js'

// What one kind of source is (SPEC §11, §16): a block's `source` (and a filler's id) is a
// playlist, a fixed item or a media library's collection. Each kind is one module behind this
// interface, registered in index.ts; a media-server import (Jellyfin, Plex) would be one more.

/** The kinds, as the contract's BlockSource names them: each form has exactly one of these keys. */
type KeysOf<T> = T extends T ? keyof T : never
export type SourceKindName = Exclude<KeysOf<BlockSource>, 'group'>
/** The BlockSource form of a kind. */
export type SourceOf<K extends SourceKindName> = Extract<BlockSource, Record<K, unknown>>

/**
 * The store's sources as a kind reads them (reader.ts reads them from the store, each once per
 * build or body check); an interface here so the body checks never import the store.
 */
export interface SourceReads {
  /** a stored playlist and its items; null when there is none */
  playlist: (id: string) => Promise<{ name: string, items: PlaylistItem[] } | null>
  /** a collection's items as a build airs them; null when no library holds one by that id */
  collection: (id: string) => Promise<SourceItem[] | null>
}

export interface SourceKind<S extends BlockSource> {
  /** `<kind>:<…>`: what a build finds its items by (BuildInput.sources), events' origin.source, the sequential state */
  key: (source: S) => string
  /** The body check, past the schema: problems added to `p`, the references the store must hold pushed to `p.references` (field: the one to blame). */
  check: (p: Problems, source: S, field: string) => void
  /** Why the store refuses a source a body names (a missing playlist, an unknown collection); null when it is there. */
  refused: (reader: SourceReads, source: S) => Promise<string | null>
  /** The items a build airs from it, read at each build; null when it does not exist (the builder warns SOURCE_MISSING). */
  load: (reader: SourceReads, source: S) => Promise<SourceItem[] | null>
  /** The items a source carries itself, read by the (pure) builder without the store. */
  inline?: (source: S) => SourceItem[]
}
