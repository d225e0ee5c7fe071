// @ts-check
import { html, useEffect, useMemo, useRef, useState } from './preact.js'
import { fmtDay } from './ui.js'

// Day and week timelines in the browser's time zone: one column per day, each event a
// block placed by its times. Overlapping events share the column side by side (lanes).

/**
 * What the timeline draws: the columns of `fields=timeline` as one object each (start_ms,
 * end_ms, marks), or an event with ISO `start` and `end` (an auto-fill's answer).
 * @typedef {{ title: string, start_ms?: number, end_ms?: number, start?: string, end?: string, channel?: string | null, marks?: number }} TimelineEvent
 */
/** @typedef {{ id: string | null, name: string }} Lane */
/**
 * One day's piece of an event, and where it is drawn (shares of the day, its lane).
 * @typedef {{ event: TimelineEvent, index: number, key: string, eventStart: number, eventEnd: number, start: number, end: number, top: number,
 *   bottom: number, lane: number, lanes: number, cluster: Part[] }} Part
 */

// The bits of the timeline columns' `marks` (contract/api.ts TimelineEventsSchema).
/** @type {[number, string][]} */
const MARK_BITS = [[1, 'overlap'], [2, 'cooldown']]
/** An event's warning marks by name ("overlap", "cooldown") from its `marks` bits. */
/** @param {{ marks?: number }} event */
export const warningMarks = (event) => MARK_BITS.filter(([bit]) => (event.marks ?? 0) & bit).map(([, name]) => name)

/** @param {Date} date */
export function startOfDay (date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate())
}

/** Monday of the week holding `date`. @param {Date} date */
export function startOfWeek (date) {
  const day = startOfDay(date)
  return addDays(day, -((day.getDay() + 6) % 7))
}

/** @param {Date} date @param {number} n */
export function addDays (date, n) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + n)
}

/** The instants [from, to) a view shows. @param {string} view 'day' or 'week' @param {Date} anchor */
export function viewRange (view, anchor) {
  const from = view === 'week' ? startOfWeek(anchor) : startOfDay(anchor)
  return { from, to: addDays(from, view === 'week' ? 7 : 1) }
}

/**
 * Greedy interval partitioning within each cluster of overlapping parts: a part gets the
 * first lane free at its start, and shares the width only with the parts it overlaps.
 * Each part also learns its cluster (the parts it shares time with, directly or not).
 * @param {Part[]} parts
 */
function assignLanes (parts) {
  /** @type {Part[]} */
  let cluster = []
  let clusterEnd = -Infinity
  /** @type {number[]} */
  let laneEnds = []
  const close = () => { for (const part of cluster) { part.lanes = laneEnds.length; part.cluster = cluster } }
  for (const part of parts.sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (part.start >= clusterEnd) {
      close()
      cluster = []
      laneEnds = []
    }
    let lane = laneEnds.findIndex((end) => end <= part.start)
    if (lane < 0) { lane = laneEnds.length; laneEnds.push(0) }
    laneEnds[lane] = part.end
    part.lane = lane
    cluster.push(part)
    clusterEnd = Math.max(clusterEnd, part.end)
  }
  close()
}

// A label row's height as a share of a day column: 1rem of the 24 × 2.4rem a day-body is
// tall (style.css: --hour and .event-label's height). Worked out, never measured: reading
// layout for thousands of blocks would cost more than drawing them.
const LABEL_ROW = 1 / (24 * 2.4)

/**
 * Blocks that share a time are narrow strips side by side, too narrow for text. Their labels
 * are drawn across the whole lane instead, one row each, stacked down from each block's
 * start: a label goes at its block's start or just below the cluster's previous label, and
 * only where that row still lies within its own block (the block's title names it anyway).
 * Shares of the day: `top`, `bottom` of each part; answers [part, top] pairs.
 * @param {Part[]} parts
 */
function stackLabels (parts) {
  /** @type {[Part, number][]} */
  const placed = []
  const bottoms = new Map() // cluster -> bottom of its last label
  for (const part of parts) {
    if (part.lanes === 1) continue
    const top = Math.max(part.top, bottoms.get(part.cluster) ?? 0)
    if (top + LABEL_ROW > part.bottom) continue
    bottoms.set(part.cluster, top + LABEL_ROW)
    placed.push([part, top])
  }
  return placed
}

