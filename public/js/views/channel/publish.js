// @ts-check
// The details tab's publish targets (SPEC §17): where the channel's playout files are written and
// how the last publish went; an admin may change them (the service refuses other roles, 403).
import { MAX_BUILD_AHEAD_DAYS, PUBLISH_KINDS } from '../../../contract/limits.js'
import { api } from '../../api.js'
import { html, useEffect, useState } from '../../preact.js'
import { ApiProblem } from './data.js'

/** @typedef {import('../../../../contract/on-air.js').PublishTarget} PublishTarget */
/** @typedef {import('../../../../contract/on-air.js').PublishAnswer} PublishAnswer */
/** @typedef {{ kind: import('../../../contract/limits.js').PublishKind, dir: string, days_ahead: string }} Row */

/** The engines' names, keyed by the contract's kinds (one it gains without a name here fails `tsc -p public`). @type {Record<Row['kind'], string>} */
const ENGINE_NAMES = { ersatztv: 'ErsatzTV Next', ffplayout: 'ffplayout' }

/** @param {PublishTarget} t @returns {Row} */
const rowOf = (t) => ({ kind: t.kind, dir: t.dir, days_ahead: t.days_ahead === null ? '' : String(t.days_ahead) })

/** @param {{ channel: import('../../../../contract/api.js').Channel }} props */
export function PublishSection ({ channel }) {
  const [targets, setTargets] = useState(/** @type {PublishTarget[] | null} */ (null))
  const [rows, setRows] = useState(/** @type {Row[]} */ ([]))
  const [error, setError] = useState(/** @type {import('../../api.js').ApiError | null} */ (null))
  const [saving, setSaving] = useState(false)
  const url = `/api/channels/${channel.id}/publish`
  /** @param {PublishAnswer} answer */
  const show = (answer) => { setTargets(answer.targets); setRows(answer.targets.map(rowOf)) }
  useEffect(() => { api(url).then(show).catch(setError) }, [url])

  async function save () {
    setSaving(true)
    setError(null)
    const body = { targets: rows.map((r) => ({ kind: r.kind, dir: r.dir.trim(), ...(r.days_ahead.trim() !== '' && { days_ahead: Number(r.days_ahead) }) })) }
    try { show(await api(url, { method: 'PUT', body })) } catch (err) { setError(err) } finally { setSaving(false) }
  }
  /** @param {number} i @param {Partial<Row>} change */
  const change = (i, change) => setRows(rows.map((r, j) => j === i ? { ...r, ...change } : r))

  return html`<section aria-labelledby="publish-title" id="publish-targets">
    <h3 id="publish-title">Publish targets</h3>
    <p class="meta">After every build and edit, the touched days' playout files are written to these folders (inside the service's SCHEDULEFLOW_PUBLISH_ROOTS). Days ahead: empty is the channel's build-ahead days.</p>
    ${targets === null && error === null && html`<p class="state loading" role="status">Loading the publish targets…</p>`}
    ${targets !== null && targets.length === 0 && html`<p class="meta" id="publish-none">None: nothing is published.</p>`}
    ${targets !== null && targets.length > 0 && html`<table class="list" id="publish-status">
      <thead><tr><th>Engine</th><th>Folder</th><th>Last published</th><th>Files</th><th>Last error</th></tr></thead>
      <tbody>${targets.map((t) => html`<tr class=${t.last_error === null ? '' : 'error'}>
        <td>${t.kind}</td><td><code>${t.dir}</code></td>
        <td>${t.last_published === null ? 'never' : new Date(t.last_published).toLocaleString()}</td>
        <td>${t.files}</td><td>${t.last_error ?? '—'}</td>
      </tr>`)}</tbody>
    </table>`}
    ${targets !== null && html`<details>
      <summary>Change (admin)</summary>
      ${rows.map((r, i) => html`<div class="form-row" data-target=${i}>
        <select aria-label=${`Engine of target ${i + 1}`} value=${r.kind} onChange=${(/** @type {Event & { currentTarget: HTMLSelectElement }} */ e) => change(i, { kind: /** @type {Row['kind']} */ (e.currentTarget.value) })}>
          ${PUBLISH_KINDS.map((kind) => html`<option value=${kind}>${ENGINE_NAMES[kind]}</option>`)}
        </select>
        <input aria-label=${`Folder of target ${i + 1}`} placeholder="/srv/playout/channel-7" value=${r.dir} onInput=${(/** @type {InputEvent & { currentTarget: HTMLInputElement }} */ e) => change(i, { dir: e.currentTarget.value })} />
        <input aria-label=${`Days ahead of target ${i + 1}`} type="number" min="0" max=${MAX_BUILD_AHEAD_DAYS} placeholder="days" value=${r.days_ahead} onInput=${(/** @type {InputEvent & { currentTarget: HTMLInputElement }} */ e) => change(i, { days_ahead: e.currentTarget.value })} />
        <button type="button" onClick=${() => setRows(rows.filter((_, j) => j !== i))}>Remove</button>
      </div>`)}
      <div class="toolbar">
        <button type="button" onClick=${() => setRows([...rows, { kind: 'ersatztv', dir: '', days_ahead: '' }])}>Add target</button>
        <button type="button" id="publish-save" disabled=${saving} onClick=${save}>Save and publish</button>
      </div>
    </details>`}
    ${error !== null && html`<${ApiProblem} error=${error} what="Publish targets" />`}
  </section>`
}
