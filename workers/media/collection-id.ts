import { COLLECTION_KINDS, type CollectionKind } from '../../contract/limits.js'

// A collection's id (SPEC §16): `<library id>:<kind>:<key>`, the key being the show's name, the
// folder's path relative to the root ('' for the root) or the genre. Library ids have no ':',
// so the key may (a show called "Star Trek: Voyager").

export interface CollectionRef { libraryId: string, kind: CollectionKind, key: string }

export const collectionId = (libraryId: string, kind: CollectionKind, key: string): string => `${libraryId}:${kind}:${key}`

/** The parts of a collection id, or null when it is not one. */
export function parseCollectionId (id: string): CollectionRef | null {
  const first = id.indexOf(':')
  const second = id.indexOf(':', first + 1)
  if (first <= 0 || second < 0) return null
  const kind = id.slice(first + 1, second)
  if (!(COLLECTION_KINDS as readonly string[]).includes(kind)) return null
  return { libraryId: id.slice(0, first), kind: kind as CollectionKind, key: id.slice(second + 1) }
}
