import { sql, type Insertable, type Selectable } from 'kysely'
import type { Collection, CollectionKind, Library, LibraryRequest, MediaItem, Scan, SkippedFile } from '../../contract/media.js'
import { SCAN_SKIPPED_LISTED } from '../../contract/limits.js'
import type { Scope } from './dialect.js'
import type { LibrariesTable, MediaItemsTable, MediaScansTable, RemoteProbesTable } from './tables.js'
import { newId } from '../ids.js'
import { readJsonColumn } from './read-column.js'
import { collectionId, parseCollectionId } from '../media/collection-id.js'

// The media library's rows (SPEC §16): libraries, their items (one per file, the probe kept
// while size and mtime stay), scans with their progress and cursor, remote probes by URL.

const iso = (ms: number | null): string | null => ms === null ? null : new Date(Number(ms)).toISOString()
const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number')
const isSkippedList = (v: unknown): v is SkippedFile[] => Array.isArray(v)
const seconds = (ms: number): number => Math.round(Number(ms)) / 1000

/** A stored item as the API answers it. */
export const mediaItemOf = (row: Selectable<MediaItemsTable>): MediaItem => ({
  id: row.id,
  library_id: row.library_id,
  path: row.path,
  title: row.title,
  duration: row.duration_ms === null ? null : seconds(row.duration_ms),
  ...(row.show !== null && { show: row.show }),
  ...(row.season !== null && { season: row.season }),
  ...(row.episode !== null && { episode: row.episode }),
  ...(row.year !== null && { year: row.year }),
  ...(row.description !== null && { description: row.description }),
  ...(row.category !== null && { category: row.category }),
  chapters: readJsonColumn(row.chapters, isNumberArray, []).map(seconds),
  container: row.container,
  video: row.video,
  audio: row.audio,
  size: Number(row.size),
  mtime: iso(row.mtime_ms)!,
  ...(row.problem !== null && { problem: row.problem })
})

const scanOf = (row: Selectable<MediaScansTable>): Scan => ({
  id: row.id,
  library_id: row.library_id,
  state: row.state,
  files_seen: row.files_seen,
  probed: row.probed,
  cached: row.cached,
  failed: row.failed,
  removed: row.removed,
  skipped: readJsonColumn(row.skipped, isSkippedList, []),
  started: iso(row.started_ms)!,
  finished: iso(row.finished_ms),
  error: row.error
})

/** One scan task's progress, added to the scan's counts. */
export interface ScanProgress {
  files_seen: number
  probed: number
  cached: number
  failed: number
  removed: number
  skipped: SkippedFile[]
  cursor: string | null
}

/** An item as a scan stores it: the row less its id (kept when the path is known). */
export type MediaItemInput = Omit<Insertable<MediaItemsTable>, 'id'>

/** What the missing-media check and the exports read of an item (libraryFiles). */
export interface LibraryFile {
  id: string
  library_id: string
  path: string
  size: number
  mtime_ms: number
  duration_ms: number | null
  problem: string | null
}
/** (library, path) pairs per statement: two parameters each, well inside either database's limit. */
const FILES_PER_STATEMENT = 250

/** The column a collection kind groups by. */
const GROUP_COLUMN: Record<CollectionKind, 'show' | 'folder' | 'category'> = { show: 'show', folder: 'folder', genre: 'category' }

export class KyselyMediaRepository {
  constructor (private readonly scope: Scope) {}

  // ── Libraries ──────────────────────────────────────────────────────────────────────────

  /** A new library; null when another already has this root. `root` is absolute and resolved (the caller checked it is under SCHEDULEFLOW_MEDIA_ROOTS). */
  async createLibrary (request: LibraryRequest, atMs: number): Promise<Library | null> {
    const row: Selectable<LibrariesTable> = {
      id: newId(),
      name: request.name,
      root: request.root,
      rescan_minutes: request.rescan_minutes ?? null,
      created_ms: atMs,
      last_scan_id: null,
      last_scan_ms: null
    }
    return this.scope.write(async (tx) => {
      if (await tx.selectFrom('libraries').select('id').where('root', '=', row.root).executeTakeFirst() !== undefined) return null
      await tx.insertInto('libraries').values(row).execute()
      return { ...this.libraryOf(row), items: 0 }
    })
  }

