import t from 'tap'
import { axeViolations, launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import { serverClient } from './server-client.js'
import { m3u } from './channel-fixtures.js'
import type { BuildDryRun, ChannelEvent } from '../contract/api.js'

// Issue 27 item 2: the Build tab's preview of 14 days draws programmes, not segments. A London
// channel of short clips at night (170 s each, so one straddles the spring-forward change),
// kids' shows by day, films with breaks in the evening, a block of items of unknown length
// aired as assume_seconds, idents as default filler; previewed over the fortnight that holds
// the clocks going forward (Sunday 28 March 2027, 01:00 GMT → 02:00 BST).

const KEY = 'preview-panel-key-0123456789abcdef'
const [FROM, TO] = ['2027-03-22', '2027-04-04'] // Monday to Sunday, two weeks
const WEEK_END = Date.parse('2027-03-28T23:00:00Z') // Monday 29 March 00:00 BST

/** The programmes the preview must draw in the first week: one per programme_id, a run of default filler one strip. */
function expectedBoxes (events: ChannelEvent[]): number {
  const programmes = new Map<string, ChannelEvent[]>()
  for (const e of events) {
    if (Date.parse(e.start) >= WEEK_END) continue
    const id = e.programme_id ?? e.id
    programmes.set(id, [...programmes.get(id) ?? [], e])
  }
  const ordered = [...programmes.values()].sort((a, b) => Date.parse(a[0].start) - Date.parse(b[0].start))
  let boxes = 0
  let fillerEnd: number | null = null
  for (const segments of ordered) {
    const filler = segments.every((e) => e.origin !== null && e.origin.kind !== 'item' && e.origin.kind !== 'fixed')
    if (!filler || fillerEnd !== Date.parse(segments[0].start)) boxes++
    fillerEnd = filler ? Math.max(...segments.map((e) => Date.parse(e.end))) : null
  }
  return boxes
}

t.test('the build preview', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ops:operator:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const { call, playlist } = serverClient(t, server.url, KEY)
  const clips = await playlist('clips', m3u(120, 'Clip', 170, 'Music'))
  const kids = await playlist('kids', m3u(40, 'Cartoon', 1500, 'Kids'))
  const films = await playlist('films', m3u(20, 'Film', 5400, 'Film'))
  const idents = await playlist('idents', m3u(20, 'Ident', 45, 'Idents'))
  const unknown = await playlist('unknown', ['#EXTM3U', '#EXTINF:-1 group-title="Talk",Talk one', 'https://cdn.example/talk-1.mp4', '#EXTINF:-1 group-title="Talk",Talk two', 'https://cdn.example/talk-2.mp4', ''].join('\n'))
  const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number: '9', name: 'Preview TV', timezone: 'Europe/London', default_filler: idents, build_ahead_days: 0 }) })
  t.equal(created.status, 201)
  const channel = (await created.json()).channel as { id: string }
  const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  const breaks = { every_minutes: 20, max_seconds: 90, filler: idents }
  const template = {
    cooldown_hours: 0,
    blocks: [
      { id: 'night', days: every, start: '00:00', end: '06:00', source: { playlist: clips }, order: 'shuffle', fill: 'pad', filler: idents },
      { id: 'kids', days: every, start: '06:00', end: '12:00', source: { playlist: kids }, order: 'shuffle', fill: 'pad', filler: idents },
      { id: 'talk', days: every, start: '12:00', end: '13:00', source: { playlist: unknown }, order: 'sequential', fill: 'pad', filler: idents, assume_seconds: 1200 },
      { id: 'films', days: every, start: '18:00', end: '23:00', source: { playlist: films }, order: 'shuffle', fill: 'pad', filler: idents, breaks }
    ]
  }
  t.equal((await call(`/api/channels/${channel.id}/template`, { method: 'PUT', body: JSON.stringify(template) })).status, 200)
  // What the preview must show, from the same dry run through the API (same seed, same events).
  const dry = await call(`/api/channels/${channel.id}/build`, { method: 'POST', body: JSON.stringify({ from: FROM, to: TO, seed: 'preview', dry_run: true, programmes: true }) })
  t.equal(dry.status, 200)
  const answer = await dry.json() as BuildDryRun
  t.ok(answer.stats.items_assumed > 0, 'the talk block airs items of assumed length')
  const boxes = expectedBoxes(answer.events)
  const weekEvents = answer.events.filter((e) => Date.parse(e.start) < WEEK_END).length
  t.ok(boxes < weekEvents * 0.8, `programmes (${boxes}) are fewer than the week's segments (${weekEvents})`)

  const browser = await launchBrowser(t)
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' })).newPage()
  const problems = watchPage(page, server.url)
  let builds = 0
  page.on('request', (r) => { if (r.url().endsWith(`/api/channels/${channel.id}/build`)) builds++ })
  await page.goto(`${server.url}/#key=${KEY}`)
  await page.goto(`${server.url}/#/channels/${channel.id}?tab=build`)
  await page.locator('#build-from').fill(FROM)
  await page.locator('#build-to').fill(TO)
  await page.locator('#build-seed').fill('preview')
  await page.locator('#build-preview-button').click()
  await page.locator('#build-preview .preview-box').first().waitFor()

  t.test('one box per programme, not per segment', async (t) => {
    const ids = await page.locator('#build-preview .preview-box').evaluateAll((els) => new Set(els.map((el) => (el as HTMLElement).dataset.id)).size)
    t.equal(ids, boxes, 'the first week\'s programmes, filler runs as one strip each')
    t.equal(await page.locator('#build-preview-count').getAttribute('data-programmes'), String(boxes))
    t.match(await page.locator('#build-legend').innerText(), /Film[\s\S]*Kids[\s\S]*Music[\s\S]*Talk/, 'the legend names the categories')
    t.equal(await page.locator('[data-stat="items_assumed"]').innerText(), answer.stats.items_assumed.toLocaleString('en-GB'), 'items of assumed length among the stats')
  })

  t.test('the spring-forward Sunday: the skipped hour is marked in words, nothing drawn in it', async (t) => {
    const marker = page.locator('#clock-change-2027-03-28')
    t.equal(await marker.innerText(), 'Clock change: 01:00–02:00 does not exist')
    const hour = (await marker.boundingBox())!
    const sunday = await page.locator('ol[data-day="2027-03-28"] .preview-box').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ y: r.y, height: r.height })))
    t.ok(sunday.length > 0)
    t.notOk(sunday.some((b) => b.y < hour.y + hour.height - 0.5 && b.y + b.height > hour.y + 0.5), 'no box in the hour that does not exist')
    // The clip across the change is drawn either side of it, and its label says its seconds
    // (found by title: each dry run names its programmes afresh).
    const across = answer.events.find((e) => e.start < '2027-03-28T01:00:00Z' && e.end > '2027-03-28T01:00:00Z')!
    t.ok(across, 'a clip airs across the change')
    const labels = await page.locator('ol[data-day="2027-03-28"] .preview-box').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))
    const label = labels.find((l) => l?.startsWith(`${across.title},`)) ?? null
    t.match(label, /^Clip \d+, 00:5\d:\d\d to 02:0\d:\d\d \(2 minutes 50 seconds\)/)
    await screenshot(page, 'build-preview-week')
  })

  t.test('a box clicked says its whole title and times; a day\'s heading lists its programmes, from the keyboard too', async (t) => {
    const sunday = page.locator('ol[data-day="2027-03-28"]')
    const sliver = sunday.locator('.preview-box.sliver').first()
    const label = (await sliver.getAttribute('aria-label'))!
    t.equal(await sliver.innerText(), '', 'a sliver has no room for its title')
    await sliver.dispatchEvent('click') // a sliver a pixel high: the click is its own, not its neighbour's at a rounded pixel
    await page.locator('#build-preview .preview-box.chosen').waitFor()
    t.equal(await page.locator('#build-preview-chosen').innerText(), label, 'said above the grid: title, times to the second, length')
    t.equal(await page.locator('#build-preview .preview-box.chosen').getAttribute('aria-label'), label, 'and marked in the grid')

    const head = page.locator('#build-preview .preview-day-head button').nth(6) // Sunday's
    const count = Number((await head.innerText()).replace(/.*·\s*/s, ''))
    await head.focus()
    await page.keyboard.press('Enter')
    const title = page.locator('#build-preview-day-title')
    await title.waitFor()
    t.equal(await head.getAttribute('aria-expanded'), 'true')
    t.match(await title.innerText(), /^Sunday 28 March: \d+ programmes$/, 'the day, named in full')
    t.equal(await page.evaluate(() => document.activeElement?.id), 'build-preview-day-title', 'the focus goes to the list')
    const items = page.locator('#build-preview-day-list li')
    t.equal(await items.count(), count, 'as many programmes as its column shows')
    const sliverTitle = label.slice(0, label.indexOf(','))
    t.ok((await items.locator('.running-title').allInnerTexts()).includes(sliverTitle), `the sliver's programme (${sliverTitle}) is in it`)
    t.equal(await page.locator('#build-preview-day-list li.now').count(), 0, 'a preview marks nothing on air')
    await screenshot(page, 'build-preview-day-list')
  })

  t.test('the Build tab passes axe', async (t) => {
    t.same(await axeViolations(page), [])
  })

  t.test('the second week, then storing the build shown', async (t) => {
    const first = await page.locator('#build-preview-count').innerText()
    await page.locator('#build-week-next').click()
    await page.waitForFunction((before) => document.querySelector('#build-preview-count')?.textContent !== before, first)
    t.match(await page.locator('#build-preview-count').innerText(), /^Week of 2027-03-29/)
    // Past the dry run's first 5,000 events: the week is drawn to the range's end (Sunday 4 April, 24:00 BST).
    t.ok(answer.events_total > answer.events.length, `more events (${answer.events_total}) than a dry run lists (${answer.events.length})`)
    const last = answer.programmes!.at(-1)!
    t.equal(last.end, answer.programmes!.reduce((end, p) => (p.end > end ? p.end : end), ''), 'the briefs end with the last programme')
    t.ok(Date.parse(last.end) >= Date.parse('2027-04-04T22:30:00Z'), `the range's last programme ends near its end (${last.end})`)
    const sunday = page.locator('ol[data-day="2027-04-04"]')
    const column = (await sunday.boundingBox())!
    const bottom = Math.max(...await sunday.locator('.preview-box').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().bottom)))
    t.ok(bottom >= column.y + column.height * (22.5 / 24), 'the last Sunday is drawn to its last half hour')
    t.ok(await page.locator('#build-week-next').isDisabled(), 'no week after the range')
    await page.locator('#build-store').click()
    await page.locator('#build-stored').waitFor()
    t.match(await page.locator('#build-stored').innerText(), new RegExp(`${answer.stats.events.toLocaleString('en-GB')} events`), 'the stored build has the preview\'s events')
    t.notMatch(await page.locator('#build-stored').innerText(), /The preview had/)
    t.ok(await page.locator('#build-preview .preview-box').count() > 0, 'the preview stays drawn')
    t.equal(builds, 2, 'one dry run, one store: the preview is not fetched again')
    const stored = await call(`/api/channels/${channel.id}/programmes?from=2027-03-22T00:00:00Z&to=2027-03-22T06:00:00Z`)
    t.equal(stored.status, 200)
    t.same((await stored.json()).programmes[0].title, answer.events[0].title, 'what is stored is what was shown')
  })

  t.same(problems, [], 'no console errors or failed requests')
})
