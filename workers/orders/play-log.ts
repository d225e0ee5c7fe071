import { lowerBound } from '../sorted.js'

/**
 * The plays every picker of one build shares, by videoKey (sorted starts): the channel's
 * stored plays plus this build's own, so a video in two blocks keeps its cooldown across both.
 */
export class PlayLog {
  private readonly starts = new Map<string, number[]>()
  constructor (private readonly stored: Map<string, number[]>) {}
  /** The sorted starts of `key` (one array per key, shared with the rotations that read it). */
  of (key: string): number[] {
    let starts = this.starts.get(key)
    if (starts === undefined) this.starts.set(key, starts = [...(this.stored.get(key) ?? [])])
    return starts
  }

  get map (): Map<string, number[]> { return this.starts }

  add (key: string, t: number): void {
    const starts = this.of(key)
    if (starts.length === 0 || starts[starts.length - 1] <= t) starts.push(t)
    else starts.splice(lowerBound(starts, t), 0, t)
  }

  /** The play of `key` nearest `t` within `cooldownMs` either side, or null. */
  conflict (key: string, t: number, cooldownMs: number): number | null {
    if (cooldownMs <= 0) return null
    const starts = this.of(key)
    const i = lowerBound(starts, t - cooldownMs + 1)
    return i < starts.length && starts[i] < t + cooldownMs ? starts[i] : null
  }

  /** The last play of `key` before `t`, or -Infinity. */
  lastBefore (key: string, t: number): number {
    const starts = this.of(key)
    return starts[lowerBound(starts, t) - 1] ?? -Infinity
  }
}
