// @ts-check
// Names for people (SPEC §17): the API-key dialog shows what the saved key is called and, for an
// admin holding the stored key (the one made at first start), renames it in place
// (PATCH /api/keys/:id). While that key still has its default name and no person named it
// (/api/auth answers named: false), the panel asks once for a name; "Not now" is remembered in
// this browser for that key, and saving any name (the default included) stops the asking everywhere.
import { KEY_NAME_MAX } from '../contract/limits.js'
import { api } from './api.js'
import { html, render, useState } from './preact.js'
import { ErrorBox } from './ui.js'

/**
 * What GET /api/auth answers.
 * @typedef {{ role: import('../contract/limits.js').Role, key_id: string | null, key_name: string | null,
 *   key_source: import('../contract/limits.js').KeySource | null, named: boolean }} Auth
 */

const ASKED = 'scheduleflow.keyNameAsked.'

/** @param {Auth} auth */
const renamable = (auth) => auth.role === 'admin' && auth.key_source === 'stored' && auth.key_id !== null

/**
 * A labelled name input and Save: Enter or the button saves; the answer or the error shows below,
 * and focus stays where it was.
 * @param {{ auth: Auth, idPrefix: string, label: string, onSaved: (name: string) => void, children?: unknown }} props
 */
function NameForm ({ auth, idPrefix, label, onSaved, children }) {
  const [name, setName] = useState(auth.key_name ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState(/** @type {any} */ (null))
  const [saved, setSaved] = useState('')
  /** @param {Event} event */
  const save = async (event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setSaved('')
    try {
      const key = await api(`/api/keys/${encodeURIComponent(auth.key_id ?? '')}`, { method: 'PATCH', body: { name } })
      setName(key.name)
      setSaved(`Saved: history and the log now call this key “${key.name}”.`)
      onSaved(key.name)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return html`<form class="key-name-form" onSubmit=${save}>
    <label for=${`${idPrefix}-input`}>${label}</label>
    <input id=${`${idPrefix}-input`} value=${name} maxlength=${KEY_NAME_MAX} required autocomplete="off" spellcheck="false"
      aria-invalid=${error !== null ? 'true' : undefined} onInput=${(/** @type {InputEvent} */ e) => setName(/** @type {HTMLInputElement} */ (e.target).value)} />
    <div class="toolbar">
      <button type="submit" class="primary" disabled=${busy}>Save name</button>
      ${children}
    </div>
    <p class="meta" role="status" id=${`${idPrefix}-status`}>${saved}</p>
    ${error !== null && html`<${ErrorBox} error=${error} what="Renaming the key" />`}
  </form>`
}

/** @param {{ auth: Auth, onSaved: (name: string) => void }} props The key's name, in the API-key dialog. */
function KeyNameSection ({ auth, onSaved }) {
  if (auth.key_id === null) return null
  const where = auth.key_source === 'environment' ? ' (set in SCHEDULEFLOW_API_KEYS)' : ''
  return html`<div class="key-name">
    <p id="key-name-line">Called <strong>${auth.key_name}</strong>${where} in history, conflict messages and the log; role ${auth.role}.</p>
    ${renamable(auth) && html`<${NameForm} key=${auth.key_id} auth=${auth} idPrefix="key-name" label="Name of this key" onSaved=${onSaved} />`}
  </div>`
}

/** The container in the API-key dialog, after its form (a form of its own: forms do not nest). */
function section () {
  let box = document.getElementById('key-name')
  if (box === null) {
    box = document.createElement('div')
    box.id = 'key-name'
    document.getElementById('key-dialog')?.append(box)
  }
  return box
}

/**
 * Asks once for a name: a small dialog, prefilled with the default name, skippable.
 * @param {Auth} auth
 * @param {() => void} refresh
 */
function askForName (auth, refresh) {
  const dialog = document.createElement('dialog')
  dialog.id = 'name-prompt'
  dialog.setAttribute('aria-labelledby', 'name-prompt-title')
  document.body.append(dialog)
  const skip = () => { localStorage.setItem(ASKED + auth.key_id, '1'); dialog.close() }
  dialog.addEventListener('cancel', () => localStorage.setItem(ASKED + auth.key_id, '1'))
  dialog.addEventListener('close', () => { render(null, dialog); dialog.remove() })
  render(html`<h2 id="name-prompt-title">Name this key</h2>
    <p>It shows in history, in conflict messages and in the log as “${auth.key_name}” until you give it a name people know, such as yours.</p>
    <${NameForm} auth=${auth} idPrefix="name-prompt" label="Name of this key" onSaved=${() => { dialog.close(); refresh() }}>
      <button type="button" onClick=${skip}>Not now</button>
    <//>`, dialog)
  dialog.showModal()
  const input = /** @type {HTMLInputElement | null} */ (dialog.querySelector('input'))
  input?.select()
}

/**
 * Shows the saved key's name in the API-key dialog (nothing when there is no valid key), and asks
 * for a name once when the stored admin key was never named.
 * @param {Auth | null} auth
 * @param {() => void} refresh called after a rename (the shell asks /api/auth again)
 */
export function showKeyName (auth, refresh) {
  render(auth === null ? null : html`<${KeyNameSection} auth=${auth} onSaved=${() => refresh()} />`, section())
  if (auth === null || auth.named || !renamable(auth) || localStorage.getItem(ASKED + auth.key_id) !== null) return
  if (document.querySelector('dialog[open]') !== null || document.getElementById('name-prompt') !== null) return
  askForName(auth, refresh)
}
