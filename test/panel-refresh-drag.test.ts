import t from 'tap'
import type { Route } from 'playwright-core'
import { launchBrowser, watchPage } from './browser.js'
import { startServer } from './helpers.js'

// Issue 23: "a resize drag of about 5 minutes was once stored as +2 h 04 min (20:14–20:29 →
// 20:14–22:33)". The cause: after each edit the editor handed EventCalendar all its options
// again, and a new `scrollTime` scrolls the day back to its first hour; a refresh that lands
// while a drag is held moved the grid under the pointer, so the pointer named another time.
// Here a refresh is made to land mid-drag for sure: the read an edit's refresh makes (the
// history entry) is held by the test until the resize drag is under way, then let through.
// Also: the channel's Events tab is in the channel's zone (London) whatever the browser's
// (New York here), and editing keeps the scroll position and the side form's event.

const KEY = 'refresh-drag-panel-key-0123456789abcdef'
const DAY = '2026-07-01' // summer: London is UTC+1
const london = (hhmm: string): string => new Date(Date.parse(`${DAY}T${hhmm}:00Z`) - 3_600_000).toISOString()

t.test('a resize held while the view refreshes stores the end the pointer shows', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ops:operator:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const call = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } })
  const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number: '4', name: 'Riverside TV', timezone: 'Europe/London' }) })
  t.equal(created.status, 201)
  const channel = (await created.json()).channel as { id: string }
  // The day starts at 00:00, so the editor's first hour is midnight; the edits are in the evening.
  for (const [title, start, end] of [['Early News', '00:00', '01:00'], ['Quiz', '18:00', '18:30'], ['Late Film', '20:15', '20:30']]) {
    const added = await call(`/api/channels/${channel.id}/events`, { method: 'POST', body: JSON.stringify({ title, start: london(start), end: london(end) }) })
    t.equal(added.status, 201, `${title} added`)
  }
  const stored = async (title: string): Promise<string> => {
    const { events } = await (await call(`/api/channels/${channel.id}/events?from=${london('00:00')}&to=${london('23:59')}`)).json() as { events: Array<{ title: string, start: string, end: string }> }
    const e = events.find((ev) => ev.title === title)
    return e === undefined ? 'gone' : `${e.start}/${e.end}`
  }

  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'America/New_York' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)
  await page.goto(`${server.url}/#/channels/${channel.id}?tab=events&date=${DAY}`)
  const block = (title: string) => page.locator('#edit-calendar .ec-event', { hasText: title })
  await block('Late Film').waitFor()

  t.match(await page.locator('#events-zone').textContent(), /Europe\/London/, 'the view says its zone')
  t.match(await block('Late Film').getAttribute('aria-label'), /20:15:00 to 20:30:00/, 'London wall times, not the browser\'s New York ones')

  const revision = async (): Promise<number> => Number((await page.locator('#edit-revision').textContent())?.replace(/\D+/g, ''))
  const landed = async (n: number): Promise<void> => { await page.locator('#edit-status', { hasText: `revision ${n},` }).waitFor() }
  const hour = await page.evaluate(() => {
    const holder = [...document.querySelectorAll<HTMLElement>('#edit-calendar *')].find((el) => el.style.getPropertyValue('--ec-slot-height') !== '')
    return Number.parseFloat(holder!.style.getPropertyValue('--ec-slot-height')) * 2
  })
  /** Whether an event's block lies within the calendar's scrolled viewport. */
  const inSight = async (title: string): Promise<boolean> => {
    const view = (await page.locator('#edit-calendar .ec-main').boundingBox())!
    const box = (await block(title).boundingBox())!
    return box.y >= view.y && box.y + box.height <= view.y + view.height
  }

  // The evening in sight, and Late Film open in the side form (the selection).
  await block('Late Film').evaluate((el) => el.scrollIntoView({ block: 'center' }))
  await block('Late Film').click()
  await page.locator('#programme-form').waitFor()
  t.match(await page.locator('#programme-end').inputValue(), new RegExp(`^${DAY}T20:30`), 'the side form in London time too')

  await t.test('a keyboard edit keeps the scroll position and the side form', async (t) => {
    const before = await revision()
    await block('Quiz').focus()
    await page.keyboard.press('ArrowDown')
    await landed(before + 1)
    t.equal(await stored('Quiz'), `${london('18:05')}/${london('18:35')}`)
    t.ok(await inSight('Late Film'), 'the evening is still in sight: the day did not scroll back to 00:00')
    t.equal(await page.locator('#programme-form-title').textContent(), 'Late Film', 'the side form still holds Late Film')
  })

  await t.test('a refresh lands in the middle of a resize drag: the stored end is the one dragged to', async (t) => {
    const before = await revision()
    let release = (): void => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    let held = (): void => {}
    const holding = new Promise<void>((resolve) => { held = resolve })
    let once = true
    await page.route((url) => url.pathname.endsWith('/history') && url.searchParams.get('limit') === '1', async (route: Route) => {
      if (once) { once = false; held(); await gate }
      await route.continue()
    })
    // An edit whose refresh will be held: Quiz 5 minutes later again.
    await block('Quiz').focus()
    await page.keyboard.press('ArrowDown')
    await holding

    // The resize: the grip of Late Film (its bottom edge, 20:30), taken in the middle of its
    // last 5-minute snap and dragged down 5 minutes, to the middle of 20:30–20:35.
    await block('Late Film').hover()
    const film = (await block('Late Film').boundingBox())!
    const grip = (await block('Late Film').locator('.ec-resizer').last().boundingBox())!
    const x = grip.x + grip.width / 2
    const y = Math.max(grip.y, film.y + film.height - hour / 24)
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x, y + hour / 24, { steps: 4 })
    await page.mouse.move(x, y + hour / 12, { steps: 4 })
    // The refresh lands while the pointer is held down.
    release()
    await landed(before + 1)
    await page.evaluate(async () => { await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))) })
    await page.mouse.move(x, y + hour / 12 + 1)
    await page.mouse.up()
    await landed(before + 2)
    await page.unroute(() => true)
    t.equal(await stored('Late Film'), `${london('20:15')}/${london('20:35')}`, 'five minutes longer, not hours')
    t.equal(await stored('Quiz'), `${london('18:10')}/${london('18:40')}`, 'and the keyboard edit stored')
    t.ok(await inSight('Late Film'), 'the evening is still in sight')
    await page.waitForFunction((end) => (document.querySelector('#programme-end') as HTMLInputElement | null)?.value.startsWith(end), `${DAY}T20:35`)
    t.equal(await page.locator('#programme-form-title').textContent(), 'Late Film', 'the side form still holds Late Film, its new end shown')
  })

  t.same(problems, [], 'no page error')
})
