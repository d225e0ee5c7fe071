import type { WorkerLog } from './log.js'

// A pooled worker must never outlive its parent or its deadline: the pool starts it
// detached (its own process group, so the pool can kill the group), which also means
// nothing kills it when the pool's process dies. These are its own lines of defence.

/** How often the parent's pid is compared with the one the worker started under. */
const PARENT_CHECK_MS = 500
/** The worker stops itself this long after the pool's deadline, which should have acted first. */
export const DEADLINE_SLACK_MS = 1000

/**
 * Stops this process and everything it started. A pooled worker leads its own group,
 * so a kill of -pid reaches its grandchildren and then itself; run by hand it does not
 * lead one, and it just exits.
 */
export function stopWorkerGroup (exitCode: number): never {
  try {
    process.kill(-process.pid, 'SIGKILL')
  } catch {
    // ESRCH: not a group leader (started by hand)
  }
  process.exit(exitCode)
}

/**
 * Calls `onGone` when the parent has gone: re-parented (ppid changed) — the second
 * signal beside the end of stdin, which the caller watches.
 */
export function watchParent (onGone: (why: string) => void): void {
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) onGone(`re-parented from ${parent} to ${process.ppid}`)
  }, PARENT_CHECK_MS).unref()
}

/**
 * Stops the worker `DEADLINE_SLACK_MS` after `deadlineMs`. The deadline is one task's:
 * call the returned function when that task ends, or it would stop the worker in the
 * middle of a later one.
 */
export function enforceDeadline (deadlineMs: number, log: WorkerLog, stop: () => void): () => void {
  const timer = setTimeout(() => {
    log.error('deadline passed: the worker stops itself and its process group', { deadline_ms: deadlineMs })
    stop()
  }, deadlineMs + DEADLINE_SLACK_MS).unref()
  return () => clearTimeout(timer)
}
