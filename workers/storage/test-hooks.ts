import { readFileSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Test-only: with SCHEDULEFLOW_TEST_COMMANDS=true, a file of this name in the data dir
 * makes the next write that commits kill its own process right after the commit (the
 * file is removed first, so it fires once). That is the "ghost write" of issue 8 item 13:
 * stored, but the client got a 502. A file rather than an environment variable, so a test
 * arms it on a running server whose pool passes workers a fixed environment.
 */
export const CRASH_AFTER_COMMIT_FILE = 'test-crash-after-commit'

/**
 * Test-only, likewise: a file of this name holding a number of milliseconds makes the next
 * write that commits wait that long right after the commit, before its answer is built: a
 * slow answer phase (issue 21: warnings over a large channel), longer than a short deadline.
 */
export const SLOW_AFTER_COMMIT_FILE = 'test-slow-after-commit'

/** Takes the armed file away; true if it was there. */
function disarm (dataDir: string, name: string): string | null {
  const path = join(dataDir, name)
  try {
    const content = readFileSync(path, 'utf8')
    unlinkSync(path)
    return content
  } catch {
    return null // not armed
  }
}

/** What a test armed for the commit that has just happened: a crash, or a wait. */
export async function testHooksAfterCommit (dataDir: string): Promise<void> {
  if (process.env.SCHEDULEFLOW_TEST_COMMANDS !== 'true') return
  if (disarm(dataDir, CRASH_AFTER_COMMIT_FILE) !== null) process.kill(process.pid, 'SIGKILL')
  const wait = disarm(dataDir, SLOW_AFTER_COMMIT_FILE)
  if (wait !== null) await sleep(Number(wait) || 0)
}
