import t from 'tap'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'

// Issue 23 item 5 in chromium against the real server, workers and database: an override is
// edited in its form (a merge patch with If-Match) and shown on the month calendar; the
// channel's history names each write's kind and words, and "Revert to the last build" is one
// click that gives back the events and template as the build left them.

const ADMIN = 'panel-history-admin-key-0123456789abcdef'
const FILMS = ['#EXTM3U', ...Array.from({ length: 12 }, (_, i) => `#EXTINF:${3000 + i * 300} group-title="Films",Film ${i + 1}\nhttps://cdn.example/film-${i + 1}.mp4`)].join('\n')
const DAY = '2030-03-04' // in the future: a build keeps what has aired

t.test('override edit, calendar, and revert to the last build in the panel', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ada:admin:${ADMIN}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const call = async (path: string, method = 'GET', body?: unknown): Promise<any> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': typeof body === 'string' ? 'audio/x-mpegurl' : 'application/json' },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) })
    })
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const films = (await call('/api/playlists/import?name=films', 'POST', FILMS)).playlist.id
  const { channel } = await call('/api/channels', 'POST', { number: '9', name: 'Riverside', timezone: 'Europe/London' })
  const url = `/api/channels/${channel.id}`
  await call(`${url}/template`, 'PUT', { blocks: [{ id: 'films', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '18:00', end: '23:00', source: { playlist: films }, order: 'shuffle', fill: 'cut' }] })
  await call(`${url}/build`, 'POST', { from: DAY, to: DAY, seed: 'abc' })
  const range = `${url}/events?from=${DAY}T00:00:00Z&to=2030-03-05T12:00:00Z`
  const built = (await call(range)).events
  const builtTemplate = (await call(`${url}/template`)).template
  // The override on this month's 10th–12th: the calendar opens on the current month.
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7)
  const { override } = await call(`${url}/overrides`, 'POST', { name: 'Gala', from: `${month}-10`, to: `${month}-12`, events: [{ title: 'Gala (live)', start: `${month}-10T19:00:00`, end: `${month}-10T21:00:00` }] })

  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/London' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${ADMIN}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()

  await t.test('the override on the month calendar, edited in its form', async (t) => {
    await page.goto(`${server.url}/#/channels/${channel.id}?tab=overrides`)
    await page.locator(`#override-calendar td[data-date="${month}-11"] [data-override="${override.id}"]`).waitFor()
    t.equal(await page.locator(`#override-calendar td[data-date="${month}-13"] [data-override]`).count(), 0, 'not on the day after it')
    await page.click(`#override-list tr[data-override="${override.id}"] button.edit`)
    // The new-override form is there all along: wait for the one the click opens.
    await page.locator('#override-new-title', { hasText: 'Edit override' }).waitFor()
    t.equal(await page.inputValue('#override-name'), 'Gala', 'the form opens on the override')
    t.match(await page.inputValue('#override-events'), /19:00 \| .*21:00 \| Gala \(live\)/, 'its fixed event, in the channel\'s zone')
    await page.fill('#override-name', 'Gala night')
    await page.fill('#override-to', `${month}-13`)
    await page.click('#override-form button[type=submit]')
    await page.locator(`#override-calendar td[data-date="${month}-13"] [data-override="${override.id}"]`).waitFor()
    const { overrides } = await call(`${url}/overrides`)
    t.match(overrides, [{ id: override.id, name: 'Gala night', from: `${month}-10`, to: `${month}-13`, events: [{ title: 'Gala (live)' }] }], 'the API has the edit, the same override')
    const [entry] = (await call(`${url}/history`)).history
    t.match(entry, { kind: 'override', by: { name: 'Ada' }, summary: `override Gala changed: name Gala → Gala night, to ${month}-12 → ${month}-13` })
    await screenshot(page, 'panel-overrides-calendar')
  })

  await t.test('the history in words, and Revert to the last build', async (t) => {
    const [victim] = built as Array<{ id: string, start: string }>
    await call(`${url}/events/${victim.id}`, 'PATCH', { title: 'Moved by hand', start: new Date(Date.parse(victim.start) + 600_000).toISOString() })
    await call(`${url}/template`, 'PUT', { cooldown_hours: 12, blocks: [] })
    await page.goto(`${server.url}/#/channels/${channel.id}?tab=events&date=${DAY}`)
    await page.locator('#edit-history li[data-kind="build"]').waitFor()
    t.match(await page.locator('#edit-history li[data-kind="build"]').innerText(), /Build[\s\S]*Ada \(admin\)[\s\S]*built 2030-03-04 \(seed abc\): \d+ events, replaced 0/)
    t.match(await page.locator('#edit-history li[data-kind="edit"]').first().innerText(), /moved 18:00 → 18:10/)
    await page.click('#revert-last-build')
    await page.locator('#edit-history li[data-kind="revert"]').waitFor()
    t.same((await call(range)).events, built, 'the events are as the build left them')
    t.same((await call(`${url}/template`)).template, builtTemplate, 'and the template')
    t.match(await page.locator('#edit-history li[data-kind="revert"]').innerText(), /revert to the last build/)
    await screenshot(page, 'panel-history-reverted')
  })
  t.same(problems, [], 'no console errors or failed requests')
})
