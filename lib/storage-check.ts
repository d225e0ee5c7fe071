import type { StorageKind } from '../contract/api.js'
import type { StoredKeyName } from '../contract/keys.js'

// What both storage links share (storage-link.ts for SQLite, postgres-link.ts for
// PostgreSQL), apart from either, so neither imports the other's module.

/**
 * What the API itself asks of the database, which is not schedule work: the change counters
 * its ETags are made of, and whether the storage answers (health). Schedule work is the
 * workers'. Nothing here ever fails a request: an unreadable counter is undefined, and the
 * caller runs the worker.
 */
export interface StorageLink {
  readonly kind: StorageKind
  /** The scope's counter now (workers/storage/revisions.ts), or undefined when it has none or cannot be read. */
  revision(scope: string): Promise<number | undefined>
  /** A schedule's or channel's own `revision` (SPEC §12, what If-Match names), or undefined when it has none or cannot be read. */
  editRevision(kind: 'schedule' | 'channel', id: string): Promise<number | undefined>
  /**
   * The feed token whose SHA-256 is `hash` (SPEC §17): its id and name, or null when none is
   * stored (revoked, or never made). Read per feed request, so a revoke on any instance shuts
   * every instance's feeds at once. undefined: it cannot be read now (the feed answers 503).
   */
  feedToken(hash: string): Promise<{ id: string, name: string } | null | undefined>
  /**
   * The names people gave the stored API keys (SPEC §17), read at start and on each on-air tick
   * (plugins/key-names.ts). undefined: they cannot be read now (no database yet); the names kept stand.
   */
  keyNames(): Promise<StoredKeyName[] | undefined>
  /** Whether the storage takes work: a look at most STORAGE_CHECK_MS old (health and metrics share it). */
  check(): Promise<boolean>
  /** How many alarms are open (SPEC §17): a count at most ALARM_COUNT_MS old; undefined when it cannot be read. */
  openAlarms(): Promise<number | undefined>
  close(): Promise<void>
}

/**
 * How long one look at the storage stands for (the data dir writable, or PostgreSQL
 * answering). Load balancers, panels and scrapers poll far more often than a disk or a
 * database changes, and a system call per health poll was a fifth of its cost.
 */
export const STORAGE_CHECK_MS = 1000

/** How long one count of the open alarms stands for: health is polled far more often than an on-air tick changes it. */
export const ALARM_COUNT_MS = 2000

/** `look`, asked again only once its last answer is `maxAgeMs` old; callers meanwhile share the promise, even while it is under way. */
export function lookedAtMost<T> (maxAgeMs: number, look: () => Promise<T>): () => Promise<T> {
  let answer: Promise<T>
  let lookedAt = -Infinity
  return async () => {
    const now = performance.now()
    if (now - lookedAt >= maxAgeMs) {
      answer = look()
      lookedAt = now
    }
    return answer
  }
}

/** The start cannot go on: the message names the variable to fix and never its secret value. */
export class StorageUnavailable extends Error {}
