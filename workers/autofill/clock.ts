// Times a person reads in a fill's answer (decisions, the default schedule name) are wall
// clock times in the request's zone, with the zone named (issue 11 item 9). A fill may write
// hundreds of thousands of decisions: Intl costs ~2 µs a call, so the zone's offset is
// looked up once per hour of the window and the text built by hand.

const HOUR_MS = 3_600_000
const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** `YYYY-MM-DD HH:MM <zone>` for an instant, in `zone` (an IANA name, already checked). */
export function wallClock (zone: string): (ms: number) => string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'
  })
  /** Minutes east of UTC at `ms`. */
  const offsetAt = (ms: number): number => {
    const field: Record<string, number> = {}
    for (const p of parts.formatToParts(ms)) field[p.type] = Number(p.value)
    const local = new Date(0)
    local.setUTCFullYear(field.year, field.month - 1, field.day) // Date.UTC would read years 0–99 as 1900–1999
    local.setUTCHours(field.hour, field.minute, field.second)
    return Math.round((local.getTime() - Math.floor(ms / 1000) * 1000) / 60_000)
  }
  // A zone's offset changes at most once an hour: when both ends of an hour agree, it holds throughout.
  const offsets = new Map<number, number | null>()
  const offset = (ms: number): number => {
    const hour = Math.floor(ms / HOUR_MS)
    let known = offsets.get(hour)
    if (known === undefined) {
      const start = offsetAt(hour * HOUR_MS)
      known = start === offsetAt(hour * HOUR_MS + HOUR_MS - 1) ? start : null
      offsets.set(hour, known)
    }
    return known ?? offsetAt(ms)
  }
  return (ms) => {
    const d = new Date(ms + offset(ms) * 60_000)
    const year = d.getUTCFullYear()
    return `${year < 0 ? '-' : ''}${pad(Math.abs(year), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${zone}`
  }
}

/** How long ago, for people: `7.5 h`. */
export const hoursAgo = (ms: number): string => `${Math.round(ms / 360_000) / 10} h`

/** A length for people: `1 h 8 min`, `38 min`, `30 s`, `29 min 30 s`. */
export function spokenLength (ms: number): string {
  const total = Math.round(ms / 1000)
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60]
  const parts = [h > 0 && `${h} h`, m > 0 && `${m} min`, s > 0 && `${s} s`].filter(Boolean)
  return parts.length > 0 ? parts.join(' ') : '0 s'
}
