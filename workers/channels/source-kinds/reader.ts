import type { Store, PlaylistDetail } from '../../storage/store.js'
import type { SourceItem } from '../types.js'
import { isRecordId } from '../../commands/not-found.js'
import { collectionItem } from './collection.js'
import type { SourceReads } from './types.js'

/** The store's sources as one build or one body check reads them: each playlist and collection read once. */
export class SourceReader implements SourceReads {
  private readonly playlists = new Map<string, Promise<PlaylistDetail | null>>()
  private readonly collections = new Map<string, Promise<SourceItem[] | null>>()
  constructor (readonly db: Store) {}

  /** A stored playlist with its items; null when there is none (an id that is no UUID names none). */
  playlist (id: string): Promise<PlaylistDetail | null> {
    let read = this.playlists.get(id)
    if (read === undefined) this.playlists.set(id, read = isRecordId(id) ? this.db.playlists.getPlaylist(id) : Promise.resolve(null))
    return read
  }

  /** A collection's items as a build airs them (store.media.collectionItems' order); null when no library holds one by that id. */
  collection (id: string): Promise<SourceItem[] | null> {
    let read = this.collections.get(id)
    if (read === undefined) {
      this.collections.set(id, read = this.db.media.collectionItems(id).then((found) =>
        found === null || found.items.length === 0 ? null : found.items.map((row) => collectionItem(found.root, row))))
    }
    return read
  }
}
