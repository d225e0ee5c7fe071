import { CommandError } from '../../contract/command-error.js'
import { parseM3u, writeM3u } from '../playlist/m3u.js'
import type { ParsedPlaylist } from '../playlist/model.js'
import { decodeUtf8 } from '../text.js'
import { slug } from '../schedule/export/naming.js'
import type { ExportedDocument, PlaylistImportAnswer, PlaylistList, PlaylistWithItems } from '../../contract/api.js'
import type { PlaylistAnswer } from '../../contract/playlists.js'
import { DEFAULT_GUIDE_WORD as DEFAULT_WORD, GUIDE_MODES, MAX_COOLDOWN_HOURS } from '../../contract/limits.js'
import type { CommandDefinition } from './command.js'
import { nameOption, oneOf, OUTPUT_OPTION, OUTPUT_USAGE, requiredId } from './options.js'
import { found, notFound } from './not-found.js'
import type { PlaylistDetail, PlaylistFields, Store } from '../storage/store.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, WriteOnce } from './idempotency.js'
import { deleteById } from './delete-schedule.js'
import { noDurationWarning, withLibraryDurations } from '../playlist/library-durations.js'

const findPlaylist = async (store: Store, id: string): Promise<PlaylistDetail> => found(await store.playlists.getPlaylist(id), 'playlist', id)

/** A document read as a playlist: refused (nothing stored) when it has no entry. */
function parsePlaylist (input: Buffer): ParsedPlaylist {
  const parsed = parseM3u(decodeUtf8(input))
  if (parsed.items.length === 0) throw new CommandError('EMPTY_PLAYLIST', 'the playlist has no entries (a URL line, with or without #EXTINF before it)')
  return parsed
}

export const importPlaylist: CommandDefinition<PlaylistImportAnswer> = {
  summary: 'import an extended M3U / M3U8 playlist from a file or stdin',
  usage: `[file] [--name NAME] ${IDEMPOTENCY_USAGE}`,
  options: { name: { type: 'string' }, ...idempotencyOptions },
  async run ({ options, positionals, readInput, store, log, now }) {
    const db = await store()
    const input = await readInput()
    const once = WriteOnce.of<PlaylistImportAnswer>('import-playlist', options, positionals, input)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay
    const { attributes, items, warnings } = parsePlaylist(input)
    const facts = await withLibraryDurations(db, items, now())
    const said = [...warnings, ...[noDurationWarning(facts.without_duration)].filter((w) => w !== null)]
    const fromFile = positionals[0]?.split('/').pop()?.replace(/\.m3u8?$/i, '')
    const name = nameOption(options) ?? fromFile ?? `Playlist ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`
    const { replayed, answer } = await once.commit(db, async (tx) => ({ status: 'success', playlist: await tx.playlists.createPlaylist({ name, attributes, items }), warnings: said, ...facts }))
    if (!replayed) log.info('playlist imported', { playlist_id: answer.playlist.id, items: answer.playlist.item_count })
    return answer
  }
}

/**
 * SPEC §15: a playlist is a living source. Its items are replaced in place from the same
 * documents an import takes, in one transaction (a refused document changes nothing); its id
 * stays, so the blocks that air it keep it, and a sequential block goes on by item identity.
 */
export const replacePlaylist: CommandDefinition<PlaylistImportAnswer> = {
  summary: 'replace a playlist\'s items in place from an extended M3U (file or stdin), keeping its id, guide and cooldown',
  usage: `--playlist <id> [file] [--name NAME] ${IDEMPOTENCY_USAGE}`,
  options: { playlist: { type: 'string' }, name: { type: 'string' }, ...idempotencyOptions },
  async run ({ options, positionals, readInput, store, log, now }) {
    const id = requiredId(typeof options.playlist === 'string' ? [options.playlist] : [], 'playlist')
    const db = await store()
    const input = await readInput()
    const once = WriteOnce.of<PlaylistImportAnswer>('replace-playlist', options, positionals, input)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay
    const name = nameOption(options)
    const { attributes, items, warnings } = parsePlaylist(input)
    const facts = await withLibraryDurations(db, items, now())
    const said = [...warnings, ...[noDurationWarning(facts.without_duration)].filter((w) => w !== null)]
    const { replayed, answer } = await once.commit(db, async (tx) => {
      const playlist = await tx.playlists.replacePlaylist(id, { name, attributes, items })
      if (playlist === null) throw notFound('playlist', id)
      return { status: 'success', playlist, warnings: said, ...facts }
    })
    if (!replayed) log.info('playlist replaced', { playlist_id: id, items: answer.playlist.item_count })
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

/** `--cooldown-hours`: hours in [0, MAX_COOLDOWN_HOURS], or the default word for null (the template's rule); undefined when not given. */
function cooldownOption (value: unknown): number | null | undefined {
  if (value === undefined) return undefined
  if (value === DEFAULT_WORD) return null
  const hours = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  if (!Number.isFinite(hours) || hours < 0 || hours > MAX_COOLDOWN_HOURS) {
    throw new CommandError('BAD_REQUEST', `cooldown_hours must be a number of hours from 0 to ${MAX_COOLDOWN_HOURS}, or ${DEFAULT_WORD}`, [{ field: 'cooldown_hours', message: `not 0–${MAX_COOLDOWN_HOURS} or ${DEFAULT_WORD}` }])
  }
  return hours
}

/** set-playlist (set-playlist-guide, its first name, is kept): a merge patch of the playlist's own fields. */
export const setPlaylist: CommandDefinition<PlaylistAnswer> = {
  summary: 'a playlist\'s own fields, those given: how its clips show in the guide as breaks, pad or default filler (SPEC §14), its cooldown (SPEC §15); the next build reads them',
  usage: `<id> [--guide ${[...GUIDE_MODES, DEFAULT_WORD].join('|')}] [--cooldown-hours N|${DEFAULT_WORD}] ${IDEMPOTENCY_USAGE}`,
  options: { guide: { type: 'string' }, 'cooldown-hours': { type: 'string' }, ...idempotencyOptions },
  async run ({ options, positionals, store, log }) {
    const id = requiredId(positionals, 'playlist')
    const word = oneOf(options.guide, [...GUIDE_MODES, DEFAULT_WORD], 'guide')
    const fields: PlaylistFields = {
      ...(word !== undefined && { guide: word === DEFAULT_WORD ? null : word }),
      ...(options['cooldown-hours'] !== undefined && { cooldown_hours: cooldownOption(options['cooldown-hours']) })
    }
    if (Object.keys(fields).length === 0) throw new CommandError('BAD_REQUEST', 'give --guide or --cooldown-hours', [{ field: 'body', message: 'nothing to change' }])
    const db = await store()
    const once = WriteOnce.of<PlaylistAnswer>('set-playlist', options, positionals)
    const { replayed, answer } = await once.commit(db, async (tx) => {
      const playlist = await tx.playlists.patchPlaylist(id, fields)
      if (playlist === null) throw notFound('playlist', id)
      return { playlist }
    })
    if (!replayed) log.info('playlist fields set', { playlist_id: id, ...fields })
    return answer
  }
}
