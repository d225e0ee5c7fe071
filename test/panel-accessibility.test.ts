import t from 'tap'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import type { Test } from 'tap'
import { PHONE, axeViolations, launchBrowser, screenshot, watchPage, type AxeViolation } from './browser.js'
import { startServer, tempDir } from './helpers.js'
import { serverClient } from './server-client.js'
import { m3u } from './channel-fixtures.js'
import { makeClips } from './media-fixtures.js'

// Issue 27 item 6: every panel page passes axe-core's WCAG 2.1 AA rules. A realistic install
// made through the real API (an imported schedule with a 40-second promo, an auto-fill
// document, playlists, a channel with a template whose films have breaks and a built week, a
// feed token, a scanned media library, an alarm), then every route of public/js/main.js and the
// dialogs and side forms it opens, at desktop size and a few at phone size. Each check names
// the rule and the elements that break it, so a failure says what to fix. Then the keyboard
// paths (focus kept after saves) and the screen-reader labels with their seconds.

// Every page of the panel, twice over in places (dark scheme, phone): more than tap's 120 s on a loaded 2-core machine.
t.setTimeout(360_000)

const KEY = 'panel-accessibility-admin-key-0123456789'
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const PROMO_DAY = '2030-01-07'

const isoDate = (d: Date): string => d.toISOString().slice(0, 10)
const plusDays = (day: string, n: number): string => isoDate(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000))

