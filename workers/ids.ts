import { createRequire } from 'node:module'

// A new record id (a UUID). node:crypto is loaded on the first id, not at every worker start
// (~15 ms of CPU each time a pooled worker is replaced, with node:stream it pulls in), since
// lists, reads and exports never make one. Not the global Web Crypto: its first use loads the
// whole WebCrypto stack, about three times as much.
let randomUUID: (() => string) | undefined

export function newId (): string {
  randomUUID ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomUUID
  return randomUUID()
}
