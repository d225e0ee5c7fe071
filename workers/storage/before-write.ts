// What must happen before anything is stored: the pooled worker's `started` frame goes out
// (workers/cli.ts), so a process that dies with it unsent has stored nothing, and the pool may
// run its call again. Every write transaction begins through lockedTransaction (dialect.ts).
// And what must happen right before each COMMIT: the worker checks its server is still there
// (a write whose server died is rolled back, not committed) and says it commits (protocol.ts,
// CommittingFrame), with the revision the write's schedule or channel had before it.

let hook: () => void = () => {}
let commitHook: (revisionBefore: number | null) => void = () => {}
let revisionBefore: number | null = null

/** Sets what runs before the next write transactions begin (a no-op between operations). */
export function setBeforeWrite (next: () => void): void {
  hook = next
}

export function beforeWrite (): void {
  hook()
}

/** Sets what runs right before each COMMIT (may throw, or stop the process: then nothing is committed). */
export function setBeforeCommit (next: (revisionBefore: number | null) => void): void {
  commitHook = next
  revisionBefore = null
}

/** Called inside a write transaction by what raises a schedule's or channel's revision: the first one noted is the one before the write. */
export function noteRevisionBefore (revision: number): void {
  revisionBefore ??= revision
}

export function beforeCommit (): void {
  commitHook(revisionBefore)
}
