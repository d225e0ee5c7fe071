import { videoKey } from '../schedule/checks/cooldown.js'
import type { FillStats, FillWarning } from '../../contract/api.js'
import type { FillLink, FillPlan } from './request.js'
import { spokenLength } from './clock.js'

// What a fill says before it is stored (issue 11 items 6 and 7), in a dry run and a real one.

const percent = (share: number): string => `${Math.max(1, Math.floor(share * 100))}%`

/**
 * When the links run, all together, shorter than the cooldown, part of the window cannot be
 * filled inside the rules, whatever the order: known from the request alone. In a window W a
 * link can start at most k = ⌈W / cooldown⌉ times, so at most k × (the links' total length)
 * of it airs out of cooldown; the rest airs inside it (least_recent) or stays empty (gap).
 * Plays stored in other schedules can only make it more, hence "at least".
 */
export function forcedCooldownWarning (plan: FillPlan, links: FillLink[]): FillWarning | null {
  if (plan.cooldownMs <= 0) return null
  const seen = new Set<string>()
  let total = 0
  for (const link of links) {
    const key = videoKey({ title: link.title, video_url: link.url })
    if (seen.has(key)) continue // one link, as the fill counts it
    seen.add(key)
    total += plan.slotMs ?? (link.duration === null ? plan.assumeMs : link.duration * 1000)
  }
  const window = plan.end - plan.start
  const playsEach = Math.floor((window - 1) / plan.cooldownMs) + 1
  if (total * playsEach >= window) return null

  const what = `The ${seen.size} ${seen.size === 1 ? 'link runs' : 'links run'} ${spokenLength(total)} in all, less than the ${spokenLength(plan.cooldownMs)} cooldown`
  const outcome = plan.whenExhausted === 'gap' ? 'be left empty (when_exhausted gap)' : 'air a video inside its cooldown'
  if (plan.slotMs !== null) {
    const slots = Math.ceil(window / plan.slotMs)
    const count = slots - seen.size * playsEach
    const share = count / slots
    return { kind: 'cooldown_forced', share, count, message: `${what}: at least ${count} of ${slots} slots (${percent(share)}) will ${outcome}` }
  }
  const share = 1 - (total * playsEach) / window
  return { kind: 'cooldown_forced', share, message: `${what}: at least ${percent(share)} of the airtime will ${outcome}` }
}

/** Fixed slots that cut or pad items, in all (each one is in the decisions). */
export function slotFitWarnings (plan: FillPlan, stats: FillStats): FillWarning[] {
  if (plan.slotMs === null) return []
  const slot = spokenLength(plan.slotMs)
  const warnings: FillWarning[] = []
  const items = (n: number): string => `${n} ${n === 1 ? 'item' : 'items'}`
  if (stats.items_cut > 0) {
    warnings.push({ kind: 'items_cut', count: stats.items_cut, message: `${items(stats.items_cut)} longer than the ${slot} slot ${stats.items_cut === 1 ? 'was' : 'were'} cut: ${spokenLength(stats.cut_seconds * 1000)} not aired in all (leave slot_minutes out to air items back to back, each for its own duration)` })
  }
  if (stats.items_padded > 0) {
    warnings.push({ kind: 'items_padded', count: stats.items_padded, message: `${items(stats.items_padded)} shorter than the ${slot} slot ${stats.items_padded === 1 ? 'leaves' : 'leave'} ${spokenLength(stats.padded_seconds * 1000)} of ${stats.items_padded === 1 ? 'its slot' : 'their slots'} over in all` })
  }
  return warnings
}
