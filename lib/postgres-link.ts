import pg from 'pg'
import { openPostgresPool } from '../workers/storage/postgres-dialect.js'
import { SELECT_EDIT_REVISION, SELECT_OPEN_ALARMS, SELECT_REVISION } from '../workers/storage/revisions.js'
import { SELECT_FEED_TOKEN } from '../workers/storage/feed-token-hash.js'
import { SELECT_KEY_NAMES } from '../workers/storage/key-names.js'
import type { StoredKeyName } from '../contract/keys.js'
import { ALARM_COUNT_MS, lookedAtMost, STORAGE_CHECK_MS, StorageUnavailable, type StorageLink } from './storage-check.js'

/** PostgreSQL numbers its parameters. */
const SELECT_REVISION_PG = SELECT_REVISION.replace('?', '$1')

/** A check that takes longer than this says the database does not answer. */
const CHECK_TIMEOUT_MS = 2000

/** `answer`, or undefined when it takes longer than CHECK_TIMEOUT_MS (health must answer while the database does not). */
async function inTime<T> (answer: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), CHECK_TIMEOUT_MS) })
  try {
    return await Promise.race([answer, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Two connections of the API's own: counters and health, never schedule work. */
class PostgresLink implements StorageLink {
  readonly kind = 'postgres' as const

  constructor (private readonly pool: pg.Pool) {}

  async revision (scope: string): Promise<number | undefined> {
    try {
      const { rows } = await this.pool.query<{ revision: number }>({ text: SELECT_REVISION_PG, values: [scope], name: 'select-revision' })
      return rows[0]?.revision
    } catch {
      return undefined // not migrated yet, or the database away: the worker answers
    }
  }

  async editRevision (kind: 'schedule' | 'channel', id: string): Promise<number | undefined> {
    try {
      const { rows } = await this.pool.query<{ revision: number }>({ text: SELECT_EDIT_REVISION[kind].replace('?', '$1'), values: [id], name: `select-${kind}-revision` })
      return rows[0]?.revision
    } catch {
      return undefined
    }
  }

  async feedToken (hash: string): Promise<{ id: string, name: string } | null | undefined> {
    try {
      const { rows } = await this.pool.query<{ id: string, name: string }>({ text: SELECT_FEED_TOKEN.replace('?', '$1'), values: [hash], name: 'select-feed-token' })
      return rows[0] ?? null
    } catch {
      return undefined
    }
  }

  async keyNames (): Promise<StoredKeyName[] | undefined> {
    try {
      return (await this.pool.query<StoredKeyName>({ text: SELECT_KEY_NAMES, name: 'select-key-names' })).rows
    } catch {
      return undefined
    }
  }

  readonly check = lookedAtMost(STORAGE_CHECK_MS, async () =>
    (await inTime(this.pool.query('SELECT 1').then(() => true, () => false))) ?? false)

  readonly openAlarms = lookedAtMost(ALARM_COUNT_MS, async () =>
    inTime(this.pool.query<{ n: string }>({ text: SELECT_OPEN_ALARMS, name: 'select-open-alarms' }).then(({ rows }) => Number(rows[0].n), () => undefined)))

  async close (): Promise<void> {
    await this.pool.end()
  }
}

/**
 * A session of its own on the API's database, for what a pool cannot hold: a session-level
 * advisory lock (the on-air leader lease, lib/leader-lease.ts). A connect or a query that takes
 * longer than a storage check gives up, so a tick never hangs on a database that went away.
 */
export async function openPostgresSession (url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CHECK_TIMEOUT_MS, query_timeout: CHECK_TIMEOUT_MS })
  client.on('error', () => {}) // a session the server ends: the lease sees it and drops the client
  try {
    await client.connect()
  } catch (err) {
    await client.end().catch(() => {})
    throw err
  }
  return client
}

/** Answers that waiting will not change: a wrong password or user, a database that does not exist. */
const FINAL_CODES = new Set(['28P01', '28000', '3D000'])

/** Where the URL points, without its user or password: what a message may say. */
function place (url: string): string {
  const { hostname, port, pathname } = new URL(url)
  return `${hostname}:${port === '' ? '5432' : port}${pathname}`
}

/**
 * Connects, trying again with growing pauses for up to `timeoutMs`: in a deployment the
 * database often starts beside the service. Never answered: StorageUnavailable naming the
 * variable, where it points and the last error, never the password.
 */
export async function connectPostgresLink (url: string, timeoutMs: number): Promise<StorageLink> {
  const pool = openPostgresPool(url, 2)
  const deadline = Date.now() + timeoutMs
  let pause = 100
  for (;;) {
    try {
      await pool.query('SELECT 1')
      return new PostgresLink(pool)
    } catch (err) {
      const { code, message } = err as { code?: string, message: string }
      if (code !== undefined && FINAL_CODES.has(code)) {
        await pool.end().catch(() => {})
        throw new StorageUnavailable(`DATABASE_URL: PostgreSQL at ${place(url)} refused the connection: ${message} (${code})`)
      }
      if (Date.now() + pause > deadline) {
        await pool.end().catch(() => {})
        throw new StorageUnavailable(`DATABASE_URL: no answer from PostgreSQL at ${place(url)} within ${timeoutMs} ms (${code ?? message.replaceAll(url, '<DATABASE_URL>')})`)
      }
      await new Promise((resolve) => setTimeout(resolve, pause))
      pause = Math.min(pause * 2, 2000)
    }
  }
}
