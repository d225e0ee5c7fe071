import { api, newIdempotencyKey } from '../api.js'
import { formats, importAccept, importNames } from '../formats.js'
import { h, cells, empty, errorBox, fmtDateTime, loading, plural, replace, zone } from '../ui.js'

function importReport (result) {
  const w = result.warnings
  const list = (title, items, text) => items.length > 0 && h('details', { open: items.length <= 10 },
    h('summary', {}, `${title} (${items.length.toLocaleString()}${title === 'Overlaps' && w.conflicts_total > items.length ? ` of ${w.conflicts_total.toLocaleString()}` : ''})`),
    h('ul', {}, items.slice(0, 200).map((item) => h('li', {}, text(item)))))
  return h('div', { class: 'import-result', role: 'status' },
    h('p', {}, h('strong', {}, `Imported "${result.schedule.name}": `), plural(result.events_imported, 'event'),
      ` · ${plural(result.duplicates_removed, 'duplicate')} removed · ${plural(result.conflicts_detected, 'overlap')} · ${plural(result.metadata.cooldown_violations, 'cooldown warning')} `,
      h('a', { href: `#/schedules/${result.schedule_id}` }, 'Open the schedule')),
    list('Overlaps', w.conflicts, (c) => `${c.event1.title} (${fmtDateTime(c.event1.start)}) overlaps ${c.event2.title} (${fmtDateTime(c.event2.start)})`),
    list('Duplicates removed', w.duplicates, (d) => d.message ?? `event ${d.index + 1} "${d.title}" repeats event ${d.duplicate_of + 1}`),
    list('Cooldown warnings', w.cooldown, (c) => `"${c.title}" at ${fmtDateTime(c.start)}, ${c.hours_since_previous} h after its previous start`),
    list('Left out', w.notes, (n) => n))
}

// The list's columns; on a phone each cell is shown under its column's name (style.css).
const COLUMNS = ['Name', 'Source', 'Events', 'First start', 'Last end', 'Created']

// The import formats, once /api/meta has answered (formats.js); until then detection only.
let importFormats = []
const readable = () => importFormats.length === 0 ? 'a format the service reads' : importNames(importFormats)

