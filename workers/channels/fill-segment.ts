import { Rotation } from '../orders/rotation.js'
import { seededShuffle } from '../orders/seeded.js'
import { spokenLength } from '../autofill/clock.js'
import type { Choice, Entry, Picker } from '../orders/index.js'
import type { FreeInterval, Segment } from './plan.js'
import type { BuildStats, BuildWarning, BuiltEvent, OriginKind } from './types.js'

// One block instance, filled (SPEC §11): items from its picker back to back across its free
// stretches (the block minus kept and fixed events), a break after every N minutes of
// content, and the end per `fill`: `pad` with filler items (the last one cut), `gap` left
// empty and said, `cut` the last item cut at the block's end. Every event stays inside a free
// stretch, so nothing built ever overlaps a kept or fixed event or another block.

const MINUTE_MS = 60_000

/** Filler items aired in turn (idents, trailers, a default playlist): no cooldown, seeded first order. */
export class FillerSource {
  private readonly rotation: Rotation<Entry>
  constructor (entries: Entry[], seed: string, readonly source: string) {
    const order = seededShuffle(entries, seed)
    this.rotation = new Rotation(order.map((e) => ({ item: e, key: e.key, category: null })), new Map(), -Infinity, 0)
  }

  /** The next filler that runs at most `fitsMs` (Infinity: any, cut by the caller), aired at `t`; null when none fits. */
  take (t: number, fitsMs = Infinity): Entry | null {
    const node = this.rotation.pick(t, { fits: (e) => e.ms <= fitsMs }).node
    if (node === null) return null
    this.rotation.aired(node, t)
    return node.item
  }
}

export interface FillContext {
  buildId: string
  stats: BuildStats
  warn: (w: BuildWarning) => void
  emit: (e: BuiltEvent) => void
  newGuideId: () => string
  /** the filler source of a playlist id, or null when it is missing or empty (warned by the caller) */
  filler: (playlistId: string | null | undefined, role: string, segment: Segment) => FillerSource | null
  /** wall-clock text for reasons */
  clock: (ms: number) => string
}

/** The item being aired: what is left of it after a break, a push or a cut. */
interface Airing { choice: Choice, inMs: number, guideId: string, pushedBy: string | null }

