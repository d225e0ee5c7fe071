import { h, fmtDay } from './ui.js'

// Day and week timelines in the browser's time zone: one column per day, each event a
// block placed by its times. Overlapping events share the column side by side (lanes).

// The bits of the timeline columns' `marks` (contract/api.ts TimelineEventsSchema).
const MARK_BITS = [[1, 'overlap'], [2, 'cooldown']]
/** An event's warning marks by name ("overlap", "cooldown") from its `marks` bits. */
export const warningMarks = (event) => MARK_BITS.filter(([bit]) => event.marks & bit).map(([, name]) => name)

export function startOfDay (date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate())
}

/** Monday of the week holding `date`. */
export function startOfWeek (date) {
  const day = startOfDay(date)
  return addDays(day, -((day.getDay() + 6) % 7))
}

export function addDays (date, n) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + n)
}

/** The instants [from, to) a view shows. */
export function viewRange (view, anchor) {
  const from = view === 'week' ? startOfWeek(anchor) : startOfDay(anchor)
  return { from, to: addDays(from, view === 'week' ? 7 : 1) }
}

/**
 * Greedy interval partitioning within each cluster of overlapping parts: a part gets the
 * first lane free at its start, and shares the width only with the parts it overlaps.
 * Each part also learns its cluster (the parts it shares time with, directly or not).
 */
