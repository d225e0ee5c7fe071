// What must happen before anything is stored: the pooled worker's `started` frame goes out
// (workers/cli.ts), so a process that dies with it unsent has stored nothing, and the pool may
// run its call again. Every write transaction begins through lockedTransaction (dialect.ts).

let hook: () => void = () => {}

/** Sets what runs before the next write transactions begin (a no-op between operations). */
export function setBeforeWrite (next: () => void): void {
  hook = next
}

export function beforeWrite (): void {
  hook()
}
