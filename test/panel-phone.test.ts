import t, { type Test } from 'tap'
import type { Locator } from 'playwright-core'
import { PHONE, axeViolations, launchBrowser, screenshot, scrollsSideways, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import { serverClient } from './server-client.js'
import { m3u } from './channel-fixtures.js'
import type { Programme } from '../contract/programmes.js'

// Issue 27 item 5: the panel on a phone (390×844). Two channels built through the real API over
// today and tomorrow (a London film channel, a Berlin news channel), the service's clock and the
// browser's moved to the same evening, seen from a London browser: the On-air page, a channel's
// running order (today and tomorrow, in the channel's zone, the programme on air marked; the
// page a bare channel link opens on a phone) and the guide (a list per channel on a phone) read
// whole without scrolling sideways, their controls big enough to touch and reachable by
// keyboard, and axe finds no WCAG 2.1 AA violation on them.

const KEY = 'phone-panel-key-0123456789abcdef'
const DAY = '2027-01-13' // a Wednesday; London is on UTC in January, Berlin an hour ahead
const NEXT = '2027-01-14'
const NOW = `${DAY}T18:40:00.000Z` // London 18:40, Berlin 19:40
const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

interface Built { id: string, number: string, name: string, timezone: string }

/** "20:05": an instant's wall time in `timeZone`. */
const hhmm = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso))
const airs = (p: Programme): boolean => Date.parse(p.start) <= Date.parse(NOW) && Date.parse(NOW) < Date.parse(p.end)

