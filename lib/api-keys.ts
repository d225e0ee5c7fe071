import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config, Role } from './config.js'
import { DEFAULT_ADMIN_KEY_NAME, type KeySource } from '../contract/limits.js'
import type { ApiKey, StoredKeyName } from '../contract/keys.js'

export interface KeyIdentity {
  /** A short digest: safe to log and to key rate limits on; the key itself never is. */
  id: string
  /**
   * What history, 412 messages and the log call the key: the name given in SCHEDULEFLOW_API_KEYS
   * (name:role:key), else the id; a stored key's name from the database (SPEC §17), else its default.
   */
  name: string
  role: Role
}

/** A key the keyring holds: its identity, where it comes from, and whether a person named it. */
export interface KeyEntry extends KeyIdentity {
  source: KeySource
  /** false for a stored key still called by its default name (the panel offers to name it). */
  named: boolean
}

export const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 }

export const ADMIN_KEY_FILE = 'admin.key'

const digest = (key: string): string => createHash('sha256').update(key).digest('hex')

/**
 * Looks keys up by their SHA-256, so no comparison runs over the secret itself. A stored key's
 * name can change while the service runs (rename(), useStoredNames()): its entry is replaced, so
 * a request already identified keeps the name it was identified with.
 */
export class Keyring {
  private readonly byDigest = new Map<string, KeyEntry>()
  /** Digests by key id, for a rename. */
  private readonly digestOf = new Map<string, string>()

  constructor (keys: Array<{ name?: string | null, role: Role, key: string, source?: KeySource }>) {
    for (const { name, role, key, source = 'environment' } of keys) {
      const hash = digest(key)
      const id = `key-${hash.slice(0, 10)}`
      this.byDigest.set(hash, { id, name: name ?? id, role, source, named: source === 'environment' })
      this.digestOf.set(id, hash)
    }
  }

  /** The identity behind an `Authorization: Bearer <key>` header, or null. */
  identify (authorization: string | undefined): KeyEntry | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    return match === null ? null : this.byDigest.get(digest(match[1])) ?? null
  }

  /** The key with this id, or undefined. */
  find (id: string): KeyEntry | undefined {
    const hash = this.digestOf.get(id)
    return hash === undefined ? undefined : this.byDigest.get(hash)
  }

  /** Every key, as GET /api/keys answers them: environment keys first, each group by name. */
  list (): ApiKey[] {
    return [...this.byDigest.values()]
      .sort((a, b) => a.source.localeCompare(b.source) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map(({ id, name, role, source }) => ({ id, name, role, source }))
  }

  /** Calls the stored key `id` by `name` from now on (a name a person gave); false for no such stored key. */
  rename (id: string, name: string): boolean {
    const hash = this.digestOf.get(id)
    const entry = hash === undefined ? undefined : this.byDigest.get(hash)
    if (hash === undefined || entry?.source !== 'stored') return false
    if (entry.name !== name || !entry.named) this.byDigest.set(hash, { ...entry, name, named: true })
    return true
  }

  /** The names the database holds (workers/storage/key-names.ts): each stored key listed there takes its name. */
  useStoredNames (names: readonly StoredKeyName[]): void {
    for (const { key_id: id, name } of names) this.rename(id, name)
  }

  private readonly perRequest = new WeakMap<object, KeyIdentity | null>()

  /** identify() once per request: the auth check, the rate limit and the request log all ask, and each answer costs a SHA-256. */
  identifyRequest (request: { headers: { authorization?: string } }): KeyIdentity | null {
    let identity = this.perRequest.get(request)
    if (identity === undefined) this.perRequest.set(request, identity = this.identify(request.headers.authorization))
    return identity
  }
}

/** Whose a request is, for limits, fair shares and idempotency keys: its key's id, else its address. */
export const requestOwner = (identity: KeyIdentity | null | undefined, ip: string): string => identity?.id ?? `ip-${ip}`

export interface LoadedKeys {
  keyring: Keyring
  /** Set when no key was configured and an admin key was made now, at first start. */
  createdAdminKey?: { key: string, file: string }
  adminKeyFile?: string
}

/** The first-start admin key: named `admin` until a person names it (PATCH /api/keys/:id, kept in the database). */
const storedAdminKey = (key: string): { name: string, role: Role, key: string, source: KeySource } =>
  ({ name: DEFAULT_ADMIN_KEY_NAME, role: 'admin', key, source: 'stored' })

/**
 * Keys from SCHEDULEFLOW_API_KEYS; with none, one admin key kept in the data dir
 * (made at first start, mode 0600) so a new install is never open to all.
 */
export function loadKeys (config: Pick<Config, 'apiKeys' | 'dataDir'>): LoadedKeys {
  if (config.apiKeys.length > 0) return { keyring: new Keyring(config.apiKeys) }
  const file = join(config.dataDir, ADMIN_KEY_FILE)
  if (existsSync(file)) {
    return { keyring: new Keyring([storedAdminKey(readFileSync(file, 'utf8').trim())]), adminKeyFile: file }
  }
  mkdirSync(config.dataDir, { recursive: true })
  const key = randomBytes(32).toString('base64url')
  writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' })
  return { keyring: new Keyring([storedAdminKey(key)]), createdAdminKey: { key, file }, adminKeyFile: file }
}
