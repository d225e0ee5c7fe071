import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import { projectRoot } from '../workers/project.js'
import type * as PostgresServer from '../scripts/postgres-server.mjs'

/**
 * A PostgreSQL to measure on: SCHEDULEFLOW_TEST_DATABASE_URL (an admin URL) when given, else
 * the throwaway server `npm test` starts (scripts/postgres-server.mjs, binaries from npm).
 * null, with the reason printed, when neither can be had.
 */
export async function benchPostgres (): Promise<{ adminUrl: string, stop: () => Promise<void> } | null> {
  const given = process.env.SCHEDULEFLOW_TEST_DATABASE_URL ?? ''
  if (given !== '') return { adminUrl: given, stop: async () => {} }
  // Loaded by path: the script is plain JavaScript outside what tsc compiles into dist/.
  const server = await import(join(projectRoot, 'scripts', 'postgres-server.mjs')) as typeof PostgresServer
  const binaries = await server.findBinaries()
  if ('missing' in binaries) {
    console.log(`PostgreSQL left out: ${binaries.missing}; set SCHEDULEFLOW_TEST_DATABASE_URL to measure on a server of yours`)
    return null
  }
  return server.startPostgres(binaries)
}

/** A new empty database on the server of `adminUrl`; its URL. */
export async function freshDatabase (adminUrl: string): Promise<string> {
  const name = `sf_bench_${randomBytes(4).toString('hex')}`
  const client = new pg.Client(adminUrl)
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}