/** The channels drawn as lanes: none (one lane) unless the events are on more than one. @param {Lane[]} channels */
function laneIndex (channels) {
  if (!channels || channels.length < 2) return null
  return new Map(channels.map((c, i) => [c.id, i]))
}

// Intl formatting of 20,000 instants costs more than the whole rest of a dense week.
/** @param {number} ms */
const hhmm = (ms) => {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/** A label's clock: HH:MM, and :SS when the seconds are not zero (a 40-s promo must not read "00:00 to 00:00"). @param {number} ms */
export const labelClock = (ms) => {
  const s = new Date(ms).getSeconds()
  return s === 0 ? hhmm(ms) : `${hhmm(ms)}:${String(s).padStart(2, '0')}`
}

/**
 * Each day's parts by lane, laid out (lanes within a lane, shares of the day). Worked out once
 * per set of events: choosing a block draws the timeline again but lays nothing out.
 * @param {TimelineEvent[]} events
 * @param {Date} from
 * @param {number} days
 * @param {Map<string | null, number> | null} lanesOf
 * @param {number} laneCount
 */
function layout (events, from, days, lanesOf, laneCount) {
  // start_ms/end_ms: events from the timeline columns (fields=timeline); start/end: ISO events.
  const timed = events.map((event, index) => ({ event, index, lane: lanesOf?.get(event.channel ?? null) ?? 0, start: event.start_ms ?? Date.parse(event.start ?? ''), end: event.end_ms ?? Date.parse(event.end ?? '') }))
  return Array.from({ length: days }, (_, d) => {
    const dayStart = addDays(from, d).getTime()
    const dayEnd = addDays(from, d + 1).getTime()
    const dayLength = dayEnd - dayStart // 23 or 25 hours on a DST day
    /** @type {Part[][]} */
    const byLane = Array.from({ length: laneCount }, () => [])
    let count = 0
    for (const { event, index, lane, start, end } of timed) {
      if (end <= dayStart || start >= dayEnd) continue
      const part = /** @type {Part} */ ({ event, index, key: `${index}:${d}`, eventStart: start, eventEnd: end, start: Math.max(start, dayStart), end: Math.min(end, dayEnd) })
      part.top = (part.start - dayStart) / dayLength
      part.bottom = (part.end - dayStart) / dayLength
      byLane[lane].push(part)
      count++
    }
    for (const parts of byLane) assignLanes(parts)
    return { dayStart, byLane, count }
  })
}

/**
 * A day and week timeline of `events`.
 * `marks(event)` returns the classes of warnings on an event ('overlap', 'cooldown');
 * `onSelect(event)` is called when a block is chosen, and the block shows it is.
 * `reveal` ({ event }, a new object each time) chooses that event's first block, scrolls it
 * into view and gives it focus.
 * `channels` ([{id, name}], id null for events with no channel): with two or more, each
 * day has one labelled lane per channel, so programmes of different channels that share
 * a time sit side by side instead of looking like a conflict. One listener serves every
 * block: a dense week has thousands of them.
 * @param {{ events: TimelineEvent[], view: string, anchor: Date, marks?: (event: any) => string[], onSelect?: (event: any) => void,
 *   channels?: Lane[], reveal?: { event: TimelineEvent } | null }} props
 */
export function Timeline ({ events, view, anchor, marks = () => [], onSelect = () => {}, channels = [], reveal = null }) {
  const { from } = viewRange(view, anchor)
  const days = view === 'week' ? 7 : 1
  const lanesOf = laneIndex(channels)
  const laneCount = lanesOf ? channels.length : 1
  const columns = useMemo(() => layout(events, from, days, lanesOf, laneCount), [events, from.getTime(), days, channels])
  const [chosen, setChosen] = useState(/** @type {{ key: string, reveal: boolean } | null} */ (null))
  const root = useRef(/** @type {HTMLDivElement | null} */ (null))

  useEffect(() => {
    if (reveal === null) return
    const first = columns.flatMap((c) => c.byLane.flat()).find((part) => part.event === reveal.event)
    if (first !== undefined) setChosen({ key: first.key, reveal: true })
  }, [reveal])
  useEffect(() => {
    if (!chosen?.reveal) return
    const block = root.current?.querySelector('.event.selected')
    if (!(block instanceof HTMLElement)) return
    block.scrollIntoView({ block: 'center', inline: 'nearest' })
    block.focus({ preventScroll: true })
  }, [chosen])

  /** @param {MouseEvent} e */
  const click = (e) => {
    const target = /** @type {Element} */ (e.target)
    const block = target.closest('.event-label, .event')
    if (!(block instanceof HTMLElement) || block.dataset.key === undefined) return
    setChosen({ key: block.dataset.key, reveal: false })
    onSelect(events[parseInt(block.dataset.key, 10)]) // the key is "<event index>:<day>"
  }

  const hours = html`<div class="hours" aria-hidden="true"><div class="day-head"></div>
    <div class="day-body">${Array.from({ length: 24 }, (_, i) => html`<span style=${{ top: `${(i / 24) * 100}%` }}>${`${String(i).padStart(2, '0')}:00`}</span>`)}</div></div>`
  return html`<div class=${`timeline ${view}${lanesOf ? ' channels' : ''}`} data-ready="true" data-days=${String(days)} style=${{ '--lanes': String(laneCount) }} onClick=${click} ref=${root}>
    ${hours}
    ${columns.map(({ dayStart, byLane, count }) => html`<div class="day" role="group" aria-label=${fmtDay(new Date(dayStart))}>
      <div class="day-head">${fmtDay(new Date(dayStart))}<span class="count">${` · ${count}`}</span>${lanesOf && html`<div class="lane-heads">${channels.map((c) => html`<span class="lane-head" title=${c.name}>${c.name}</span>`)}</div>`}</div>
      <div class="day-body">${lanesOf
        ? byLane.map((parts, lane) => html`<div class="channel-lane" role="group" aria-label=${channels[lane].name} style=${{ left: `${(lane / laneCount) * 100}%`, width: `${100 / laneCount}%` }}>${blocks(parts, marks, chosen?.key)}</div>`)
        : blocks(byLane[0], marks, chosen?.key)}</div>
    </div>`)}
  </div>`
}

/**
 * The blocks of one lane's parts (already given lanes and shares of the day), and their stacked labels.
 * @param {Part[]} parts
 * @param {(event: any) => string[]} marks
 * @param {string | undefined} chosen the key of the chosen block
 */
function blocks (parts, marks, chosen) {
  const drawn = parts.map((part) => {
    const kinds = marks(part.event)
    const label = `${part.event.title}, ${labelClock(part.eventStart)} to ${labelClock(part.eventEnd)}${kinds.length ? ` (${kinds.join(', ')})` : ''}`
    // Text inside a block only when it has the lane to itself and the height for a line: in
    // a dense week, laying out text in thousands of slivers costs more than everything else.
    // A block without text is painted as a plain box (style.css); blocks that share a time
    // get their labels stacked across the lane (stackLabels).
    const heightShare = part.bottom - part.top
    const readable = heightShare >= 0.012 && part.lanes === 1
    const selected = part.key === chosen
    // One declaration list (a string style is cssText) rather than four property writes: a
    // dense week sets 10,000 (CSSOM, so the CSP allows it).
    const style = `top:${part.top * 100}%;height:${Math.max(heightShare * 100, 0.35)}%;left:${(part.lane / part.lanes) * 100}%;width:${100 / part.lanes}%`
    // title: also the accessible name of a block with no text.
    return html`<button type="button" title=${label} class=${`event${readable ? '' : ' sliver'}${kinds.length ? ` ${kinds.join(' ')}` : ''}${selected ? ' selected' : ''}`}
      aria-current=${selected ? 'true' : undefined} style=${style} data-key=${part.key}>${readable ? `${hhmm(part.eventStart)} ${part.event.title}` : null}</button>`
  })
  // aria-hidden: the block itself is the control and its title the accessible name.
  const labels = stackLabels(parts).map(([part, top]) => html`<span class="event-label" aria-hidden="true" style=${{ top: `${top * 100}%` }} data-key=${part.key}>${`${hhmm(part.eventStart)} ${part.event.title}`}</span>`)
  return [...drawn, ...labels]
}