/** The schedule list, and import by file picker or drag-and-drop. */
export function schedulesView (main) {
  const result = h('div', { id: 'import-result', 'aria-live': 'polite' })
  const list = h('div', { id: 'schedule-list' })
  const fileInput = h('input', { type: 'file', id: 'import-file', name: 'file' })
  const nameInput = h('input', { type: 'text', id: 'import-name', name: 'name', placeholder: 'from the document' })
  const zoneInput = h('input', { type: 'text', id: 'import-timezone', name: 'timezone', value: zone })
  const formatInput = h('select', { id: 'import-format', name: 'format' }, h('option', { value: '' }, 'Detect from the file'))
  const submit = h('button', { type: 'submit', class: 'primary', id: 'import-submit' }, 'Import')

  // One Idempotency-Key per import the user asks for: a request repeated after a lost answer
  // (or sent twice) stores one schedule. A new file or option is a new import, a new key.
  let idempotencyKey = newIdempotencyKey()
  const newImport = () => { idempotencyKey = newIdempotencyKey() }
  // While an import runs, every way of starting another is off: a double-click or a second
  // drop does nothing (the key covers what gets through, e.g. a retry after a timeout).
  let pending = false
  const setPending = (on) => {
    pending = on
    for (const input of [fileInput, nameInput, zoneInput, formatInput, submit]) input.disabled = on
    drop.setAttribute('aria-disabled', String(on))
    drop.classList.toggle('busy', on)
  }

  async function importFile (file) {
    if (pending) return
    setPending(true)
    replace(result, h('p', { class: 'state loading', role: 'status' }, `Importing ${file.name}…`))
    const query = new URLSearchParams({ timezone: zoneInput.value.trim() || 'UTC' })
    if (nameInput.value.trim()) query.set('name', nameInput.value.trim())
    if (formatInput.value) query.set('format', formatInput.value)
    try {
      const answer = await api(`/api/schedules/import?${query}`, { method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream', 'idempotency-key': idempotencyKey } })
      replace(result, importReport(answer))
      fileInput.value = ''
      newImport()
      await refreshList()
    } catch (err) {
      // The service's hint names the API's format parameter: say where that is here.
      const hint = err.code === 'UNKNOWN_FORMAT' && h('p', {}, `If the file is ${readable()}, choose its format under "Format" and import it again.`)
      replace(result, errorBox(err, `Importing ${file.name}`), hint)
    } finally {
      setPending(false)
    }
  }

  const drop = h('div', {
    class: 'dropzone',
    id: 'dropzone',
    tabindex: '0',
    role: 'button',
    'aria-label': 'Drop a schedule file here to import it, or press Enter to pick one',
    ondragover: (e) => { e.preventDefault(); if (!pending) drop.classList.add('over') },
    ondragleave: () => drop.classList.remove('over'),
    ondrop: (e) => {
      e.preventDefault()
      drop.classList.remove('over')
      const file = e.dataTransfer?.files?.[0]
      if (!file || pending) return
      newImport() // a dropped file is an import of its own
      importFile(file)
    },
    onkeydown: (e) => { if ((e.key === 'Enter' || e.key === ' ') && !pending) { e.preventDefault(); pickedFromDrop = true; fileInput.click() } }
  })
  const dropText = () => `Or drop a schedule here (${readable()}): it is imported at once`
  drop.textContent = dropText()
  // The choices the service takes (GET /api/meta): the format list, what the picker offers, the drop zone's words.
  formats().then((meta) => {
    importFormats = meta.import_formats
    formatInput.append(...importFormats.map(({ id, label }) => h('option', { value: id }, label)))
    fileInput.accept = importAccept(importFormats)
    drop.textContent = dropText()
  }, (err) => replace(result, errorBox(err, 'Reading the import formats')))
  // A file picked through the drop zone (Enter) is imported at once, as a dropped one is.
  let pickedFromDrop = false
  fileInput.addEventListener('change', () => {
    if (!pickedFromDrop || !fileInput.files[0]) return
    pickedFromDrop = false
    newImport()
    importFile(fileInput.files[0])
  })
  fileInput.addEventListener('cancel', () => { pickedFromDrop = false })
  const form = h('form', {
    id: 'import-form',
    onsubmit: (e) => {
      e.preventDefault()
      const file = fileInput.files[0]
      if (!file) return replace(result, h('p', { class: 'state error', role: 'alert' }, 'Choose a schedule file first.'))
      importFile(file)
    },
    onchange: newImport
  },
  h('div', { class: 'form-row' },
    h('label', { for: 'import-file' }, 'Schedule file'), fileInput,
    h('label', { for: 'import-format' }, 'Format'), formatInput),
  h('div', { class: 'form-row' },
    h('label', { for: 'import-name' }, 'Name'), nameInput,
    h('label', { for: 'import-timezone' }, 'Time zone of naive times'), zoneInput,
    submit))

  async function refreshList () {
    replace(list, loading('schedules'))
    try {
      const { schedules } = await api('/api/schedules')
      if (schedules.length === 0) return replace(list, empty('No schedules yet. Import one above, or make one with Auto-fill.'))
      replace(list, h('table', { class: 'list' },
        h('caption', {}, `${plural(schedules.length, 'schedule')}, times in ${zone}`),
        h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, schedules.map((s) => h('tr', {}, cells([
          h('a', { href: `#/schedules/${s.id}` }, s.name), s.source, s.event_count.toLocaleString(),
          fmtDateTime(s.first_start), fmtDateTime(s.last_end), fmtDateTime(s.created)
        ], COLUMNS, [2]))))))
    } catch (err) {
      replace(list, errorBox(err, 'Listing schedules'))
    }
  }

  main.append(
    h('h2', {}, 'Schedules'),
    h('section', { 'aria-labelledby': 'import-title' }, h('h3', { id: 'import-title' }, 'Import'),
      form, drop, result),
    h('section', { 'aria-labelledby': 'list-title' }, h('h3', { id: 'list-title' }, 'All schedules'), list))
  refreshList()
}
