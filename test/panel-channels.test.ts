import t from 'tap'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'

// The channel views (issue 13 item 6) in chromium against the real server: the calendar and
// the view layer served from node_modules under the panel's CSP, then an operator's path
// through them: create a channel, add three blocks in the week grid, build with a preview,
// see the guide grid, download the channel's XMLTV. Nothing is faked: real routes, workers, SQLite.

const ADMIN = 'panel-channels-admin-key-0123456789abcdef'
const FILMS = ['#EXTM3U',
  ...Array.from({ length: 12 }, (_, i) => `#EXTINF:${3000 + i * 300} group-title="Films",Film ${i + 1}\nhttps://cdn.example/film-${i + 1}.mp4`)].join('\n')
const FILLER = ['#EXTM3U', ...Array.from({ length: 6 }, (_, i) => `#EXTINF:${30 + i * 15} group-title="Idents",Ident ${i + 1}\nhttps://cdn.example/ident-${i + 1}.mp4`)].join('\n')

/** Clicks an empty hour of the week grid: the day's column at that hour, read from the grid's own layout. */
async function clickWeekSlot (page: Page, dayIndex: number, hour: number): Promise<void> {
  const point = await page.evaluate(([day, at]) => {
    const grid = document.querySelector('#week-grid')!
    const columns = [...grid.querySelectorAll('.ec-body .ec-day')]
    const column = columns[day].getBoundingClientRect()
    const row = grid.querySelector(`.ec-body .ec-sidebar .ec-slot:has(time[datetime$="T${String(at).padStart(2, '0')}:00:00"])`)
    if (row === null) throw new Error(`no ${at}:00 row in the week grid`)
    row.scrollIntoView({ block: 'center' })
    const label = row.getBoundingClientRect()
    const y = label.top + label.height / 2
    return { x: column.left + column.width / 2, y }
  }, [dayIndex, hour])
  await page.mouse.click(point.x, point.y)
}

