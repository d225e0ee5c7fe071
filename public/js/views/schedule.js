import { api, download } from '../api.js'
import { addDays, renderTimeline, startOfDay, viewRange } from '../timeline.js'
import { h, errorBox, fmtDateTime, fmtDay, fmtDuration, loading, replace, zone } from '../ui.js'

const FORMATS = [['xml', 'Native XML'], ['json', 'JSON'], ['xmltv', 'XMLTV'], ['m3u', 'M3U'], ['ffplayout', 'ffplayout (day)'], ['casparcg', 'CasparCG']]

// The bits of the timeline columns' `marks` (contract/api.ts TimelineEventsSchema).
const MARK_BITS = [[1, 'overlap'], [2, 'cooldown']]
const warningMarks = (event) => MARK_BITS.filter(([bit]) => event.marks & bit).map(([, name]) => name)

/** The events of `fields=timeline` columns as one object each, for the timeline and the details. */
function eventsFromColumns (columns) {
  return Array.from({ length: columns.count }, (_, i) => ({
    id: columns.id[i],
    title: columns.title[i],
    start_ms: columns.start_ms[i],
    end_ms: columns.end_ms[i],
    category: columns.category[i],
    video_url: columns.video_url[i],
    marks: columns.marks[i]
  }))
}

function warningList (warnings = {}) {
  const items = [
    ...(warnings.conflicts ?? []).map((c) => h('li', { class: 'overlap' }, h('strong', {}, 'Overlap: '), `${c.event1.title} (${fmtDateTime(c.event1.start)}) and ${c.event2.title} (${fmtDateTime(c.event2.start)})`)),
    ...(warnings.cooldown ?? []).map((c) => h('li', { class: 'cooldown' }, h('strong', {}, 'Cooldown: '), `${c.title} at ${fmtDateTime(c.start)}, ${c.hours_since_previous} h after its previous start`))
  ]
  const more = (warnings.conflicts_total ?? 0) - (warnings.conflicts ?? []).length
  return h('aside', { class: 'warnings', 'aria-labelledby': 'warnings-title' },
    h('h3', { id: 'warnings-title' }, `Warnings (${(warnings.conflicts_total ?? 0) + (warnings.cooldown_total ?? 0)})`),
    items.length === 0 ? h('p', { class: 'state empty' }, 'No overlaps and no cooldown replays.') : h('ul', { id: 'warning-list' }, items.slice(0, 300)),
    more > 0 && h('p', {}, `…and ${more} more overlaps.`))
}

/** One schedule: day/week timeline, warnings beside it, exports, delete. */
export function scheduleView (main, [id], query) {
  const view = query.get('view') === 'day' ? 'day' : 'week'
  main.append(loading('the schedule'))
  let anchor = query.get('date') ? new Date(`${query.get('date')}T00:00:00`) : null

  const go = (nextView, date) => {
    const d = startOfDay(date)
    location.hash = `#/schedules/${id}?view=${nextView}&date=${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
  }

  ;(async () => {
    try {
      if (anchor === null) {
        // No date asked for: the schedule alone first (no event starts before 1970), to open where its events are.
        const first = (await api(`/api/schedules/${id}?to=1970-01-01T00:00:01Z`)).schedule.first_start
        anchor = first ? new Date(first) : new Date()
      }
      const { from, to } = viewRange(view, anchor)
      const { schedule: summary, events: columns } = await api(`/api/schedules/${id}?from=${from.toISOString()}&to=${to.toISOString()}&fields=timeline`)
      const events = eventsFromColumns(columns)
      const details = h('div', { id: 'event-details', 'aria-live': 'polite' })
      const step = view === 'week' ? 7 : 1
      const exportStatus = h('span', { role: 'status', class: 'meta' })
      replace(main,
        h('h2', {}, summary.name),
        h('p', { class: 'meta' }, `${summary.source} · ${summary.event_count.toLocaleString()} events · ${fmtDateTime(summary.first_start)} to ${fmtDateTime(summary.last_end)} · times in ${zone}`),
        h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Timeline' },
          h('button', { type: 'button', onclick: () => go(view, addDays(from, -step)) }, view === 'week' ? '← Previous week' : '← Previous day'),
          h('button', { type: 'button', onclick: () => go(view, addDays(from, step)) }, view === 'week' ? 'Next week →' : 'Next day →'),
          h('button', { type: 'button', 'aria-pressed': String(view === 'day'), onclick: () => go('day', from) }, 'Day'),
          h('button', { type: 'button', 'aria-pressed': String(view === 'week'), onclick: () => go('week', from) }, 'Week'),
          h('span', { class: 'range' }, view === 'week' ? `${fmtDay(from)} – ${fmtDay(addDays(to, -1))}` : fmtDay(from))),
        h('div', { class: 'schedule-layout' },
          h('div', { class: 'timeline-wrap' },
            events.length === 0 && h('p', { class: 'state empty' }, `No events in this ${view}. Use the arrows to move.`),
            renderTimeline({
              events,
              view,
              anchor: from,
              marks: warningMarks,
              onSelect: (e) => replace(details, h('p', {}, h('strong', {}, e.title), ` · ${fmtDateTime(e.start_ms)} – ${fmtDateTime(e.end_ms)} · ${fmtDuration((e.end_ms - e.start_ms) / 1000)}`, e.category ? ` · ${e.category}` : '', e.video_url ? h('br') : '', e.video_url ? h('code', {}, e.video_url) : ''))
            }),
            details),
          warningList(summary.warnings)),
        h('section', { 'aria-labelledby': 'export-title' }, h('h3', { id: 'export-title' }, 'Export'),
          h('div', { class: 'toolbar' }, FORMATS.map(([format, label]) => h('button', {
            type: 'button',
            dataset: { format },
            onclick: async () => {
              exportStatus.textContent = `Exporting ${label}…`
              try {
                const date = `${from.getFullYear()}-${String(from.getMonth() + 1).padStart(2, '0')}-${String(from.getDate()).padStart(2, '0')}`
                const extra = format === 'ffplayout' ? `&date=${date}&timezone=${encodeURIComponent(zone)}` : ''
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
              if (!confirm(`Delete the schedule "${summary.name}" and its ${summary.event_count} events? This cannot be undone.`)) return
              try {
                await api(`/api/schedules/${id}`, { method: 'DELETE' })
                location.hash = '#/schedules'
              } catch (err) {
                e.target.after(errorBox(err, 'Deleting'))
              }
            }
          }, 'Delete this schedule')))
    } catch (err) {
      replace(main, h('h2', {}, 'Schedule'), errorBox(err, 'Opening the schedule'), h('p', {}, h('a', { href: '#/schedules' }, 'Back to the schedules')))
    }
  })()
}
