import type { Task } from './types.js'

// The pool's queue. Fair (the default): light operations (lists, single reads) are never
// stuck behind heavy ones (whole documents): heavy ones hold at most size−1 processes,
// queued light ones start first, and among heavy ones the owner with the fewest running goes
// next, then the one whose last start is oldest. Unfair: one first-come queue, the baseline
// bench/fairness.ts compares with.

/** Heavy operations running now, by owner (the pool knows its busy processes). */
export type HeavyRunning = Map<string, number>

export class FairQueue {
  private readonly tasks: Task[] = []
  fair = true
  /** When each owner last had a heavy operation started (a counter), for taking turns. */
  private readonly lastHeavyStart = new Map<string, number>()
  private heavyStarts = 0

  constructor (private readonly limits: { size: number, maxQueue: number }) {}

  get length (): number {
    return this.tasks.length
  }

  add (task: Task, end: 'front' | 'back'): void {
    if (end === 'front') this.tasks.unshift(task)
    else this.tasks.push(task)
  }

  /** Takes `task` off the queue; false when it is not queued (started, or gone). */
  remove (task: Task): boolean {
    const at = this.tasks.indexOf(task)
    if (at < 0) return false
    this.tasks.splice(at, 1)
    return true
  }

  takeAll (): Task[] {
    return this.tasks.splice(0)
  }

  queuedHeavy (owner: string): number {
    return this.tasks.reduce((n, t) => n + (t.heavy && t.owner === owner ? 1 : 0), 0)
  }

  /** Whether a new call may start at once when a process is free (a heavy one only within its share). */
  mayStartNow (task: Task, running: HeavyRunning): boolean {
    return !this.fair || !task.heavy || !this.heavyShareFull(running)
  }

  /** The queued call that should start next, taken off the queue; undefined when none may start now. */
  takeNext (running: HeavyRunning): Task | undefined {
    if (!this.fair) return this.tasks.shift()
    let at = this.tasks.findIndex((t) => !t.heavy)
    if (at < 0) {
      if (this.heavyShareFull(running)) return undefined
      let best = [Infinity, Infinity]
      this.tasks.forEach((t, i) => {
        if (!t.heavy) return
        const rank = [running.get(t.owner) ?? 0, this.lastHeavyStart.get(t.owner) ?? -1]
        if (rank[0] < best[0] || (rank[0] === best[0] && rank[1] < best[1])) { best = rank; at = i }
      })
      if (at >= 0) this.noteHeavyStart(this.tasks[at].owner)
    }
    return at < 0 ? undefined : this.tasks.splice(at, 1)[0]
  }

  noteHeavyStart (owner: string): void {
    this.lastHeavyStart.set(owner, this.heavyStarts++)
    // Forget owners with nothing queued, so the map stays about as small as the queue.
    if (this.lastHeavyStart.size > 2 * this.limits.maxQueue + 16) {
      const queued = new Set(this.tasks.map((t) => t.owner))
      for (const known of this.lastHeavyStart.keys()) if (!queued.has(known) && known !== owner) this.lastHeavyStart.delete(known)
    }
  }

  private heavyShareFull (running: HeavyRunning): boolean {
    let total = 0
    for (const n of running.values()) total += n
    return total >= (this.limits.size > 1 ? this.limits.size - 1 : 1)
  }
}
