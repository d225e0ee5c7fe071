import type Database from 'better-sqlite3'
import type { Play, PlaysReading } from './store.js'

/**
 * What a set of plays adds up to, independent of the order they are read in: their count
 * and two sums of 32-bit hashes of (video, start). Two readings of a window with the same
 * fingerprint hold the same plays (a collision needs two 32-bit hashes to agree at once).
 */
class Fingerprint {
  count = 0
  private sumA = 0
  private sumB = 0

  add (videoKey: string, start: number): void {
    let a = 0x811c9dc5 // FNV-1a
    let b = 0x9747b28c
    const text = `${videoKey}\u0000${start}`
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15)
    }
    this.count++
    // Kept below 2^53: each sum is reduced modulo 2^32 as it grows.
    this.sumA = (this.sumA + (a >>> 0)) % 0x1_0000_0000
    this.sumB = (this.sumB + (b >>> 0)) % 0x1_0000_0000
  }

  equals (other: Fingerprint): boolean {
    return this.count === other.count && this.sumA === other.sumA && this.sumB === other.sumB
  }
}

/**
 * Reads the plays of [from, to) outside the write lock. `unchanged()` is asked inside it:
 * when no other connection has committed since (SQLite's data_version), nothing is read
 * again; otherwise the window is read again and compared, so a write elsewhere in the
 * database (another week, a playlist) does not make the caller compute again.
 */
export function readPlays (db: Database.Database, from: number, to: number): PlaysReading {
  const dataVersion = (): number => db.pragma('data_version', { simple: true }) as number
  const select = db.prepare('SELECT video_key, start_ms FROM events WHERE start_ms >= ? AND start_ms < ?').raw()
  const versionBefore = dataVersion()
  let seen: Fingerprint | null = null

  function * iterate (): Iterable<Play> {
    const fingerprint = new Fingerprint()
    // Iterated, not collected: a window can hold hundreds of thousands of plays.
    for (const [video_key, start] of select.iterate(from, to) as Iterable<[string, number]>) {
      fingerprint.add(video_key, start)
      yield { video_key, start }
    }
    seen = fingerprint
  }

  return {
    plays: iterate(),
    unchanged (): boolean {
      if (seen === null) throw new Error('readPlays: unchanged() asked before the plays were read')
      if (dataVersion() === versionBefore) return true
      const now = new Fingerprint()
      for (const [videoKey, start] of select.iterate(from, to) as Iterable<[string, number]>) now.add(videoKey, start)
      return now.equals(seen)
    }
  }
}
