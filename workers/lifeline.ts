import { spawn } from 'node:child_process'
import { fstatSync } from 'node:fs'
import type { WorkerLog } from './log.js'

// A pooled worker must never outlive its parent or its deadline: the pool starts it
// detached (its own process group, so the pool can kill the group), which also means
// nothing kills it when the pool's process dies. These are its own lines of defence.

/** How often the parent's pid is compared with the one the worker started under. */
const PARENT_CHECK_MS = 500
/** The worker stops itself this long after the pool's deadline, which should have acted first. */
export const DEADLINE_SLACK_MS = 1000
/** The pool's lifeline pipe (lib/process-pool.ts): the fd after stdin, stdout and stderr. */
export const LIFELINE_FD = 3

/** The parent this process started under (read once: process.ppid is asked of the kernel each time). */
const startParent = process.ppid

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

/** Whether the parent is gone (this process was re-parented): synchronous, so asked right before a commit. */
export function parentGone (): boolean {
  return process.ppid !== startParent
}

/**
 * Calls `onGone` when the parent has gone: re-parented (ppid changed) — the second
 * signal beside the end of stdin, which the caller watches. Both need the event loop:
 * during a long synchronous operation only the lifeline (below) acts.
 */
export function watchParent (onGone: (why: string) => void): void {
  setInterval(() => {
    if (parentGone()) onGone(`re-parented from ${startParent} to ${process.ppid}`)
  }, PARENT_CHECK_MS).unref()
}

/**
 * A watcher that does not depend on this process's event loop, which a long synchronous
 * operation (a build) holds for seconds: a `sh` in the worker's group, blocked reading the
 * pool's lifeline pipe, which the pool never writes. When the pool's process dies the kernel
 * closes its end, the read ends at once, and the shell kills the group (the worker and
 * itself). No polling: it costs a process start (about 5 ms of the worker's CPU and 1 MB,
 * against about 45 ms and 9 MB for a worker thread) and nothing after. Only for a pooled
 * worker started with the pipe (the pool gives it, at LIFELINE_FD); by hand there is none.
 */
export function startLifeline (log: WorkerLog): void {
  try {
    if (!fstatSync(LIFELINE_FD).isSocket() && !fstatSync(LIFELINE_FD).isFIFO()) return
  } catch {
    return // no lifeline given: started by hand, or by a test that watches stdin alone
  }
  const watcher = spawn('/bin/sh', ['-c', 'while read -r _; do :; done <&3; kill -KILL "-$1"', 'm3upro-lifeline', String(process.pid)], {
    stdio: ['ignore', 'ignore', 'ignore', LIFELINE_FD]
  })
  watcher.on('error', (err) => log.warn('no lifeline watcher: a server killed during a long synchronous operation is noticed only after it', { err: err.message }))
  watcher.unref()
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
