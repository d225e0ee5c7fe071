import t from 'tap'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import pg from 'pg'
import { binariesFor, findBinaries, sweepStale, startPostgres } from '../scripts/postgres-server.mjs'
import { projectRoot } from '../workers/project.js'
import { isAlive, tempDir, waitFor } from './helpers.js'

// The throwaway PostgreSQL that `npm test` runs the storage-bound files on
// (scripts/postgres-server.mjs): it starts from the npm package's binaries alone, as nobody
// when run as root, answers on loopback, and leaves nothing behind, even after its owner is killed.

const binaries = await findBinaries()
if ('missing' in binaries) {
  const reason = `the test PostgreSQL cannot start here: ${binaries.missing}`
  t.comment(reason)
  t.plan(0, reason)
} else {
  const uidOf = (pid: number): number => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])

  t.test('starts, answers on loopback (as nobody when root), and stop leaves no process and no directory', async (t) => {
    const server = await startPostgres(binaries)
    t.teardown(() => server.stop())
    t.match(server.adminUrl, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/)
    const client = new pg.Client(server.adminUrl)
    await client.connect()
    const row = (await client.query('SHOW fsync')).rows[0] as { fsync: string }
    await client.end()
    t.equal(row.fsync, 'off', 'a throwaway cluster: durability off')
    if (process.getuid?.() === 0) t.equal(uidOf(server.pid), 65534, 'as root, postgres runs as nobody')
    await server.stop()
    t.notOk(isAlive(server.pid), 'the server has exited')
    t.notOk(existsSync(server.dir), 'its directory is removed')
  })

  t.test('a server whose owner was killed (SIGKILL) is ended and its directory removed by the next sweep', async (t) => {
    const moduleUrl = new URL(`file://${join(projectRoot, 'scripts', 'postgres-server.mjs')}`).href
    const owner = spawn(process.execPath, ['--input-type=module', '-e',
      `const m = await import(${JSON.stringify(moduleUrl)}); const s = await m.startPostgres(await m.findBinaries()); console.log(JSON.stringify({ pid: s.pid, dir: s.dir })); setInterval(() => {}, 1000)`],
    { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    owner.stdout.on('data', (c: Buffer) => { out += c.toString() })
    t.teardown(() => { if (owner.exitCode === null) owner.kill('SIGKILL') })
    t.ok(await waitFor(() => out.includes('\n'), 30_000), 'the owner started a server')
    const left = JSON.parse(out) as { pid: number, dir: string }

    // Only this run's own server is asserted on: a run killed earlier on this machine may have
    // left a directory, which this sweep rightly removes.
    t.notOk((await sweepStale()).includes(left.dir), 'kept while its owner runs')
    t.ok(existsSync(left.dir), 'its directory is still there')
    t.ok(isAlive(left.pid), 'its server runs')
    const gone = new Promise((resolve) => owner.once('exit', resolve))
    owner.kill('SIGKILL')
    await gone
    t.ok(isAlive(left.pid), 'killing the owner leaves postgres running')

    t.ok((await sweepStale()).includes(left.dir), 'the next sweep removes it')
    t.notOk(isAlive(left.pid), 'and ended the server')
    t.notOk(existsSync(left.dir), 'its directory is gone')
  })

  // Issue 21 item 9: a clone under /root (0700) holds the binaries where nobody cannot go.
  t.test('as root, from a directory only root may enter: the binaries are linked where nobody runs them, and the server starts', { skip: process.getuid?.() !== 0 && 'only root runs the server as nobody' }, async (t) => {
    const closed = mkdtempSync(join(tmpdir(), 'sf-closed-'))
    t.teardown(() => rmSync(closed, { recursive: true, force: true }))
    chmodSync(closed, 0o700)
    // The package as npm installs it, inside the closed directory (hard links: no 60 MB copy).
    const pkg = dirname(dirname(dirname(binaries.postgres)))
    execFileSync('cp', ['-al', pkg, join(closed, 'pkg')])
    const closedBinaries = { initdb: join(closed, 'pkg', 'native', 'bin', 'initdb'), postgres: join(closed, 'pkg', 'native', 'bin', 'postgres') }
    const nobody = { uid: 65534, gid: 65534 }
    t.not(spawnSync(closedBinaries.postgres, ['--version'], nobody).status, 0, 'nobody cannot run them where they are (the failure of issue 21)')

    const cacheRoot = tempDir(t)
    chmodSync(cacheRoot, 0o755)
    const linked = binariesFor(closedBinaries, nobody, cacheRoot)
    t.ok(linked.postgres.startsWith(cacheRoot), `linked into ${linked.postgres}`)
    t.equal(spawnSync(linked.postgres, ['--version'], nobody).status, 0, 'nobody runs the linked postgres')
    t.same(binariesFor(closedBinaries, nobody, cacheRoot), linked, 'the next run finds the same link (once per version)')

    const server = await startPostgres(closedBinaries)
    t.teardown(() => server.stop())
    const client = new pg.Client(server.adminUrl)
    await client.connect()
    t.match((await client.query('SELECT version()')).rows[0].version, /PostgreSQL/, 'the server started from the closed directory answers')
    await client.end()
    t.equal(uidOf(server.pid), 65534, 'as nobody')
    t.notOk(server.postgres.startsWith(closed), `it runs the linked binary (${server.postgres})`)
  })
}
