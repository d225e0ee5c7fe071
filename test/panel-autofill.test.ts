import t from 'tap'
import type { Route } from 'playwright-core'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'

// The auto-fill form as an operator uses it (issue 11 items 7, 9, 10, 11, 19), in chromium
// against the real server, with real clicks.

const ADMIN = 'panel-fill-admin-key-0123456789abcdef'
const LINKS = 'https://cdn.example/film.mp4 | Film | 4080 | Film\nhttps://cdn.example/spot.mp4 | Spot | 30 | Ads\nhttps://cdn.example/half.mp4 | Half | 1800 | News'

t.test('the auto-fill form in chromium', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${ADMIN}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const call = async (path: string, init: RequestInit = {}): Promise<any> => {
    const res = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, ...(init.headers as Record<string, string>) } })
    return res.json()
  }
  const browser = await launchBrowser(t)
  // The panel's zone is the browser's: Berlin here, whatever the machine's.
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/Berlin' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${ADMIN}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()

  const openForm = async (): Promise<void> => {
    await page.goto(`${server.url}/#/`)
    await page.locator('#on-air[aria-busy="false"]').waitFor()
    await page.click('nav >> text=Auto-fill')
    await page.locator('#autofill-form').waitFor()
  }
  const submit = (): Promise<void> => page.click('#autofill-form button[type=submit]')
  const errorOf = (field: string): Promise<string> => page.locator(`#fill-${field}-error`).innerText()

  await t.test('back to back is the default; the slot length is disabled unless slots are fixed (items 6, 19)', async (t) => {
    await openForm()
    t.equal(await page.inputValue('#fill-slot_mode'), 'real', 'back to back, real durations, by default')
    t.ok(await page.isDisabled('#fill-slot_minutes'), 'no slot length to give back to back')
    await page.selectOption('#fill-slot_mode', 'slots')
    t.ok(await page.isEnabled('#fill-slot_minutes'))
    await page.selectOption('#fill-slot_mode', 'real')
    t.ok(await page.isDisabled('#fill-slot_minutes'))
  })

  await t.test('"Auto-fill from it" opens the form with that playlist; every refusal is in the form\'s words, by its field (item 10)', async (t) => {
    const m3u = '#EXTM3U\n#EXTINF:1800 group-title="News",Evening News\nhttps://cdn.example/n.mp4\n#EXTINF:600,Short\nhttps://cdn.example/s.mp4\n'
    const { playlist } = await call('/api/playlists/import?name=Campus', { method: 'POST', body: m3u, headers: { 'content-type': 'audio/x-mpegurl' } })
    await page.goto(`${server.url}/#/playlists/${playlist.id as string}`)
    await page.click('text=Auto-fill from it')
    await page.locator(`#fill-playlist_id option[value="${playlist.id as string}"]`).waitFor({ state: 'attached' })
    t.equal(await page.inputValue('#fill-playlist_id'), playlist.id, 'the playlist is chosen')
    await page.fill('#fill-seed', 'from-playlist')
    await page.check('#fill-dry_run')
    await submit()
    await page.locator('#autofill-stats').waitFor()
    t.match(await page.locator('#autofill-result h3').innerText(), /^Preview \(nothing stored\)/, 'the fill runs from that playlist')

    // Each kind of refusal, as a person makes it: where it shows and what it says.
    const cases: Array<{ what: string, setup: () => Promise<void>, field: string, says: RegExp }> = [
      { what: 'no playlist and no links', setup: async () => { await page.fill('#fill-links', '') }, field: 'links', says: /^Paste at least one link, one per line/ },
      { what: 'a link that is no video address', setup: async () => { await page.selectOption('#fill-playlist_id', ''); await page.fill('#fill-links', 'https://cdn.example/a.mp4\n\njavascript:alert(1) | Bad') }, field: 'links', says: /^Line 3: "javascript:alert\(1\)" is not a video address/ },
      { what: 'seconds that are not a number', setup: async () => { await page.selectOption('#fill-playlist_id', ''); await page.fill('#fill-links', 'https://cdn.example/a.mp4 | A | ten') }, field: 'links', says: /^Line 1: the seconds must be a number above 0\.$/ },
      { what: 'too many hours', setup: async () => { await page.fill('#fill-duration_hours', '800') }, field: 'duration_hours', says: /^Give a length of more than 0 and at most 744 hours/ },
      { what: 'no hours', setup: async () => { await page.fill('#fill-duration_hours', '') }, field: 'duration_hours', says: /^Give the length in hours\.$/ },
      { what: 'an unknown zone', setup: async () => { await page.fill('#fill-timezone', 'Mars/Olympus') }, field: 'timezone', says: /^Give a time zone by its name/ },
      { what: 'no start', setup: async () => { await page.fill('#fill-start_time', '') }, field: 'start_time', says: /^Give the date and time the fill starts\.$/ },
      { what: 'a negative cooldown', setup: async () => { await page.fill('#fill-cooldown_hours', '-3') }, field: 'cooldown_hours', says: /^Give a cooldown from 0 to 8784 hours/ },
      { what: 'a slot too long', setup: async () => { await page.selectOption('#fill-slot_mode', 'slots'); await page.fill('#fill-slot_minutes', '2000') }, field: 'slot_minutes', says: /^Give a slot length from 1 to 1440 minutes\.$/ }
    ]
    for (const { what, setup, field, says } of cases) {
      await openForm()
      await page.fill('#fill-links', LINKS)
      await setup()
      await submit()
      await page.locator(`#fill-${field}-error:not(:empty)`).waitFor()
      const text = await errorOf(field)
      t.match(text, says, what)
      t.notMatch(text, /duration_hours|slot_minutes|cooldown_hours|start_time|playlist_id|timezone|must have|property|links\.\d|body\//, `${what}: no schema terms or request field names`)
      t.equal(await page.getAttribute(`#fill-${field}`, 'aria-invalid'), 'true', `${what}: the field is marked`)
      t.equal(await page.locator('#autofill-result .state.error').count(), 0, `${what}: nothing but the field says it`)
    }
    problems.splice(0) // the 400s just above were asked for
  })

  await t.test('a real double-click on Fill stores one schedule; the button is disabled while it runs, and the fill carries an Idempotency-Key (item 11)', async (t) => {
    await openForm()
    await page.fill('#fill-links', LINKS)
    await page.fill('#fill-duration_hours', '6')
    // Each fill is held until the double-click is over, as a slow fill would be: whatever the
    // clicks send is in flight together.
    const held: Route[] = []
    await page.route('**/api/schedules/auto-fill', async (route) => { held.push(route) })
    await page.dblclick('#autofill-form button[type=submit]')
    await page.locator('#autofill-form button[type=submit]:disabled').waitFor()
    t.ok(await page.isDisabled('#autofill-form button[type=submit]'), 'disabled while the fill runs')
    t.equal(held.length, 1, 'one request for two clicks')
    t.match(held[0].request().headers()['idempotency-key'], /^[A-Za-z0-9._:-]{16,128}$/)
    for (const route of held) await route.continue()
    await page.unroute('**/api/schedules/auto-fill')
    await page.locator('#autofill-stats').waitFor()
    t.ok(await page.isEnabled('#autofill-form button[type=submit]'), 'enabled again once answered')
    t.equal((await call('/api/schedules')).count, 1, 'one schedule stored')
  })

  await t.test('a playlist shorter than the cooldown: the warning is shown and each override marked on the timeline (item 7); times are in the panel\'s zone, named (item 9)', async (t) => {
    await openForm()
    t.equal(await page.inputValue('#fill-timezone'), 'Europe/Berlin', 'the form starts in the panel\'s zone')
    await page.fill('#fill-links', LINKS)
    await page.fill('#fill-start_time', '2026-06-01T06:00')
    await page.fill('#fill-duration_hours', '12')
    await page.selectOption('#fill-slot_mode', 'slots')
    await page.fill('#fill-slot_minutes', '30')
    await page.fill('#fill-seed', 'forced')
    await submit()
    await page.locator('#autofill-stats').waitFor()
    t.match(await page.locator('#autofill-warnings [data-kind="cooldown_forced"]').innerText(), /at least 21 of 24 slots \(87%\) will air a video inside its cooldown/)
    t.match(await page.locator('#autofill-warnings').innerText(), /cut: 2 h 32 min not aired|items longer than the 30 min slot/, 'the cut items are said too')
    t.equal(await page.locator('[data-stat="Cooldown overrides"]').innerText(), '21')
    t.equal(await page.locator('#autofill-result .timeline .event.override').count(), 21, 'each override is marked on its block')
    t.match(await page.locator('#autofill-result .timeline .event.override').first().getAttribute('title'), /override/, 'and named in its label')
    t.equal(await page.locator('#autofill-result h3').innerText(), 'Stored: Auto-fill 2026-06-01 06:00 Europe/Berlin, 12 h', 'the default name is in the panel\'s zone')
    await page.click('#autofill-result summary')
    const decisions = await page.locator('#autofill-decisions li').allInnerTexts()
    t.ok(decisions.every((d) => /^2026-06-01 \d\d:\d\d Europe\/Berlin: /.test(d)), 'every decision time is local, with the zone')
    t.ok(decisions.some((d) => d.startsWith('2026-06-01 07:30 Europe/Berlin: ') && /no link out of cooldown/.test(d)), 'the first override is at the fourth slot, 07:30 in Berlin')
    await screenshot(page, 'autofill-forced-overrides')
  })

  await t.test('the decision log pages to its end, stored or previewed (item 8)', async (t) => {
    for (const preview of [false, true]) {
      await openForm()
      await page.fill('#fill-links', LINKS)
      await page.fill('#fill-start_time', '2026-07-01T00:00')
      await page.fill('#fill-duration_hours', '100')
      await page.selectOption('#fill-slot_mode', 'slots')
      await page.fill('#fill-seed', 'long')
      if (preview) await page.check('#fill-dry_run')
      await submit()
      await page.locator('#autofill-stats').waitFor()
      await page.click('#autofill-result summary')
      const total = Number(/Decisions \((\d+)\)/.exec(await page.locator('#autofill-result summary').innerText())?.[1])
      t.ok(total > 500)
      t.equal(await page.locator('#autofill-decisions li').count(), 500)
      t.match(await page.locator('#autofill-decisions-more').innerText(), `${total - 500} more not shown`)
      await page.click('#autofill-decisions-more button')
      await page.locator('#autofill-decisions-more', { hasText: `All ${total} decisions shown` }).waitFor()
      t.equal(await page.locator('#autofill-decisions li').count(), total, preview ? 'a preview pages too' : 'a stored fill pages its stored log')
    }
  })

  t.same(problems, [], 'no console error, failed request or unexpected error status')
})
