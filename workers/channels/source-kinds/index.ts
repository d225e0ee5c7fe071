import type { Block, BlockSource } from '../types.js'
import { collection } from './collection.js'
import { item } from './item.js'
import { playlist } from './playlist.js'
import type { SourceKind, SourceKindName, SourceOf } from './types.js'

// The source kinds (SPEC §11, §16), one module each behind one interface (types.ts). Keyed by
// the contract's BlockSource forms, so a form added there without a module here does not compile.

export const SOURCE_KINDS: { [K in SourceKindName]: SourceKind<SourceOf<K>> } = { playlist, item, collection }
const NAMES = Object.keys(SOURCE_KINDS) as SourceKindName[]

/** The kind's name of a source: the one key of its form. */
export const kindNameOf = (source: BlockSource): SourceKindName => NAMES.find((name) => name in source) ?? 'playlist'

/** The kind of a source. */
export const kindOf = (source: BlockSource): SourceKind<BlockSource> => SOURCE_KINDS[kindNameOf(source)] as SourceKind<BlockSource>

/** Where a block's items come from, as one key: `playlist:<id>`, `playlist:<id>#<group>`, `item:<videoKey>` or `collection:<id>`. */
export const sourceKey = (source: BlockSource): string => kindOf(source).key(source)

/**
 * A filler's source (a block's `filler`, `breaks.filler`, the bumpers, the channel's
 * `default_filler`): a collection id, which always has a ':' (`<library>:<kind>:<name>`), else a
 * playlist id (a UUID, never with ':').
 */
export const fillerSource = (id: string): BlockSource => id.includes(':') ? { collection: id } : { playlist: id }

/** The fillers a block names. */
export const blockFillers = (b: Block): string[] =>
  [b.filler, b.breaks?.filler, b.breaks?.bumper_in, b.breaks?.bumper_out].filter((id): id is string => id != null && id !== '')

/** Every source the blocks and the default filler name, once each by key: what a build loads. */
export function namedSources (blocks: readonly Block[], defaultFiller: string | null): BlockSource[] {
  const found = new Map<string, BlockSource>()
  const add = (s: BlockSource): void => { const key = sourceKey(s); if (!found.has(key)) found.set(key, s) }
  if (defaultFiller !== null && defaultFiller !== '') add(fillerSource(defaultFiller))
  for (const b of blocks) {
    add(b.source)
    blockFillers(b).forEach((id) => add(fillerSource(id)))
  }
  return [...found.values()]
}

export type { SourceKind, SourceKindName, SourceOf, SourceReads } from './types.js'
export { sourceItem } from './playlist.js'
