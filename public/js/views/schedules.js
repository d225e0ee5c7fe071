import { api } from '../api.js'
import { h, empty, errorBox, fmtDateTime, loading, replace, zone } from '../ui.js'

function importReport (result) {
  const w = result.warnings
  const list = (title, items, text) => items.length > 0 && h('details', { open: items.length <= 10 },
    h('summary', {}, `${title} (${items.length}${title === 'Overlaps' && w.conflicts_total > items.length ? ` of ${w.conflicts_total}` : ''})`),
    h('ul', {}, items.slice(0, 200).map((item) => h('li', {}, text(item)))))
  return h('div', { class: 'import-result', role: 'status' },
    h('p', {}, h('strong', {}, `Imported "${result.schedule.name}": `), `${result.events_imported} events`,
      ` · ${result.duplicates_removed} duplicates removed · ${result.conflicts_detected} overlaps · ${result.metadata.cooldown_violations} cooldown warnings `,
      h('a', { href: `#/schedules/${result.schedule_id}` }, 'Open the schedule')),
    list('Overlaps', w.conflicts, (c) => `${c.event1.title} (${fmtDateTime(c.event1.start)}) overlaps ${c.event2.title} (${fmtDateTime(c.event2.start)})`),
    list('Duplicates removed', w.duplicates, (d) => `event ${d.index} "${d.title}" repeats event ${d.duplicate_of}`),
    list('Cooldown warnings', w.cooldown, (c) => `"${c.title}" at ${fmtDateTime(c.start)}, ${c.hours_since_previous} h after its previous start`),
    list('Left out', w.notes, (n) => n))
}

/** The schedule list, and import by file picker or drag-and-drop. */
export function schedulesView (main) {
  const result = h('div', { id: 'import-result', 'aria-live': 'polite' })
  const list = h('div', { id: 'schedule-list' })
  const fileInput = h('input', { type: 'file', id: 'import-file', accept: '.xml,.json,.xmltv,application/xml,application/json,text/xml' })
  const nameInput = h('input', { type: 'text', id: 'import-name', placeholder: 'from the document' })
  const zoneInput = h('input', { type: 'text', id: 'import-timezone', value: zone })

  async function importFile (file) {
    replace(result, h('p', { class: 'state loading', role: 'status' }, `Importing ${file.name}…`))
    const query = new URLSearchParams({ timezone: zoneInput.value.trim() || 'UTC' })
    if (nameInput.value.trim()) query.set('name', nameInput.value.trim())
    try {
      const answer = await api(`/api/schedules/import?${query}`, { method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream' } })
      replace(result, importReport(answer))
      fileInput.value = ''
      await refreshList()
    } catch (err) {
      replace(result, errorBox(err, `Importing ${file.name}`))
    }
  }

  const drop = h('div', {
    class: 'dropzone',
    id: 'dropzone',
    tabindex: '0',
    role: 'button',
    'aria-label': 'Drop a schedule file here, or press Enter to pick one',
    ondragover: (e) => { e.preventDefault(); drop.classList.add('over') },
    ondragleave: () => drop.classList.remove('over'),
    ondrop: (e) => {
      e.preventDefault()
      drop.classList.remove('over')
      const file = e.dataTransfer?.files?.[0]
      if (file) importFile(file)
    },
    onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); fileInput.click() } }
  }, 'Drop an XML, JSON or XMLTV schedule here')
  fileInput.addEventListener('change', () => { if (fileInput.files[0]) importFile(fileInput.files[0]) })

  async function refreshList () {
    replace(list, loading('schedules'))
    try {
      const { schedules } = await api('/api/schedules')
      if (schedules.length === 0) return replace(list, empty('No schedules yet. Import one above, or make one with Auto-fill.'))
      replace(list, h('table', { class: 'list' },
        h('caption', {}, `${schedules.length} schedule${schedules.length === 1 ? '' : 's'}, times in ${zone}`),
        h('thead', {}, h('tr', {}, ['Name', 'Source', 'Events', 'First start', 'Last end', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, schedules.map((s) => h('tr', {},
          h('td', {}, h('a', { href: `#/schedules/${s.id}` }, s.name)),
          h('td', {}, s.source), h('td', { class: 'num' }, s.event_count.toLocaleString()),
          h('td', {}, fmtDateTime(s.first_start)), h('td', {}, fmtDateTime(s.last_end)), h('td', {}, fmtDateTime(s.created)))))))
    } catch (err) {
      replace(list, errorBox(err, 'Listing schedules'))
    }
  }

  main.append(
    h('h2', {}, 'Schedules'),
    h('section', { 'aria-labelledby': 'import-title' }, h('h3', { id: 'import-title' }, 'Import'),
      h('div', { class: 'form-row' },
        h('label', { for: 'import-file' }, 'Schedule file'), fileInput,
        h('label', { for: 'import-name' }, 'Name'), nameInput,
        h('label', { for: 'import-timezone' }, 'Time zone of naive times'), zoneInput),
      drop, result),
    h('section', { 'aria-labelledby': 'list-title' }, h('h3', { id: 'list-title' }, 'All schedules'), list))
  refreshList()
}
