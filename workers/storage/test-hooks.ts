import { unlinkSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Test-only: with SCHEDULEFLOW_TEST_COMMANDS=true, a file of this name in the data dir
 * makes the next write that commits kill its own process right after the commit (the
 * file is removed first, so it fires once). That is the "ghost write" of issue 8 item 13:
 * stored, but the client got a 502. A file rather than an environment variable, so a test
 * arms it on a running server whose pool passes workers a fixed environment.
 */
export const CRASH_AFTER_COMMIT_FILE = 'test-crash-after-commit'

export function crashAfterCommitIfArmed (dataDir: string): void {
  if (process.env.SCHEDULEFLOW_TEST_COMMANDS !== 'true') return
  try {
    unlinkSync(join(dataDir, CRASH_AFTER_COMMIT_FILE))
  } catch {
    return // not armed
  }
  process.kill(process.pid, 'SIGKILL')
}
