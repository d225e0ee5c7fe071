import t from 'tap'
import type { Locator, Page } from 'playwright-core'
import { join } from 'node:path'
import { SCREENSHOTS, launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import { serverClient } from './server-client.js'
import { m3u } from './channel-fixtures.js'
import type { Programme } from '../contract/programmes.js'

// Issue 23 item 4: the panel draws programmes. A London channel built for two days through the
// real API (films with breaks and a pad to the block's end, default filler around them), seen
// in chromium from a New York browser: the Events editor draws one box per programme with its
// breaks inside and a drag, a resize into its pad, an arrow key and Ctrl+Z act on the whole
// programme (PATCH …/programmes/:pid); the Guide shows one box per film and its date picker
// changes the day (kept in the address).

const KEY = 'programmes-panel-key-0123456789abcdef'
const DAY = '2027-01-13' // a Wednesday; London is on UTC in January
const NEXT = '2027-01-14'
const london = (day: string, hhmm: string): string => `${day}T${hhmm}:00.000Z`
const MINUTE = 60_000

t.test('the panel draws and edits programmes', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ops:operator:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const { call, playlist } = serverClient(t, server.url, KEY)
  const films = await playlist('films', m3u(30, 'Feature', 5400, 'Films'))
  const promos = await playlist('promos', m3u(20, 'Promo', 120, 'Promos'))
  const loops = await playlist('loops', m3u(20, 'Loop', 600, 'Loops'))
  const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number: '5', name: 'Riverside TV', timezone: 'Europe/London', default_filler: loops, filler_title: 'Riverside TV — overnight' }) })
  t.equal(created.status, 201)
  const channel = (await created.json()).channel as { id: string }
  const template = {
    blocks: [{ id: 'films', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '20:00', end: '23:00', source: { playlist: films }, order: 'shuffle', fill: 'pad', filler: promos, breaks: { every_minutes: 20, max_seconds: 120, filler: promos } }]
  }
  t.equal((await call(`/api/channels/${channel.id}/template`, { method: 'PUT', body: JSON.stringify(template) })).status, 200)
  t.equal((await call(`/api/channels/${channel.id}/build`, { method: 'POST', body: JSON.stringify({ from: DAY, to: NEXT, seed: 'panel' }) })).status, 201)

  const programmesOf = async (from: string, to: string): Promise<Programme[]> => {
    const res = await call(`/api/channels/${channel.id}/programmes?from=${from}&to=${to}`)
    t.equal(res.status, 200)
    return (await res.json()).programmes
  }
  const filmOf = async (day: string): Promise<Programme> => {
    const film = (await programmesOf(london(day, '19:00'), london(day, '23:00'))).find((p) => p.kind === 'item' && p.segments.some((s) => s.role === 'break'))
    t.ok(film, `a film with breaks on ${day}`)
    return film!
  }
  const byId = async (id: string): Promise<Programme> => (await programmesOf(london(DAY, '12:00'), london(NEXT, '12:00'))).find((p) => p.id === id)!
  const film = await filmOf(DAY)
  // Breaks as a viewer counts them: back-to-back break clips are one break.
  const breaks = film.segments.filter((s, i) => s.role === 'break' && !(film.segments[i - 1]?.role === 'break' && film.segments[i - 1].end === s.start)).length
  const shifted = (p: Programme, ms: number): string[] => p.segments.map((s) => `${Date.parse(s.start) + ms}-${Date.parse(s.end) + ms}-${s.role}-${s.in_ms}-${s.out_ms}`)

  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'America/New_York' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)

  /** The box of a programme by its exact title (titles "Feature 1" and "Feature 12" must not match each other). */
  const box = (where: string, title: string): Locator => page.locator(`${where} .ec-event`, { has: page.locator('.box-title', { hasText: new RegExp(`^${title}$`) }) })
  const revision = async (): Promise<number> => Number((await page.locator('#edit-revision').textContent())?.replace(/\D+/g, ''))
  const landed = async (n: number): Promise<void> => { await page.locator('#edit-status', { hasText: `revision ${n},` }).waitFor() }
  const hourPixels = async (p: Page): Promise<number> => p.evaluate(() => {
    const holder = [...document.querySelectorAll<HTMLElement>('#edit-calendar *')].find((el) => el.style.getPropertyValue('--ec-slot-height') !== '')
    return Number.parseFloat(holder!.style.getPropertyValue('--ec-slot-height')) * 2
  })

  await page.goto(`${server.url}/#/channels/${channel.id}?tab=events&date=${DAY}`)
  const filmBox = box('#edit-calendar', film.title)
  await filmBox.waitFor()

  await t.test('the Events editor: one box per programme, its breaks inside, filler as a strip, a legend', async (t) => {
    t.equal(await filmBox.count(), 1, 'the film with its breaks is one box')
    t.equal(await filmBox.locator('.band-break').count(), breaks, 'each break drawn inside it')
    t.ok(await filmBox.locator('.band-pad').count() > 0, 'and its pad')
    t.match(await filmBox.getAttribute('aria-label'), new RegExp(`^${film.title}, 20:00:00 to \\d\\d:\\d\\d:\\d\\d \\(`), 'named with its London times to the second')
    await page.locator('#edit-calendar .ec-event.kind-filler').first().waitFor()
    t.match((await page.locator('#edit-calendar .ec-event.kind-filler').first().textContent())?.trim(), /^Riverside TV — overnight \d\d:\d\d · \d+ clips$/,
      'the default filler as a strip titled by the channel\'s filler_title, its clips counted')
    t.match(await page.locator('#edit-legend').textContent(), /Films.*Filler/, 'the legend names the colours')
    await filmBox.evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await screenshot(page, 'panel-programmes-events')
    await page.screenshot({ path: join(SCREENSHOTS, 'panel-programmes-events-1366x768.png') }) // the window as a user sees it
  })

  await t.test('dragging the film moves the programme whole: every segment, breaks and pad, 10 minutes later', async (t) => {
    const before = await revision()
    const hour = await hourPixels(page)
    await filmBox.evaluate((el) => el.scrollIntoView({ block: 'center' }))
    const at = (await filmBox.boundingBox())!
    const [x, y] = [at.x + at.width / 2, at.y + 12]
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x, y + hour / 12, { steps: 4 })
    await page.mouse.move(x, y + hour / 6, { steps: 4 })
    await page.mouse.up()
    await landed(before + 1)
    const moved = await byId(film.id)
    t.same(shifted(moved, 0), shifted(film, 10 * MINUTE), 'each segment 10 minutes later, in and out points kept')
    t.equal(moved.pinned, true, 'and pinned')
  })

  await t.test('resizing its end up into the pad trims the pad, not the film', async (t) => {
    const before = await revision()
    const hour = await hourPixels(page)
    const moved = await byId(film.id)
    // In the middle of the view: a pointer held near the calendar's edge scrolls it (the calendar's dragScroll).
    await filmBox.evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await filmBox.hover()
    const at = (await filmBox.boundingBox())!
    const grip = (await filmBox.locator('.ec-resizer').last().boundingBox())!
    const x = grip.x + grip.width / 2
    const y = Math.max(grip.y, at.y + at.height - hour / 24) // in the last 5-minute snap (23:05–23:10)
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x, y - hour / 4, { steps: 4 })
    await page.mouse.move(x, y - hour / 2, { steps: 4 })
    await page.mouse.up()
    await landed(before + 1)
    const trimmed = await byId(film.id)
    t.equal(trimmed.end, london(DAY, '22:40'), 'its end half an hour earlier')
    const parts = (p: Programme): string[] => p.segments.filter((s) => s.role !== 'pad').map((s) => `${s.start}-${s.end}-${s.in_ms}-${s.out_ms}`)
    t.same(parts(trimmed), parts(moved), 'the film and its breaks as they were')
    t.ok(trimmed.segments.some((s) => s.role === 'pad'), 'some pad left')
    t.notMatch(await page.locator('#edit-status').textContent(), /ITEM_CUT|cut/i, 'nothing of the film cut')
  })

  await t.test('Ctrl+Z undoes the resize; an arrow key moves the programme whole', async (t) => {
    const before = await revision()
    const moved = await byId(film.id)
    await page.locator('#edit-calendar').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('Control+z')
    await landed(before + 1)
    const undone = await byId(film.id)
    t.equal(undone.end, london(DAY, '23:10'), 'the end back where the drag left it')
    await filmBox.focus()
    await page.keyboard.press('ArrowDown')
    await landed(before + 2)
    t.same(shifted(await byId(film.id), 0), shifted(undone, 5 * MINUTE), 'five minutes later, whole')
    t.ok(moved.end !== undefined)
  })

  await t.test('the Guide: one box per film, the date picker changes the day and the address', async (t) => {
    await page.goto(`${server.url}/#/guide?date=${DAY}`)
    t.equal(await page.locator('#guide-date').inputValue(), DAY, 'the picker shows the day asked for')
    const guideFilm = box('#guide-grid', film.title)
    await guideFilm.waitFor()
    t.equal(await guideFilm.count(), 1, 'the film is one box, however many breaks')
    t.equal(await guideFilm.locator('.band-break').count(), breaks, 'its breaks drawn inside it')
    await page.locator('#guide-legend', { hasText: 'Films' }).waitFor()

    const next = await filmOf(NEXT)
    await page.locator('#guide-date').fill(NEXT)
    await page.locator('#guide-date').dispatchEvent('change')
    await box('#guide-grid', next.title).waitFor()
    t.equal(await box('#guide-grid', next.title).count(), 1, 'the next day\'s film, one box')
    t.match(page.url(), new RegExp(`date=${NEXT}$`), 'the address has the day')
    await screenshot(page, 'panel-programmes-guide') // a day as built, no edit on it
    await page.screenshot({ path: join(SCREENSHOTS, 'panel-programmes-guide-1366x768.png') })
  })

  t.same(problems, [], 'no page error')
})