/** What axe found, one line a rule: its id and the elements that break it. */
const said = (violations: AxeViolation[]): string => violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.targets.slice(0, 8).join(' | ')}${v.targets.length > 8 ? ` … ${v.targets.length} in all` : ''}`).join('\n')

t.test('every panel page passes axe-core\'s WCAG 2.1 AA rules; keyboard paths and labels', async (t) => {
  const roots = tempDir(t)
  const root = join(roots, 'library')
  await makeClips(root, { 'Films/Quiet Lake (2020).mkv': 2 })
  // Every page in two minutes, three browsers over: more requests than the default rate limit lets one address make.
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ada:admin:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off', SCHEDULEFLOW_MEDIA_ROOTS: roots, SCHEDULEFLOW_RATE_LIMIT_MAX: '100000' })
  const { call, playlist } = serverClient(t, server.url, KEY)
  const json = async <T>(path: string, init: RequestInit, status: number): Promise<T> => {
    const res = await call(path, init)
    if (res.status !== status) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`)
    return await res.json() as T
  }
  const post = async <T>(path: string, body: unknown, status = 201): Promise<T> => await json<T>(path, { method: 'POST', body: JSON.stringify(body) }, status)

  // The install.
  const films = await playlist('films', m3u(12, 'Feature', 3000, 'Films'))
  const promos = await playlist('promos', m3u(6, 'Promo', 40, 'Promos'))
  const schedule = (await post<{ schedule_id: string }>('/api/schedules/import?name=Promos', {
    schedule: [
      { title: 'Station promo', start: `${PROMO_DAY}T00:00:00Z`, end: `${PROMO_DAY}T00:00:40Z`, video_url: 'https://cdn.example/promo.mp4' },
      { title: 'Morning film', start: `${PROMO_DAY}T08:00:00Z`, end: `${PROMO_DAY}T09:30:00Z`, video_url: 'https://cdn.example/film.mp4', category: 'Films' },
      { title: 'Overlapping news', start: `${PROMO_DAY}T09:00:00Z`, end: `${PROMO_DAY}T09:30:00Z`, video_url: 'https://cdn.example/news.mp4' }
    ]
  })).schedule_id
  await post('/api/schedules/auto-fill', { playlist_id: films, start_time: '2030-02-04T06:00:00', timezone: 'UTC', duration_hours: 12, name: 'Filled day', seed: 'a11y' })
  const channel = (await post<{ channel: { id: string } }>('/api/channels', { number: '3', name: 'Harbour TV', timezone: 'UTC', default_filler: promos, build_ahead_days: 0 })).channel
  await json(`/api/channels/${channel.id}/template`, {
    method: 'PUT',
    body: JSON.stringify({
      blocks: [
        { id: 'news', days: EVERY_DAY, start: '08:00', end: '08:30', title: 'Morning News', source: { item: { url: 'https://cdn.example/news.mp4', title: 'Morning News', duration: 1800 } } },
        { id: 'films', days: EVERY_DAY, start: '18:00', end: '23:00', title: 'Evening films', source: { playlist: films }, order: 'sequential', fill: 'pad', filler: promos, breaks: { every_minutes: 20, max_seconds: 80, filler: promos } }
      ]
    })
  }, 200)
  const today = isoDate(new Date())
  await post(`/api/channels/${channel.id}/build`, { from: today, to: plusDays(today, 6), seed: 'a11y' })
  await post(`/api/channels/${channel.id}/overrides`, { name: 'Regatta', from: plusDays(today, 2), to: plusDays(today, 2), events: [{ title: 'Regatta (live)', start: `${plusDays(today, 2)}T12:00:00`, end: `${plusDays(today, 2)}T13:00:00`, video_url: 'rtmp://live.example/regatta' }] })
  // A second channel never built: the tick opens its coverage alarm.
  await post('/api/channels', { number: '4', name: 'Quay TV', timezone: 'UTC', default_filler: promos, build_ahead_days: 0 })
  await post('/api/_tick', {}, 200)
  await post('/api/feed-tokens', { name: 'Lobby screen' })
  const library = (await post<{ library: { id: string } }>('/api/libraries', { name: 'Walks', root })).library
  await post(`/api/libraries/${library.id}/scan`, {}, 202)

  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'UTC', locale: 'en-GB' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()

  /** Whatever the page still loads, done: no loading state, nothing busy. */
  const settled = async (p: Page): Promise<void> => {
    await p.waitForFunction(() => document.querySelector('.state.loading, [aria-busy="true"]') === null)
  }
  /** Opens a route and waits for what shows it is drawn. */
  const visit = async (p: Page, hash: string, ready: string): Promise<void> => {
    await p.goto(`${server.url}/#/not-a-page`)
    await p.goto(`${server.url}/#${hash}`)
    // Attached, not visible: a calendar's first box may lie out of its scrolled view (the guide opens at the hour).
    await p.locator(ready).first().waitFor({ state: 'attached' })
    await settled(p)
  }
  /** axe over what the page shows now; a screenshot of it under `name`. */
  const clean = async (t: Test, p: Page, name: string): Promise<void> => {
    const violations = await axeViolations(p)
    t.same(violations.map((v) => v.id), [], `${name}: no WCAG 2.1 AA violation${violations.length ? `\n${said(violations)}` : ''}`)
    await screenshot(p, `a11y-${name}`)
  }

  const pages: [string, string, string][] = [
    ['on-air', '/', `#on-air-${channel.id} .now-title, #on-air-${channel.id} .off-air`],
    ['system', '/system', '#pool-active'],
    ['schedules', '/schedules', '#dropzone'],
    ['schedule-week', `/schedules/${schedule}?view=week&date=${PROMO_DAY}`, '.timeline[data-ready]'],
    ['schedule-day', `/schedules/${schedule}?view=day&date=${PROMO_DAY}`, '.timeline[data-ready]'],
    ['schedule-edit', `/schedules/${schedule}?view=edit&date=${PROMO_DAY}`, '#edit-calendar .ec-event'],
    ['autofill', '/autofill', '#autofill-form'],
    ['playlists', '/playlists', 'main table'],
    ['playlist', `/playlists/${films}`, 'main table'],
    ['media', '/media', '#libraries tbody tr'],
    ['media-library', `/media/${library.id}`, '#media-items'],
    ['channels', '/channels', '#channel-new-form'],
    ['channel-template', `/channels/${channel.id}?tab=template`, '#week-grid .ec-event'],
    ['channel-overrides', `/channels/${channel.id}?tab=overrides`, '#override-list'],
    ['channel-build', `/channels/${channel.id}?tab=build`, '#build-preview-button'],
    ['channel-events', `/channels/${channel.id}?tab=events&date=${today}`, '#edit-calendar .ec-event'],
    ['channel-exports', `/channels/${channel.id}?tab=exports`, '#exports-title'],
    ['channel-details', `/channels/${channel.id}?tab=details`, '#publish-targets'],
    ['guide', `/guide?date=${today}`, '#guide-grid .ec-event'],
    ['feeds', '/feeds', '#feed-tokens'],
    ['not-found', '/nowhere', '#not-found']
  ]

  await t.test('every route at desktop size', async (t) => {
    for (const [name, hash, ready] of pages) {
      await visit(page, hash, ready)
      await clean(t, page, name)
    }
  })

  await t.test('the dialogs and side forms, open', async (t) => {
    await visit(page, '/system', '#pool-active')
    await page.click('#key-button')
    await page.locator('#key-dialog[open]').waitFor()
    await clean(t, page, 'key-dialog')
    await page.keyboard.press('Escape')

    await visit(page, `/schedules/${schedule}?view=edit&date=${PROMO_DAY}`, '#edit-calendar .ec-event')
    await page.locator('#edit-calendar .ec-event', { hasText: 'Morning film' }).click()
    await page.locator('#event-form').waitFor()
    await clean(t, page, 'event-editor')

    await visit(page, `/channels/${channel.id}?tab=events&date=${today}`, '#edit-calendar .ec-event')
    await page.locator('#edit-calendar .ec-event.edit-event', { hasText: 'Morning News' }).first().click()
    await page.locator('#programme-form').waitFor()
    await clean(t, page, 'programme-form')

    await visit(page, `/channels/${channel.id}?tab=template`, '#week-grid .ec-event')
    await page.click('#add-block')
    await page.locator('#block-form').waitFor()
    await clean(t, page, 'block-form')

    await visit(page, `/channels/${channel.id}?tab=overrides`, '#override-list')
    await page.locator('#override-list button.edit').first().click()
    await page.locator('#override-form #override-cancel').waitFor()
    await page.click('#override-add-block')
    await page.locator('#override-form .side-form, #override-block-form, form.side-form').first().waitFor()
    await clean(t, page, 'override-form')

    await visit(page, `/channels/${channel.id}?tab=build`, '#build-preview-button')
    await page.click('#build-preview-button')
    await page.locator('#build-result').waitFor()
    await page.locator('#build-preview .preview-box').first().waitFor({ state: 'attached' })
    await settled(page)
    await clean(t, page, 'build-preview')

    await visit(page, '/autofill', '#autofill-form')
    await page.selectOption('#fill-playlist_id', films)
    await page.check('#fill-dry_run')
    await page.click('#fill-submit')
    await page.locator('#autofill-result .timeline[data-ready]').waitFor()
    await clean(t, page, 'autofill-preview')
  })

  await t.test('the dark scheme too (the panel follows the system\'s)', async (t) => {
    const dark = await browser.newPage({ viewport: { width: 1366, height: 768 }, timezoneId: 'UTC', locale: 'en-GB', colorScheme: 'dark' })
    t.teardown(() => dark.close())
    await dark.goto(`${server.url}/#key=${KEY}`)
    for (const [name, hash, ready] of pages.filter(([n]) => ['on-air', 'system', 'schedule-week', 'channel-template', 'channel-events', 'guide', 'feeds'].includes(n))) {
      await visit(dark, hash, ready)
      await clean(t, dark, `dark-${name}`)
    }
  })

  await t.test('the skip link takes the keyboard to the page\'s content', async (t) => {
    await visit(page, '/feeds', '#feed-tokens')
    await page.reload()
    await page.locator('#feed-tokens').waitFor()
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the first Tab reaches the skip link')
    await page.keyboard.press('Enter')
    t.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'Enter puts the focus on the content')
    t.equal(await page.locator('#feed-tokens').count(), 1, 'and the page stays (#main is not read as a route)')
  })

  await t.test('labels read the seconds: a 40-second promo is not "00:00 to 00:00"', async (t) => {
    await visit(page, `/schedules/${schedule}?view=week&date=${PROMO_DAY}`, '.timeline[data-ready]')
    t.equal(await page.locator('.timeline button.event[title^="Station promo"]').first().getAttribute('title'),
      'Station promo, 00:00 to 00:00:40', 'the week\'s block names its end to the second')
    await page.locator('.timeline button.event[title^="Station promo"]').first().click()
    t.match(await page.locator('#event-details').textContent(), /00:00 – .*00:00:40 · 0:40/, 'and its details too')
    await visit(page, `/schedules/${schedule}?view=edit&date=${PROMO_DAY}`, '#edit-calendar .ec-event')
    t.match(await page.locator('#edit-calendar [data-event-id]', { hasText: 'Station promo' }).getAttribute('aria-label'), /^Station promo, 00:00:00 to 00:00:40\b/, 'so does the editor\'s')
    await visit(page, `/channels/${channel.id}?tab=events&date=${today}`, '#edit-calendar .ec-event')
    t.match(await page.locator('#edit-calendar .ec-event.kind-filler').first().getAttribute('aria-label'), /^.+ \d\d:\d\d · \d+ clips? of default filler, \d\d:\d\d:\d\d to \d\d:\d\d:\d\d \(/,
      'a filler strip\'s name starts with what it shows, then its times to the second')
  })

  /** What has the focus: its text and whether it is inside `selector`. */
  const focused = async (selector: string): Promise<{ text: string, inside: boolean, body: boolean }> => await page.evaluate((sel) => {
    const el = document.activeElement
    return { text: el?.textContent?.trim() ?? '', inside: el?.closest(sel) != null, body: el === document.body }
  }, selector)

  await t.test('by keyboard, a side form saved gives the focus back to a sensible place, not <body>', async (t) => {
    // The template: a block opened from its row in the list, saved with Enter: the focus is back on that row.
    await visit(page, `/channels/${channel.id}?tab=template`, '#week-grid .ec-event')
    await page.locator('#block-list button', { hasText: 'Morning News' }).focus()
    await page.keyboard.press('Enter')
    await page.locator('#block-form').waitFor()
    await page.locator('#block-form button[type=submit]').focus()
    await page.keyboard.press('Enter')
    await page.locator('#block-form').waitFor({ state: 'detached' })
    await page.waitForFunction(() => document.activeElement !== document.body)
    t.same(await focused('#block-list'), { text: 'Morning News', inside: true, body: false }, 'the block\'s row in the list')

    // An event of a schedule: opened with Enter on it, its title changed, saved: the focus is on the event, drawn again.
    await visit(page, `/schedules/${schedule}?view=edit&date=${PROMO_DAY}`, '#edit-calendar .ec-event')
    await page.locator('#edit-calendar [data-event-id]', { hasText: 'Morning film' }).focus()
    await page.keyboard.press('Enter')
    await page.locator('#event-form').waitFor()
    await page.fill('#event-form input[name=title]', 'Morning feature')
    await page.keyboard.press('Enter')
    await page.locator('#edit-status', { hasText: 'Saved' }).waitFor()
    await page.waitForFunction(() => document.activeElement?.closest('[data-event-id]')?.textContent?.includes('Morning feature') === true)
    t.notOk((await focused('#edit-calendar')).body, 'the saved event has the focus')

    // An override: opened with its Edit button, saved with Enter: the focus is on that button again.
    await visit(page, `/channels/${channel.id}?tab=overrides`, '#override-list')
    await page.locator('#override-list button.edit').first().focus()
    await page.keyboard.press('Enter')
    await page.locator('#override-cancel').waitFor()
    await page.locator('#override-form button[type=submit]').focus()
    await page.keyboard.press('Enter')
    await page.locator('#override-cancel').waitFor({ state: 'detached' })
    await page.waitForFunction(() => document.activeElement !== document.body)
    t.same(await focused('#override-list'), { text: 'Edit', inside: true, body: false }, 'the override\'s Edit button')
  })

  await t.test('a few pages at phone size', async (t) => {
    const phone = await browser.newPage({ viewport: PHONE, timezoneId: 'UTC', locale: 'en-GB' })
    t.teardown(() => phone.close())
    const phoneProblems = watchPage(phone, server.url)
    await phone.goto(`${server.url}/#key=${KEY}`)
    // At phone width the guide opens as a list per channel (views/guide-list.js), not the grid.
    const onPhone = (name: string, ready: string): string => name === 'guide' ? '#guide-list[aria-busy="false"] li' : ready
    for (const [name, hash, ready] of pages.filter(([n]) => ['on-air', 'schedules', 'channel-events', 'guide', 'feeds'].includes(n))) {
      await visit(phone, hash, onPhone(name, ready))
      await clean(t, phone, `phone-${name}`)
    }
    t.same(phoneProblems, [], 'no console error, failed request or error status on the phone')
  })

  t.same(problems, [], 'no console error, failed request or error status on the way')
})