t.test('the panel on a phone', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ops:admin:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const { call, playlist } = serverClient(t, server.url, KEY)
  const films = await playlist('films', m3u(30, 'Feature', 5400, 'Films'))
  const bulletins = await playlist('bulletins', m3u(20, 'Bulletin', 1800, 'News'))
  const docs = await playlist('docs', m3u(20, 'Documentary', 3000, 'Docs'))
  const loops = await playlist('loops', m3u(20, 'Loop', 600, 'Loops'))

  /** A channel made, laid out every day with `blocks` and built over DAY and NEXT. */
  const channel = async (number: string, name: string, timezone: string, blocks: object[]): Promise<Built> => {
    const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number, name, timezone, default_filler: loops, filler_title: `${name} overnight`, build_ahead_days: 0 }) })
    t.equal(created.status, 201)
    const { id } = (await created.json()).channel as { id: string }
    t.equal((await call(`/api/channels/${id}/template`, { method: 'PUT', body: JSON.stringify({ blocks }) })).status, 200)
    t.equal((await call(`/api/channels/${id}/build`, { method: 'POST', body: JSON.stringify({ from: DAY, to: NEXT, seed: 'phone' }) })).status, 201)
    return { id, number, name, timezone }
  }
  const riverside = await channel('5', 'Riverside TV', 'Europe/London', [
    { id: 'films', days: everyDay, start: '16:00', end: '23:00', source: { playlist: films }, order: 'sequential', fill: 'pad', filler: loops }
  ])
  const harbour = await channel('8', 'Harbour News', 'Europe/Berlin', [
    { id: 'news', days: everyDay, start: '07:00', end: '09:00', source: { playlist: bulletins }, order: 'sequential', fill: 'pad', filler: loops },
    { id: 'docs', days: everyDay, start: '18:00', end: '22:00', source: { playlist: docs }, order: 'sequential', fill: 'pad', filler: loops }
  ])
  const channels = [riverside, harbour]
  t.equal((await call('/api/_clock', { method: 'PUT', body: JSON.stringify({ now: NOW }) })).status, 200)

  /** A channel's programmes (SPEC §14) in [from, to), every one: what the views must list. */
  const programmesOf = async (c: Built, from: string, to: string): Promise<Programme[]> => {
    const res = await call(`/api/channels/${c.id}/programmes?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=5000`)
    t.equal(res.status, 200)
    const page = await res.json() as { programmes: Programme[], next?: string }
    t.notOk(page.next, 'one page holds them')
    return page.programmes
  }
  /** A local midnight of `timeZone` as an instant (January: London +00:00, Berlin +01:00). */
  const midnight = (day: string, timeZone: string): string => new Date(`${day}T00:00:00${timeZone === 'Europe/Berlin' ? '+01:00' : 'Z'}`).toISOString()

  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: PHONE, timezoneId: 'Europe/London', locale: 'en-GB', hasTouch: true })
  const page = await context.newPage()
  await page.clock.setFixedTime(new Date(NOW)) // this browser's clock where the service's is: the guide's "now" is the viewer's
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)

  /** What sticks out of the page, for a failure message. */
  const wide = async (): Promise<string[]> => await page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}`))
  const fitsTheScreen = async (t: Test, what: string): Promise<void> => {
    t.equal(await scrollsSideways(page), false, `${what}: the page does not scroll sideways (${(await wide()).join(', ')})`)
  }
  /** Every target big enough for a finger: at least 24 × 24 CSS px (WCAG 2.5.8). */
  const touchable = async (t: Test, targets: Locator, what: string): Promise<void> => {
    const count = await targets.count()
    t.ok(count > 0, `${what}: there are some`)
    for (let i = 0; i < count; i++) {
      const box = (await targets.nth(i).boundingBox())!
      t.ok(box.width >= 24 && box.height >= 24, `${what} "${(await targets.nth(i).textContent())?.trim()}" is ${Math.round(box.width)}×${Math.round(box.height)} px`)
    }
  }
  /** axe's WCAG 2.1 AA rules over the page shown: every violation counts. */
  const accessible = async (t: Test, what: string): Promise<void> => {
    t.same(await axeViolations(page), [], `${what}: axe finds no WCAG 2.1 AA violation`)
  }
  /** The programmes a list shows (filler runs aside): each one's times and title. */
  const rows = async (list: Locator): Promise<string[]> => await list.locator('li:not(.kind-filler)').evaluateAll((items) =>
    items.map((li) => `${li.querySelector('.running-times')?.textContent} ${li.querySelector('.running-title')?.textContent}`))
  const expected = (programmes: Programme[], timeZone: string): string[] =>
    programmes.filter((p) => p.kind !== 'filler').map((p) => `${hhmm(p.start, timeZone)}–${hhmm(p.end, timeZone)} ${p.title}`)

  await t.test('On air: every channel\'s now, next and alarms on the screen\'s width', async (t) => {
    for (const c of channels) {
      const card = page.locator(`#on-air-${c.id}`)
      await card.locator('.now-title').waitFor()
      const onAir = (await programmesOf(c, midnight(DAY, c.timezone), midnight(NEXT, c.timezone))).find(airs)!
      t.equal(await card.locator('.now-title').textContent(), onAir.title, `${c.name} airs ${onAir.title}`)
      t.match(await card.locator('.on-air-part', { has: page.locator('h4', { hasText: 'Now' }) }).textContent(), `${hhmm(onAir.start, c.timezone)}–${hhmm(onAir.end, c.timezone)}`, 'in the channel\'s own time')
      t.ok(await card.getByRole('progressbar').isVisible(), 'its progress')
      t.ok(await card.locator('.alarms-none, .alarms').isVisible(), 'its alarms')
      const box = (await card.boundingBox())!
      t.ok(box.x >= 0 && box.x + box.width <= PHONE.width, 'the card fits the screen')
    }
    await fitsTheScreen(t, 'On air')
    await touchable(t, page.locator('header nav a, #key-button'), 'the menu entry')
    await touchable(t, page.locator('.on-air-card h3 a, .on-air-card .running-link'), 'the card\'s link')
    await accessible(t, 'On air')
    await screenshot(page, 'phone-on-air')
  })

  await t.test('a channel\'s running order: today and tomorrow in its zone, the programme on air marked', async (t) => {
    // From the On-air card, by keyboard: the link is focused and followed with Enter.
    await page.locator(`#on-air-${harbour.id} .running-link`).focus()
    await page.keyboard.press('Enter')
    const order = page.locator('#running-order')
    await order.locator('li[aria-current="true"]').waitFor()
    t.equal(new URL(page.url()).hash, `#/channels/${harbour.id}?tab=running`)
    t.equal(await page.locator('#tab-running').getAttribute('aria-current'), 'page', 'its tab is the one shown')
    const today = await programmesOf(harbour, midnight(DAY, harbour.timezone), midnight(NEXT, harbour.timezone))
    const tomorrow = (await programmesOf(harbour, midnight(NEXT, harbour.timezone), midnight('2027-01-15', harbour.timezone))).filter((p) => Date.parse(p.start) >= Date.parse(midnight(NEXT, harbour.timezone)))
    t.match(await page.locator('#running-today-title').textContent(), /^Today, Wednesday 13 January$/)
    t.match(await page.locator('#running-tomorrow-title').textContent(), /^Tomorrow, Thursday 14 January$/)
    t.same(await rows(page.locator('#running-today')), expected(today, harbour.timezone), 'today\'s programmes, Berlin times')
    t.same(await rows(page.locator('#running-tomorrow')), expected(tomorrow, harbour.timezone), 'tomorrow\'s')
    t.ok(expected(today, harbour.timezone).some((row) => row.startsWith('18:00–18:50 Documentary')), 'Berlin\'s wall times, not London\'s')
    const onAir = today.find(airs)!
    const current = order.locator('li[aria-current="true"]')
    t.equal(await current.count(), 1, 'one programme is on air')
    t.equal(await current.locator('.running-title').textContent(), onAir.title)
    t.match(await current.textContent(), /On air$/, 'marked in words')
    t.ok(await order.locator('.kind-filler .running-title', { hasText: 'Harbour News overnight' }).first().isVisible(), 'a run of filler is one line, titled as the channel says')
    t.match(await page.locator('#running-today .kind-filler .running-length').last().textContent(), /^9 hours, 54 clips, ends Thursday$/, 'the night\'s filler says it runs into tomorrow')

    // "Go to now" by keyboard: the programme on air in sight and focused.
    await page.locator('#running-go-now').focus()
    await page.keyboard.press('Enter')
    t.equal(await page.evaluate(() => document.activeElement?.querySelector('.running-title')?.textContent), onAir.title, 'the focus is on the programme on air')
    await fitsTheScreen(t, 'the running order')
    await touchable(t, page.locator('nav.tabs a, #running-go-now'), 'the channel\'s tab')
    await accessible(t, 'the running order')
    await screenshot(page, 'phone-running-order')
  })

  await t.test('on a phone a channel opens on its running order; the other tabs fit too', async (t) => {
    await page.goto(`${server.url}/#/channels/${riverside.id}`)
    await page.locator('#running-order li[aria-current="true"]').waitFor()
    t.equal(await page.locator('#tab-running').getAttribute('aria-current'), 'page', 'the running order, with no tab named')
    const today = await programmesOf(riverside, midnight(DAY, riverside.timezone), midnight(NEXT, riverside.timezone))
    t.same(await rows(page.locator('#running-today')), expected(today, riverside.timezone), 'London\'s programmes in London time')
    for (const tab of ['template', 'overrides', 'build', 'events', 'exports', 'details']) {
      await page.goto(`${server.url}/#/channels/${riverside.id}?tab=${tab}`)
      await page.locator(`#tab-${tab}[aria-current="page"]`).waitFor()
      await page.locator('.state.loading').waitFor({ state: 'detached' })
      await fitsTheScreen(t, `the ${tab} tab`)
    }
  })

  await t.test('the guide: a list per channel, in this browser\'s time, the programmes on air marked', async (t) => {
    await page.goto(`${server.url}/#/guide?date=${DAY}`)
    const list = page.locator('#guide-list')
    await list.locator('li[aria-current="true"]').first().waitFor()
    t.equal(await page.locator('#guide-as-list').getAttribute('aria-pressed'), 'true', 'a list on a phone')
    for (const c of channels) {
      const shown = page.locator(`#guide-list-${c.id}`)
      t.equal(await shown.locator('h3').textContent(), `${c.number} · ${c.name}`)
      const programmes = await programmesOf(c, midnight(DAY, 'Europe/London'), midnight(NEXT, 'Europe/London'))
      t.same(await rows(shown.locator('ol')), expected(programmes, 'Europe/London'), `${c.name}'s day in London time`)
      t.equal(await shown.locator('li[aria-current="true"] .running-title').textContent(), programmes.find(airs)!.title, 'the one on air marked')
    }
    await fitsTheScreen(t, 'the guide')
    await touchable(t, page.locator('#guide-list button, #guide-list .running-link, .layout-choice button'), 'the guide\'s control')
    await accessible(t, 'the guide')
    await screenshot(page, 'phone-guide')

    await page.locator('#guide-list button', { hasText: 'Next day' }).click()
    await page.waitForFunction((day) => location.hash === `#/guide?date=${day}`, NEXT)
    t.equal(await page.locator('#guide-date').inputValue(), NEXT, 'the next day, in the picker and kept in the address')
    await page.locator('#guide-list[aria-busy="false"]').waitFor()
    const nextDay = await programmesOf(riverside, midnight(NEXT, 'Europe/London'), midnight('2027-01-15', 'Europe/London'))
    t.same(await rows(page.locator(`#guide-list-${riverside.id} ol`)), expected(nextDay, 'Europe/London'), 'its programmes')

    // The grid, asked for, scrolls within its own region (the calendar's): the page still does not.
    await page.locator('#guide-as-grid').click()
    await page.locator('#guide-grid .ec-event').first().waitFor()
    await fitsTheScreen(t, 'the guide\'s grid')
  })

  await t.test('the other pages fit a phone', async (t) => {
    for (const path of ['system', 'schedules', 'autofill', 'playlists', 'media', 'channels', 'feeds']) {
      await page.goto(`${server.url}/#/${path}`)
      await page.locator(`header nav a[data-nav="${path}"][aria-current="page"]`).waitFor()
      await page.locator('.state.loading').waitFor({ state: 'detached' })
      await fitsTheScreen(t, `#/${path}`)
    }
  })

  await t.test('the running order on a desktop: a tab beside the others', async (t) => {
    const desktop = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'Europe/London', locale: 'en-GB' })).newPage()
    await desktop.clock.setFixedTime(new Date(NOW))
    await desktop.goto(`${server.url}/#key=${KEY}`)
    await desktop.goto(`${server.url}/#/channels/${riverside.id}`)
    await desktop.locator('#tab-template[aria-current="page"]').waitFor()
    t.pass('a desktop opens a channel on its template, where a channel is made')
    await desktop.locator('#tab-running').click()
    await desktop.locator('#running-order li[aria-current="true"]').waitFor()
    t.same(await desktop.locator('#tab-running').getAttribute('aria-current'), 'page')
    await screenshot(desktop, 'desktop-running-order')
    await desktop.close()
  })

  t.same(problems, [], 'no console error, failed request or error status on the way')
})
