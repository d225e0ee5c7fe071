import { api, download } from '../api.js'
import { exportFormats } from '../formats.js'
import { withAllColumns } from '../pages.js'
import { addDays, findBlock, renderTimeline, showSelected, startOfDay, viewRange, warningMarks } from '../timeline.js'
import { html, render } from '../preact.js'
import { EventEditor, scheduleDay } from './event-editor.js'
import { h, errorBox, fmtDateTime, fmtDayYear, fmtDuration, isoDay, loading, plural, replace, zone } from '../ui.js'

/** The events of `fields=timeline` columns as one object each, for the timeline and the details. */
function eventsFromColumns (columns) {
  return Array.from({ length: columns.count }, (_, i) => ({
    id: columns.id[i],
    title: columns.title[i],
    start_ms: columns.start_ms[i],
    end_ms: columns.end_ms[i],
    category: columns.category[i],
    video_url: columns.video_url[i],
    channel: columns.channel[i],
    marks: columns.marks[i]
  }))
}

/** The lanes of a multi-channel schedule: its channels as the document names them, then any other channel its events carry. */
function channelLanes (summary, events) {
  const lanes = summary.channels.map((c) => ({ id: c.id, name: c.display_name || c.id }))
  const known = new Set(lanes.map((c) => c.id))
  for (const e of events) {
    const id = e.channel ?? null
    if (known.has(id)) continue
    known.add(id)
    lanes.push({ id, name: id ?? 'No channel' })
  }
  return lanes
}

/** Where a warning's event is: its view, the day it starts, and the event itself (its start and title). */
function eventHref (id, view, title, start) {
  const at = Date.parse(start)
  return `#/schedules/${id}?${new URLSearchParams({ view, date: isoDay(new Date(at)), at: String(at), title })}`
}

/**
 * The warnings beside the timeline; each names its events as links that select the event
 * (and move the view to its day when it is elsewhere). `select(title, startMs)` answers
 * whether the event was in the view and is now selected.
 */
function warningList (warnings, { id, view, select }) {
  const link = (title, start) => h('a', {
    href: eventHref(id, view, title, start),
    class: 'warning-link',
    onclick: (e) => { if (select(title, Date.parse(start))) e.preventDefault() }
  }, `${title} (${fmtDateTime(start)})`)
  const items = [
    ...(warnings?.conflicts ?? []).map((c) => h('li', { class: 'overlap' }, h('strong', {}, 'Overlap: '), link(c.event1.title, c.event1.start), ' and ', link(c.event2.title, c.event2.start))),
    ...(warnings?.cooldown ?? []).map((c) => h('li', { class: 'cooldown' }, h('strong', {}, 'Cooldown: '), link(c.title, c.start), `, ${c.hours_since_previous} h after its previous start`))
  ]
  // The timeline's answer lists the first of each kind; the totals count them all.
  const total = (warnings?.conflicts_total ?? 0) + (warnings?.cooldown_total ?? 0)
  const more = total - Math.min(items.length, 300)
  return h('section', { class: 'warnings', 'aria-labelledby': 'warnings-title' },
    h('h3', { id: 'warnings-title' }, `Warnings (${total})`),
    items.length === 0 ? h('p', { class: 'state empty' }, 'No overlaps and no cooldown replays.') : h('ul', { id: 'warning-list' }, items.slice(0, 300)),
    more > 0 && h('p', {}, `…and ${plural(more, 'more warning')}, marked on the timeline.`))
}

function eventDetails (e, lanes) {
  const channel = e.channel ? lanes.find((c) => c.id === e.channel)?.name ?? e.channel : ''
  return [
    h('p', {}, h('strong', {}, e.title), ` · ${fmtDateTime(e.start_ms)} – ${fmtDateTime(e.end_ms)} · ${fmtDuration((e.end_ms - e.start_ms) / 1000)}`, e.category ? ` · ${e.category}` : '', channel ? ` · ${channel}` : '', e.video_url ? h('br') : '', e.video_url ? h('code', {}, e.video_url) : '')
  ]
}

// On a phone the week's seven columns cannot be read: a schedule opens on one day there.
const PHONE = matchMedia('(max-width: 40rem)')

// The control that moved the view (Previous, Next, Day, Week, the date): the view is drawn
// anew, and the new copy of that control gets the focus back, so a keyboard user stays put.
let refocus = null

