import t from 'tap'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { tempDir } from './helpers.js'
import { storeQuery, testDatabaseUrl } from './test-database.js'
import { SCHEMA_VERSION, STEP_NAMES } from '../workers/storage/migrations/index.js'
import { cliEntry } from '../workers/project.js'
import { childEnv } from './helpers.js'

// SPEC §13: N instances may start at once on a new database. Each instance's pool runs
// `migrate` at start (and every CLI process migrates on open): six at once on an empty
// database (a fresh SQLite data dir, or an empty PostgreSQL database) must all succeed.

interface Run { code: number | null, stdout: string, stderr: string }

function migrate (env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliEntry, 'migrate'], { env: { ...childEnv, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

t.test('six processes opening an empty database at once: every one finds it at the latest schema version, none fails', async (t) => {
  for (let round = 1; round <= 3; round++) {
    const dataDir = join(tempDir(t), 'data')
    const databaseUrl = await testDatabaseUrl(t, { empty: true })
    const env = { SCHEDULEFLOW_DATA_DIR: dataDir, ...(databaseUrl !== null && { DATABASE_URL: databaseUrl }) }
    const runs = await Promise.all(Array.from({ length: 6 }, async () => migrate(env)))
    t.same(runs.map((r) => r.code), Array(6).fill(0), `round ${round}: all six exit 0`, { stderr: runs.map((r) => r.stderr).filter(Boolean) })
    t.same(runs.map((r) => JSON.parse(r.stdout).result.schema_version), Array(6).fill(SCHEMA_VERSION), `round ${round}: each answers version ${SCHEMA_VERSION}`)
    const steps = await storeQuery<{ name: string }>({ dataDir, databaseUrl }, 'SELECT name FROM kysely_migration ORDER BY timestamp, name')
    t.same(steps.map((s) => s.name), STEP_NAMES, `round ${round}: each step applied once, in order`)
  }
})
