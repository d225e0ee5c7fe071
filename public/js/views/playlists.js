// @ts-check
import { api, download, newIdempotencyKey } from '../api.js'
import { html, render, useEffect, useState } from '../preact.js'
import { ErrorBox, Head, Loading, cells, fmtDateTime, fmtDuration, plural } from '../ui.js'

/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('../../../contract/api.js').PlaylistList} PlaylistList */
/** @typedef {import('../../../contract/api.js').PlaylistWithItems} PlaylistWithItems */
/** @typedef {import('../../../contract/api.js').PlaylistImportAnswer} PlaylistImportAnswer */

const COLUMNS = ['Name', 'Items', 'Imported']
const ITEM_COLUMNS = ['#', 'Title', 'Duration', 'Group', 'URL']

/** @param {{ list: PlaylistList | ApiError | null }} props */
function PlaylistTable ({ list }) {
  if (list === null) return html`<${Loading} what="playlists" />`
  if (list instanceof Error) return html`<${ErrorBox} error=${list} what="Listing playlists" />`
  const { playlists } = list
  if (playlists.length === 0) return html`<div class="state empty" id="playlists-empty"><p>No playlists yet. Import an M3U file above: a channel's blocks air its items. Video files on disk instead? <a href="#/media">Add a media library</a>.</p></div>`
  return html`<table class="list">
    <caption>${plural(playlists.length, 'playlist')}</caption>
    <${Head} columns=${COLUMNS} />
    <tbody>${playlists.map((p) => html`<tr>${cells([html`<a href=${`#/playlists/${p.id}`}>${p.name}</a>`, p.item_count.toLocaleString(), fmtDateTime(p.created)], COLUMNS, [1])}</tr>`)}</tbody>
  </table>`
}

/** @param {{ result: { importing: string } | { answer: PlaylistImportAnswer } | { error: ApiError, file: string } | null }} props */
function ImportResult ({ result }) {
  if (result === null) return null
  if ('importing' in result) return html`<p class="state loading" role="status">Importing ${result.importing}…</p>`
  if ('error' in result) return html`<${ErrorBox} error=${result.error} what=${`Importing ${result.file}`} />`
  const { playlist, warnings } = result.answer
  return html`<p role="status">${`Imported "${playlist.name}": ${plural(playlist.item_count, 'item')}. `}<a href=${`#/playlists/${playlist.id}`}>Browse it</a>${' · '}<a href="#/channels" id="playlist-next">Air it on a channel</a></p>
    ${warnings.length > 0 && html`<ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul>`}`
}

/** Playlists: import an M3U, list them. */
function Playlists () {
  const [list, setList] = useState(/** @type {PlaylistList | ApiError | null} */ (null))
  const [result, setResult] = useState(/** @type {Parameters<typeof ImportResult>[0]['result']} */ (null))
  const [pending, setPending] = useState(false)
  const refresh = () => { setList(null); api('/api/playlists').then(setList, setList) }
  useEffect(refresh, [])

  // While an import runs its inputs are off, and each import carries its own Idempotency-Key:
  // a file chosen twice in a hurry, or a request repeated, stores one playlist.
  /** @param {Event} e */
  async function importFile (e) {
    const fileInput = /** @type {HTMLInputElement} */ (e.currentTarget)
    const file = fileInput.files?.[0]
    if (!file || pending) return
    setPending(true)
    setResult({ importing: file.name })
    const nameInput = /** @type {HTMLInputElement} */ (document.getElementById('playlist-name'))
    const name = nameInput.value.trim() || file.name.replace(/\.m3u8?$/i, '')
    try {
      /** @type {PlaylistImportAnswer} */
      const answer = await api(`/api/playlists/import?name=${encodeURIComponent(name)}`, { method: 'POST', body: file, headers: { 'content-type': 'audio/x-mpegurl', 'idempotency-key': newIdempotencyKey() } })
      setResult({ answer })
      fileInput.value = ''
      refresh()
    } catch (error) {
      setResult({ error, file: file.name })
    } finally {
      setPending(false)
    }
  }

  return html`<h2>Playlists</h2>
    <section aria-labelledby="pl-import-title"><h3 id="pl-import-title">Import M3U</h3>
      <div class="form-row">
        <label for="playlist-name">Name</label><input type="text" id="playlist-name" placeholder="from the file name" disabled=${pending} />
        <label for="playlist-file">M3U file</label><input type="file" id="playlist-file" accept=".m3u,.m3u8,audio/x-mpegurl,application/vnd.apple.mpegurl" disabled=${pending} onChange=${importFile} />
      </div>
      <div id="playlist-import-result" aria-live="polite"><${ImportResult} result=${result} /></div>
    </section>
    <section><div id="playlist-list"><${PlaylistTable} list=${list} /></div></section>`
}

/**
 * Replacing a playlist's items from an M3U file (PUT /api/playlists/:id, SPEC §15): it keeps its
 * id, so the blocks that air it keep it and a series goes on where it was.
 * @param {{ id: string, name: string, onReplaced: (answer: PlaylistImportAnswer) => void }} props
 */
function ReplaceForm ({ id, name, onReplaced }) {
  const [pending, setPending] = useState(false)
  const [result, setResult] = useState(/** @type {{ replacing: string } | { error: ApiError, file: string } | null} */ (null))
  /** @param {Event} e */
  async function replaceFile (e) {
    const fileInput = /** @type {HTMLInputElement} */ (e.currentTarget)
    const file = fileInput.files?.[0]
    if (!file || pending) return
    setPending(true)
    setResult({ replacing: file.name })
    const newName = /** @type {HTMLInputElement} */ (document.getElementById('playlist-replace-name')).value.trim()
    try {
      /** @type {PlaylistImportAnswer} */
      const answer = await api(`/api/playlists/${id}${newName ? `?name=${encodeURIComponent(newName)}` : ''}`, { method: 'PUT', body: file, headers: { 'content-type': 'audio/x-mpegurl', 'idempotency-key': newIdempotencyKey() } })
      setResult(null)
      fileInput.value = ''
      onReplaced(answer)
    } catch (error) {
      setResult({ error, file: file.name })
    } finally {
      setPending(false)
    }
  }
  return html`<section id="playlist-replace" aria-labelledby="pl-replace-title"><h3 id="pl-replace-title">Replace its items</h3>
    <p class="meta">From an M3U file. The playlist keeps its id, guide and cooldown: the channel blocks that air it keep it, and a series goes on where it was (an episode added after the last one aired airs next).</p>
    <div class="form-row">
      <label for="playlist-replace-name">New name</label><input type="text" id="playlist-replace-name" placeholder=${name} disabled=${pending} />
      <label for="playlist-replace-file">M3U file</label><input type="file" id="playlist-replace-file" accept=".m3u,.m3u8,audio/x-mpegurl,application/vnd.apple.mpegurl" disabled=${pending} onChange=${replaceFile} />
    </div>
    <div aria-live="polite">${result === null
      ? null
      : 'error' in result ? html`<${ErrorBox} error=${result.error} what=${`Replacing from ${result.file}`} />` : html`<p class="state loading" role="status">Replacing from ${result.replacing}…</p>`}</div>
  </section>`
}

/** One playlist: its items, export, replace, auto-fill from it, delete. @param {{ id: string }} props */
function Playlist ({ id }) {
  const [data, setData] = useState(/** @type {PlaylistWithItems | ApiError | null} */ (null))
  const [status, setStatus] = useState(/** @type {string | ApiError} */ (''))
  const [replacing, setReplacing] = useState(false)
  const load = () => api(`/api/playlists/${id}`).then(setData, setData)
  useEffect(() => { load() }, [id])
  if (data === null) return html`<${Loading} what="the playlist" />`
  if (data instanceof Error) return html`<h2>Playlist</h2><${ErrorBox} error=${data} what="Opening the playlist" />`
  const { playlist, items } = data
  const exportIt = async () => { setStatus(`Downloaded ${await download(`/api/playlists/${id}/export`).catch((e) => e.message)}`) }
  async function remove () {
    if (!confirm(`Delete the playlist "${playlist.name}"? Schedules filled from it stay.`)) return
    try { await api(`/api/playlists/${id}`, { method: 'DELETE' }); location.hash = '#/playlists' } catch (err) { setStatus(err) }
  }
  /** @param {PlaylistImportAnswer} answer */
  function replaced ({ playlist: p, warnings }) {
    setReplacing(false)
    setStatus(`Replaced: ${plural(p.item_count, 'item')}${warnings.length > 0 ? ` (${warnings.join('; ')})` : ''}`)
    load()
  }
  return html`<h2>${playlist.name}</h2>
    <p class="meta">${`${plural(playlist.item_count, 'item')} · imported ${fmtDateTime(playlist.created)}${playlist.cooldown_hours === null ? '' : ` · cooldown ${playlist.cooldown_hours} h`} · `}<a href="#/playlists">all playlists</a></p>
    <div class="toolbar">
      <button type="button" onClick=${exportIt}>Export M3U</button>
      <button type="button" id="playlist-replace-open" aria-expanded=${replacing} onClick=${() => setReplacing(!replacing)}>Replace…</button>
      <a class="button" id="autofill-from-playlist" href=${`#/autofill?playlist_id=${encodeURIComponent(id)}`}>Auto-fill from it</a>
      <button type="button" class="danger" onClick=${remove}>Delete</button>
      <span role="status" class="meta" id="playlist-status">${status instanceof Error ? html`<${ErrorBox} error=${status} what="Deleting" />` : status}</span>
    </div>
    ${replacing && html`<${ReplaceForm} id=${id} name=${playlist.name} onReplaced=${replaced} />`}
    <table class="list" id="playlist-items">
      <${Head} columns=${ITEM_COLUMNS} />
      <tbody>${items.map((item, i) => html`<tr>${cells([i + 1, item.title, fmtDuration(item.duration), item.group ?? '', html`<code>${item.url}</code>`], ITEM_COLUMNS, [0, 2])}</tr>`)}</tbody>
    </table>`
}

/**
 * Playlists: import an M3U, list them, browse one, export, replace or delete it.
 * @param {Element} main
 * @param {string[]} ids
 */
export function playlistsView (main, [id]) {
  render(id === undefined ? html`<${Playlists} />` : html`<${Playlist} id=${id} />`, main)
  return () => render(null, main)
}
