import { CommandError } from '../../contract/command-error.js'
import type { DeleteAnswer, ProblemDetail } from '../../contract/common.js'
import { LIBRARY_ITEMS_PAGE, MAX_LIBRARIES } from '../../contract/limits.js'
import type { CollectionList, Library, LibraryList, LibraryRequest, MediaItemList } from '../../contract/media.js'
import { parseCollectionId } from '../media/collection-id.js'
import { libraryRoot, mediaRoots, rootProblem } from '../media/roots.js'
import { mediaItemOf } from '../storage/media.js'
import type { Store } from '../storage/store.js'
import { checkLibraryRequest } from '../generated/body-checks.js'
import { bodyProblems } from '../body-problems.js'
import { isObject } from '../json.js'
import { jsonBody } from './json-body.js'
import type { CommandDefinition, OptionValues } from './command.js'
import { found, notFound } from './not-found.js'
import { limitOption } from '../paging.js'
import { requiredId } from './options.js'

// Media libraries (SPEC §16): an admin declares one by its root, which must lie under one of
// SCHEDULEFLOW_MEDIA_ROOTS (workers/media/roots.ts); anyone with a viewer key reads them, their
// items (paged in path order) and their collections. Scans are commands/scans.ts.

/** The body by hand: --name, --root and --rescan-minutes (a number when it reads as one, for the check to judge). */
function bodyOfOptions (options: OptionValues): Record<string, unknown> {
  const raw = options['rescan-minutes']
  const rescan = typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw
  return { name: options.name, root: options.root, ...(rescan !== undefined && { rescan_minutes: rescan }) }
}

/** The request, checked: the contract's shape (every problem named, VALIDATION_FAILED), the name's text, the root's place. */
export function libraryRequest (body: unknown, roots: readonly string[]): LibraryRequest {
  const problems: ProblemDetail[] = bodyProblems(checkLibraryRequest, body)
  const named = (field: string): boolean => problems.some((p) => p.field === field)
  const given = (isObject(body) ? body : {}) as Partial<LibraryRequest>
  const name = typeof given.name === 'string' ? given.name.trim() : ''
  if (!named('name') && name === '') problems.push({ field: 'name', message: 'is empty' })
  if (!named('root') && typeof given.root === 'string') {
    const problem = rootProblem(given.root, roots)
    if (problem !== null) problems.push({ field: 'root', message: problem })
  }
  if (problems.length > 0) {
    const first = problems[0]
    throw new CommandError('VALIDATION_FAILED', `the library: ${first.field ?? ''} ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems)
  }
  return { name, root: libraryRoot(given.root ?? ''), rescan_minutes: given.rescan_minutes ?? null }
}

export async function findLibrary (db: Store, id: string): Promise<Library> {
  return found(await db.media.getLibrary(id), 'library', id)
}

export const createLibrary: CommandDefinition<{ library: Library }> = {
  summary: 'declare a media library: a folder under SCHEDULEFLOW_MEDIA_ROOTS that scans read into items (SPEC §16)',
  usage: '--name NAME --root /absolute/folder [--rescan-minutes N]   (or the JSON body {"name", "root", "rescan_minutes"?} on stdin)',
  options: { name: { type: 'string' }, root: { type: 'string' }, 'rescan-minutes': { type: 'string' } },
  async run ({ options, readInput, store, now, log }) {
    const byHand = options.name !== undefined || options.root !== undefined
    const request = libraryRequest(byHand ? bodyOfOptions(options) : (await jsonBody(readInput)).body, mediaRoots())
    const db = await store()
    if (await db.media.countLibraries() >= MAX_LIBRARIES) throw new CommandError('TOO_MANY_LIBRARIES', `there are ${MAX_LIBRARIES} media libraries already (the most one service keeps): delete one first`)
    const library = await db.media.createLibrary(request, now())
    if (library === null) throw new CommandError('LIBRARY_ROOT_TAKEN', 'another library has this root', [{ field: 'root', message: 'another library has this root' }])
    log.info('library created', { library_id: library.id })
    return { library }
  }
}

export const listLibraries: CommandDefinition<LibraryList> = {
  summary: 'the media libraries, oldest first, with their item counts',
  async run ({ store }) {
    return { libraries: await (await store()).media.listLibraries() }
  }
}

export const getLibrary: CommandDefinition<{ library: Library }> = {
  summary: 'one media library',
  usage: '<id>',
  async run ({ positionals, store }) {
    return { library: await findLibrary(await store(), requiredId(positionals, 'library')) }
  }
}

export const deleteLibrary: CommandDefinition<DeleteAnswer> = {
  summary: 'forget a media library, its items and scans (the files are left alone)',
  usage: '<id>',
  async run ({ positionals, store, log }) {
    const id = requiredId(positionals, 'library')
    if (!await (await store()).media.deleteLibrary(id)) throw notFound('library', id)
    log.info('library deleted', { library_id: id })
    return { status: 'success', deleted: id }
  }
}

const badCursor = (): CommandError => new CommandError('BAD_REQUEST', 'cursor is not one this server answered: use the `next` link of the page before', [{ field: 'cursor', message: 'not a cursor this server answered' }])

/** Opaque to clients: base64url of the last path a page answered. */
const encodeItemCursor = (path: string): string => Buffer.from(path, 'utf8').toString('base64url')
function decodeItemCursor (value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,1400}$/.test(value)) throw badCursor()
  const path = Buffer.from(value, 'base64url').toString('utf8')
  if (path === '' || path.includes('\uFFFD')) throw badCursor()
  return path
}

export const listMediaItems: CommandDefinition<MediaItemList> = {
  summary: 'a page of a library\'s items in path order (a collection\'s only, with --collection)',
  usage: '[--collection ID] [--cursor C] [--limit N] <library id>',
  options: { collection: { type: 'string' }, cursor: { type: 'string' }, limit: { type: 'string' } },
  async run ({ positionals, options, store }) {
    const id = requiredId(positionals, 'library')
    const limit = limitOption(options, LIBRARY_ITEMS_PAGE)
    const afterPath = decodeItemCursor(options.cursor)
    const collection = typeof options.collection === 'string' ? options.collection : undefined
    if (collection !== undefined && parseCollectionId(collection)?.libraryId !== id) {
      throw new CommandError('BAD_REQUEST', 'collection is not one of this library\'s (GET /api/libraries/:id/collections lists them)', [{ field: 'collection', message: 'not a collection of this library' }])
    }
    const db = await store()
    await findLibrary(db, id)
    const rows = await db.media.listItems(id, { collection, afterPath, limit: limit + 1 })
    const page = rows.slice(0, limit)
    const query = new URLSearchParams()
    if (collection !== undefined) query.set('collection', collection)
    if (rows.length > limit) {
      query.set('cursor', encodeItemCursor(page[page.length - 1].path))
      query.set('limit', String(limit))
    }
    return { items: page.map(mediaItemOf), ...(rows.length > limit && { next: `/api/libraries/${id}/items?${query.toString()}` }) }
  }
}

export const listCollections: CommandDefinition<CollectionList> = {
  summary: 'a library\'s collections: each show, folder and genre with its item count',
  usage: '<library id>',
  async run ({ positionals, store }) {
    const id = requiredId(positionals, 'library')
    const db = await store()
    await findLibrary(db, id)
    return { collections: await db.media.collections(id) }
  }
}
