import { h, fmtDay } from './ui.js'

// Day and week timelines in the browser's time zone: one column per day, each event a
// block placed by its times. Overlapping events share the column side by side (lanes).

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
 */
function assignLanes (parts) {
  let cluster = []
  let clusterEnd = -Infinity
  let laneEnds = []
  const close = () => { for (const part of cluster) part.lanes = laneEnds.length }
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

// Intl formatting of 20,000 instants costs more than the whole rest of a dense week.
const hhmm = (ms) => {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/**
 * `marks(event)` returns the classes of warnings on an event ('overlap', 'cooldown');
 * `onSelect(event)` is called when a block is chosen. One listener serves every block:
 * a dense week has thousands of them.
 */
export function renderTimeline ({ events, view, anchor, marks = () => [], onSelect = () => {} }) {
  const { from } = viewRange(view, anchor)
  const days = view === 'week' ? 7 : 1
  const columns = []
  // start_ms/end_ms: events from the timeline columns (fields=timeline); start/end: ISO events.
  const timed = events.map((event) => ({ event, start: event.start_ms ?? Date.parse(event.start), end: event.end_ms ?? Date.parse(event.end) }))
  for (let d = 0; d < days; d++) {
    const dayStart = addDays(from, d).getTime()
    const dayEnd = addDays(from, d + 1).getTime()
    const dayLength = dayEnd - dayStart // 23 or 25 hours on a DST day
    const parts = []
    for (const { event, start, end } of timed) {
      if (end <= dayStart || start >= dayEnd) continue
      parts.push({ event, eventStart: start, eventEnd: end, start: Math.max(start, dayStart), end: Math.min(end, dayEnd) })
    }
    assignLanes(parts)
    const body = h('div', { class: 'day-body' })
    for (const part of parts) {
      const kinds = marks(part.event)
      const label = `${part.event.title}, ${hhmm(part.eventStart)} to ${hhmm(part.eventEnd)}${kinds.length ? ` (${kinds.join(', ')})` : ''}`
      const block = document.createElement('button')
      block.type = 'button'
      block.title = label // also the accessible name of a block too small for text
      // Text only where it can be read: in a dense week, laying out text in thousands of
      // slivers costs more than everything else (the label still names the event). A
      // sliver is painted as a plain box (style.css).
      const heightShare = (part.end - part.start) / dayLength
      const readable = heightShare >= 0.012 && part.lanes <= 4
      if (readable) block.textContent = `${hhmm(part.eventStart)} ${part.event.title}`
      block.className = `event${readable ? '' : ' sliver'}${kinds.length ? ` ${kinds.join(' ')}` : ''}`
      block.eventRef = part.event
      const style = block.style
      style.top = `${((part.start - dayStart) / dayLength) * 100}%`
      style.height = `${Math.max(heightShare * 100, 0.35)}%`
      style.left = `${(part.lane / part.lanes) * 100}%`
      style.width = `${100 / part.lanes}%`
      body.append(block)
    }
    columns.push(h('div', { class: 'day', role: 'group', 'aria-label': fmtDay(new Date(dayStart)) },
      h('div', { class: 'day-head' }, fmtDay(new Date(dayStart)), h('span', { class: 'count' }, ` · ${parts.length}`)),
      body))
  }
  const hours = h('div', { class: 'hours', 'aria-hidden': 'true' }, h('div', { class: 'day-head' }),
    h('div', { class: 'day-body' }, Array.from({ length: 24 }, (_, i) => h('span', { style: { top: `${(i / 24) * 100}%` } }, `${String(i).padStart(2, '0')}:00`))))
  return h('div', {
    class: `timeline ${view}`,
    dataset: { ready: 'true', days: String(days) },
    onclick: (e) => { const event = e.target.closest('.event')?.eventRef; if (event) onSelect(event) }
  }, hours, columns)
}