/** One schedule: day/week timeline, event details and warnings beside it, exports, delete. */
export function scheduleView (main, [id], query) {
  const asked = query.get('view')
  // edit: one day drawn by the calendar with editing on (views/event-editor.js); day and week
  // stay on the hand-written timeline, which opens a week of 10,000 events within a second.
  const view = asked === 'day' || asked === 'week' || asked === 'edit' ? asked : PHONE.matches ? 'day' : 'week'
  main.append(loading('the schedule'))
  let anchor = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') ?? '') ? new Date(`${query.get('date')}T00:00:00`) : null
  if (anchor !== null && Number.isNaN(anchor.getTime())) anchor = null

  const go = (nextView, date, control) => {
    refocus = control
    location.hash = `#/schedules/${id}?view=${nextView}&date=${isoDay(startOfDay(date))}`
  }

  // The editor is a Preact tree: unmounted when the view is left (main.js calls the answer).
  let mounted = null
  let left = false
  ;(async () => {
    try {
      if (anchor === null) {
        // No date asked for: the schedule alone first (no event starts before 1970), to open where its events are.
        const first = (await api(`/api/schedules/${id}?to=1970-01-01T00:00:01Z&limit=1`)).schedule.first_start
        anchor = first ? new Date(first) : new Date()
      }
      const { from, to } = viewRange(view, anchor)
      // A packed week is more than one page (SPEC §12: at most 5,000 events each): every page is drawn.
      const [{ schedule: summary, events: columns }, formats] = await Promise.all([
        withAllColumns(`/api/schedules/${id}?from=${from.toISOString()}&to=${to.toISOString()}&fields=timeline`),
        exportFormats('schedule')
      ])
      const events = eventsFromColumns(columns)
      const lanes = channelLanes(summary, events)
      const details = h('div', { id: 'event-details', 'aria-live': 'polite' })
      const closeDetails = h('button', { type: 'button', class: 'close-details', 'aria-label': 'Close the event details', onclick: () => { detailsBox.hidden = true } }, '×')
      const detailsBox = h('section', { class: 'details', 'aria-labelledby': 'details-title', hidden: true }, h('h3', { id: 'details-title' }, 'Event'), closeDetails, details)
      const showDetails = (e) => { replace(details, eventDetails(e, lanes)); detailsBox.hidden = false }
      const step = view === 'week' ? 7 : 1
      const exportStatus = h('span', { role: 'status', class: 'meta' })
      const editorHost = h('div', { id: 'event-editor' })
      const timeline = view === 'edit' ? editorHost : renderTimeline({ events, view, anchor: from, marks: warningMarks, onSelect: showDetails, channels: lanes })
      const select = (title, startMs) => {
        if (view === 'edit') return false
        const block = findBlock(timeline, (e) => e.title === title && e.start_ms === startMs)
        if (block === null) return false
        showSelected(timeline, block, { reveal: true })
        showDetails(block.eventRef)
        return true
      }
      const control = (name, props, text) => h('button', { type: 'button', dataset: { control: name }, ...props }, text)
      replace(main,
        h('h2', {}, summary.name),
        h('p', { class: 'meta' }, `${summary.source} · ${plural(summary.event_count, 'event')} · ${fmtDateTime(summary.first_start)} to ${fmtDateTime(summary.last_end)} · times in ${zone}`),
        h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Timeline' },
          control('previous', { onclick: () => go(view, addDays(from, -step), 'previous') }, view === 'week' ? '← Previous week' : '← Previous day'),
          control('next', { onclick: () => go(view, addDays(from, step), 'next') }, view === 'week' ? 'Next week →' : 'Next day →'),
          control('day', { 'aria-pressed': String(view === 'day'), onclick: () => go('day', from, 'day') }, 'Day'),
          control('week', { 'aria-pressed': String(view === 'week'), onclick: () => go('week', from, 'week') }, 'Week'),
          control('edit', { 'aria-pressed': String(view === 'edit'), onclick: () => go('edit', from, 'edit') }, 'Edit'),
          h('label', { for: 'timeline-date', class: 'meta' }, 'Go to'),
          h('input', { type: 'date', id: 'timeline-date', dataset: { control: 'date' }, value: isoDay(from), onchange: (e) => { if (e.target.value) go(view, new Date(`${e.target.value}T00:00:00`), 'date') } }),
          h('span', { class: 'range', id: 'timeline-range' }, view === 'week' ? `${fmtDayYear(from)} – ${fmtDayYear(addDays(to, -1))}` : fmtDayYear(from))),
        view === 'edit'
          ? editorHost
          : h('div', { class: 'schedule-layout' },
            h('div', { class: 'timeline-wrap' },
              events.length === 0 && h('p', { class: 'state empty' }, `No events in this ${view}. Use the arrows or the date to move.`),
              timeline),
            h('aside', { class: 'beside' }, detailsBox, warningList(summary.warnings, { id, view, select }))),
        h('section', { 'aria-labelledby': 'export-title' }, h('h3', { id: 'export-title' }, 'Export'),
          h('div', { class: 'toolbar' }, formats.map(({ id: format, label, span }) => h('button', {
            type: 'button',
            dataset: { format },
            onclick: async () => {
              exportStatus.textContent = `Exporting ${label}…`
              try {
                // A day format's document is the day shown first, in the panel's zone.
                const extra = span === 'day' ? `&date=${isoDay(from)}&timezone=${encodeURIComponent(zone)}` : ''
                exportStatus.textContent = `Downloaded ${await download(`/api/schedules/${id}/export?format=${format}${extra}`)}`
              } catch (err) {
                replace(exportStatus, errorBox(err, `Exporting ${label}`))
              }
            }
          }, label)), exportStatus)),
        h('section', { 'aria-labelledby': 'danger-title' }, h('h3', { id: 'danger-title' }, 'Delete'),
          h('button', {
            type: 'button',
            class: 'danger',
            id: 'delete-schedule',
            onclick: async (e) => {
              if (!confirm(`Delete the schedule "${summary.name}" and its ${plural(summary.event_count, 'event')}? This cannot be undone.`)) return
              try {
                await api(`/api/schedules/${id}`, { method: 'DELETE' })
                location.hash = '#/schedules'
              } catch (err) {
                e.target.after(errorBox(err, 'Deleting'))
              }
            }
          }, 'Delete this schedule')))
      if (view === 'edit' && !left) {
        render(html`<${EventEditor} base=${`/api/schedules/${id}`} day=${isoDay(from)} load=${scheduleDay(id, from, to)} />`, editorHost)
        mounted = editorHost
      }
      const at = Number(query.get('at'))
      if (query.has('at')) select(query.get('title') ?? '', at)
      else if (refocus) main.querySelector(`[data-control="${refocus}"]`)?.focus()
      refocus = null
    } catch (err) {
      replace(main, h('h2', {}, 'Schedule'), errorBox(err, 'Opening the schedule'), h('p', {}, h('a', { href: '#/schedules' }, 'Back to the schedules')))
    }
  })()
  return () => { left = true; if (mounted !== null) render(null, mounted) }
}
