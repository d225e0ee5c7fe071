// @ts-check
// Create or change a channel: every field of SPEC §11's shape, each refusal next to its field.
// The logo is an http(s) URL (the API's rule), so type=url; the stream address is any media URL
// or path the API takes (workers/media-url.ts), so text. novalidate: the API has the last word.
import { api, newIdempotencyKey } from '../../api.js'
import { zone } from '../../ui.js'
import { html, useState } from '../../preact.js'
import { Field, FormError, groupProblems } from '../field-errors.js'
import { collectionOptions } from '../block-form.js'
import { useCollections } from '../../collections.js'

/** @typedef {import('../../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../../contract/api.js').ChannelAnswer} ChannelAnswer */
/** @typedef {import('../../../../contract/api.js').PlaylistSummary} PlaylistSummary */
/** @typedef {import('../../api.js').ApiError} ApiError */

const FIELDS = ['number', 'name', 'timezone', 'logo', 'group', 'stream_url', 'default_filler', 'xmltv_id']
/** @param {string} path */
const fieldOf = (path) => FIELDS.find((f) => path === f || path.startsWith(`${f}.`)) ?? null

/**
 * The form's values as the API takes them: empty optional fields are null (cleared), not "".
 * @param {Record<string, string>} values
 * @param {boolean} creating
 */
function bodyOf (values, creating) {
  /** @type {Record<string, string | null>} */
  const body = {}
  for (const name of FIELDS) {
    const value = (values[name] ?? '').trim()
    if (['number', 'name', 'timezone'].includes(name)) body[name] = value
    else if (name === 'xmltv_id') { if (value !== '') body.xmltv_id = value } else if (value !== '' || !creating) body[name] = value === '' ? null : value
  }
  return body
}

/**
 * `channel` null: a new channel (POST, 201); else a change (PATCH with the fields). `onSaved`
 * gets the stored channel.
 * @param {{ channel: Channel | null, playlists: PlaylistSummary[], onSaved: (channel: Channel) => void }} props
 */
export function ChannelForm ({ channel, playlists, onSaved }) {
  const creating = channel === null
  const [values, setValues] = useState(/** @returns {Record<string, string>} */ () => channel === null
    ? { timezone: zone }
    : Object.fromEntries(FIELDS.map((f) => [f, /** @type {string | null} */ (channel[/** @type {keyof Channel} */ (f)]) ?? ''])))
  const [problems, setProblems] = useState(/** @type {Record<string, string[]>} */ ({}))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [pending, setPending] = useState(false)
  const prefix = creating ? 'channel-new' : 'channel-edit'
  // The default filler may be a media collection (issue 26), offered as the block form offers
  // them: read once the picker is focused, or at once when the stored filler is one.
  const [wantCollections, setWantCollections] = useState(() => (channel?.default_filler ?? '').includes(':'))
  const collections = useCollections(wantCollections)
  const set = (/** @type {string} */ name) => (/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => setValues({
    ...values,
    [name]: e.currentTarget.value
  })

  async function submit (/** @type {SubmitEvent} */ e) {
    e.preventDefault()
    if (pending) return
    setPending(true)
    setProblems({})
    setError(null)
    try {
      /** @type {ChannelAnswer} */
      const answer = channel === null
        ? await api('/api/channels', { method: 'POST', body: bodyOf(values, true), headers: { 'idempotency-key': newIdempotencyKey() } })
        : await api(`/api/channels/${channel.id}`, { method: 'PATCH', body: bodyOf(values, false) })
      if (creating) setValues({ timezone: values.timezone })
      onSaved(answer.channel)
    } catch (err) {
      const grouped = groupProblems(err.errors ?? [], fieldOf)
      // A refusal with no field list (409 number taken) still belongs to a field when its code says which.
      if (err.code === 'CHANNEL_NUMBER_TAKEN') grouped.number = [...(grouped.number ?? []), err.message]
      else if (err.code === 'CHANNEL_XMLTV_ID_TAKEN') grouped.xmltv_id = [...(grouped.xmltv_id ?? []), err.message]
      setProblems(grouped)
      const placed = Object.keys(grouped).some((k) => k !== '')
      setError(placed ? null : err)
    } finally {
      setPending(false)
    }
  }

  const input = (/** @type {string} */ name, props = {}) => html`<input id=${`${prefix}-${name}`} name=${name} value=${values[name] ?? ''} onInput=${set(name)}
    aria-describedby=${`${prefix}-${name}-error`} aria-invalid=${problems[name] ? 'true' : undefined} ...${props} />`
  return html`<form id=${`${prefix}-form`} class="channel-form" novalidate onSubmit=${submit}>
    <div class="form-grid">
      <${Field} prefix=${prefix} name="number" label="Number" hint="Such as 7 or 7.1; unique" problems=${problems.number}>${input('number', { required: true, inputmode: 'decimal' })}<//>
      <${Field} prefix=${prefix} name="name" label="Name" problems=${problems.name}>${input('name', { required: true })}<//>
      <${Field} prefix=${prefix} name="timezone" label="Time zone" hint="The template's times are read in it, e.g. Europe/London" problems=${problems.timezone}>${input('timezone', { required: true })}<//>
      <${Field} prefix=${prefix} name="group" label="Group" hint="group-title in the channel list" problems=${problems.group}>${input('group')}<//>
      <${Field} prefix=${prefix} name="logo" label="Logo address" problems=${problems.logo}>${input('logo', { type: 'url', placeholder: 'https://…/logo.png' })}<//>
      <${Field} prefix=${prefix} name="stream_url" label="Stream address" hint="What IPTV players open" problems=${problems.stream_url}>${input('stream_url', { inputmode: 'url', spellcheck: false, placeholder: 'https://… or udp://…' })}<//>
      <${Field} prefix=${prefix} name="default_filler" label="Default filler" hint="Airs what no block covers: a playlist or a media collection" problems=${problems.default_filler}>
        <select id=${`${prefix}-default_filler`} name="default_filler" value=${values.default_filler ?? ''} onChange=${set('default_filler')} onFocus=${() => setWantCollections(true)}
          aria-describedby=${`${prefix}-default_filler-error`} aria-invalid=${problems.default_filler ? 'true' : undefined}>
          <option value="">— none (left empty, reported) —</option>
          <optgroup label="Playlists">${playlists.map((p) => html`<option value=${p.id}>${p.name}</option>`)}</optgroup>
          ${collectionOptions(collections, values.default_filler ?? '')}
        </select><//>
      <${Field} prefix=${prefix} name="xmltv_id" label="XMLTV id" hint=${creating ? 'Leave empty for the stable default' : 'Kept when the number changes'} problems=${problems.xmltv_id}>${input('xmltv_id')}<//>
    </div>
    <${FormError} id=${`${prefix}-error`} error=${error} problems=${problems['']} />
    <button type="submit" class="primary" disabled=${pending}>${creating ? 'Create channel' : 'Save changes'}</button>
  </form>`
}
