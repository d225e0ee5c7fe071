import type { Selectable } from 'kysely'
import type { MediaItemsTable } from '../../storage/tables.js'
import { readJsonColumn } from '../../storage/read-column.js'
import { parseCollectionId } from '../../media/collection-id.js'
import type { SourceItem } from '../types.js'
import type { SourceKind, SourceOf } from './types.js'

// A media library's collection (SPEC §16: a show, a folder, a genre), `{ collection: "<id>" }`,
// the id as GET /api/libraries/:id/collections answers it. Read at each build from the
// library's items as the last scan left them, so a file added and scanned airs in the next
// build; a show comes in season and episode order, which a sequential block follows.

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number')

/** A library item as a build airs it: its absolute path, probed length, episode data, chapters and why it cannot air. */
export const collectionItem = (root: string, row: Selectable<MediaItemsTable>): SourceItem => ({
  url: root.endsWith('/') ? root + row.path : `${root}/${row.path}`,
  title: row.title,
  duration: row.duration_ms === null ? null : Number(row.duration_ms) / 1000,
  category: row.category,
  season: row.season,
  episode: row.episode,
  chapters: readJsonColumn(row.chapters, isNumberArray, []),
  description: row.description,
  year: row.year,
  problem: row.problem
})

/** Why `id` is no collection id (`<library id>:<show|folder|genre>:<name>`), or null. */
const badId = (id: string): string | null => parseCollectionId(id) === null
  ? `"${id.slice(0, 80)}" is not a collection id (<library id>:<show|folder|genre>:<name>, as GET /api/libraries/:id/collections lists them)`
  : null

export const collection: SourceKind<SourceOf<'collection'>> = {
  key: (s) => `collection:${s.collection}`,
  check (p, s, field) {
    const bad = badId(s.collection)
    if (bad !== null) p.add(field, bad)
    else p.references.push({ field, source: s })
  },
  refused: async (reader, s) => badId(s.collection) ?? (await reader.collection(s.collection) === null ? `no collection with id ${s.collection} (GET /api/libraries/:id/collections lists a library's)` : null),
  load: (reader, s) => reader.collection(s.collection)
}
