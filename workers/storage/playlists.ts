import { newId } from '../ids.js'
import type { PlaylistItem } from '../playlist/model.js'
import { isObject } from '../json.js'
import { readJsonColumn } from './read-column.js'
import type { NewPlaylist, PlaylistDetail, PlaylistFields, PlaylistReplacement, PlaylistRepository, PlaylistSummary } from './store.js'
import type { Database } from './tables.js'
import { rowsOf, type Scope } from './dialect.js'
import type { GuideMode } from '../../contract/programmes.js'

interface PlaylistRow {
  id: string, name: string, created: string, item_count: number, attributes: string, guide: GuideMode | null, cooldown_hours: number | null
}

// One odd row (a column that is not the JSON it should be) must not fail a read for everyone.
const isTextMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string')
const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

const summary = ({ id, name, created, item_count, guide, cooldown_hours }: PlaylistRow): PlaylistSummary =>
  ({ id, name, created, item_count, guide, cooldown_hours })

export class KyselyPlaylistRepository implements PlaylistRepository {
  constructor (private readonly scope: Scope) {}

  async createPlaylist ({ name, attributes, items }: NewPlaylist): Promise<PlaylistSummary> {
    const row: PlaylistRow = {
      id: newId(), name, created: new Date().toISOString(), item_count: items.length, attributes: JSON.stringify(attributes), guide: null, cooldown_hours: null
    }
    await this.scope.write(async (tx) => {
      await tx.insertInto('playlists').values(row).execute()
      await this.insertItems(tx, row.id, items)
    })
    return summary(row)
  }

  async replacePlaylist (id: string, { name, attributes, items }: PlaylistReplacement): Promise<PlaylistSummary | null> {
    return this.scope.write(async (tx) => {
      // The row first: its UPDATE raises the playlist's revision counters (migration 3's triggers), and tells whether it exists.
      const { numUpdatedRows } = await tx.updateTable('playlists')
        .set({ item_count: items.length, attributes: JSON.stringify(attributes), ...(name !== undefined && { name }) })
        .where('id', '=', id).executeTakeFirstOrThrow()
      if (numUpdatedRows === 0n) return null
      await tx.deleteFrom('playlist_items').where('playlist_id', '=', id).execute()
      await this.insertItems(tx, id, items)
      return summary(await tx.selectFrom('playlists').selectAll().where('id', '=', id).executeTakeFirstOrThrow())
    })
  }

  private async insertItems (tx: Database, playlistId: string, items: PlaylistItem[]): Promise<void> {
    await this.scope.dialect.insertRows(tx, 'playlist_items', rowsOf(items, (item, position) => ({
      playlist_id: playlistId,
      position,
      title: item.title,
      url: item.url,
      duration: item.duration,
      group_title: item.group,
      tvg: JSON.stringify(item.tvg),
      directives: JSON.stringify(item.directives),
      season: item.season,
      episode: item.episode
    })))
  }

  async listPlaylists (): Promise<PlaylistSummary[]> {
    return (await this.scope.db().selectFrom('playlists').selectAll().orderBy('created', 'desc').orderBy('name').execute()).map(summary)
  }

  async getPlaylist (id: string): Promise<PlaylistDetail | null> {
    const db = this.scope.db()
    const row = await db.selectFrom('playlists').selectAll().where('id', '=', id).executeTakeFirst()
    if (row === undefined) return null
    const items = (await db.selectFrom('playlist_items').select(['title', 'url', 'duration', 'group_title', 'tvg', 'directives', 'season', 'episode']).where('playlist_id', '=', id).orderBy('position').execute())
      .map((r): PlaylistItem => ({
        title: r.title,
        url: r.url,
        duration: r.duration,
        group: r.group_title,
        tvg: readJsonColumn(r.tvg, isTextMap, {}),
        directives: readJsonColumn(r.directives, isTextList, []),
        season: r.season,
        episode: r.episode
      }))
    return { ...summary(row), attributes: readJsonColumn(row.attributes, isTextMap, {}), items }
  }

  async patchPlaylist (id: string, fields: PlaylistFields): Promise<PlaylistSummary | null> {
    const { guide, cooldown_hours } = fields
    const { numUpdatedRows } = await this.scope.write((tx) => tx.updateTable('playlists')
      .set({ ...(guide !== undefined && { guide }), ...(cooldown_hours !== undefined && { cooldown_hours }) })
      .where('id', '=', id).executeTakeFirstOrThrow())
    if (numUpdatedRows === 0n) return null
    const row = await this.scope.db().selectFrom('playlists').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    return summary(row)
  }

  async deletePlaylist (id: string): Promise<boolean> {
    const { numDeletedRows } = await this.scope.write((tx) => tx.deleteFrom('playlists').where('id', '=', id).executeTakeFirstOrThrow())
    return numDeletedRows > 0n
  }
}
