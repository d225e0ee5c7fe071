// @ts-check
import { api, newIdempotencyKey } from '../api.js'
import { formats, importAccept, importNames } from '../formats.js'
import { html, render, useEffect, useRef, useState } from '../preact.js'
import { Empty, ErrorBox, Head, Loading, cells, fmtDateTime, plural, zone } from '../ui.js'

/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('../../../contract/api.js').ImportAnswer} ImportAnswer */
/** @typedef {import('../../../contract/api.js').ScheduleList} ScheduleList */
/** @typedef {import('../formats.js').ImportFormatDescriptor} ImportFormatDescriptor */

/**
 * @template T
 * @param {{ title: string, items: T[], text: (item: T) => string, total?: number }} props
 */
function ReportList ({ title, items, text, total = items.length }) {
  if (items.length === 0) return null
  return html`<details open=${items.length <= 10}>
    <summary>${`${title} (${items.length.toLocaleString()}${total > items.length ? ` of ${total.toLocaleString()}` : ''})`}</summary>
    <ul>${items.slice(0, 200).map((item) => html`<li>${text(item)}</li>`)}</ul>
  </details>`
}

/** @param {{ result: ImportAnswer }} props */
function ImportReportView ({ result }) {
  const w = result.warnings
  return html`<div class="import-result" role="status">
    <p><strong>${`Imported "${result.schedule.name}": `}</strong>${plural(result.events_imported, 'event')}${` · ${plural(result.duplicates_removed, 'duplicate')} removed · ${plural(result.conflicts_detected, 'overlap')} · ${plural(result.metadata.cooldown_violations, 'cooldown warning')} `}<a href=${`#/schedules/${result.schedule_id}`}>Open the schedule</a></p>
    <${ReportList} title="Overlaps" items=${w.conflicts} total=${w.conflicts_total} text=${(/** @type {typeof w.conflicts[number]} */ c) => `${c.event1.title} (${fmtDateTime(c.event1.start)}) overlaps ${c.event2.title} (${fmtDateTime(c.event2.start)})`} />
    <${ReportList} title="Duplicates removed" items=${w.duplicates} text=${(/** @type {typeof w.duplicates[number]} */ d) => d.message ?? `event ${d.index + 1} "${d.title}" repeats event ${d.duplicate_of + 1}`} />
    <${ReportList} title="Cooldown warnings" items=${w.cooldown} text=${(/** @type {typeof w.cooldown[number]} */ c) => `"${c.title}" at ${fmtDateTime(c.start)}, ${c.hours_since_previous} h after its previous start`} />
    <${ReportList} title="Left out" items=${w.notes} text=${(/** @type {string} */ n) => n} />
  </div>`
}

// The list's columns; on a phone each cell is shown under its column's name (style.css).
const COLUMNS = ['Name', 'Source', 'Events', 'First start', 'Last end', 'Created']

/**
 * The import formats in words ("Native XML, JSON or XMLTV"); until /api/meta has answered, detection only.
 * @param {ImportFormatDescriptor[]} importFormats
 */
const readable = (importFormats) => importFormats.length === 0 ? 'a format the service reads' : importNames(importFormats)

/** @param {{ list: ScheduleList | ApiError | null }} props */
function ScheduleTable ({ list }) {
  if (list === null) return html`<${Loading} what="schedules" />`
  if (list instanceof Error) return html`<${ErrorBox} error=${list} what="Listing schedules" />`
  const { schedules } = list
  if (schedules.length === 0) return html`<${Empty} text="No schedules yet. Import one above, or make one with Auto-fill." />`
  return html`<table class="list">
    <caption>${`${plural(schedules.length, 'schedule')}, times in ${zone}`}</caption>
    <${Head} columns=${COLUMNS} />
    <tbody>${schedules.map((s) => html`<tr>${cells([
      html`<a href=${`#/schedules/${s.id}`}>${s.name}</a>`, s.source, s.event_count.toLocaleString(),
      fmtDateTime(s.first_start), fmtDateTime(s.last_end), fmtDateTime(s.created)
    ], COLUMNS, [2])}</tr>`)}</tbody>
  </table>`
}

/**
 * @typedef {{ importing: string } | { report: ImportAnswer } | { error: ApiError, file: string } | { missing: true } | null} ImportState
 */

/** @param {{ state: ImportState, importFormats: ImportFormatDescriptor[] }} props */
function ImportResult ({ state, importFormats }) {
  if (state === null) return null
  if ('importing' in state) return html`<p class="state loading" role="status">Importing ${state.importing}…</p>`
  if ('report' in state) return html`<${ImportReportView} result=${state.report} />`
  if ('missing' in state) return html`<p class="state error" role="alert">Choose a schedule file first.</p>`
  // The service's hint names the API's format parameter: say where that is here.
  return html`<${ErrorBox} error=${state.error} what=${`Importing ${state.file}`} />
    ${state.error.code === 'UNKNOWN_FORMAT' && html`<p>${`If the file is ${readable(importFormats)}, choose its format under "Format" and import it again.`}</p>`}`
}

/** The schedule list, and import by file picker or drag-and-drop. */
function Schedules () {
  const [list, setList] = useState(/** @type {ScheduleList | ApiError | null} */ (null))
  const [result, setResult] = useState(/** @type {ImportState} */ (null))
  const [pending, setPending] = useState(false)
  const [over, setOver] = useState(false)
  // The import formats the service takes (GET /api/meta, formats.js): the format list, what the
  // picker offers, the drop zone's words. A failed read leaves detection only, and says so.
  const [importFormats, setImportFormats] = useState(/** @type {ImportFormatDescriptor[]} */ ([]))
  const [metaError, setMetaError] = useState(/** @type {ApiError | null} */ (null))
  const form = useRef(/** @type {HTMLFormElement | null} */ (null))
  // One Idempotency-Key per import the user asks for: a request repeated after a lost answer
  // (or sent twice) stores one schedule. A new file or option is a new import, a new key.
  const idempotencyKey = useRef(newIdempotencyKey())
  const newImport = () => { idempotencyKey.current = newIdempotencyKey() }
  // While an import runs, every way of starting another is off: a double-click or a second
  // drop does nothing (the key covers what gets through, e.g. a retry after a timeout). A ref
  // as well as the state: a second click can come before the view is drawn again.
  const busy = useRef(false)
  // A file picked through the drop zone (Enter) is imported at once, as a dropped one is.
  const pickedFromDrop = useRef(false)

  const refreshList = () => { setList(null); return api('/api/schedules').then(setList, setList) }
  useEffect(() => { refreshList() }, [])
  useEffect(() => { formats().then((meta) => setImportFormats(meta.import_formats), setMetaError) }, [])

  /** @param {string} name */
  const input = (name) => /** @type {HTMLInputElement} */ (form.current?.elements.namedItem(name))

  /** @param {File} file */
  async function importFile (file) {
    if (busy.current) return
    busy.current = true
    setPending(true)
    setResult({ importing: file.name })
    const query = new URLSearchParams({ timezone: input('timezone').value.trim() || 'UTC' })
    if (input('name').value.trim()) query.set('name', input('name').value.trim())
    if (input('format').value) query.set('format', input('format').value)
    try {
      /** @type {ImportAnswer} */
      const answer = await api(`/api/schedules/import?${query}`, { method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream', 'idempotency-key': idempotencyKey.current } })
      setResult({ report: answer })
      input('file').value = ''
      newImport()
      await refreshList()
    } catch (error) {
      setResult({ error, file: file.name })
    } finally {
      busy.current = false
      setPending(false)
    }
  }

  /** @param {SubmitEvent} e */
  const submit = (e) => {
    e.preventDefault()
    const file = input('file').files?.[0]
    if (!file) return setResult({ missing: true })
    importFile(file)
  }
  const picked = () => {
    const file = input('file').files?.[0]
    if (!pickedFromDrop.current || !file) return
    pickedFromDrop.current = false
    newImport()
    importFile(file)
  }
  /** @param {DragEvent} e */
  const drop = (e) => {
    e.preventDefault()
    setOver(false)
    const file = e.dataTransfer?.files?.[0]
    if (!file || busy.current) return
    newImport() // a dropped file is an import of its own
    importFile(file)
  }
  /** @param {KeyboardEvent} e */
  const key = (e) => {
    if ((e.key === 'Enter' || e.key === ' ') && !busy.current) { e.preventDefault(); pickedFromDrop.current = true; input('file').click() }
  }

  return html`<h2>Schedules</h2>
    <p class="documents-note" id="documents-note">Optional: a schedule is a standalone document of timed events (imported, or made by Auto-fill) to check and export. A channel operator does not need one: a channel airs what its week template builds (<a href="#/channels">Channels</a>).</p>
    <section aria-labelledby="import-title"><h3 id="import-title">Import</h3>
      <form id="import-form" ref=${form} onSubmit=${submit} onChange=${newImport}>
        <div class="form-row">
          <label for="import-file">Schedule file</label>
          <input type="file" id="import-file" name="file" accept=${importFormats.length === 0 ? undefined : importAccept(importFormats)} disabled=${pending} onChange=${picked} onCancel=${() => { pickedFromDrop.current = false }} />
          <label for="import-format">Format</label>
          <select id="import-format" name="format" disabled=${pending}><option value="">Detect from the file</option>${importFormats.map(({ id, label }) => html`<option value=${id}>${label}</option>`)}</select>
        </div>
        <div class="form-row">
          <label for="import-name">Name</label><input type="text" id="import-name" name="name" placeholder="from the document" disabled=${pending} />
          <label for="import-timezone">Time zone of naive times</label><input type="text" id="import-timezone" name="timezone" defaultValue=${zone} disabled=${pending} />
          <button type="submit" class="primary" id="import-submit" disabled=${pending}>Import</button>
        </div>
      </form>
      <div class=${`dropzone${over ? ' over' : ''}${pending ? ' busy' : ''}`} id="dropzone" tabindex="0" role="button" aria-disabled=${String(pending)}
        aria-label=${`Or drop a schedule here (${readable(importFormats)}): it is imported at once; or press Enter to pick a file`}
        onDragOver=${(/** @type {DragEvent} */ e) => { e.preventDefault(); if (!busy.current) setOver(true) }}
        onDragLeave=${() => setOver(false)} onDrop=${drop} onKeyDown=${key}>${`Or drop a schedule here (${readable(importFormats)}): it is imported at once`}</div>
      <div id="import-result" aria-live="polite">${metaError && html`<${ErrorBox} error=${metaError} what="Reading the import formats" />`}<${ImportResult} state=${result} importFormats=${importFormats} /></div>
    </section>
    <section aria-labelledby="list-title"><h3 id="list-title">All schedules</h3>
      <div id="schedule-list"><${ScheduleTable} list=${list} /></div>
    </section>`
}

/** @param {Element} main */
export function schedulesView (main) {
  render(html`<${Schedules} />`, main)
  return () => render(null, main)
}
