import { api, download, newIdempotencyKey } from '../api.js'
import { h, cells, empty, errorBox, fmtDateTime, fmtDuration, loading, plural, replace } from '../ui.js'

const COLUMNS = ['Name', 'Items', 'Imported']
const ITEM_COLUMNS = ['#', 'Title', 'Duration', 'Group', 'URL']

/** Playlists: import an M3U, list them, browse one, export or delete it. */
export function playlistsView (main, [id]) {
  if (id !== undefined) return playlistView(main, id)
  const list = h('div', { id: 'playlist-list' })
  const result = h('div', { id: 'playlist-import-result', 'aria-live': 'polite' })
  const fileInput = h('input', { type: 'file', id: 'playlist-file', accept: '.m3u,.m3u8,audio/x-mpegurl,application/vnd.apple.mpegurl' })
  const nameInput = h('input', { type: 'text', id: 'playlist-name', placeholder: 'from the file name' })

  async function refresh () {
    replace(list, loading('playlists'))
    try {
      const { playlists } = await api('/api/playlists')
      if (playlists.length === 0) return replace(list, empty('No playlists yet. Import an M3U above.'))
      replace(list, h('table', { class: 'list' },
        h('caption', {}, plural(playlists.length, 'playlist')),
        h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, playlists.map((p) => h('tr', {}, cells([h('a', { href: `#/playlists/${p.id}` }, p.name), p.item_count.toLocaleString(), fmtDateTime(p.created)], COLUMNS, [1]))))))
    } catch (err) {
      replace(list, errorBox(err, 'Listing playlists'))
    }
  }
  // While an import runs its inputs are off, and each import carries its own Idempotency-Key:
  // a file chosen twice in a hurry, or a request repeated, stores one playlist.
  const setPending = (on) => { fileInput.disabled = on; nameInput.disabled = on }
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files[0]
    if (!file || fileInput.disabled) return
    setPending(true)
    replace(result, h('p', { class: 'state loading', role: 'status' }, `Importing ${file.name}…`))
    const name = nameInput.value.trim() || file.name.replace(/\.m3u8?$/i, '')
    try {
      const answer = await api(`/api/playlists/import?name=${encodeURIComponent(name)}`, { method: 'POST', body: file, headers: { 'content-type': 'audio/x-mpegurl', 'idempotency-key': newIdempotencyKey() } })
      replace(result, h('p', { role: 'status' }, `Imported "${answer.playlist.name}": ${plural(answer.playlist.item_count, 'item')}. `, h('a', { href: `#/playlists/${answer.playlist.id}` }, 'Browse it')),
        answer.warnings.length > 0 && h('ul', {}, answer.warnings.map((w) => h('li', {}, w))))
      fileInput.value = ''
      refresh()
    } catch (err) {
      replace(result, errorBox(err, `Importing ${file.name}`))
    } finally {
      setPending(false)
    }
  })
  main.append(h('h2', {}, 'Playlists'),
    h('section', { 'aria-labelledby': 'pl-import-title' }, h('h3', { id: 'pl-import-title' }, 'Import M3U'),
      h('div', { class: 'form-row' }, h('label', { for: 'playlist-name' }, 'Name'), nameInput, h('label', { for: 'playlist-file' }, 'M3U file'), fileInput), result),
    h('section', {}, list))
  refresh()
}

function playlistView (main, id) {
  main.append(loading('the playlist'))
  api(`/api/playlists/${id}`).then(({ playlist, items }) => {
    const status = h('span', { role: 'status', class: 'meta' })
    replace(main, h('h2', {}, playlist.name),
      h('p', { class: 'meta' }, `${plural(playlist.item_count, 'item')} · imported ${fmtDateTime(playlist.created)} · `, h('a', { href: '#/playlists' }, 'all playlists')),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', onclick: async () => { status.textContent = `Downloaded ${await download(`/api/playlists/${id}/export`).catch((e) => e.message)}` } }, 'Export M3U'),
        h('a', { class: 'button', id: 'autofill-from-playlist', href: `#/autofill?playlist_id=${encodeURIComponent(id)}` }, 'Auto-fill from it'),
        h('button', {
          type: 'button',
          class: 'danger',
          onclick: async () => {
            if (!confirm(`Delete the playlist "${playlist.name}"? Schedules filled from it stay.`)) return
            try { await api(`/api/playlists/${id}`, { method: 'DELETE' }); location.hash = '#/playlists' } catch (err) { status.replaceChildren(errorBox(err, 'Deleting')) }
          }
        }, 'Delete'),
        status),
      h('table', { class: 'list', id: 'playlist-items' },
        h('thead', {}, h('tr', {}, ITEM_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, items.map((item, i) => h('tr', {}, cells([i + 1, item.title, fmtDuration(item.duration), item.group ?? '', h('code', {}, item.url)], ITEM_COLUMNS, [0, 2]))))))
  }).catch((err) => replace(main, h('h2', {}, 'Playlist'), errorBox(err, 'Opening the playlist')))
}
