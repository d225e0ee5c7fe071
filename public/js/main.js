// @ts-check
// The panel's shell: routes by the URL fragment, keeps the API key, asks for it on 401/403.
import { api, getKey, setKey, whenAuthFails } from './api.js'
import { html, render as draw } from './preact.js'
import { zone } from './ui.js'
import { dashboardView } from './views/dashboard.js'
import { onAirView } from './views/on-air.js'
import { schedulesView } from './views/schedules.js'
import { scheduleView } from './views/schedule.js'
import { autofillView } from './views/autofill.js'
import { playlistsView } from './views/playlists.js'
import { channelsView } from './views/channels.js'
import { channelView } from './views/channel/page.js'
import { guideView } from './views/guide.js'
import { feedsView } from './views/feeds.js'
import { mediaView } from './views/media.js'
import { showKeyName } from './key-name.js'

// A key handed over in a link (#key=…, the first-start link) is kept in this browser, then
// taken out of the address bar so it does not linger in history or screenshots. Any page can
// link here with a key of its choosing, so a saved key is only replaced by a different one
// once the user says so: otherwise a link could quietly put the panel on someone else's key.
function takeKeyFromAddress () {
  const fragment = new URLSearchParams(location.hash.slice(1))
  if (!fragment.has('key')) return false
  history.replaceState(null, '', location.pathname + location.search + '#/')
  const offered = (fragment.get('key') ?? '').trim()
  const saved = getKey()
  if (!offered || offered === saved) return false
  if (saved && !confirm('This link carries an API key other than the one saved in this browser. Replace the saved key with the one from the link?')) return false
  setKey(offered)
  return true
}
takeKeyFromAddress()

// Every part a route captures is an id, and ids come from the address bar, which any link
// can set: only an id of the form the service gives out (a uuid) goes into a request path,
// so that `..%2F` in an address cannot point a call at another resource.
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** @param {string} part */
const decodeId = (part) => {
  try { return decodeURIComponent(part) } catch { return null } // a malformed %-escape
}

/**
 * A view draws itself into its container and answers what to do when it is left (unmount).
 * @typedef {(container: Element, ids: string[], params: URLSearchParams) => (() => void) | void} View
 */
/** @type {[RegExp, string, View][]} */
const routes = [
  [/^\/?$/, 'on-air', onAirView],
  [/^\/system\/?$/, 'system', dashboardView],
  [/^\/schedules\/?$/, 'schedules', schedulesView],
  [/^\/schedules\/([^/?]+)$/, 'schedules', scheduleView],
  [/^\/autofill\/?$/, 'autofill', autofillView],
  [/^\/playlists(?:\/([^/?]+))?\/?$/, 'playlists', playlistsView],
  [/^\/channels\/?$/, 'channels', channelsView],
  [/^\/channels\/([^/?]+)$/, 'channels', channelView],
  [/^\/guide\/?$/, 'guide', guideView],
  [/^\/feeds\/?$/, 'feeds', feedsView],
  [/^\/media(?:\/([^/?]+))?\/?$/, 'media', mediaView]
]

const main = /** @type {HTMLElement} */ (document.getElementById('main'))
/** @type {(() => void) | null} */
let leave = null

function render () {
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?')
  leave?.()
  leave = null
  // Each render gets a fresh container: a view still loading for the page just left
  // writes into a detached one, never over the page now shown.
  const container = document.createElement('div')
  main.replaceChildren(container)
  for (const [pattern, nav, view] of routes) {
    const match = pattern.exec(path)
    if (match === null) continue
    for (const link of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-nav]'))) {
      if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page')
      else link.removeAttribute('aria-current')
    }
    const ids = match.slice(1).filter((p) => p !== undefined).map(decodeId)
    if (!ids.every(/** @returns {id is string} */ (id) => id !== null && ID.test(id))) return notFound(container, 'There is no such schedule, playlist or channel: this address does not hold a valid id.')
    leave = view(container, ids, new URLSearchParams(search)) ?? null
    return
  }
  notFound(container, 'No such page.')
}

/** @param {Element} container @param {string} text */
function notFound (container, text) {
  draw(html`<div class="state empty" id="not-found"><p>${`${text} `}<a href="#/">Go to the On-air page</a></p></div>`, container)
}

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id))
const dialog = /** @type {HTMLDialogElement} */ (byId('key-dialog'))
const keyInput = /** @type {HTMLInputElement} */ (byId('key-input'))

async function showRole () {
  const label = byId('key-role')
  const button = byId('key-button')
  if (!getKey()) { label.textContent = 'No key saved.'; button.textContent = 'API key'; showKeyName(null, showRole); return }
  try {
    const auth = await api('/api/auth')
    label.textContent = `The saved key has the ${auth.role} role.`
    button.textContent = `API key (${auth.role})`
    showKeyName(auth, showRole)
  } catch {
    label.textContent = 'The saved key is not accepted.'
    button.textContent = 'API key (invalid)'
    showKeyName(null, showRole)
  }
}

function askForKey (reason = '') {
  byId('key-reason').textContent = reason
  keyInput.value = ''
  if (!dialog.open) dialog.showModal()
  keyInput.focus()
}

dialog.addEventListener('close', () => {
  if (dialog.returnValue === 'save' && keyInput.value.trim()) setKey(keyInput.value.trim())
  else if (dialog.returnValue === 'forget') setKey(null)
  else return
  showRole()
  render()
})
byId('key-button').addEventListener('click', () => askForKey())
whenAuthFails((err) => askForKey(err.status === 401
  ? 'This needs an API key. Paste one (or open the link printed when the service first started).'
  : `The saved key may not do this: ${err.message}.`))

// The skip link focuses the content in place: followed, its #main would be read as a route (no such page).
byId('skip').addEventListener('click', (e) => { e.preventDefault(); main.focus() })
byId('zone').textContent = `Times in ${zone}`
window.addEventListener('hashchange', () => {
  // A #key= link followed while the panel is open changes only the fragment: no page load.
  if (takeKeyFromAddress()) showRole()
  render()
})
render()
showRole()
