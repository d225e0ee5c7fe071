import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config, Role } from './config.js'

export interface KeyIdentity {
  /** A short digest: safe to log and to key rate limits on; the key itself never is. */
  id: string
  /** The name given in SCHEDULEFLOW_API_KEYS (name:role:key), else the id: what edit history shows. */
  name: string
  role: Role
}

export const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 }

export const ADMIN_KEY_FILE = 'admin.key'

const digest = (key: string): string => createHash('sha256').update(key).digest('hex')

/** Looks keys up by their SHA-256, so no comparison runs over the secret itself. */
export class Keyring {
  private readonly byDigest = new Map<string, KeyIdentity>()

  constructor (keys: Array<{ name?: string | null, role: Role, key: string }>) {
    for (const { name, role, key } of keys) {
      const hash = digest(key)
      const id = `key-${hash.slice(0, 10)}`
      this.byDigest.set(hash, { id, name: name ?? id, role })
    }
  }

  /** The identity behind an `Authorization: Bearer <key>` header, or null. */
  identify (authorization: string | undefined): KeyIdentity | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    return match === null ? null : this.byDigest.get(digest(match[1])) ?? null
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

/**
 * Keys from SCHEDULEFLOW_API_KEYS; with none, one admin key kept in the data dir
 * (made at first start, mode 0600) so a new install is never open to all.
 */
export function loadKeys (config: Pick<Config, 'apiKeys' | 'dataDir'>): LoadedKeys {
  if (config.apiKeys.length > 0) return { keyring: new Keyring(config.apiKeys) }
  const file = join(config.dataDir, ADMIN_KEY_FILE)
  if (existsSync(file)) {
    return { keyring: new Keyring([{ role: 'admin', key: readFileSync(file, 'utf8').trim() }]), adminKeyFile: file }
  }
  mkdirSync(config.dataDir, { recursive: true })
  const key = randomBytes(32).toString('base64url')
  writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' })
  return { keyring: new Keyring([{ role: 'admin', key }]), createdAdminKey: { key, file }, adminKeyFile: file }
}