function assignLanes (parts) {
  let cluster = []
  let clusterEnd = -Infinity
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
 */
function stackLabels (parts) {
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

/** The channels drawn as lanes: none (one lane) unless the events are on more than one. */
function laneIndex (channels) {
  if (!channels || channels.length < 2) return null
  return new Map(channels.map((c, i) => [c.id, i]))
}

// Intl formatting of 20,000 instants costs more than the whole rest of a dense week.
const hhmm = (ms) => {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/**
 * `marks(event)` returns the classes of warnings on an event ('overlap', 'cooldown');
 * `onSelect(event)` is called when a block is chosen, and the block shows it is.
 * `channels` ([{id, name}], id null for events with no channel): with two or more, each
 * day has one labelled lane per channel, so programmes of different channels that share
 * a time sit side by side instead of looking like a conflict. One listener serves every
 * block: a dense week has thousands of them.
 */
export function renderTimeline ({ events, view, anchor, marks = () => [], onSelect = () => {}, channels = [] }) {
  const { from } = viewRange(view, anchor)
  const days = view === 'week' ? 7 : 1
  const lanesOf = laneIndex(channels)
  const laneCount = lanesOf ? channels.length : 1
  const columns = []
  // start_ms/end_ms: events from the timeline columns (fields=timeline); start/end: ISO events.
  const timed = events.map((event) => ({ event, lane: lanesOf?.get(event.channel ?? null) ?? 0, start: event.start_ms ?? Date.parse(event.start), end: event.end_ms ?? Date.parse(event.end) }))
  for (let d = 0; d < days; d++) {
    const dayStart = addDays(from, d).getTime()
    const dayEnd = addDays(from, d + 1).getTime()
    const dayLength = dayEnd - dayStart // 23 or 25 hours on a DST day
    const byLane = Array.from({ length: laneCount }, () => [])
    let count = 0
    for (const { event, lane, start, end } of timed) {
      if (end <= dayStart || start >= dayEnd) continue
      const part = { event, eventStart: start, eventEnd: end, start: Math.max(start, dayStart), end: Math.min(end, dayEnd) }
      part.top = (part.start - dayStart) / dayLength
      part.bottom = (part.end - dayStart) / dayLength
      byLane[lane].push(part)
      count++
    }
    const body = h('div', { class: 'day-body' })
    byLane.forEach((parts, lane) => {
      assignLanes(parts)
      const target = lanesOf
        ? h('div', { class: 'channel-lane', role: 'group', 'aria-label': channels[lane].name, style: { left: `${(lane / laneCount) * 100}%`, width: `${100 / laneCount}%` } })
        : body
      if (target !== body) body.append(target)
      drawBlocks(target, parts, marks)
    })
    const head = h('div', { class: 'day-head' }, fmtDay(new Date(dayStart)), h('span', { class: 'count' }, ` · ${count}`))
    if (lanesOf) head.append(h('div', { class: 'lane-heads' }, channels.map((c) => h('span', { class: 'lane-head', title: c.name }, c.name))))
    columns.push(h('div', { class: 'day', role: 'group', 'aria-label': fmtDay(new Date(dayStart)) }, head, body))
  }
  const hours = h('div', { class: 'hours', 'aria-hidden': 'true' }, h('div', { class: 'day-head' }),
    h('div', { class: 'day-body' }, Array.from({ length: 24 }, (_, i) => h('span', { style: { top: `${(i / 24) * 100}%` } }, `${String(i).padStart(2, '0')}:00`))))
  const timeline = h('div', {
    class: `timeline ${view}${lanesOf ? ' channels' : ''}`,
    dataset: { ready: 'true', days: String(days) },
    onclick: (e) => {
      const block = e.target.closest('.event-label')?.block ?? e.target.closest('.event')
      if (!block?.eventRef) return
      showSelected(timeline, block)
      onSelect(block.eventRef)
    }
  }, hours, columns)
  timeline.style.setProperty('--lanes', String(laneCount))
  return timeline
}

/** The blocks of one lane's parts (already given lanes and shares of the day), and their stacked labels. */
function drawBlocks (target, parts, marks) {
  for (const part of parts) {
    const kinds = marks(part.event)
    const label = `${part.event.title}, ${hhmm(part.eventStart)} to ${hhmm(part.eventEnd)}${kinds.length ? ` (${kinds.join(', ')})` : ''}`
    const block = document.createElement('button')
    block.type = 'button'
    block.title = label // also the accessible name of a block with no text
    // Text inside a block only when it has the lane to itself and the height for a line: in
    // a dense week, laying out text in thousands of slivers costs more than everything else.
    // A block without text is painted as a plain box (style.css); blocks that share a time
    // get their labels stacked across the lane (stackLabels).
    const heightShare = part.bottom - part.top
    const readable = heightShare >= 0.012 && part.lanes === 1
    if (readable) block.textContent = `${hhmm(part.eventStart)} ${part.event.title}`
    block.className = `event${readable ? '' : ' sliver'}${kinds.length ? ` ${kinds.join(' ')}` : ''}`
    block.eventRef = part.event
    part.block = block
    // One declaration list rather than four property writes: a dense week sets 10,000 (CSSOM, so the CSP allows it).
    block.style.cssText = `top:${part.top * 100}%;height:${Math.max(heightShare * 100, 0.35)}%;left:${(part.lane / part.lanes) * 100}%;width:${100 / part.lanes}%`
    target.append(block)
  }
  for (const [part, top] of stackLabels(parts)) {
    // aria-hidden: the block itself is the control and its title the accessible name.
    const text = h('span', { class: 'event-label', 'aria-hidden': 'true', style: { top: `${top * 100}%` } }, `${hhmm(part.eventStart)} ${part.event.title}`)
    text.block = part.block
    target.append(text)
  }
}

/** Marks `block` as the chosen one (and no other), brings it into view, and gives it focus. */
export function showSelected (timeline, block, { reveal = false } = {}) {
  for (const old of timeline.querySelectorAll('.event.selected')) { old.classList.remove('selected'); old.removeAttribute('aria-current') }
  block.classList.add('selected')
  block.setAttribute('aria-current', 'true')
  if (reveal) {
    block.scrollIntoView({ block: 'center', inline: 'nearest' })
    block.focus({ preventScroll: true })
  }
}

/** The first block of the event that `matches`, or null when it is not in the view. */
export function findBlock (timeline, matches) {
  for (const block of timeline.querySelectorAll('.event')) if (matches(block.eventRef)) return block
  return null
}
