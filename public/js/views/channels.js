// @ts-check
// #/channels: every channel, and a form to create one.
import { api } from '../api.js'
import { html, render, useEffect, useState } from '../preact.js'
import { plural } from '../ui.js'
import { ChannelForm } from './channel/form.js'
import { ApiProblem, usePlaylists } from './channel/data.js'

/** @typedef {import('../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../contract/api.js').ChannelList} ChannelListAnswer */
/** @typedef {import('../api.js').ApiError} ApiError */

function ChannelList () {
  const [channels, setChannels] = useState(/** @type {Channel[] | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const playlists = usePlaylists()
  const load = () => api('/api/channels').then((/** @type {ChannelListAnswer} */ answer) => setChannels(answer.channels)).catch(setError)
  useEffect(() => { load() }, [])

  return html`<h2>Channels</h2>
    <section aria-labelledby="channel-new-title">
      <h3 id="channel-new-title">New channel</h3>
      <${ChannelForm} channel=${null} playlists=${playlists} onSaved=${(/** @type {Channel} */ channel) => { location.hash = `#/channels/${channel.id}?tab=template` }} />
    </section>
    <section id="channel-list">
      ${error && html`<${ApiProblem} error=${error} what="Listing channels" />`}
      ${channels === null && !error && html`<p class="state loading" role="status">Loading channels…</p>`}
      ${channels?.length === 0 && html`<div class="state empty" id="channels-empty"><p>No channels yet. Create one above: a number, a name and a time zone are enough. You lay out its week next, on its Template tab.</p></div>`}
      ${channels !== null && channels.length > 0 && html`<table class="list">
        <caption>${plural(channels.length, 'channel')}</caption>
        <thead><tr><th scope="col">Number</th><th scope="col">Name</th><th scope="col">Time zone</th><th scope="col">Group</th><th scope="col">XMLTV id</th></tr></thead>
        <tbody>${channels.map((c) => html`<tr>
          <td data-label="Number">${c.number}</td>
          <td data-label="Name"><a href=${`#/channels/${c.id}`}>${c.name}</a></td>
          <td data-label="Time zone">${c.timezone}</td>
          <td data-label="Group">${c.group ?? ''}</td>
          <td data-label="XMLTV id"><code>${c.xmltv_id}</code></td></tr>`)}</tbody>
      </table>`}
    </section>`
}

/** @param {Element} main */
export function channelsView (main) {
  render(html`<${ChannelList} />`, main)
  return () => render(null, main)
}
