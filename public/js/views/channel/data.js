// @ts-check
// What several channel views read: the playlists (sources and fillers), and how a failure shows.
import { api } from '../../api.js'
import { html, useEffect, useState } from '../../preact.js'

/** @typedef {import('../../../../contract/api.js').PlaylistSummary} PlaylistSummary */
/** @typedef {import('../../../../contract/api.js').PlaylistList} PlaylistList */

/** The playlists to choose sources and fillers from; [] until they come (a failure leaves it empty: the field still takes an id). */
export function usePlaylists () {
  const [playlists, setPlaylists] = useState(/** @type {PlaylistSummary[]} */ ([]))
  useEffect(() => { api('/api/playlists').then((/** @type {PlaylistList} */ answer) => setPlaylists(answer.playlists)).catch(() => {}) }, [])
  return playlists
}

/**
 * The API's message, its problems (each after its field) and the request id, as ui.js ErrorBox says them.
 * @param {{ error: import('../../api.js').ApiError, what?: string }} props
 */
export const ApiProblem = ({ error, what = 'That' }) => html`<div class="state error" role="alert">
  <p><strong>${what} failed: </strong>${error.message}</p>
  ${(error.errors ?? []).length > 0 && html`<ul class="problems">${error.errors.slice(0, 100).map((p) => html`<li>${p.field ? `${p.field}: ` : ''}${p.message}</li>`)}</ul>`}
  <p class="meta">code ${error.code ?? 'ERROR'}${error.status ? ` · HTTP ${error.status}` : ''}${error.requestId ? html` · request id <code class="request-id">${error.requestId}</code>` : ''}</p>
</div>`
