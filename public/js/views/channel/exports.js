// @ts-check
// The exports tab: the channel's documents for a range of its local days (SPEC §11).
import { download } from '../../api.js'
import { html, useEffect, useState } from '../../preact.js'
import { addDays, todayIn } from '../../calendar.js'
import { exportFormats } from '../../formats.js'
import { feedPath } from '../../feed-token.js'

/** @typedef {import('../../formats.js').ExportFormatDescriptor} ExportFormatDescriptor */

/** @param {{ channel: import('../../../../contract/api.js').Channel }} props */
export function ExportsTab ({ channel }) {
  const today = todayIn(channel.timezone)
  const [range, setRange] = useState({ from: today, to: addDays(today, 6) })
  const [status, setStatus] = useState('')
  // The channel's export formats as the service describes them (GET /api/meta, formats.js).
  const [formats, setFormats] = useState(/** @type {ExportFormatDescriptor[]} */ ([]))
  useEffect(() => {
    exportFormats('channel').then(setFormats, (err) => setStatus(`The export formats could not be read: ${err.message}`))
  }, [])
  /** @param {ExportFormatDescriptor} descriptor */
  async function get ({ id: format, span }) {
    // A day format's document is one local day: the first date.
    const query = span === 'day' ? `date=${range.from}` : `from=${range.from}&to=${range.to}`
    await fetchDocument(`/api/channels/${channel.id}/export?format=${format}&${query}`, format)
  }
  /** @param {string} path @param {string} what */
  async function fetchDocument (path, what) {
    try {
      setStatus(`Downloaded ${await download(path)}`)
    } catch (err) {
      setStatus(`${what} failed: ${err.message}${err.requestId ? ` (request id ${err.requestId})` : ''}`)
    }
  }
  return html`<section aria-labelledby="exports-title">
    <h3 id="exports-title">Exports</h3>
    <div class="form-row">
      <label for="export-from">From</label><input type="date" id="export-from" value=${range.from} onInput=${(/** @type {InputEvent & { currentTarget: HTMLInputElement }} */ e) => setRange({ ...range, from: e.currentTarget.value })} />
      <label for="export-to">To (included)</label><input type="date" id="export-to" value=${range.to} onInput=${(/** @type {InputEvent & { currentTarget: HTMLInputElement }} */ e) => setRange({ ...range, to: e.currentTarget.value })} />
    </div>
    <p class="meta">Local days of ${channel.timezone}. Day playlists take the first date.</p>
    <div class="toolbar">${formats.map((f) => html`<button type="button" data-format=${f.id} onClick=${() => get(f)}>${f.label}</button>`)}</div>
    <p role="status" class="meta" id="export-status">${status}</p>
    <${FeedLinks} channel=${channel} onDownload=${fetchDocument} />
  </section>`
}

/**
 * The guide and channel list as IPTV apps fetch them: links under this browser's feed token
 * (made on the Feeds page), which open without the API key; without one, downloads with the key.
 * @param {{ channel: import('../../../../contract/api.js').Channel, onDownload: (path: string, what: string) => void }} props
 */
function FeedLinks ({ channel, onDownload }) {
  const guide = feedPath('guide.xml')
  if (guide === null) {
    return html`<p class="meta" id="feed-links">Every channel at once:
      <button type="button" onClick=${() => onDownload('/api/guide.xml', 'guide.xml')}>guide.xml</button>
      <button type="button" onClick=${() => onDownload('/api/channels.m3u', 'channels.m3u')}>channels.m3u</button>.
      For links an IPTV app can load, an admin makes a feed token on the <a href="#/feeds">Feeds</a> page.</p>`
  }
  return html`<p class="meta" id="feed-links">For guide clients and IPTV players (this browser's feed token):
    every channel, <a href=${guide}>guide.xml</a> and <a href=${feedPath('channels.m3u')}>channels.m3u</a>;
    this channel, <a href=${feedPath(`channels/${channel.id}/guide.xml`)}>guide.xml</a> and <a href=${feedPath(`channels/${channel.id}/channel.m3u`)}>channel.m3u</a>.
    <a href="#/feeds">Feeds</a></p>`
}