export function fillSegment (segment: Segment, free: FreeInterval[], picker: Picker | null, source: string, ctx: FillContext): void {
  const { block, override } = segment
  const fill = block.fill ?? 'pad'
  const breaks = block.breaks ?? null
  const everyMs = breaks === null ? Infinity : breaks.every_minutes * MINUTE_MS
  const blockGuide = block.title != null && block.title !== '' ? ctx.newGuideId() : null
  const origin = (kind: OriginKind): BuiltEvent['origin'] => override === null ? { kind, block: block.id } : { kind, block: block.id, override: override.id }
  let lastGuide: string | null = blockGuide
  let since = 0 // content aired since the last break
  let current: Airing | null = null
  let breakFiller: FillerSource | null | undefined
  let padFiller: FillerSource | null | undefined
  let reportedEmpty = false
  const breakMs = breaks === null ? 0 : breaks.max_seconds * 1000
  /** How many breaks an item of `ms` would have inside it, from here. */
  const breaksInside = (ms: number): number => ms < everyMs ? 0 : Math.ceil((since + ms) / everyMs) - 1

  const push = (kind: OriginKind, entry: Entry, start: number, end: number, reason: string, guideId: string, inMs = 0, extra: Partial<BuiltEvent> = {}): void => {
    ctx.emit({
      title: entry.item.title,
      start,
      end,
      video_url: entry.item.url,
      video_key: entry.key,
      category: entry.item.category,
      icon: entry.item.icon ?? null,
      origin: origin(kind),
      origin_source: kind === 'item' ? source : null,
      origin_position: kind === 'item' ? entry.position : null,
      reason,
      guide_id: guideId,
      guide_title: blockGuide !== null ? block.title! : null,
      in_ms: inMs,
      episode_num: null,
      build_id: ctx.buildId,
      ...extra
    })
  }

  /** [t, end) without content: padded, or left empty and said. */
  const finish = (t: number, end: number, why: string): void => {
    if (t >= end) return
    if (fill === 'pad') {
      padFiller ??= ctx.filler(block.filler, 'filler', segment)
      const pads = padFiller
      let at = t
      while (pads !== null && at < end) { // eslint-disable-line no-unmodified-loop-condition -- pads.take() always answers or breaks
        const entry = pads.take(at)
        if (entry === null) break
        const stop = Math.min(end, at + entry.ms)
        push('filler', entry, at, stop, stop < at + entry.ms ? `pad: filler to ${why}, cut to fit` : `pad: filler to ${why}`, lastGuide ??= ctx.newGuideId())
        ctx.stats.minutes_padded += (stop - at) / MINUTE_MS
        at = stop
      }
      t = at
      if (t >= end) return
    }
    ctx.stats.minutes_empty += (end - t) / MINUTE_MS
    if (!reportedEmpty) {
      reportedEmpty = true
      ctx.warn({ code: 'BLOCK_NOT_FILLED', block: block.id, date: segment.date, message: `block "${block.id}" on ${segment.date}: ${spokenLength(end - t)} left empty from ${ctx.clock(t)} (${fill === 'pad' ? 'no filler to pad with' : `fill ${fill}`})` })
    }
  }

  /** A break at `t`: fillers summing to at most max_seconds and to what is left of the stretch; none is cut. */
  const placeBreak = (t: number, end: number): number => {
    breakFiller ??= ctx.filler(breaks!.filler, 'breaks.filler', segment)
    if (breakFiller === null) return t
    const budgetEnd = Math.min(end, t + breaks!.max_seconds * 1000)
    const guideId = current?.guideId ?? lastGuide ?? (lastGuide = ctx.newGuideId())
    let at = t
    for (;;) {
      const entry = breakFiller.take(at, budgetEnd - at)
      if (entry === null) break
      push('break', entry, at, at + entry.ms, `break after ${spokenLength(everyMs)} of content`, guideId)
      ctx.stats.minutes_breaks += entry.ms / MINUTE_MS
      at += entry.ms
    }
    return at
  }

  const emitPart = (airing: Airing, start: number, end: number, cutWhy: string | null): void => {
    const { choice } = airing
    const reasons = [choice.reason]
    if (airing.pushedBy !== null) reasons.push(airing.pushedBy)
    if (airing.inMs > 0) reasons.push(`continued after a break at ${spokenLength(airing.inMs)}`)
    if (cutWhy !== null) reasons.push(cutWhy)
    push('item', choice.entry, start, end, reasons.join('; '), airing.guideId, airing.inMs, { episode_num: choice.episodeNum })
    ctx.stats.minutes_filled += (end - start) / MINUTE_MS
  }

  for (let i = 0; i < free.length; i++) {
    const { start: a, end: b, endsAt } = free[i]
    const last = i === free.length - 1
    let t = a
    while (t < b) {
      if (since >= everyMs) {
        t = placeBreak(t, b)
        since = 0
        continue
      }
      if (current === null) {
        // pad and gap air only what fits before the block's end, with room for the breaks inside it;
        // before a fixed event an item that does not fit is pushed after it.
        const room = b - t
        const fits = fill === 'cut' || !last ? () => true : (ms: number) => ms + breaksInside(ms) * breakMs <= room
        const choice = picker?.choose(t, fits) ?? null
        if (choice === null) {
          finish(t, b, last ? 'block end' : `"${endsAt!.title}"`)
          t = b
          break
        }
        if (choice.overridden) ctx.stats.cooldown_overrides++
        const guideId = blockGuide ?? ctx.newGuideId()
        lastGuide = guideId
        if (!last && fill !== 'cut' && t + choice.entry.ms > b) {
          const obstacle = endsAt!
          const words = `pushed after ${obstacle.kind} "${obstacle.title}" (${ctx.clock(obstacle.start)}–${ctx.clock(obstacle.end)})`
          ctx.stats.items_pushed++
          ctx.warn({ code: 'ITEM_PUSHED', block: block.id, date: segment.date, message: `"${choice.entry.item.title}" of block "${block.id}" ${words}: it would have run ${ctx.clock(t)}–${ctx.clock(t + choice.entry.ms)}` })
          finish(t, b, `"${obstacle.title}"`)
          picker!.aired(choice, free[i + 1].start)
          current = { choice, inMs: 0, guideId, pushedBy: words }
          t = b
          break
        }
        picker!.aired(choice, t)
        current = { choice, inMs: 0, guideId, pushedBy: null }
      }
      const remaining: number = current.choice.entry.ms - current.inMs
      let piece: number = remaining
      // Only an item at least as long as the interval is split by a break; a shorter one gets its break after it.
      if (current.choice.entry.ms >= everyMs && since + piece > everyMs) piece = everyMs - since
      let cutWhy: string | null = null
      if (t + piece > b) {
        piece = b - t
        cutWhy = last ? 'cut at block end' : `cut at ${endsAt!.kind} "${endsAt!.title}"`
        ctx.stats.items_cut++
        ctx.warn({ code: 'ITEM_CUT', block: block.id, date: segment.date, message: `"${current.choice.entry.item.title}" of block "${block.id}" ${cutWhy} at ${ctx.clock(b)}: ${spokenLength(remaining - piece)} not aired` })
      }
      emitPart(current, t, t + piece, cutWhy)
      since += piece
      t += piece
      current = cutWhy !== null || piece >= remaining ? null : { ...current, inMs: current.inMs + piece, pushedBy: null }
    }
  }
}
