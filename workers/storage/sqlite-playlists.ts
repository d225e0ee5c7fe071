import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { PlaylistItem } from '../playlist/model.js'
import { isObject } from '../json.js'
import { readJsonColumn } from './read-column.js'
import type { NewPlaylist, PlaylistDetail, PlaylistRepository, PlaylistSummary } from './store.js'

interface PlaylistRow { id: string, name: string, created: string, item_count: number, attributes: string }
interface ItemRow { title: string, url: string, duration: number | null, group_title: string | null, tvg: string, directives: string }

// One odd row (a column that is not the JSON it should be) must not fail a read for everyone.
const isTextMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string')
const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

const summary = ({ id, name, created, item_count }: PlaylistRow): PlaylistSummary => ({ id, name, created, item_count })

export class SqlitePlaylistRepository implements PlaylistRepository {
  constructor (private readonly db: Database.Database) {}

  createPlaylist ({ name, attributes, items }: NewPlaylist): PlaylistSummary {
    const row: PlaylistRow = { id: randomUUID(), name, created: new Date().toISOString(), item_count: items.length, attributes: JSON.stringify(attributes) }
    const insertItem = this.db.prepare(`INSERT INTO playlist_items (playlist_id, position, title, url, duration, group_title, tvg, directives)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO playlists (id, name, created, item_count, attributes) VALUES (@id, @name, @created, @item_count, @attributes)').run(row)
      items.forEach((item, position) => insertItem.run(row.id, position, item.title, item.url, item.duration, item.group, JSON.stringify(item.tvg), JSON.stringify(item.directives)))
    }).immediate()
    return summary(row)
  }

  listPlaylists (): PlaylistSummary[] {
    return (this.db.prepare('SELECT * FROM playlists ORDER BY created DESC, name').all() as PlaylistRow[]).map(summary)
  }

  getPlaylist (id: string): PlaylistDetail | null {
    const row = this.db.prepare('SELECT * FROM playlists WHERE id = ?').get(id) as PlaylistRow | undefined
    if (row === undefined) return null
    const items = (this.db.prepare('SELECT title, url, duration, group_title, tvg, directives FROM playlist_items WHERE playlist_id = ? ORDER BY position').all(id) as ItemRow[])
      .map((r): PlaylistItem => ({ title: r.title, url: r.url, duration: r.duration, group: r.group_title, tvg: readJsonColumn(r.tvg, isTextMap, {}), directives: readJsonColumn(r.directives, isTextList, []) }))
    return { ...summary(row), attributes: readJsonColumn(row.attributes, isTextMap, {}), items }
  }

  deletePlaylist (id: string): boolean {
    return this.db.prepare('DELETE FROM playlists WHERE id = ?').run(id).changes > 0
  }
}
