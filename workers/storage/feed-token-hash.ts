import { createRequire } from 'node:module'

// What the API and the workers both need to know a feed token by (SPEC §17): its hash and the
// one-row query that finds it. node:crypto is loaded on first use (as workers/ids.ts does), so a
// worker that never sees a feed token pays nothing for it, and the API imports this module
// without any storage code (as workers/storage/revisions.ts).

let crypto: typeof import('node:crypto') | undefined
/** node:crypto, loaded once on first use. */
export const nodeCrypto = (): typeof import('node:crypto') => (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'))

/** SHA-256 of the token, hex: the only form a feed token is stored in. */
export const feedTokenHash = (token: string): string => nodeCrypto().createHash('sha256').update(token).digest('hex')

/** The token's row by its hash (a unique index): what the API checks on every feed request. */
export const SELECT_FEED_TOKEN = 'SELECT id, name FROM feed_tokens WHERE token_hash = ?'
