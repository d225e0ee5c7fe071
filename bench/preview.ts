import type { Channel } from '../contract/api.js'
import { launchChromium } from './chromium.js'
import { fmt, median } from './measure.js'
import { BENCH_KEY, send, startBenchServer, type BenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 27 item 2: a 14-day build preview of a dense channel (short clips most of the day,
// about a thousand events a day) in headless chromium, from the Preview click to the week
// drawn, beside the API dry run of the same 14 days (the panel's request, `programmes: true`:
// every programme in brief, its answer read whole), then "Next week" to the second week drawn to
// the range's end. Target ≤ 2×.

const DAYS = 14
const RUNS = Number(process.env.PREVIEW_RUNS ?? 3)
const TARGET = 2

/** `n` clips of 30–150 s (music videos, promos) or of `minutes` ± in `group`. */
function clips (n: number, prefix: string, group: string, seconds: (i: number) => number): string {
  const m3u = ['#EXTM3U']
  for (let i = 0; i < n; i++) m3u.push(`#EXTINF:${seconds(i)} group-title="${group}",${prefix} ${i + 1}`, `https://cdn.example/${prefix.toLowerCase()}-${i}.mp4`)
  return m3u.join('\n')
}

/** The dense channel: music clips day and night, kids' shorts with breaks, evening films with breaks; idents as default filler. */
export async function denseChannel (server: BenchServer, number: string): Promise<Channel> {
  const playlist = async (name: string, m3u: string): Promise<string> =>
    (await server.post<{ playlist: { id: string } }>(`/api/playlists/import?name=${name}`, m3u, 'audio/x-mpegurl')).playlist.id
  const music = await playlist('music', clips(600, 'Clip', 'Music', (i) => 40 + (i % 13) * 10))
  const kids = await playlist('kids', clips(200, 'Cartoon', 'Kids', (i) => 180 + (i % 9) * 30))
  const films = await playlist('films', clips(120, 'Film', 'Film', (i) => 3600 + (i % 7) * 600))
  const idents = await playlist('idents', clips(60, 'Ident', 'Idents', (i) => 20 + (i % 5) * 5))
  const breaks = { every_minutes: 10, max_seconds: 90, filler: idents }
  const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  const { channel } = await send<{ channel: Channel }>(server, 'POST', '/api/channels', { number, name: `Dense ${number}`, timezone: 'Europe/London', default_filler: idents })
  await send(server, 'PUT', `/api/channels/${channel.id}/template`, {
    cooldown_hours: 1,
    blocks: [
      { id: 'night', days: every, start: '00:00', end: '07:00', source: { playlist: music }, order: 'shuffle', fill: 'pad', filler: idents, cooldown_hours: 0 },
      { id: 'kids', days: every, start: '07:00', end: '12:00', source: { playlist: kids }, order: 'shuffle', fill: 'pad', filler: idents, breaks, cooldown_hours: 0 },
      { id: 'day', days: every, start: '12:30', end: '19:00', source: { playlist: music }, order: 'shuffle', fill: 'pad', filler: idents, cooldown_hours: 0 },
      { id: 'films', days: every, start: '20:00', end: '23:30', source: { playlist: films }, order: 'shuffle', fill: 'pad', filler: idents, breaks, cooldown_hours: 0 }
    ]
  })
  return channel
}

export async function benchPreview (): Promise<void> {
  const server = await startBenchServer({ LOG_LEVEL: 'warn' })
  const browser = await launchChromium((problem) => console.error(problem))
  try {
    const channel = await denseChannel(server, '27')
    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const to = new Date(Date.now() + DAYS * 86_400_000).toISOString().slice(0, 10)
    const body = { from, to, seed: 'bench', dry_run: true, programmes: true }
    /** The API dry run, its answer read and parsed whole (as the panel must). */
    const apiRun = async (): Promise<{ ms: number, bytes: number, events: number, programmes: number }> => {
      const t0 = performance.now()
      const res = await fetch(`${server.url}/api/channels/${channel.id}/build`, { method: 'POST', headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const text = await res.text()
      const answer = JSON.parse(text) as { events_total: number, programmes_total: number }
      return { ms: performance.now() - t0, bytes: text.length, events: answer.events_total, programmes: answer.programmes_total }
    }
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage()
    /** From the Preview click to the preview drawn (its boxes in the grid). */
    const panelRun = async (): Promise<{ ms: number, boxes: number, nextMs: number, nextBoxes: number }> => {
      await page.goto(`${server.url}/#key=${BENCH_KEY}`)
      await page.goto(`${server.url}/#/channels/${channel.id}?tab=build`)
      await page.locator('#build-from').fill(from)
      await page.locator('#build-to').fill(to)
      await page.locator('#build-seed').fill('bench')
      const t0 = performance.now()
      await page.locator('#build-preview-button').click()
      await page.locator('#build-preview .preview-box').first().waitFor({ timeout: 600_000 })
      await page.evaluate(async () => await new Promise((resolve) => requestAnimationFrame(() => resolve(null)))) // one frame: drawn on screen
      const ms = performance.now() - t0
      const boxes = await page.locator('#build-preview .preview-box').count()
      // The last week, to the range's end (beyond the dry run's first 5,000 events).
      const t1 = performance.now()
      while (await page.locator(`ol[data-day="${to}"]`).count() === 0) { // 14 days may span three Monday–Sunday weeks
        const shown = await page.locator('#build-preview-count').innerText()
        await page.locator('#build-week-next').click()
        await page.waitForFunction((before) => document.querySelector('#build-preview-count')?.textContent !== before, shown)
      }
      await page.locator(`ol[data-day="${to}"] .preview-box`).last().waitFor()
      await page.evaluate(async () => await new Promise((resolve) => requestAnimationFrame(() => resolve(null))))
      return { ms, boxes, nextMs: performance.now() - t1, nextBoxes: await page.locator('#build-preview .preview-box').count() }
    }
    const api = []
    const panel = []
    for (let i = 0; i < RUNS; i++) {
      api.push(await apiRun())
      panel.push(await panelRun())
    }
    const apiMs = median(api.map((r) => r.ms))
    const panelMs = median(panel.map((r) => r.ms))
    console.log(`\n## Build preview (issue 27), ${DAYS} days of a dense channel, headless chromium 1366×768, median of ${RUNS}`)
    console.log(`baseline: API dry run with programmes (${api[0].events.toLocaleString('en')} events, ${api[0].programmes.toLocaleString('en')} programmes, ${fmt(api[0].bytes / 1e6, 1)} MB answer read and parsed)  ${fmt(apiMs, 0).padStart(6)} ms  (runs ${api.map((r) => fmt(r.ms, 0)).join(', ')})`)
    console.log(`panel: Preview click → week drawn (${panel[0].boxes} boxes)                 ${fmt(panelMs, 0).padStart(6)} ms  (${ratioText(panelMs, apiMs)} the API; target ≤ ${TARGET}×: ${panelMs <= TARGET * apiMs ? 'met' : 'MISSED'}; runs ${panel.map((r) => fmt(r.ms, 0)).join(', ')})`)
    console.log(`panel: Next week → last week drawn to ${to} (${panel[0].nextBoxes} boxes)        ${fmt(median(panel.map((r) => r.nextMs)), 0).padStart(6)} ms  (runs ${panel.map((r) => fmt(r.nextMs, 0)).join(', ')})`)
    report({ measure: `panel: ${DAYS}-day build preview, click → drawn, median of ${RUNS}`, value: `${fmt(panelMs, 0)} ms`, baseline: `${fmt(apiMs, 0)} ms API dry run`, ratio: ratioText(panelMs, apiMs), target: `≤ ${TARGET}×`, met: panelMs <= TARGET * apiMs })
  } finally {
    await browser.close()
    await server.close()
  }
}
