// @ts-check
// #/channels/<id>?tab=…: one channel, its details and its programming, a tab each.
import { api } from '../../api.js'
import { html, render, useEffect, useState } from '../../preact.js'
import { ChannelForm } from './form.js'
import { ApiProblem, usePlaylists } from './data.js'
import { TemplateTab } from './template.js'
import { OverridesTab } from './overrides.js'
import { BuildTab } from './build.js'
import { ExportsTab } from './exports.js'
import { EventsTab } from './events.js'
import { PublishSection } from './publish.js'
import { RunningOrderTab } from './running-order.js'

/** @typedef {import('../../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../../contract/api.js').ChannelAnswer} ChannelAnswer */
/** @typedef {import('../../api.js').ApiError} ApiError */

const TABS = [['running', 'Running order'], ['template', 'Template'], ['overrides', 'Overrides'], ['build', 'Build'], ['events', 'Events'], ['exports', 'Exports'], ['details', 'Details']]

/**
 * The tab a bare link opens: on a phone (style.css's narrow width) the running order, what an
 * operator checks from a phone; elsewhere the template, where a channel is made (issue 27).
 */
const defaultTab = () => (window.matchMedia('(max-width: 40rem)').matches ? 'running' : 'template')

/** @param {{ id: string, tab: string | null, date: string | null }} props */
function ChannelPage ({ id, tab, date }) {
  const [channel, setChannel] = useState(/** @type {Channel | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const playlists = usePlaylists()
  useEffect(() => { api(`/api/channels/${id}`).then((/** @type {ChannelAnswer} */ answer) => setChannel(answer.channel)).catch(setError) }, [id])
  if (error) return html`<h2>Channel</h2><${ApiProblem} error=${error} what="Opening the channel" />`
  if (channel === null) return html`<p class="state loading" role="status">Loading the channel…</p>`
  const shown = TABS.some(([name]) => name === tab) ? tab : defaultTab()

  async function remove () {
    if (channel === null) return
    if (!confirm(`Delete the channel ${channel.number} "${channel.name}"? Its built events go; schedules placed on it stay.`)) return
    try { await api(`/api/channels/${id}`, { method: 'DELETE' }); location.hash = '#/channels' } catch (err) { setError(err) }
  }
  return html`<h2 id="channel-title">${channel.number} · ${channel.name}</h2>
    <p class="meta">Times are ${channel.timezone} wall times · XMLTV id <code>${channel.xmltv_id}</code> · <a href="#/channels">all channels</a> · <a href="#/guide">guide</a></p>
    <nav class="tabs" aria-label="Channel">
      ${TABS.map(([name, label]) => html`<a href=${`#/channels/${id}?tab=${name}`} id=${`tab-${name}`} aria-current=${name === shown ? 'page' : undefined}>${label}</a>`)}
    </nav>
    ${shown === 'running' && html`<${RunningOrderTab} channel=${channel} />`}
    ${shown === 'template' && html`<${TemplateTab} channel=${channel} playlists=${playlists} />`}
    ${shown === 'overrides' && html`<${OverridesTab} channel=${channel} playlists=${playlists} />`}
    ${shown === 'build' && html`<${BuildTab} channel=${channel} />`}
    ${shown === 'events' && html`<${EventsTab} channel=${channel} date=${date} />`}
    ${shown === 'exports' && html`<${ExportsTab} channel=${channel} />`}
    ${shown === 'details' && html`<section aria-labelledby="channel-edit-title">
      <h3 id="channel-edit-title">Details</h3>
      <${ChannelForm} channel=${channel} playlists=${playlists} onSaved=${setChannel} />
      <div class="toolbar"><button type="button" class="danger" onClick=${remove}>Delete channel</button></div>
    </section>`}
    ${shown === 'details' && html`<${PublishSection} channel=${channel} />`}`
}

/** @param {Element} main @param {string[]} ids @param {URLSearchParams} params */
export function channelView (main, [id], params) {
  render(html`<${ChannelPage} id=${id} tab=${params.get('tab')} date=${params.get('date')} />`, main)
  return () => render(null, main)
}
