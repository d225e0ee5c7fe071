import { types, type SchemaStep } from './step.js'

// 13: series and sources (SPEC §15). A playlist item carries its season and episode (read from
// its title, file name or #EXTINF attributes, or set by the API; null when unknown), a playlist
// its own cooldown (null: the template's rule), and an override what its blocks replace
// (null: whole blocks, as before).
const migration: SchemaStep = {
  async up (db, kind) {
    await db.schema.alterTable('playlist_items').addColumn('season', 'integer').execute()
    await db.schema.alterTable('playlist_items').addColumn('episode', 'integer').execute()
    await db.schema.alterTable('playlists').addColumn('cooldown_hours', types(kind).real).execute()
    await db.schema.alterTable('channel_overrides').addColumn('replace', 'text').execute()
  }
}
export default migration
