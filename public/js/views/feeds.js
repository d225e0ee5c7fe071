// @ts-check
// Feeds (SPEC §17, admin): feed tokens for IPTV apps, Plex, Jellyfin and Emby. A token opens only
// /feeds/<token>/…; it is shown once, when made, and this browser keeps the one it made last for
// the panel's own guide and channel-list links (feed-token.js).
import { FEED_TOKEN_NAME_MAX } from '../../contract/limits.js'
import { api } from '../api.js'
import { html, render, useEffect, useState } from '../preact.js'
import { Empty, ErrorBox, Head, Loading, cells, fmtDateTime, plural } from '../ui.js'
import { feedPath, saveFeedToken, savedFeedToken } from '../feed-token.js'

/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('../../../contract/on-air.js').FeedTokenList} FeedTokenList */
/** @typedef {import('../../../contract/on-air.js').FeedTokenCreated} FeedTokenCreated */

const COLUMNS = ['Name', 'Created', 'Last used', '']

/** The addresses to paste into an app, absolute as the service gives them (discover.json's BaseURL). @param {{ token: string }} props */
function FeedUrls ({ token }) {
  const [base, setBase] = useState(/** @type {string | null} */ (null))
  useEffect(() => {
    api(`/feeds/${encodeURIComponent(token)}/hdhr/discover.json`).then((d) => setBase(String(d.BaseURL).replace(/\/hdhr$/, '')), () => setBase(`${location.origin}/feeds/${encodeURIComponent(token)}`))
  }, [token])
  if (base === null) return html`<${Loading} what="the feed addresses" />`
  const rows = [['Guide (XMLTV)', `${base}/guide.xml`], ['Channel list (M3U, its url-tvg is the guide)', `${base}/channels.m3u`], ['HDHomeRun tuner (Plex, Jellyfin, Emby)', `${base}/hdhr`], ['Its discover URL', `${base}/hdhr/discover.json`]]
  return html`<dl id="feed-urls">${rows.map(([label, url]) => html`<dt>${label}</dt><dd><code>${url}</code></dd>`)}</dl>`
}

function Feeds () {
  const [list, setList] = useState(/** @type {FeedTokenList | ApiError | null} */ (null))
  const [created, setCreated] = useState(/** @type {FeedTokenCreated | null} */ (null))
  const [status, setStatus] = useState(/** @type {string | ApiError} */ (''))
  const [saved, setSaved] = useState(savedFeedToken())
  const refresh = () => api('/api/feed-tokens').then(setList, setList)
  useEffect(() => { refresh() }, [])

  /** @param {Event} e */
  async function create (e) {
    e.preventDefault()
    const input = /** @type {HTMLInputElement} */ (document.getElementById('feed-name'))
    try {
      /** @type {FeedTokenCreated} */
      const answer = await api('/api/feed-tokens', { method: 'POST', body: { name: input.value.trim() } })
      setCreated(answer)
      const kept = { id: answer.id, name: answer.name, token: answer.token }
      saveFeedToken(kept)
      setSaved(kept)
      setStatus('')
      input.value = ''
      refresh()
    } catch (err) {
      setStatus(/** @type {ApiError} */ (err))
    }
  }

  /** @param {{ id: string, name: string }} token */
  async function revoke ({ id, name }) {
    if (!confirm(`Revoke the feed token "${name}"? Every app using it loses its feeds at once.`)) return
    try {
      await api(`/api/feed-tokens/${encodeURIComponent(id)}`, { method: 'DELETE', raw: true })
      if (savedFeedToken()?.id === id) { saveFeedToken(null); setSaved(null) }
      if (created?.id === id) setCreated(null)
      // The list is read again before the status speaks, so "Revoked" never sits beside the row.
      await refresh()
      setStatus(`Revoked "${name}".`)
    } catch (err) {
      setStatus(/** @type {ApiError} */ (err))
    }
  }

  return html`<h2>Feeds</h2>
    <p class="meta">IPTV apps and tuners cannot send an API key: a feed token in the address opens the guide, the channel list and the HDHomeRun tuner, and nothing else. Only admins make and revoke them.</p>
    <section aria-labelledby="feed-new-title"><h3 id="feed-new-title">New feed token</h3>
      <form class="form-row" id="feed-form" onSubmit=${create}>
        <label for="feed-name">For</label><input type="text" id="feed-name" required maxlength=${FEED_TOKEN_NAME_MAX} placeholder="e.g. Lobby TV, Plex" />
        <button type="submit" class="primary">Create</button>
      </form>
      <div aria-live="polite" id="feed-created">${created && html`<p role="status">The token for "${created.name}" is shown this once: <code id="feed-token-value">${created.token}</code>. This browser keeps it for the panel's guide links.</p>
        <${FeedUrls} token=${created.token} />`}</div>
      <div role="status" class="meta" id="feed-status">${status instanceof Error ? html`<${ErrorBox} error=${status} what="That" />` : status}</div>
    </section>
    <section aria-labelledby="feed-list-title"><h3 id="feed-list-title">Tokens</h3>
      ${list === null && html`<${Loading} what="feed tokens" />`}
      ${list instanceof Error && html`<${ErrorBox} error=${list} what="Listing feed tokens" />`}
      ${list !== null && !(list instanceof Error) && list.tokens.length === 0 && html`<${Empty} text="No feed tokens yet." />`}
      ${list !== null && !(list instanceof Error) && list.tokens.length > 0 && html`<table class="list" id="feed-tokens">
        <caption>${plural(list.tokens.length, 'feed token')}</caption>
        <${Head} columns=${COLUMNS} />
        <tbody>${list.tokens.map((k) => html`<tr data-id=${k.id}>${cells([
          saved?.id === k.id ? html`${k.name} <span class="meta">(this browser's links)</span>` : k.name,
          fmtDateTime(k.created), fmtDateTime(k.last_used),
          html`<button type="button" class="danger" onClick=${() => revoke(k)}>Revoke</button>`
        ], COLUMNS)}</tr>`)}</tbody>
      </table>`}
      ${saved && !created && html`<p class="meta">This browser's links use "${saved.name}": <a href=${feedPath('guide.xml')}>guide.xml</a>, <a href=${feedPath('channels.m3u')}>channels.m3u</a>.</p>`}
    </section>`
}

/** @param {Element} main */
export function feedsView (main) {
  render(html`<${Feeds} />`, main)
  return () => render(null, main)
}