  /** Every library, oldest first, with its item count. */
  async listLibraries (): Promise<Library[]> {
    const rows = await this.scope.db().selectFrom('libraries').selectAll().orderBy('created_ms').orderBy('id').execute()
    const counts = await this.scope.db().selectFrom('media_items').select(['library_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('library_id').execute()
    const countOf = new Map(counts.map((c) => [c.library_id, Number(c.n)]))
    return rows.map((r) => ({ ...this.libraryOf(r), items: countOf.get(r.id) ?? 0 }))
  }

  async getLibrary (id: string): Promise<Library | null> {
    const row = await this.scope.db().selectFrom('libraries').selectAll().where('id', '=', id).executeTakeFirst()
    if (row === undefined) return null
    const { n } = await this.scope.db().selectFrom('media_items').select((eb) => eb.fn.countAll<number>().as('n')).where('library_id', '=', id).executeTakeFirstOrThrow()
    return { ...this.libraryOf(row), items: Number(n) }
  }

  /** The library's root (absolute), or null when there is no such library. */
  async rootOf (id: string): Promise<string | null> {
    return (await this.scope.db().selectFrom('libraries').select('root').where('id', '=', id).executeTakeFirst())?.root ?? null
  }

  /** Removes the library with its items and scans: true when there was one. */
  async deleteLibrary (id: string): Promise<boolean> {
    return this.scope.write(async (tx) => {
      await tx.deleteFrom('media_items').where('library_id', '=', id).execute()
      await tx.deleteFrom('media_scans').where('library_id', '=', id).execute()
      return Number((await tx.deleteFrom('libraries').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0
    })
  }

  private libraryOf (row: Selectable<LibrariesTable>): Omit<Library, 'items'> {
    return { id: row.id, name: row.name, root: row.root, rescan_minutes: row.rescan_minutes, last_scan: row.last_scan_id, created: iso(row.created_ms)! }
  }

  // ── Scans ──────────────────────────────────────────────────────────────────────────────

  /** Starts a scan of the library; null when one of it is running already (the caller answers with that one). */
  async startScan (libraryId: string, atMs: number): Promise<{ scan: Scan, started: boolean }> {
    return this.scope.write(async (tx) => {
      const running = await tx.selectFrom('media_scans').selectAll().where('library_id', '=', libraryId).where('state', '=', 'running').executeTakeFirst()
      if (running !== undefined) return { scan: scanOf(running), started: false }
      const row: Selectable<MediaScansTable> = {
        id: newId(),
        library_id: libraryId,
        state: 'running',
        files_seen: 0,
        probed: 0,
        cached: 0,
        failed: 0,
        removed: 0,
        skipped: '[]',
        cursor: null,
        started_ms: atMs,
        finished_ms: null,
        error: null
      }
      await tx.insertInto('media_scans').values(row).execute()
      await tx.updateTable('libraries').set({ last_scan_id: row.id, last_scan_ms: atMs }).where('id', '=', libraryId).execute()
      return { scan: scanOf(row), started: true }
    })
  }

  async getScan (id: string): Promise<(Scan & { cursor: string | null }) | null> {
    const row = await this.scope.db().selectFrom('media_scans').selectAll().where('id', '=', id).executeTakeFirst()
    return row === undefined ? null : { ...scanOf(row), cursor: row.cursor }
  }

  /** The scans still running, oldest first: what the scan job (re)takes after a restart. */
  async runningScans (): Promise<Scan[]> {
    return (await this.scope.db().selectFrom('media_scans').selectAll().where('state', '=', 'running').orderBy('started_ms').execute()).map(scanOf)
  }

  /** Marks the library's items at `paths` seen by the scan (unchanged files: nothing else is written). */
  async markSeen (libraryId: string, scanId: string, paths: string[]): Promise<void> {
    if (paths.length === 0) return
    await this.scope.write(async (tx) => {
      for (let i = 0; i < paths.length; i += 500) {
        await tx.updateTable('media_items').set({ seen_scan_id: scanId }).where('library_id', '=', libraryId).where('path', 'in', paths.slice(i, i + 500)).execute()
      }
    })
  }

  /** Ends the scan. `done` also removes the library's items the scan did not see (their files are gone) and answers how many. */
  async finishScan (scanId: string, state: 'done' | 'failed' | 'cancelled', atMs: number, error: string | null = null): Promise<number> {
    return this.scope.write(async (tx) => {
      const scan = await tx.selectFrom('media_scans').select(['library_id', 'removed']).where('id', '=', scanId).executeTakeFirstOrThrow()
      let removed = 0
      if (state === 'done') {
        removed = Number((await tx.deleteFrom('media_items').where('library_id', '=', scan.library_id)
          .where((eb) => eb.or([eb('seen_scan_id', 'is', null), eb('seen_scan_id', '!=', scanId)])).executeTakeFirst()).numDeletedRows)
      }
      await tx.updateTable('media_scans').set({ state, finished_ms: atMs, error, removed: scan.removed + removed }).where('id', '=', scanId).execute()
      return removed
    })
  }

  // ── Items ──────────────────────────────────────────────────────────────────────────────

  /** The library's items at `paths` (relative), by path: what a scan compares size and mtime with. */
  async itemsAt (libraryId: string, paths: string[]): Promise<Map<string, Selectable<MediaItemsTable>>> {
    const found = new Map<string, Selectable<MediaItemsTable>>()
    for (let i = 0; i < paths.length; i += 500) {
      const rows = await this.scope.db().selectFrom('media_items').selectAll().where('library_id', '=', libraryId).where('path', 'in', paths.slice(i, i + 500)).execute()
      for (const r of rows) found.set(r.path, r)
    }
    return found
  }

  /** A page of the library's items in path order, after `afterPath`; only a collection's when given. */
  async listItems (libraryId: string, options: { collection?: string, afterPath?: string, limit: number }): Promise<Array<Selectable<MediaItemsTable>>> {
    let query = this.scope.db().selectFrom('media_items').selectAll().where('library_id', '=', libraryId).orderBy('path').limit(options.limit)
    if (options.afterPath !== undefined) query = query.where('path', '>', options.afterPath)
    const collection = options.collection === undefined ? null : parseCollectionId(options.collection)
    if (collection !== null) query = query.where(GROUP_COLUMN[collection.kind], '=', collection.key)
    return query.execute()
  }

  /**
   * A collection's items, as a build airs them: a show in season and episode order (then path;
   * items without them last, on both databases: SQLite sorts nulls first, PostgreSQL last),
   * a folder or a genre in path order. Null when the id names no collection of a library.
   */
  async collectionItems (id: string): Promise<{ root: string, items: Array<Selectable<MediaItemsTable>> } | null> {
    const collection = parseCollectionId(id)
    if (collection === null) return null
    const root = await this.rootOf(collection.libraryId)
    if (root === null) return null
    const items = await this.scope.db().selectFrom('media_items').selectAll()
      .where('library_id', '=', collection.libraryId).where(GROUP_COLUMN[collection.kind], '=', collection.key)
      .orderBy(sql`season is null`).orderBy('season').orderBy(sql`episode is null`).orderBy('episode').orderBy('path').execute()
    return { root, items }
  }

  /** The library's collections: each show, folder and genre with its item count. */
  async collections (libraryId: string): Promise<Collection[]> {
    const found: Collection[] = []
    for (const kind of Object.keys(GROUP_COLUMN) as CollectionKind[]) {
      const column = GROUP_COLUMN[kind]
      const rows = await this.scope.db().selectFrom('media_items').select([column, (eb) => eb.fn.countAll<number>().as('n')])
        .where('library_id', '=', libraryId).where(column, 'is not', null).groupBy(column).orderBy(column).execute()
      for (const r of rows) {
        const key = String((r as Record<string, unknown>)[column])
        found.push({ id: collectionId(libraryId, kind, key), library_id: libraryId, kind, name: kind === 'folder' && key === '' ? '(root)' : key, items: Number(r.n) })
      }
    }
    return found
  }

  // ── Collections as sources (issue 26, helper C) ──────────────────────────────────────────

  /**
   * What a collection's items are now, as one short string (count and last probe): it changes
   * when a scan adds, removes or re-probes one of them, so a rolling build sees a source change.
   * Null when the id names no collection.
   */
  async collectionVersion (id: string): Promise<string | null> {
    const collection = parseCollectionId(id)
    if (collection === null) return null
    const row = await this.scope.db().selectFrom('media_items')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('probed_ms').as('last')])
      .where('library_id', '=', collection.libraryId).where(GROUP_COLUMN[collection.kind], '=', collection.key).executeTakeFirst()
    return row === undefined || Number(row.n) === 0 ? null : `${Number(row.n)}:${Number(row.last)}`
  }

  // ── Remote probes ──────────────────────────────────────────────────────────────────────

  async remoteProbes (urls: string[]): Promise<Map<string, Selectable<RemoteProbesTable>>> {
    const found = new Map<string, Selectable<RemoteProbesTable>>()
    for (let i = 0; i < urls.length; i += 500) {
      for (const r of await this.scope.db().selectFrom('remote_probes').selectAll().where('url', 'in', urls.slice(i, i + 500)).execute()) found.set(r.url, r)
    }
    return found
  }

  async storeRemoteProbe (row: Selectable<RemoteProbesTable>): Promise<void> {
    await this.scope.write(async (tx) => {
      await tx.deleteFrom('remote_probes').where('url', '=', row.url).execute()
      await tx.insertInto('remote_probes').values(row).execute()
    })
  }

  // ── Part B: libraries and scans (workers/media/scan.ts, commands/libraries.ts, commands/scans.ts) ──

  async countLibraries (): Promise<number> {
    const { n } = await this.scope.db().selectFrom('libraries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return Number(n)
  }

  /**
   * One scan task's whole outcome in one transaction, stored only while the scan still runs,
   * is not asked to stop and is where the task began (`fromCursor`): two tasks of one scan (two
   * instances resuming it) or a task ending after its scan was cancelled store nothing. The
   * unchanged files are marked seen, the probed ones upserted, the counts added, the cursor moved.
   * `doneAtMs`: the walk ended, so the scan ends done in the same transaction (finishScan), a
   * cancel coming between the two never turned into done. False: nothing was stored.
   */
  async storeScanTask (
    scanId: string,
    fromCursor: string | null,
    seen: string[],
    items: MediaItemInput[],
    progress: ScanProgress,
    doneAtMs: number | null = null
  ): Promise<boolean> {
    return this.scope.transaction(async (scope) => {
      const tx = scope.db()
      let claim = tx.updateTable('media_scans').set((eb) => ({
        files_seen: eb('files_seen', '+', progress.files_seen),
        probed: eb('probed', '+', progress.probed),
        cached: eb('cached', '+', progress.cached),
        failed: eb('failed', '+', progress.failed),
        removed: eb('removed', '+', progress.removed),
        cursor: progress.cursor
      })).where('id', '=', scanId).where('state', '=', 'running')
      claim = fromCursor === null ? claim.where('cursor', 'is', null) : claim.where('cursor', '=', fromCursor)
      if (Number((await claim.executeTakeFirst()).numUpdatedRows) !== 1) return false
      const scan = await tx.selectFrom('media_scans').select(['library_id', 'skipped']).where('id', '=', scanId).executeTakeFirstOrThrow()
      if (progress.skipped.length > 0) {
        const skipped = [...readJsonColumn(scan.skipped, isSkippedList, []), ...progress.skipped].slice(0, SCAN_SKIPPED_LISTED)
        await tx.updateTable('media_scans').set({ skipped: JSON.stringify(skipped) }).where('id', '=', scanId).execute()
      }
      const media = new KyselyMediaRepository(scope)
      await media.markSeen(scan.library_id, scanId, seen)
      for (const item of items) {
        const known = await tx.selectFrom('media_items').select('id').where('library_id', '=', item.library_id).where('path', '=', item.path).executeTakeFirst()
        if (known !== undefined) await tx.updateTable('media_items').set(item).where('id', '=', known.id).execute()
        else await tx.insertInto('media_items').values({ ...item, id: newId() }).execute()
      }
      if (doneAtMs !== null) await media.finishScan(scanId, 'done', doneAtMs)
      return true
    })
  }

  /** Ends a running scan as cancelled at once (a task still running stores nothing: storeScanTask); false when it was not running. */
  async cancelScan (id: string, atMs: number): Promise<boolean> {
    return this.scope.write(async (tx) => Number((await tx.updateTable('media_scans').set({ state: 'cancelled', finished_ms: atMs })
      .where('id', '=', id).where('state', '=', 'running').executeTakeFirst()).numUpdatedRows) > 0)
  }

  /** Libraries whose rescan_minutes (> 0) have passed since their last scan began (or never scanned), with no scan running. */
  async dueForRescan (atMs: number): Promise<string[]> {
    const rows = await this.scope.db().selectFrom('libraries').select(['id', 'rescan_minutes', 'last_scan_ms'])
      .where('rescan_minutes', '>', 0).orderBy('created_ms').orderBy('id').execute()
    const running = new Set((await this.runningScans()).map((s) => s.library_id))
    const due = (r: typeof rows[number]): boolean => r.last_scan_ms === null || Number(r.last_scan_ms) + Number(r.rescan_minutes) * 60_000 <= atMs
    return rows.filter((r) => !running.has(r.id) && due(r)).map((r) => r.id)
  }

  // ── Missing media and playout exports (issue 26, helper D) ──────────────────────────────

  /** Every library's id, name and root: what maps an absolute path to its library, named for people. */
  async libraryRoots (): Promise<Array<{ id: string, name: string, root: string }>> {
    return this.scope.db().selectFrom('libraries').select(['id', 'name', 'root']).execute()
  }

  /**
   * The items at these files (library id + relative path), as compact rows: what the missing-media
   * check compares with a stat and what an export takes the probed length from. One statement per
   * FILES_PER_STATEMENT files (each a seek on media_items_by_path), whatever the library holds.
   */
  async libraryFiles (files: ReadonlyArray<{ library_id: string, path: string }>): Promise<LibraryFile[]> {
    const found: LibraryFile[] = []
    for (let i = 0; i < files.length; i += FILES_PER_STATEMENT) {
      const batch = files.slice(i, i + FILES_PER_STATEMENT)
      const rows = await this.scope.db().selectFrom('media_items')
        .select(['id', 'library_id', 'path', 'size', 'mtime_ms', 'duration_ms', 'problem'])
        .where((eb) => eb.or(batch.map((f) => eb.and([eb('library_id', '=', f.library_id), eb('path', '=', f.path)])))).execute()
      for (const r of rows) {
        found.push({ ...r, size: Number(r.size), mtime_ms: Number(r.mtime_ms), duration_ms: r.duration_ms === null ? null : Number(r.duration_ms) })
      }
    }
    return found
  }

  /** Sets each item's problem (null: none), in one transaction. */
  async setProblems (changes: ReadonlyArray<{ id: string, problem: string | null }>): Promise<void> {
    if (changes.length === 0) return
    await this.scope.write(async (tx) => {
      for (const { id, problem } of changes) await tx.updateTable('media_items').set({ problem }).where('id', '=', id).execute()
    })
  }
}
