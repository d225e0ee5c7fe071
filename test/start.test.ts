import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { childEnv, tempDir, waitFor } from './helpers.js'
import { testDatabaseEnv } from './test-database.js'
import { projectRoot } from '../workers/project.js'
import { staleReason, writeStamp } from '../scripts/build-stamp.mjs'

// `npm start` (scripts/start.mjs) builds only when dist/ is not the build of the sources now.

interface Run { code: Promise<number | null>, out: () => string, signal: (s: NodeJS.Signals) => void }

function runStart (t: Test, script: string, cwd: string, env: Record<string, string> = {}): Run {
  const proc = spawn(process.execPath, [script], { cwd, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout.on('data', (c: Buffer) => { out += c.toString() })
  proc.stderr.on('data', (c: Buffer) => { out += c.toString() })
  t.teardown(() => { if (proc.exitCode === null) proc.kill('SIGKILL') })
  return { code: new Promise((resolve) => proc.on('exit', (code) => resolve(code))), out: () => out, signal: (s) => proc.kill(s) }
}

t.test('the staleness decision: no stamp, the stamp of the tree, a touched, added or removed source', async (t) => {
  const root = tempDir(t)
  const inputs = ['src', 'package.json']
  mkdirSync(join(root, 'src', 'deep'), { recursive: true })
  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'package.json'), '{}')
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1\n')
  writeFileSync(join(root, 'src', 'deep', 'b.ts'), 'export const b = 2\n')
  t.equal(staleReason(root, inputs), 'no build yet')
  writeStamp(root, inputs)
  t.equal(staleReason(root, inputs), null, 'the tree just stamped is current')
  const later = new Date(Date.now() + 5000)
  utimesSync(join(root, 'src', 'deep', 'b.ts'), later, later)
  t.equal(staleReason(root, inputs), 'sources changed since the last build', 'a saved file (same size, new mtime) is a change')
  writeStamp(root, inputs)
  writeFileSync(join(root, 'src', 'c.ts'), '')
  t.not(staleReason(root, inputs), null, 'a new file is a change')
  writeStamp(root, inputs)
  rmSync(join(root, 'src', 'a.ts'))
  t.not(staleReason(root, inputs), null, 'a removed file is a change')
  writeStamp(root, inputs)
  rmSync(join(root, 'dist'), { recursive: true })
  t.equal(staleReason(root, inputs), 'no build yet', 'dist/ removed')
})

t.test('start.mjs in a small project: builds when stale, not when current; the server gets the signals and its exit code is the command\'s', async (t) => {
  const root = tempDir(t)
  mkdirSync(join(root, 'scripts'))
  mkdirSync(join(root, 'lib'))
  for (const file of ['start.mjs', 'build-stamp.mjs']) copyFileSync(join(projectRoot, 'scripts', file), join(root, 'scripts', file))
  writeFileSync(join(root, 'lib', 'a.ts'), 'export const a = 1\n')
  // A build that counts its runs and makes a server that answers SIGTERM with exit 7.
  writeFileSync(join(root, 'make-dist.mjs'), `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
appendFileSync('builds.txt', 'x')
mkdirSync('dist', { recursive: true })
writeFileSync('dist/server.js', "process.stdout.write('fake server up\\\\n'); process.once('SIGTERM', () => { process.stdout.write('server got SIGTERM\\\\n'); process.exit(7) }); setInterval(() => {}, 1000)\\n")
`)
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module', scripts: { build: 'node make-dist.mjs && node scripts/build-stamp.mjs' } }))
  const builds = (): number => { try { return readFileSync(join(root, 'builds.txt'), 'utf8').length } catch { return 0 } }
  const start = async (): Promise<string> => {
    const run = runStart(t, join(root, 'scripts', 'start.mjs'), root)
    t.ok(await waitFor(() => run.out().includes('fake server up'), 60_000), 'the server runs')
    run.signal('SIGTERM')
    t.equal(await run.code, 7, 'SIGTERM reached the server, whose exit code is the command\'s')
    t.match(run.out(), /server got SIGTERM/)
    return run.out()
  }

  t.match(await start(), /no build yet: building first/)
  t.equal(builds(), 1, 'a checkout with no dist/ is built')
  t.match(await start(), /the build is current: starting without rebuilding/)
  t.equal(builds(), 1, 'a current build is not built again')
  const later = new Date(Date.now() + 5000)
  utimesSync(join(root, 'lib', 'a.ts'), later, later)
  t.match(await start(), /sources changed since the last build: building first/)
  t.equal(builds(), 2, 'an edited source is built again')
})

t.test('npm start on this built checkout: no rebuild, the API answers, SIGTERM stops it with exit 0', async (t) => {
  t.equal(staleReason(), null, 'precondition: the checkout is built (npm run build) and unedited since')
  const built = statSync(join(projectRoot, 'dist', 'server.js')).mtimeMs
  const dir = tempDir(t)
  const run = runStart(t, join(projectRoot, 'scripts', 'start.mjs'), dir, { PORT: '0', SCHEDULEFLOW_LOG_FILE: 'off', SCHEDULEFLOW_ON_AIR_TICK_MS: '0', ...await testDatabaseEnv(t) })
  t.ok(await waitFor(() => /Server listening at http:\/\/127\.0\.0\.1:\d+/.test(run.out()), 60_000), 'it listens')
  const port = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(run.out())![1]
  const health = await fetch(`http://127.0.0.1:${port}/api/health`)
  t.equal(health.status, 200, '/api/health answers')
  t.match(run.out(), /the build is current: starting without rebuilding/)
  t.equal(statSync(join(projectRoot, 'dist', 'server.js')).mtimeMs, built, 'dist/ was not written')
  run.signal('SIGTERM')
  t.equal(await run.code, 0, 'SIGTERM drains and exits 0, as node dist/server.js does')
})
