// @ts-check
// #/media and #/media/<library> (issue 26, SPEC §16): the media libraries (folders under
// SCHEDULEFLOW_MEDIA_ROOTS scanned with ffprobe), a form to add one (admin), a scan with its
// progress and its skipped files, and a library's items and collections. A scan runs on as a
// background job whatever this page does: the page only polls it, and stops polling while the
// tab is hidden (a phone in a pocket, a tab left behind), catching up when it is shown again.
import { LIBRARY_NAME_MAX } from '../../contract/limits.js'
import { api } from '../api.js'
import { html, render, useEffect, useState } from '../preact.js'
import { Empty, ErrorBox, Head, Loading, cells, fmtDateTime, fmtDuration, plural } from '../ui.js'
import { Field, FormError, groupProblems } from './field-errors.js'
import { episodeLabel } from '../programmes.js'

/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('../../../contract/media.js').Library} Library */
/** @typedef {import('../../../contract/media.js').LibraryList} LibraryList */
/** @typedef {import('../../../contract/media.js').Scan} Scan */
/** @typedef {import('../../../contract/media.js').ScanAnswer} ScanAnswer */
/** @typedef {import('../../../contract/media.js').MediaItem} MediaItem */
/** @typedef {import('../../../contract/media.js').MediaItemList} MediaItemList */
/** @typedef {import('../../../contract/media.js').Collection} Collection */
/** @typedef {import('../../../contract/media.js').CollectionList} CollectionList */

/** A running scan is read this often while the tab is shown. */
const SCAN_POLL_MS = 1000
const LIBRARY_COLUMNS = ['Name', 'Root', 'Items', 'Last scan', '']
const ITEM_COLUMNS = ['Title', 'Duration', 'Episode', 'Path', 'Problem']
const COLLECTION_COLUMNS = ['Kind', 'Name', 'Items', '']
/** @type {Record<import('../../contract/limits.js').CollectionKind, string>} */
const KIND_NAMES = { show: 'Show', folder: 'Folder', genre: 'Genre' }
/** @type {Record<import('../../contract/limits.js').ScanState, string>} */
const STATE_NAMES = { running: 'Scanning', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' }

const libraryPath = (/** @type {string} */ id) => `/api/libraries/${encodeURIComponent(id)}`
const scanPath = (/** @type {string} */ libraryId, /** @type {string} */ scanId) => `${libraryPath(libraryId)}/scans/${encodeURIComponent(scanId)}`

/** A scan's files dealt with (probed, unchanged or skipped) out of the files found so far. @param {Scan} scan */
const scanDone = (scan) => scan.probed + scan.cached + scan.failed

/**
 * Calls `run` every `ms` while the tab is shown, and once at once when it is shown again;
 * nothing while it is hidden (document.visibilityState). `run` answers false to stop.
 * @param {() => Promise<boolean>} run @param {number} ms @param {unknown[]} deps
 */
function useVisiblePoll (run, ms, deps) {
  useEffect(() => {
    let stopped = false
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer
    const tick = async () => {
      clearTimeout(timer)
      if (stopped || document.visibilityState === 'hidden') return
      const goOn = await run().catch(() => true)
      if (goOn && !stopped) timer = setTimeout(tick, ms)
    }
    const onVisible = () => { if (document.visibilityState === 'visible') tick() }
    document.addEventListener('visibilitychange', onVisible)
    tick()
    return () => { stopped = true; clearTimeout(timer); document.removeEventListener('visibilitychange', onVisible) }
  }, deps)
}

/**
 * A scan's progress, read until it ends: a bar (files dealt with of the files found), the
 * counts, a Cancel button while it runs, and the skipped files with why.
 * @param {{ libraryId: string, scanId: string, onEnd?: (scan: Scan) => void }} props
 */
function ScanProgress ({ libraryId, scanId, onEnd }) {
  const [scan, setScan] = useState(/** @type {Scan | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [cancelling, setCancelling] = useState(false)
  useVisiblePoll(async () => {
    try {
      /** @type {ScanAnswer} */
      const answer = await api(scanPath(libraryId, scanId))
      setScan(answer.scan)
      setError(null)
      if (answer.scan.state === 'running') return true
      onEnd?.(answer.scan)
      return false
    } catch (err) {
      setError(err)
      return err.status !== 404 && err.status !== 401 && err.status !== 403
    }
  }, SCAN_POLL_MS, [libraryId, scanId])

  async function cancel () {
    setCancelling(true)
    try { await api(scanPath(libraryId, scanId), { method: 'DELETE', raw: true }) } catch (err) { setError(err) }
  }

  if (scan === null) return error ? html`<${ErrorBox} error=${error} what="Reading the scan" />` : html`<${Loading} what="the scan" />`
  const running = scan.state === 'running'
  // The walk finds files as it goes: until it ends, the bar runs over the files found so far.
  const total = running ? Math.max(scan.files_seen, 1) : Math.max(scan.files_seen, scanDone(scan), 1)
  const done = running ? Math.min(scanDone(scan), total) : total
  const percent = Math.round((done / total) * 100)
  return html`<div class="scan" id=${`scan-${scan.id}`} data-state=${scan.state}>
    <p class="scan-state" role="status"><strong>${STATE_NAMES[scan.state]}</strong>${running
      ? ` · ${plural(scanDone(scan), 'file')} of ${plural(scan.files_seen, 'file')} found so far`
      : ` · ${fmtDateTime(scan.finished)}`}${scan.error ? ` · ${scan.error}` : ''}</p>
    <div class="progress" role="progressbar" aria-label="Scan progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${String(percent)}
      aria-valuetext=${`${percent} %: ${scanDone(scan)} of ${scan.files_seen} files`}>
      <span class="progress-done" style=${{ width: `${percent}%` }}></span>
    </div>
    <dl class="figures scan-figures">
      <div><dt>Files found</dt><dd class="scan-seen">${scan.files_seen.toLocaleString()}</dd></div>
      <div><dt>Probed</dt><dd class="scan-probed">${scan.probed.toLocaleString()}</dd></div>
      <div><dt>Unchanged (cached)</dt><dd class="scan-cached">${scan.cached.toLocaleString()}</dd></div>
      <div><dt>Skipped</dt><dd class="scan-failed">${scan.failed.toLocaleString()}</dd></div>
      <div><dt>Removed (gone)</dt><dd class="scan-removed">${scan.removed.toLocaleString()}</dd></div>
    </dl>
    ${running && html`<div class="toolbar"><button type="button" class="danger scan-cancel" disabled=${cancelling} onClick=${cancel}>${cancelling ? 'Cancelling…' : 'Cancel scan'}</button></div>`}
    ${error && html`<${ErrorBox} error=${error} what="Reading the scan" />`}
    ${scan.skipped.length > 0 && html`<details class="scan-skipped"><summary>${plural(scan.failed, 'file')} skipped${scan.failed > scan.skipped.length ? ` (the first ${scan.skipped.length} listed)` : ''}</summary>
      <ul>${scan.skipped.map((s) => html`<li><code>${s.path}</code>: ${s.reason}</li>`)}</ul></details>`}
  </div>`
}

