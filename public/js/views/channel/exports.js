// @ts-check
// The exports tab: the channel's documents for a range of its local days (SPEC §11).
import { download } from '../../api.js'
import { html, useEffect, useState } from '../../preact.js'
import { addDays, todayIn } from '../../calendar.js'
import { exportFormats } from '../../formats.js'

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
    try {
      setStatus(`Downloaded ${await download(`/api/channels/${channel.id}/export?format=${format}&${query}`)}`)
    } catch (err) {
      setStatus(`${format} failed: ${err.message}${err.requestId ? ` (request id ${err.requestId})` : ''}`)
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
    <p class="meta">Every channel at once: <a href="/api/guide.xml">guide.xml</a> and <a href="/api/channels.m3u">channels.m3u</a> (for guide clients and IPTV players).</p>
  </section>`
}
