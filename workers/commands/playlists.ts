import { CommandError } from '../../contract/command-error.js'
import { parseM3u, writeM3u } from '../playlist/m3u.js'
import { decodeUtf8 } from '../text.js'
import { slug } from '../schedule/export/naming.js'
import type { ExportedDocument, PlaylistImportAnswer, PlaylistList, PlaylistWithItems } from '../../contract/api.js'
import type { PlaylistAnswer } from '../../contract/playlists.js'
import { DEFAULT_GUIDE_WORD as DEFAULT_GUIDE } from '../../contract/limits.js'
import { GUIDE_MODES } from '../../contract/limits.js'
import type { CommandDefinition } from './command.js'
import { nameOption, oneOf, OUTPUT_OPTION, OUTPUT_USAGE, requiredId } from './options.js'
import { found, notFound } from './not-found.js'
import type { PlaylistDetail, Store } from '../storage/store.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, WriteOnce } from './idempotency.js'
import { deleteById } from './delete-schedule.js'

const findPlaylist = async (store: Store, id: string): Promise<PlaylistDetail> => found(await store.playlists.getPlaylist(id), 'playlist', id)

export const importPlaylist: CommandDefinition<PlaylistImportAnswer> = {
  summary: 'import an extended M3U / M3U8 playlist from a file or stdin',
  usage: `[file] [--name NAME] ${IDEMPOTENCY_USAGE}`,
  options: { name: { type: 'string' }, ...idempotencyOptions },
  async run ({ options, positionals, readInput, store, log }) {
    const db = await store()
    const input = await readInput()
    const once = WriteOnce.of<PlaylistImportAnswer>('import-playlist', options, positionals, input)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay
    const { attributes, items, warnings } = parseM3u(decodeUtf8(input))
    if (items.length === 0) throw new CommandError('EMPTY_PLAYLIST', 'the playlist has no entries (a URL line, with or without #EXTINF before it)')
    const fromFile = positionals[0]?.split('/').pop()?.replace(/\.m3u8?$/i, '')
    const name = nameOption(options) ?? fromFile ?? `Playlist ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`
    const { replayed, answer } = await once.commit(db, async (tx) => ({ status: 'success', playlist: await tx.playlists.createPlaylist({ name, attributes, items }), warnings }))
    if (!replayed) log.info('playlist imported', { playlist_id: answer.playlist.id, items: answer.playlist.item_count })
    return answer
  }
}

export const listPlaylists: CommandDefinition<PlaylistList> = {
  summary: 'list playlists with their item counts',
  async run ({ store }) {
    const playlists = await (await store()).playlists.listPlaylists()
    return { playlists, count: playlists.length }
  }
}

export const getPlaylist: CommandDefinition<PlaylistWithItems> = {
  summary: 'one playlist and its items in order',
  usage: '<id>',
  async run ({ positionals, store }) {
    const { items, ...playlist } = await findPlaylist(await store(), requiredId(positionals, 'playlist'))
    return { playlist, items: items.map(({ directives: _directives, ...item }) => item) }
  }
}

export const exportPlaylist: CommandDefinition<ExportedDocument> = {
  summary: 'a playlist as extended M3U',
  usage: `<id> ${OUTPUT_USAGE}`,
  answersDocument: true,
  options: OUTPUT_OPTION,
  async run ({ positionals, store }) {
    const playlist = await findPlaylist(await store(), requiredId(positionals, 'playlist'))
    return { content_type: 'audio/x-mpegurl; charset=utf-8', filename: `${slug(playlist.name, 'playlist')}.m3u`, body: writeM3u(playlist) }
  }
}

export const deletePlaylist = deleteById('playlist', 'delete a playlist (schedules filled from it stay)', (tx, id) => tx.playlists.deletePlaylist(id))

export const setPlaylistGuide: CommandDefinition<PlaylistAnswer> = {
  summary: 'how a playlist\'s clips show in the guide when they air as breaks, pad or default filler (SPEC §14); the next build stores it',
  usage: `<id> --guide ${[...GUIDE_MODES, DEFAULT_GUIDE].join('|')} ${IDEMPOTENCY_USAGE}`,
  options: { guide: { type: 'string' }, ...idempotencyOptions },
  async run ({ options, positionals, store, log }) {
    const id = requiredId(positionals, 'playlist')
    const word = oneOf(options.guide, [...GUIDE_MODES, DEFAULT_GUIDE], 'guide')
    if (word === undefined) throw new CommandError('BAD_REQUEST', 'guide is required', [{ field: 'guide', message: 'required' }])
    const guide = word === DEFAULT_GUIDE ? null : word
    const db = await store()
    const once = WriteOnce.of<PlaylistAnswer>('set-playlist-guide', options, positionals)
    const { replayed, answer } = await once.commit(db, async (tx) => {
      const playlist = await tx.playlists.setPlaylistGuide(id, guide)
      if (playlist === null) throw notFound('playlist', id)
      return { playlist }
    })
    if (!replayed) log.info('playlist guide set', { playlist_id: id, guide })
    return answer
  }
}
