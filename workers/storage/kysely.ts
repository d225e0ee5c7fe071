import { createRequire } from 'node:module'

// Kysely's values, from its CommonJS build. Its ES build is 280 modules that every m3upro
// process loads before its first answer: measured on this machine, ~250 ms as ES modules
// against ~130 ms through require() (better-sqlite3 takes ~50 ms). Types still come from
// `import type … from 'kysely'`: both builds declare the same ones.
const kysely = createRequire(import.meta.url)('kysely') as typeof import('kysely')

export const { Kysely, SqliteDialect, PostgresDialect, sql } = kysely