/** Starts a scan of the library: the scan (or the one already running). @param {string} libraryId @returns {Promise<Scan>} */
const startScan = async (libraryId) => (/** @type {ScanAnswer} */ (await api(`${libraryPath(libraryId)}/scan`, { method: 'POST', body: {} }))).scan

/** The add-a-library form (admin): the service's refusal next to the field it is about. @param {{ onAdded: (library: Library) => void }} props */
function AddLibrary ({ onAdded }) {
  const [values, setValues] = useState({ name: '', root: '', rescan_minutes: '' })
  const [problems, setProblems] = useState(/** @type {import('./field-errors.js').Grouped} */ ({}))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [pending, setPending] = useState(false)
  /** @param {keyof typeof values} name */
  const set = (name) => (/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => setValues({ ...values, [name]: e.currentTarget.value })
  /** @param {keyof typeof values} name */
  const attrs = (name) => ({ id: `library-${name}`, name, value: values[name], onInput: set(name), 'aria-describedby': `library-${name}-error`, 'aria-invalid': problems[name] ? 'true' : undefined })

  /** @param {Event} e */
  async function submit (e) {
    e.preventDefault()
    setPending(true)
    setProblems({})
    setError(null)
    const minutes = values.rescan_minutes.trim()
    try {
      const { library } = await api('/api/libraries', { method: 'POST', body: { name: values.name.trim(), root: values.root.trim(), ...(minutes !== '' && { rescan_minutes: Number(minutes) }) } })
      setValues({ name: '', root: '', rescan_minutes: '' })
      onAdded(library)
    } catch (err) {
      const grouped = groupProblems(err.errors ?? [], (path) => (['name', 'root', 'rescan_minutes'].includes(path) ? path : null))
      // A refusal without a field (a root outside SCHEDULEFLOW_MEDIA_ROOTS, one another library has) goes under the field its message names.
      const field = ['root', 'name', 'rescan_minutes'].find((f) => new RegExp(`\\b${f}\\b`, 'i').test(err.message))
      if (Object.keys(grouped).length === 0 && err.status === 400 && field !== undefined) grouped[field] = [err.message]
      else if (Object.keys(grouped).length === 0 || grouped[''] !== undefined) setError(err)
      setProblems(grouped)
    } finally {
      setPending(false)
    }
  }

  return html`<form id="library-form" class="form-grid" novalidate onSubmit=${submit}>
    <${FormError} id="library-error" error=${error} problems=${problems['']} />
    <${Field} prefix="library" name="name" label="Name" problems=${problems.name}><input type="text" required maxlength=${LIBRARY_NAME_MAX} placeholder="e.g. Films" ...${attrs('name')} /><//>
    <${Field} prefix="library" name="root" label="Folder (absolute, under SCHEDULEFLOW_MEDIA_ROOTS)" problems=${problems.root}><input type="text" required spellcheck="false" placeholder="/srv/media/films" ...${attrs('root')} /><//>
    <${Field} prefix="library" name="rescan_minutes" label="Rescan every (minutes)" hint="Empty: only when asked" problems=${problems.rescan_minutes}><input type="number" min="0" step="1" ...${attrs('rescan_minutes')} /><//>
    <div class="toolbar"><button type="submit" class="primary" disabled=${pending}>${pending ? 'Adding…' : 'Add library'}</button></div>
  </form>`
}

/** #/media: every library, a Scan button each, the scans started here with their progress. */
function Libraries () {
  const [list, setList] = useState(/** @type {LibraryList | ApiError | null} */ (null))
  /** The scan shown under the table: the one last started here. */
  const [scanning, setScanning] = useState(/** @type {{ library: Library, scanId: string } | null} */ (null))
  const [status, setStatus] = useState(/** @type {string | ApiError} */ (''))
  const refresh = () => api('/api/libraries').then(setList, setList)
  useEffect(() => { refresh() }, [])

  /** @param {Library} library */
  async function scan (library) {
    try {
      const started = await startScan(library.id)
      setScanning({ library, scanId: started.id })
      setStatus('')
      refresh()
    } catch (err) { setStatus(err) }
  }
  /** @param {Library} library */
  async function remove (library) {
    if (!confirm(`Remove the library "${library.name}"? Its ${plural(library.items, 'item')} go from ScheduleFlow (the files stay); blocks drawing from its collections find nothing.`)) return
    try {
      await api(libraryPath(library.id), { method: 'DELETE', raw: true })
      if (scanning?.library.id === library.id) setScanning(null)
      await refresh()
      setStatus(`Removed "${library.name}".`)
    } catch (err) { setStatus(err) }
  }

  return html`<h2>Media</h2>
    <p class="meta">Folders of video files the service reads with ffprobe: their true lengths, chapters and episode data. A channel block can air a collection of a library (a show, a folder, a genre). Only folders under <code>SCHEDULEFLOW_MEDIA_ROOTS</code> can be added.</p>
    <section aria-labelledby="libraries-title"><h3 id="libraries-title">Libraries</h3>
      ${list === null && html`<${Loading} what="the libraries" />`}
      ${list instanceof Error && html`<${ErrorBox} error=${list} what="Listing the libraries" />`}
      ${list !== null && !(list instanceof Error) && list.libraries.length === 0 && html`<div class="state empty" id="libraries-empty"><p>No libraries yet. Add a media folder below: its shows, folders and genres become collections a channel's blocks can air. Only an M3U playlist? <a href="#/playlists">Import it</a> instead.</p></div>`}
      ${list !== null && !(list instanceof Error) && list.libraries.length > 0 && html`<table class="list" id="libraries">
        <caption>${plural(list.libraries.length, 'library', 'libraries')}</caption>
        <${Head} columns=${LIBRARY_COLUMNS} />
        <tbody>${list.libraries.map((l) => html`<tr data-id=${l.id}>${cells([
          html`<a href=${`#/media/${l.id}`}>${l.name}</a>`,
          html`<code>${l.root}</code>`,
          l.items.toLocaleString(),
          l.last_scan === null ? 'never' : html`<${LastScan} library=${l} />`,
          html`<span class="toolbar"><button type="button" class="scan-button" aria-label=${`Scan ${l.name}`} onClick=${() => scan(l)}>Scan</button><button type="button" class="danger" aria-label=${`Remove ${l.name}`} onClick=${() => remove(l)}>Remove</button></span>`
        ], LIBRARY_COLUMNS, [2])}</tr>`)}</tbody>
      </table>`}
      <div role="status" id="library-status">${status instanceof Error ? html`<${ErrorBox} error=${status} what="That" />` : status}</div>
    </section>
    ${scanning && html`<section aria-labelledby="scan-title" id="scan-section"><h3 id="scan-title">Scan of ${scanning.library.name}</h3>
      <${ScanProgress} key=${scanning.scanId} libraryId=${scanning.library.id} scanId=${scanning.scanId} onEnd=${refresh} />
      <p><a href=${`#/media/${scanning.library.id}`}>See its items and collections</a></p>
    </section>`}
    <section aria-labelledby="library-new-title"><h3 id="library-new-title">Add a library</h3>
      <${AddLibrary} onAdded=${(/** @type {Library} */ library) => { setStatus(`Added "${library.name}". Scan it to read its files.`); refresh() }} />
    </section>`
}

/** The last scan's state in a word and when it ended (read once: a running one is followed under the table). @param {{ library: Library }} props */
function LastScan ({ library }) {
  const [scan, setScan] = useState(/** @type {Scan | null} */ (null))
  useEffect(() => {
    if (library.last_scan !== null) api(scanPath(library.id, library.last_scan)).then((/** @type {ScanAnswer} */ a) => setScan(a.scan), () => {})
  }, [library]) // each read of the list: a scan started or ended since
  if (scan === null) return html`<span class="meta">…</span>`
  return html`<span class="last-scan" data-state=${scan.state}>${STATE_NAMES[scan.state]}${scan.finished ? ` ${fmtDateTime(scan.finished)}` : ''}${scan.failed > 0 ? ` · ${plural(scan.failed, 'skipped file')}` : ''}</span>`
}

/** A library's items, a page at a time (`next`), of one collection when chosen. @param {{ library: Library, collection: string }} props */
function Items ({ library, collection }) {
  const [items, setItems] = useState(/** @type {MediaItem[] | null} */ (null))
  const [next, setNext] = useState(/** @type {string | undefined} */ (undefined))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [loading, setLoading] = useState(false)
  /** @param {string} path @param {MediaItem[]} before */
  const load = async (path, before) => {
    setLoading(true)
    try {
      /** @type {MediaItemList} */
      const page = await api(path)
      setItems([...before, ...page.items])
      setNext(page.next)
      setError(null)
    } catch (err) { setError(err) } finally { setLoading(false) }
  }
  useEffect(() => { setItems(null); load(`${libraryPath(library.id)}/items${collection ? `?collection=${encodeURIComponent(collection)}` : ''}`, []) }, [library.id, library.items, collection])
  if (error && items === null) return html`<${ErrorBox} error=${error} what="Listing the items" />`
  if (items === null) return html`<${Loading} what="the items" />`
  if (items.length === 0) return html`<${Empty} text=${collection ? 'This collection has no items.' : 'No items yet: scan the library.'} />`
  return html`<table class="list" id="media-items">
      <caption>${plural(items.length, 'item')}${next ? ' shown so far' : ''}</caption>
      <${Head} columns=${ITEM_COLUMNS} />
      <tbody>${items.map((i) => html`<tr data-id=${i.id} class=${i.problem ? 'problem' : undefined}>${cells([
        html`<span class="item-title">${i.title}</span>${i.show ? html` <span class="meta">${i.show}</span>` : ''}`,
        html`<span class="item-duration">${fmtDuration(i.duration)}</span>`,
        episodeLabel(i),
        html`<code>${i.path}</code>`,
        i.problem ?? ''
      ], ITEM_COLUMNS, [1])}</tr>`)}</tbody>
    </table>
    ${error && html`<${ErrorBox} error=${error} what="Reading more items" />`}
    ${next && html`<div class="toolbar"><button type="button" id="items-more" disabled=${loading} onClick=${() => load(next, items)}>${loading ? 'Loading…' : 'Show more items'}</button></div>`}`
}

/** The library's collections; choosing one lists its items. @param {{ library: Library, chosen: string, onChoose: (id: string) => void }} props */
function Collections ({ library, chosen, onChoose }) {
  const [list, setList] = useState(/** @type {CollectionList | ApiError | null} */ (null))
  useEffect(() => { api(`${libraryPath(library.id)}/collections`).then(setList, setList) }, [library.id, library.items])
  if (list === null) return html`<${Loading} what="the collections" />`
  if (list instanceof Error) return html`<${ErrorBox} error=${list} what="Listing the collections" />`
  if (list.collections.length === 0) return html`<${Empty} text="No collections yet: scan the library." />`
  return html`<table class="list" id="media-collections">
    <caption>${plural(list.collections.length, 'collection')}: a channel block can take one as its source</caption>
    <${Head} columns=${COLLECTION_COLUMNS} />
    <tbody>${list.collections.map((c) => html`<tr data-id=${c.id} aria-current=${c.id === chosen ? 'true' : undefined}>${cells([
      KIND_NAMES[c.kind], c.name, c.items.toLocaleString(),
      c.id === chosen
        ? html`<button type="button" class="link" onClick=${() => onChoose('')}>Show all items</button>`
        : html`<button type="button" class="link" aria-label=${`Show its items: list the items of the ${c.kind} ${c.name}`} onClick=${() => onChoose(c.id)}>Show its items</button>`
    ], COLLECTION_COLUMNS, [2])}</tr>`)}</tbody>
  </table>`
}

/** #/media/<id>: one library, its last scan (or one started here), its collections and items. @param {{ id: string, collection: string }} props */
function LibraryPage ({ id, collection }) {
  const [library, setLibrary] = useState(/** @type {Library | ApiError | null} */ (null))
  const [chosen, setChosen] = useState(collection)
  const [scanError, setScanError] = useState(/** @type {ApiError | null} */ (null))
  const refresh = () => api(libraryPath(id)).then((/** @type {{ library: Library }} */ a) => setLibrary(a.library), setLibrary)
  useEffect(() => { refresh() }, [id])
  if (library === null) return html`<h2>Media</h2><${Loading} what="the library" />`
  if (library instanceof Error) return html`<h2>Media</h2><${ErrorBox} error=${library} what="Opening the library" />`

  async function scan () {
    if (library === null || library instanceof Error) return
    try {
      const started = await startScan(library.id)
      setLibrary({ ...library, last_scan: started.id })
      setScanError(null)
    } catch (err) { setScanError(err) }
  }
  /** @param {string} next */
  const choose = (next) => {
    setChosen(next)
    history.replaceState(null, '', `#/media/${id}${next ? `?collection=${encodeURIComponent(next)}` : ''}`)
  }

  return html`<h2 id="library-title">${library.name}</h2>
    <p class="meta"><code>${library.root}</code> · ${plural(library.items, 'item')}${library.rescan_minutes ? ` · rescanned every ${plural(library.rescan_minutes, 'minute')}` : ''} · <a href="#/media">all libraries</a></p>
    <section aria-labelledby="library-scan-title"><h3 id="library-scan-title">Scan</h3>
      <div class="toolbar"><button type="button" class="primary scan-button" onClick=${scan}>Scan now</button></div>
      ${scanError && html`<${ErrorBox} error=${scanError} what="Starting a scan" />`}
      ${library.last_scan === null
        ? html`<p class="meta">Never scanned.</p>`
        : html`<${ScanProgress} key=${library.last_scan} libraryId=${library.id} scanId=${library.last_scan} onEnd=${refresh} />`}
    </section>
    <section aria-labelledby="library-collections-title"><h3 id="library-collections-title">Collections</h3>
      <${Collections} library=${library} chosen=${chosen} onChoose=${choose} />
    </section>
    <section aria-labelledby="library-items-title"><h3 id="library-items-title">Items</h3>
      <${Items} library=${library} collection=${chosen} />
    </section>`
}

/** @param {Element} main @param {string[]} ids @param {URLSearchParams} params */
export function mediaView (main, [id], params) {
  render(id === undefined ? html`<${Libraries} />` : html`<${LibraryPage} id=${id} collection=${params.get('collection') ?? ''} />`, main)
  return () => render(null, main)
}