t.test('the channel views in chromium', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${ADMIN}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const call = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, ...(init.headers as Record<string, string>) } })
  const browser = await launchBrowser(t)
  // The guide shows the viewer's day; London here, as the channel, whatever the machine's zone.
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/London' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)

  await t.test('the calendar and Preact + htm come from node_modules and run under the CSP', async (t) => {
    const css = await fetch(`${server.url}/vendor/event-calendar/event-calendar.min.css`)
    t.equal(css.status, 200)
    t.match(css.headers.get('content-type'), /^text\/css/)
    const js = await fetch(`${server.url}/vendor/event-calendar/event-calendar.min.js`)
    t.equal(js.status, 200)
    t.match(await js.text(), /EventCalendar v5\.10\.1/, 'the pinned build')
    const preact = await fetch(`${server.url}/vendor/htm/standalone.module.js`)
    t.equal(preact.status, 200)
    t.match(preact.headers.get('content-type'), /javascript/)
    t.equal((await fetch(`${server.url}/vendor/htm/%2e%2e/package.json`)).status, 404, 'nothing outside the two folders')
    t.match(preact.headers.get('content-security-policy'), /script-src 'self'/)

    await page.goto(`${server.url}/#key=${ADMIN}`)
    await page.locator('#on-air[aria-busy="false"]').waitFor()
    // Both libraries do their work in the page: a calendar drawn, a Preact tree rendered.
    const drawn = await page.evaluate(async () => {
      const host = document.createElement('div')
      document.body.append(host)
      const calendar = (window as any).EventCalendar.create(host, { view: 'timeGridWeek', date: '2024-01-01', events: [{ start: '2024-01-01T08:00:00', end: '2024-01-01T09:00:00', title: 'Probe' }] })
      // A module specifier built at run time: this is the browser's import, not one for tsc.
      const preactUrl = '/vendor/htm/standalone.module.js'
      const { html, render } = await import(preactUrl)
      const target = document.createElement('div')
      render(html`<p class="probe">${'drawn by preact'}</p>`, target)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const events = host.querySelectorAll('.ec-event').length
      ;(window as any).EventCalendar.destroy(calendar)
      host.remove()
      return { events, preact: target.textContent }
    })
    t.same(drawn, { events: 1, preact: 'drawn by preact' })
    t.same(problems, [], 'no console error (no CSP violation), failed request or error status')
  })

  // The channel routes come from the other half of issue 13 (routes/channels.ts). Until
  // they answer, the path below cannot run; once GET /api/channels answers anything but
  // 404, it runs in full and must pass.
  const listed = await call('/api/channels')
  if (listed.status === 404) {
    t.skip('create, template, build, guide and XMLTV in chromium: skipped while GET /api/channels answers 404 (the channel routes are not in this build yet)', () => {})
    return
  }
  t.equal(listed.status, 200, 'the channel routes answer')

  const importPlaylist = async (name: string, body: string): Promise<string> => {
    const res = await call(`/api/playlists/import?name=${name}`, { method: 'POST', body, headers: { 'content-type': 'audio/x-mpegurl' } })
    t.equal(res.status, 201, `playlist ${name} imported`)
    return (await res.json()).playlist.id
  }
  const films = await importPlaylist('Films', FILMS)
  const filler = await importPlaylist('Idents', FILLER)
  let channelId = ''

  await t.test('create a channel; a refused field is said next to it', async (t) => {
    await page.click('nav >> text=Channels')
    await page.locator('#channel-new-form').waitFor()
    await page.locator(`#channel-new-default_filler option[value="${filler}"]`).waitFor({ state: 'attached' })
    t.equal(await page.inputValue('#channel-new-timezone'), 'Europe/London', 'the zone starts as the browser\'s')
    await page.fill('#channel-new-number', 'seven')
    await page.fill('#channel-new-name', 'Campus TV')
    await page.fill('#channel-new-timezone', 'Mars/Olympus')
    await page.click('#channel-new-form button[type=submit]')
    await page.locator('#channel-new-number-error:not(:empty)').waitFor()
    await page.locator('#channel-new-timezone-error:not(:empty)').waitFor()
    t.equal(await page.getAttribute('#channel-new-number', 'aria-invalid'), 'true', 'the number is marked')
    t.equal(await page.getAttribute('#channel-new-timezone', 'aria-invalid'), 'true', 'the zone is marked')
    t.equal(await page.getAttribute('#channel-new-name', 'aria-invalid'), null, 'the name is not')
    t.equal((await (await call('/api/channels')).json()).count, 0, 'nothing stored')
    problems.splice(0) // the 400 just above was asked for

    await page.fill('#channel-new-number', '7')
    await page.fill('#channel-new-timezone', 'Europe/London')
    await page.fill('#channel-new-group', 'Campus')
    await page.selectOption('#channel-new-default_filler', filler)
    await page.click('#channel-new-form button[type=submit]')
    await page.locator('#week-grid').waitFor()
    channelId = /#\/channels\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? ''
    const { channel } = await (await call(`/api/channels/${channelId}`)).json()
    t.match(channel, { number: '7', name: 'Campus TV', timezone: 'Europe/London', group: 'Campus', default_filler: filler, xmltv_id: 'C7.7.scheduleflow' })
    t.match(await page.locator('#channel-title').innerText(), /7 · Campus TV/)
  })

  await t.test('add three blocks in the week grid; they are drawn by day and hour; an overlap is refused with the pair named', async (t) => {
    // 1: a click on Monday 08:00 opens the form there.
    await clickWeekSlot(page, 0, 8)
    await page.locator('#block-form').waitFor()
    t.equal(await page.inputValue('#block-start'), '08:00', 'the form starts at the hour clicked')
    t.ok(await page.isChecked('#block-form input[name=days][value=mon]'), 'on the day clicked')
    await page.fill('#block-id', 'news')
    await page.fill('#block-title', 'Morning News')
    for (const day of ['tue', 'wed', 'thu', 'fri']) await page.check(`#block-form input[name=days][value=${day}]`)
    await page.fill('#block-end', '08:30')
    await page.check('#block-form input[name=kind][value=item]')
    await page.fill('#block-item_url', 'https://cdn.example/news.mp4')
    await page.fill('#block-item_title', 'Morning News')
    await page.fill('#block-item_duration', '1800')
    await page.click('#block-form button[type=submit]')
    await page.locator('#block-form').waitFor({ state: 'detached' })
    await page.locator('#week-grid .ec-event', { hasText: 'Morning News' }).nth(4).waitFor()
    t.equal(await page.locator('#week-grid .ec-event', { hasText: 'Morning News' }).count(), 5, 'one a weekday')
    t.match(await page.locator('#week-grid .ec-event', { hasText: 'Morning News' }).first().innerText(), /08:00/, 'at its hour')

    // 2: films every evening, from the playlist's Films group, padded, with breaks.
    await page.click('#add-block')
    await page.fill('#block-id', 'films')
    for (const day of ['tue', 'wed', 'thu', 'fri', 'sat', 'sun']) await page.check(`#block-form input[name=days][value=${day}]`)
    await page.fill('#block-start', '20:00')
    await page.fill('#block-end', '23:00')
    await page.selectOption('#block-playlist', films)
    await page.fill('#block-group', 'Films')
    await page.selectOption('#block-fill', 'pad')
    await page.selectOption('#block-filler', filler)
    await page.check('#block-breaks')
    await page.fill('#block-breaks_every', '15')
    await page.fill('#block-breaks_max', '120')
    await page.selectOption('#block-breaks_filler', filler)
    await page.fill('#block-breaks_gap', '10')
    await page.selectOption('#block-bumper_out', filler)
    await page.click('#block-form button[type=submit]')
    await page.locator('#block-form').waitFor({ state: 'detached' })
    await page.locator('#week-grid .ec-event', { hasText: 'films' }).nth(6).waitFor()
    t.equal(await page.locator('#week-grid .ec-event', { hasText: 'films' }).count(), 7, 'one every evening')

    // 3: a late block on Saturday that first overlaps the films, then runs past midnight.
    await page.click('#add-block')
    await page.fill('#block-id', 'late')
    await page.uncheck('#block-form input[name=days][value=mon]')
    await page.check('#block-form input[name=days][value=sat]')
    await page.fill('#block-start', '22:00')
    await page.fill('#block-end', '01:00')
    await page.selectOption('#block-playlist', films)
    await page.selectOption('#block-fill', 'cut')
    await page.click('#block-form button[type=submit]')
    await page.locator('#block-error:not(:empty)').waitFor()
    const refusal = await page.locator('#block-error').innerText()
    t.match(refusal, /films/, 'the overlap names the other block')
    t.match(refusal, /late/, 'and this one')
    t.equal((await (await call(`/api/channels/${channelId}/template`)).json()).template.blocks.length, 2, 'nothing stored by the refusal')
    problems.splice(0) // the 400 just above was asked for
    await page.fill('#block-start', '23:00')
    await page.click('#block-form button[type=submit]')
    await page.locator('#block-form').waitFor({ state: 'detached' })
    await page.locator('#week-grid .ec-event', { hasText: 'late' }).nth(1).waitFor()
    t.equal(await page.locator('#week-grid .ec-event', { hasText: 'late' }).count(), 2, 'Saturday night and its Sunday morning part')

    const { template } = await (await call(`/api/channels/${channelId}/template`)).json()
    t.match(template.blocks, [
      { id: 'news', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '08:30', title: 'Morning News', source: { item: { url: 'https://cdn.example/news.mp4', duration: 1800 } } },
      { id: 'films', start: '20:00', end: '23:00', source: { playlist: films, group: 'Films' }, fill: 'pad', filler, breaks: { every_minutes: 15, max_seconds: 120, filler, at: 'within', min_gap_minutes: 10, bumper_out: filler } },
      { id: 'late', days: ['sat'], start: '23:00', end: '01:00', fill: 'cut' }
    ], 'the stored template is what the form said')
    t.equal(await page.locator('#block-list tbody tr').count(), 3)
    await screenshot(page, 'channel-week-template')
  })

  let previewed = 0
  await t.test('build: a preview draws the events and stores nothing; "Store this build" stores the same', async (t) => {
    await page.click('#tab-build')
    await page.locator('#build-form').waitFor()
    const from = await page.inputValue('#build-from')
    const to = await page.inputValue('#build-to')
    await page.fill('#build-seed', 'panel')
    await page.click('#build-preview-button')
    await page.locator('#build-stats').waitFor()
    previewed = Number((await page.locator('[data-stat="events"]').innerText()).replace(/\D/g, ''))
    t.ok(previewed > 0, 'the preview counts its events')
    t.ok(await page.locator('#build-preview .preview-box').count() > 0, 'and draws them (programmes)')
    // A week of 30-second idents is more than a dry run lists (SPEC §12: its first 5,000, with events_total).
    t.ok(previewed > 5000, `the week has more events than a dry run lists (${previewed})`)
    t.equal(await page.locator('#build-preview-cut').count(), 0, 'the preview draws them all: its programmes are answered whole, past the first 5,000 events')
    t.match(await page.locator('#build-result h3').first().innerText(), /^Preview \(nothing stored\)/)
    const before = await (await call(`/api/channels/${channelId}/events?from=${from}T00:00:00Z&to=${to}T23:59:59Z`)).json()
    t.equal(before.events.length, 0, 'nothing stored by the preview')
    await screenshot(page, 'channel-build-preview')

    await page.click('#build-store')
    await page.locator('#build-stored').waitFor()
    t.match(await page.locator('#build-stored').innerText(), new RegExp(`${previewed.toLocaleString('en-GB')} events\\.`), 'the stored build has the preview\'s events')
    t.notMatch(await page.locator('#build-stored').innerText(), /preview had/, 'no difference to explain')
  })

  await t.test('the guide grid: the channel as a row, its events, the now-line', async (t) => {
    await page.click('nav >> text=Guide')
    await page.locator('#guide-grid').waitFor()
    await page.locator('#guide-grid .ec-event').first().waitFor()
    t.match(await page.locator('#guide-grid').innerText(), /7 Campus TV/, 'the channel\'s row')
    t.ok(await page.locator('#guide-grid .ec-event').count() > 0, 'today\'s events on it')
    t.ok(await page.locator('#guide-grid .ec-now-indicator').count() > 0, 'a line at now')
    await screenshot(page, 'guide')
  })

  await t.test('download the channel\'s XMLTV', async (t) => {
    await page.goto(`${server.url}/#/channels/${channelId}?tab=exports`)
    await page.locator('button[data-format="xmltv"]').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format="xmltv"]')])
    t.match(download.suggestedFilename(), /\.xml$/)
    const body = readFileSync((await download.path())!, 'utf8')
    t.match(body, /<channel id="C7\.7\.scheduleflow">/, 'the channel, by its XMLTV id')
    t.ok((body.match(/<programme /g) ?? []).length > 0, 'with its programmes')
    t.match(body, /Morning News|Film \d+/)
  })

  await t.test('an override for 24–26 December: a block added in the block form, a fixed event; a refused block field said next to it; listed by date', async (t) => {
    // An override on a later date, stored first: the list goes by date, not by when they were added.
    const later = await call(`/api/channels/${channelId}/overrides`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'New Year\'s Eve', from: '2026-12-31', to: '2026-12-31', events: [{ title: 'Countdown', start: '2026-12-31T23:30:00', end: '2027-01-01T00:30:00' }] }) })
    t.equal(later.status, 201)
    await page.goto(`${server.url}/#/channels/${channelId}?tab=overrides`)
    await page.locator('#override-form').waitFor()
    await page.locator('#override-list tbody tr').first().waitFor()
    await page.fill('#override-name', 'Christmas')
    await page.fill('#override-from', '2026-12-24')
    await page.fill('#override-to', '2026-12-26')
    await page.fill('#override-events', '2026-12-24T18:00 | 2026-12-24T19:30 | Carol Service (live) | rtmp://live.example/carols')

    // The block, through the block form: first with its end at its start, which the API refuses.
    await page.click('#override-add-block')
    await page.locator('#override-block-form').waitFor()
    await page.fill('#override-block-id', 'carols')
    await page.fill('#override-block-title', 'Carols by Candlelight')
    await page.fill('#override-block-start', '20:00')
    await page.fill('#override-block-end', '20:00')
    await page.selectOption('#override-block-playlist', films)
    await page.selectOption('#override-block-fill', 'cut')
    await page.click('#override-block-form button[type=submit]')
    await page.locator('#override-block-form').waitFor({ state: 'detached' })
    t.equal(await page.locator('#override-blocks tbody tr').count(), 1, 'the block is listed in the override form')
    t.match(await page.locator('#override-blocks tbody tr').innerText(), /Carols by Candlelight[\s\S]*20:00–20:00[\s\S]*Films/)

    await page.click('#override-form button[type=submit]')
    await page.locator('#override-block-end-error:not(:empty)').waitFor()
    t.equal(await page.getAttribute('#override-block-end', 'aria-invalid'), 'true', 'blocks.0.end: the block form opens again with its End marked')
    t.equal(await page.getAttribute('#override-block-start', 'aria-invalid'), null, 'and its Start not')
    t.match(await page.locator('#override-blocks tbody tr').innerText(), /blocks\.0\.end/, 'the block\'s row says it too')
    t.equal((await (await call(`/api/channels/${channelId}/overrides`)).json()).count, 1, 'nothing stored by the refusal')
    problems.splice(0) // the 400 just above was asked for

    await page.fill('#override-block-end', '23:00')
    await page.click('#override-block-form button[type=submit]')
    await page.locator('#override-block-form').waitFor({ state: 'detached' })
    t.equal(await page.locator('#override-blocks .field-error').count(), 0, 'the fixed block no longer says a problem')
    await page.click('#override-form button[type=submit]')
    await page.locator('#override-list tbody tr').nth(1).waitFor()
    const rows = await page.locator('#override-list tbody tr').allInnerTexts()
    t.match(rows, [/2026-12-24 – 2026-12-26\s+Christmas[\s\S]*Carols by Candlelight 20:00–23:00[\s\S]*Carol Service \(live\)/, /2026-12-31\s+New Year's Eve/], 'listed by date: Christmas first, though added last')
    t.equal(await page.locator('#override-blocks tbody tr').count(), 0, 'the form is empty again')

    const { overrides } = await (await call(`/api/channels/${channelId}/overrides`)).json()
    const christmas = overrides.find((o: { name: string }) => o.name === 'Christmas')
    t.match(christmas, {
      from: '2026-12-24',
      to: '2026-12-26',
      blocks: [{ id: 'carols', title: 'Carols by Candlelight', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '20:00', end: '23:00', source: { playlist: films }, fill: 'cut' }],
      events: [{ title: 'Carol Service (live)', start: '2026-12-24T18:00:00.000Z', end: '2026-12-24T19:30:00.000Z', video_url: 'rtmp://live.example/carols' }]
    }, 'the API has the block as the form said, and the fixed event')
    t.equal(christmas.blocks.length, 1)
    await screenshot(page, 'channel-overrides')
  })

  t.same(problems, [], 'no console error, failed request or unexpected error status')
})
