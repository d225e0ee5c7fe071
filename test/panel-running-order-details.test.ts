import t from 'tap'
import { PHONE, axeViolations, launchBrowser, scrollsSideways, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import { serverClient } from './server-client.js'
import type { Programme } from '../contract/programmes.js'

// A running order (and the guide's list on a phone) says what a guide says of a programme
// beyond its times and title: its episode (S02E05) from the playlist's season and episode, and
// a live event's description, cut to two lines; filler and items without them say nothing more.

const KEY = 'running-details-key-0123456789abcdef'
const DAY = '2027-01-13'
const NOW = `${DAY}T19:10:00.000Z` // London is on UTC in January: the live match is on air
const LONG = 'Live from the harbour ground: the final of the winter cup, with the build-up, the match and the interviews after it, and every goal again. '.repeat(3).trim()
const PLAYLIST = ['#EXTM3U',
  ...[4, 5, 6].flatMap((episode) => [`#EXTINF:1800 tvg-season="2" tvg-episode="${episode}" group-title="Drama",Harbour Lights`, `https://cdn.example/harbour-${episode}.mp4`]),
  '#EXTINF:600 group-title="Loops",Loop', 'https://cdn.example/loop.mp4'].join('\n') + '\n'

t.test('the running order says an episode and a description', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ops:admin:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const { call, playlist } = serverClient(t, server.url, KEY)
  const drama = await playlist('drama', PLAYLIST)
  const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number: '3', name: 'Harbour TV', timezone: 'Europe/London', default_filler: drama, build_ahead_days: 0 }) })
  t.equal(created.status, 201)
  const id = (await created.json()).channel.id as string
  const blocks = [{ id: 'drama', days: ['wed'], start: '17:00', end: '18:30', source: { playlist: drama, group: 'Drama' }, order: 'sequential', fill: 'pad' }]
  t.equal((await call(`/api/channels/${id}/template`, { method: 'PUT', body: JSON.stringify({ blocks }) })).status, 200)
  const match = { title: 'Winter cup final', start: `${DAY}T19:00:00`, end: `${DAY}T21:00:00`, description: LONG }
  t.equal((await call(`/api/channels/${id}/overrides`, { method: 'POST', body: JSON.stringify({ name: 'Cup final', from: DAY, to: DAY, events: [match] }) })).status, 201)
  t.equal((await call(`/api/channels/${id}/build`, { method: 'POST', body: JSON.stringify({ from: DAY, to: DAY, seed: 'details' }) })).status, 201)
  t.equal((await call('/api/_clock', { method: 'PUT', body: JSON.stringify({ now: NOW }) })).status, 200)
  const { programmes } = await (await call(`/api/channels/${id}/programmes?from=${DAY}T00:00:00Z&to=${DAY}T23:59:59Z`)).json() as { programmes: Programme[] }
  t.same(programmes.filter((p) => p.title === 'Harbour Lights').map((p) => [p.season, p.episode]), [[2, 4], [2, 5], [2, 6]], 'the API answers the episodes')
  t.match(programmes.find((p) => p.title === match.title), { kind: 'fixed', description: LONG }, 'and the match\'s description')

  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: PHONE, timezoneId: 'Europe/London', locale: 'en-GB' })
  const page = await context.newPage()
  await page.clock.setFixedTime(new Date(NOW))
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()

  for (const [where, list] of [[`#/channels/${id}?tab=running`, '#running-today'], ['#/guide', `#guide-list-${id}-programmes`]]) {
    await page.goto(`${server.url}/${where}`)
    const items = page.locator(`${list} li`)
    await items.locator('.running-title', { hasText: match.title }).waitFor()
    const episodes = await items.filter({ hasText: 'Harbour Lights' }).locator('.running-episode').allTextContents()
    t.same(episodes, ['S02E04', 'S02E05', 'S02E06'], `${where}: each episode says which`)
    const live = items.filter({ hasText: match.title })
    t.equal(await live.getAttribute('aria-current'), 'true', `${where}: the match is on air`)
    t.equal(await live.locator('.running-desc').textContent(), LONG, `${where}: its description, whole for a screen reader`)
    const cut = await live.locator('.running-desc').evaluate((el) => ({ lines: Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight)), hidden: el.scrollHeight > el.clientHeight }))
    t.same(cut, { lines: 2, hidden: true }, `${where}: shown on two lines, the rest cut`)
    t.equal(await items.locator('.running-desc').count(), 1, `${where}: nothing else has a description`)
    const filler = page.locator(`${list} li.kind-filler`)
    t.ok(await filler.count() > 0, `${where}: filler airs around them`)
    t.equal(await filler.locator('.running-episode, .running-desc').count(), 0, `${where}: filler says nothing more`)
    t.equal(await scrollsSideways(page), false, `${where}: no sideways scroll`)
    t.same(await axeViolations(page), [], `${where}: axe finds no violation`)
  }
  await page.goto(`${server.url}/#/channels/${id}?tab=running`)
  await page.locator('#running-today .running-desc').waitFor()
  await screenshot(page, 'phone-running-order-details')
  t.same(problems, [], 'no console error or failed request')
})
