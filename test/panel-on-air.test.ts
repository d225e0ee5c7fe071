import t from 'tap'
import type { Page } from 'playwright-core'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import { serverClient } from './server-client.js'
import { m3u } from './channel-fixtures.js'
import type { Programme } from '../contract/programmes.js'
import type { NowAll } from '../contract/on-air.js'

// Issue 25 item 4: the panel opens on what is on air. A London channel built for one day
// through the real API (films 18:00–23:00, a live match fixed 21:30–22:30 by an override), the
// service's clock moved inside the first film, seen from a New York browser: the On-air card
// shows the film with a progress bar and a countdown that runs, the next programmes, the fixed
// event still to come today and how far the channel is built, all in London time; a tick
// opens the coverage alarm (less than alarm_hours built) and the card shows it without a
// reload. The pool figures are on the System page.

const KEY = 'on-air-panel-key-0123456789abcdef'
const DAY = '2027-01-13' // a Wednesday; London is on UTC in January
const NOW = `${DAY}T18:40:00.000Z`

t.test('the On-air page', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ops:operator:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const { call, playlist } = serverClient(t, server.url, KEY)
  const films = await playlist('films', m3u(30, 'Feature', 5400, 'Films'))
  const loops = await playlist('loops', m3u(20, 'Loop', 600, 'Loops'))
  // No rolling build (build_ahead_days 0): the channel stays built to the end of DAY, less than the default alarm_hours ahead.
  const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number: '5', name: 'Riverside TV', timezone: 'Europe/London', default_filler: loops, build_ahead_days: 0 }) })
  t.equal(created.status, 201)
  const channel = (await created.json()).channel as { id: string }
  const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  t.equal((await call(`/api/channels/${channel.id}/template`, { method: 'PUT', body: JSON.stringify({ blocks: [{ id: 'films', days: everyDay, start: '18:00', end: '23:00', source: { playlist: films }, order: 'sequential', fill: 'pad', filler: loops }] }) })).status, 200)
  const override = { name: 'Derby night', from: DAY, to: DAY, events: [{ title: 'Derby (live)', start: `${DAY}T21:30:00`, end: `${DAY}T22:30:00`, video_url: 'rtmp://live.example/derby' }] }
  t.equal((await call(`/api/channels/${channel.id}/overrides`, { method: 'POST', body: JSON.stringify(override) })).status, 201)
  t.equal((await call(`/api/channels/${channel.id}/build`, { method: 'POST', body: JSON.stringify({ from: DAY, to: DAY, seed: 'on-air' }) })).status, 201)
  t.equal((await call('/api/_clock', { method: 'PUT', body: JSON.stringify({ now: NOW }) })).status, 200)

  // What the card must show, read from the programmes (SPEC §14): the one airing at NOW and the three after it.
  const res = await call(`/api/channels/${channel.id}/programmes?from=${DAY}T12:00:00Z&to=${DAY}T23:59:59Z`)
  t.equal(res.status, 200)
  const programmes = (await res.json()).programmes as Programme[]
  const at = Date.parse(NOW)
  const onAir = programmes.find((p) => Date.parse(p.start) <= at && at < Date.parse(p.end))!
  t.ok(onAir, 'a programme airs at the clock\'s now')
  const following = programmes.filter((p) => Date.parse(p.start) >= Date.parse(onAir.end)).slice(0, 3)
  t.equal(following.length, 3)
  const secondsLeftAtNow = (Date.parse(onAir.end) - at) / 1000

  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'America/New_York', locale: 'en-GB' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)
  const card = page.locator(`#on-air-${channel.id}`)
  const countdown = card.locator('.countdown-left')
  /** Seconds from "m:ss" or "h:mm:ss". */
  const seconds = (text: string | null): number => (text ?? '').split(':').reduce((n, part) => n * 60 + Number(part), 0)
  /** Waits for the countdown to read other than `before`, and answers what it reads. */
  const changed = async (p: Page, before: string): Promise<string> => {
    await p.waitForFunction(([id, was]) => document.querySelector(`#on-air-${id} .countdown-left`)?.textContent !== was, [channel.id, before])
    return (await countdown.textContent())!
  }

  await t.test('now: the title, its London times, a progress bar, a countdown that runs', async (t) => {
    await card.locator('.now-title').waitFor()
    t.equal(await card.locator('h3').textContent(), '5 · Riverside TV', 'the card is headed by the channel')
    t.equal(await card.locator('.now-title').textContent(), onAir.title)
    const hhmm = (iso: string): string => iso.slice(11, 16) // London is UTC in January
    t.match(await card.locator('.on-air-part', { has: page.locator('h4', { hasText: 'Now' }) }).textContent(), `${hhmm(onAir.start)}–${hhmm(onAir.end)}`, 'its times in the channel\'s zone, not the browser\'s')
    const bar = card.getByRole('progressbar')
    t.equal(await bar.getAttribute('aria-valuemin'), '0')
    t.equal(Number(await bar.getAttribute('aria-valuemax')), (Date.parse(onAir.end) - Date.parse(onAir.start)) / 1000, 'the bar runs over the programme\'s length')
    t.ok(Number(await bar.getAttribute('aria-valuenow')) >= (at - Date.parse(onAir.start)) / 1000, 'and stands where the service\'s clock is in it')
    t.match(await bar.getAttribute('aria-valuetext'), /^\d+ minutes? .*of 1 hour 30 minutes$/, 'said in words')
    const first = (await countdown.textContent())!
    t.ok(seconds(first) <= secondsLeftAtNow && seconds(first) > 0, `the countdown reads the time left on the service's clock (${first})`)
    const second = await changed(page, first)
    t.ok(seconds(second) < seconds(first), `and counts down (${first} → ${second})`)
    t.match(await card.locator('.countdown').textContent(), /^\d+:\d\d(:\d\d)? left$/)
  })

  await t.test('next, the fixed event still to come today, coverage', async (t) => {
    t.same(await card.locator('.next-title').allTextContents(), following.map((p) => p.title), 'the three programmes that follow')
    t.same(await card.locator('.on-air-list.next time').allTextContents(), following.map((p) => p.start.slice(11, 16)), 'with their start times')
    await card.locator('.fixed-title').first().waitFor()
    t.same(await card.locator('.fixed-title').allTextContents(), ['Derby (live)'], 'the live match of the rest of the day')
    t.match(await card.locator('.on-air-list.fixed').textContent(), /21:30–22:30/)
    const now = await call(`/api/channels/${channel.id}/now`)
    t.equal(now.status, 200)
    const builtUntil = (await now.json()).built_until as string
    t.ok(builtUntil, 'the channel is built to somewhere')
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short' }).formatToParts(new Date(builtUntil)).map((p) => [p.type, p.value]))
    t.match(await card.locator('.coverage').textContent(), `Built until ${parts.weekday} ${parts.day} ${parts.month} ${builtUntil.slice(11, 16)} (`, 'coverage in the channel\'s zone')
  })

  await t.test('a poll between programme changes is a 304 and changes nothing: the countdown runs on', async (t) => {
    const notModified = await page.waitForResponse((r) => r.url() === `${server.url}/api/now` && r.status() === 304)
    t.equal(notModified.request().headers()['if-none-match'] !== undefined, true, 'the poll names the ETag it has')
    t.equal(await card.locator('.now-title').textContent(), onAir.title, 'the same programme')
    const before = (await countdown.textContent())!
    t.ok(seconds(await changed(page, before)) < seconds(before), 'still counting down')
  })

  await t.test('an alarm opened by a tick shows on the card without a reload', async (t) => {
    t.equal(await card.locator('.alarms-none').textContent(), 'No alarms.')
    const tick = await call('/api/_tick', { method: 'POST', body: '{}' })
    t.equal(tick.status, 200)
    const answer = await (await call('/api/now')).json() as NowAll
    const alarms = answer.channels.find((c) => c.channel.id === channel.id)!.alarms
    t.ok(alarms.some((a) => a.kind === 'coverage'), 'the channel built less than alarm_hours ahead has a coverage alarm')
    const coverage = alarms.find((a) => a.kind === 'coverage')!
    const shown = card.locator('.alarm[data-kind="coverage"]')
    await shown.waitFor()
    t.match(await shown.textContent(), `Coverage: ${coverage.message}`, 'its kind in words and its message')
    t.match(await shown.textContent(), /since \w{3} \d{1,2} \w{3} \d\d:\d\d/, 'and since when')
    t.match(await card.locator('h3').textContent(), /\d+ alarms?$/, 'the card\'s heading counts them')
    t.equal(await card.getAttribute('class'), 'on-air-card alarmed')
    await screenshot(page, 'panel-on-air')
  })

  await t.test('the pool figures are one click away, on the System page', async (t) => {
    await page.click('nav >> text=System')
    await page.locator('#pool-active').waitFor()
    t.equal(new URL(page.url()).hash, '#/system')
    await page.click('nav >> text=On air')
    await card.locator('.now-title').waitFor()
  })

  t.same(problems, [], 'no console error, failed request or error status on the way')
})
