// The panel's shell: routes by the URL fragment, keeps the API key, asks for it on 401/403.
import { api, getKey, setKey, whenAuthFails } from './api.js'
import { zone } from './ui.js'
import { dashboardView } from './views/dashboard.js'
import { schedulesView } from './views/schedules.js'
import { scheduleView } from './views/schedule.js'
import { autofillView } from './views/autofill.js'
import { playlistsView } from './views/playlists.js'

// A key handed over in the first-start link (#key=…) is kept in this browser, then taken
// out of the address bar so it does not linger in history or screenshots.
const fragment = new URLSearchParams(location.hash.slice(1))
if (fragment.has('key')) {
  setKey(fragment.get('key'))
  history.replaceState(null, '', location.pathname + location.search + '#/')
}

const routes = [
  [/^\/?$/, 'dashboard', dashboardView],
  [/^\/schedules\/?$/, 'schedules', schedulesView],
  [/^\/schedules\/([^/?]+)$/, 'schedules', scheduleView],
  [/^\/autofill\/?$/, 'autofill', autofillView],
  [/^\/playlists(?:\/([^/?]+))?\/?$/, 'playlists', playlistsView]
]

const main = document.getElementById('main')
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
    for (const link of document.querySelectorAll('[data-nav]')) {
      if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page')
      else link.removeAttribute('aria-current')
    }
    leave = view(container, match.slice(1).filter((p) => p !== undefined).map(decodeURIComponent), new URLSearchParams(search)) ?? null
    return
  }
  container.append(Object.assign(document.createElement('p'), { textContent: 'No such page. ' }), Object.assign(document.createElement('a'), { href: '#/', textContent: 'Go to the dashboard' }))
}

const dialog = document.getElementById('key-dialog')
const keyInput = document.getElementById('key-input')

async function showRole () {
  const label = document.getElementById('key-role')
  const button = document.getElementById('key-button')
  if (!getKey()) { label.textContent = 'No key saved.'; button.textContent = 'API key'; return }
  try {
    const { role } = await api('/api/auth')
    label.textContent = `The saved key has the ${role} role.`
    button.textContent = `API key (${role})`
  } catch {
    label.textContent = 'The saved key is not accepted.'
    button.textContent = 'API key (invalid)'
  }
}

function askForKey (reason = '') {
  document.getElementById('key-reason').textContent = reason
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
document.getElementById('key-button').addEventListener('click', () => askForKey())
whenAuthFails((err) => askForKey(err.status === 401
  ? 'This needs an API key. Paste one (or open the link printed when the service first started).'
  : `The saved key may not do this: ${err.message}.`))

document.getElementById('zone').textContent = `Times in ${zone}`
window.addEventListener('hashchange', render)
render()
showRole()
