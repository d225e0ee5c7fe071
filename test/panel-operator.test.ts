import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page, Request, Response } from 'playwright-core'
import type { Test } from 'tap'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer, tempDir, waitFor } from './helpers.js'

// What a station operator tripped over in the panel (issue 11 items 11, 13, 14, 15, 17, 18,
// 19), each seen the way the operator saw it: in chromium, against the real server, with real
// clicks, a real double-click, a real phone-sized viewport and the keyboard.

const ADMIN = 'panel-operator-admin-key-0123456789'

interface Box { x: number, y: number, width: number, height: number }
const disjoint = (a: Box, b: Box): boolean => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y

const event = (title: string, start: string, end: string): Record<string, string> => ({ title, start, end, videoUrl: `https://cdn.example/${encodeURIComponent(title)}.mp4` })

/** The headers of every import request the page sends, and whether each has had its answer. */
function watchImports (t: Test, page: Page): { sent: Record<string, string>[], settled: () => boolean } {
  const sent: Record<string, string>[] = []
  let answered = 0
  const onRequest = (req: Request): void => { if (req.url().includes('/api/schedules/import')) sent.push(req.headers()) }
  const onResponse = (res: Response): void => { if (res.url().includes('/api/schedules/import')) answered++ }
  page.on('request', onRequest)
  page.on('response', onResponse)
  t.teardown(() => { page.off('request', onRequest); page.off('response', onResponse) })
  return { sent, settled: () => answered === sent.length }
}

t.test('the panel as a station operator uses it', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${ADMIN}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const browser = await launchBrowser(t)
  // One zone for the browser, so that the days and hours asserted below are the ones drawn.
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC', locale: 'en-GB' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${ADMIN}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()
  const dir = tempDir(t)

  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, ...init.headers } })
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return await res.json() as T
  }
  const importJson = async (name: string, schedule: unknown[]): Promise<string> =>
    (await call<{ schedule_id: string }>(`/api/schedules/import?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schedule }) })).schedule_id
  const schedulesNamed = async (name: string): Promise<number> =>
    (await call<{ schedules: { name: string }[] }>('/api/schedules')).schedules.filter((s) => s.name === name).length
  const openSchedule = async (p: Page, id: string, query = ''): Promise<void> => {
    await p.goto(`${server.url}/#/empty`)
    await p.goto(`${server.url}/#/schedules/${id}${query}`)
    await p.locator('.timeline[data-ready]').waitFor()
  }

  await t.test('item 11: a real double-click on Import stores one schedule; the inputs are off meanwhile', async (t) => {
    const file = join(dir, 'double.xml')
    writeFileSync(file, `<?xml version="1.0"?><schedule><metadata><title>Double click</title></metadata><events>
      <event><title>Only once</title><start>2025-11-24T07:00:00Z</start><end>2025-11-24T08:00:00Z</end></event></events></schedule>`)
    const { sent, settled } = watchImports(t, page)
    // The first import is held at the network until the inputs have been looked at.
    let release = (): void => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    await page.route('**/api/schedules/import**', async (route) => { await held; await route.continue() })

    await page.click('nav >> text=Schedules')
    await page.setInputFiles('#import-file', file)
    await page.dblclick('#import-submit')
    await page.locator('#import-result', { hasText: 'Importing double.xml' }).waitFor()
    t.ok(await page.locator('#import-submit').isDisabled(), 'the Import button is off while the import runs')
    t.ok(await page.locator('#import-file').isDisabled(), 'so is the file input')
    t.ok(await page.locator('#import-format').isDisabled(), 'and the format')
    t.equal(await page.getAttribute('#dropzone', 'aria-disabled'), 'true', 'the drop zone says it is off')
    release()
    await page.locator('#import-result', { hasText: 'Imported "Double click"' }).waitFor()
    await waitFor(settled)
    await page.unroute('**/api/schedules/import**')
    t.equal(sent.length, 1, 'the double-click sent one request')
    t.match(sent[0]?.['idempotency-key'], /^[A-Za-z0-9._:-]{1,128}$/, 'with an Idempotency-Key')
    t.equal(await schedulesNamed('Double click'), 1, 'one schedule stored')
  })

  await t.test('item 11: a double drop stores one schedule', async (t) => {
    const { sent, settled } = watchImports(t, page)
    await page.goto(`${server.url}/#/schedules`)
    await page.locator('#dropzone').waitFor()
    // Two drops in a row, as a shaky hand makes them.
    await page.evaluate(() => {
      const files = new DataTransfer()
      files.items.add(new File([JSON.stringify({ metadata: { title: 'Double drop' }, schedule: [{ title: 'Dropped', start: '2025-11-24T07:00:00Z', end: '2025-11-24T08:00:00Z' }] })], 'drop.json', { type: 'application/json' }))
      const zone = document.getElementById('dropzone')!
      for (let i = 0; i < 2; i++) zone.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }))
    })
    await page.locator('#import-result', { hasText: 'Imported "Double drop"' }).waitFor()
    await waitFor(settled)
    t.equal(sent.length, 1, 'the second drop sent nothing')
    t.equal(await schedulesNamed('Double drop'), 1, 'one schedule stored')
    t.match(sent[0]?.['idempotency-key'], /^[A-Za-z0-9._:-]{1,128}$/, 'the drop\'s import has an Idempotency-Key')
  })

  await t.test('item 18: the import form has the route\'s formats, sends the one chosen, and the format hint points at it', async (t) => {
    const spec = await call<{ paths: Record<string, { post: { parameters: { name: string, schema: { anyOf?: { const?: string, enum?: string[] }[], enum?: string[] } }[] } }> }>('/docs/json')
    const param = spec.paths['/api/schedules/import'].post.parameters.find((p) => p.name === 'format')!
    const accepted = param.schema.enum ?? param.schema.anyOf!.flatMap((s) => s.enum ?? [s.const!])
    await page.goto(`${server.url}/#/schedules`)
    // The choices come from GET /api/meta (contract/formats.ts), filled in once it answers.
    await page.locator(`#import-format option[value="${accepted[0]}"]`).waitFor({ state: 'attached' })
    const offered = await page.locator('#import-format option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))
    t.same(offered.filter(Boolean).sort(), [...accepted].sort(), 'every format the route takes, and only those')
    t.equal(offered[0], '', 'the first choice leaves the format to detection')

    const file = join(dir, 'guide.xml')
    writeFileSync(file, '<tv><channel id="one.example"><display-name>One</display-name></channel><programme start="20251124070000 +0000" stop="20251124080000 +0000" channel="one.example"><title>Chosen format</title></programme></tv>')
    await page.selectOption('#import-format', 'xmltv')
    await page.setInputFiles('#import-file', file)
    const [request] = await Promise.all([page.waitForRequest('**/api/schedules/import**'), page.click('#import-submit')])
    t.equal(new URL(request.url()).searchParams.get('format'), 'xmltv', 'the request carries format=xmltv')
    await page.locator('#import-result', { hasText: 'Imported' }).waitFor()

    writeFileSync(file, 'title,start\nNews,2025-11-24T07:00:00Z\n')
    await page.selectOption('#import-format', '')
    await page.setInputFiles('#import-file', file)
    await page.click('#import-submit')
    await page.locator('#import-result .state.error').waitFor()
    t.match(await page.locator('#import-result').textContent(), /choose its format under "Format"/, 'an undetected format is answered in the panel\'s words')
    problems.splice(0) // the 400 just above was asked for
  })

  await t.test('item 19: counts are in the singular when they are one', async (t) => {
    const file = join(dir, 'one.json')
    writeFileSync(file, JSON.stringify({
      metadata: { title: 'One of each' },
      schedule: [event('First', '2030-01-07T07:00:00Z', '2030-01-07T08:00:00Z'), event('Second', '2030-01-07T07:30:00Z', '2030-01-07T08:30:00Z')]
    }))
    await page.goto(`${server.url}/#/schedules`)
    await page.setInputFiles('#import-file', file)
    await page.click('#import-submit')
    await page.locator('#import-result', { hasText: 'Imported "One of each"' }).waitFor()
    const report = await page.locator('#import-result p').first().textContent()
    t.match(report, /: 2 events · 0 duplicates removed · 1 overlap · 0 cooldown warnings/, 'two events, one overlap')

    writeFileSync(file, JSON.stringify({ metadata: { title: 'Single' }, schedule: [event('Alone', '2030-02-04T07:00:00Z', '2030-02-04T08:00:00Z')] }))
    await page.setInputFiles('#import-file', file)
    await page.click('#import-submit')
    await page.locator('#import-result', { hasText: 'Imported "Single"' }).waitFor()
    t.match(await page.locator('#import-result p').first().textContent(), /: 1 event · /, 'one event')
    await page.click('#import-result a')
    await page.locator('.timeline[data-ready]').waitFor()
    t.match(await page.locator('main .meta').first().textContent(), / · 1 event · /, 'the schedule page says 1 event')

    const m3u = join(dir, 'one.m3u')
    writeFileSync(m3u, '#EXTM3U\n#EXTINF:1800,Only item\nhttps://cdn.example/only.mp4\n')
    await page.click('nav >> text=Playlists')
    await page.setInputFiles('#playlist-file', m3u)
    await page.locator('#playlist-import-result', { hasText: 'Imported' }).waitFor()
    t.match(await page.locator('#playlist-import-result').textContent(), /: 1 item\./, 'one item')
    t.match(await page.locator('#playlist-list caption').textContent(), /^1 playlist$/)
  })

  await t.test('item 19: problems and duplicates name the event as a person finds it: 1-based, by title and time', async (t) => {
    const file = join(dir, 'named.json')
    await page.goto(`${server.url}/#/schedules`)
    writeFileSync(file, JSON.stringify({ metadata: { title: 'Named' }, schedule: [event('Morning', '2030-03-04T07:00:00Z', '2030-03-04T08:00:00Z'), event('Broken', '2030-03-04T09:00:00Z', '2030-03-04T08:30:00Z')] }))
    await page.setInputFiles('#import-file', file)
    await page.click('#import-submit')
    await page.locator('#import-result .state.error').waitFor()
    const refusal = await page.locator('#import-result .problems li').first().textContent()
    t.match(refusal, /^event 2 'Broken' at 2030-03-04 09:00 UTC/, 'the second event is "event 2", by title and start')
    t.notMatch(refusal, /event 1\b/, 'not by its 0-based index')
    problems.splice(0) // the 400 was asked for

    writeFileSync(file, JSON.stringify({ metadata: { title: 'Repeats' }, schedule: [event('News', '2030-03-04T07:00:00Z', '2030-03-04T08:00:00Z'), event('Film', '2030-03-04T08:00:00Z', '2030-03-04T09:00:00Z'), event('News', '2030-03-04T07:00:00Z', '2030-03-04T08:00:00Z')] }))
    await page.setInputFiles('#import-file', file)
    await page.click('#import-submit')
    await page.locator('#import-result', { hasText: 'Imported "Repeats"' }).waitFor()
    t.match(await page.locator('#import-result').textContent(), /event 3 'News' at 2030-03-04 07:00 UTC repeats event 1/, 'the duplicate is the third event, repeating the first')
  })

  await t.test('item 13: a multi-channel XMLTV guide is drawn one labelled lane per channel', async (t) => {
    const file = join(dir, 'channels.xml')
    const programme = (channel: string, title: string, start: string, stop: string): string => `<programme start="${start} +0000" stop="${stop} +0000" channel="${channel}"><title>${title}</title></programme>`
    writeFileSync(file, `<?xml version="1.0"?><tv>
      <channel id="campus.example"><display-name>Campus Radio TV</display-name></channel>
      <channel id="city.example"><display-name>City News</display-name></channel>
      <channel id="arts.example"><display-name>Arts Channel</display-name></channel>
      ${programme('campus.example', 'Campus Morning', '20251124070000', '20251124090000')}
      ${programme('city.example', 'City Morning', '20251124070000', '20251124090000')}
      ${programme('arts.example', 'Arts Morning', '20251124070000', '20251124090000')}
      ${programme('campus.example', 'Campus Noon', '20251125120000', '20251125130000')}
    </tv>`)
    await page.goto(`${server.url}/#/schedules`)
    await page.setInputFiles('#import-file', file)
    await page.click('#import-submit')
    await page.locator('#import-result', { hasText: 'Imported' }).waitFor()
    t.match(await page.locator('#import-result p').first().textContent(), /0 overlaps/, 'the service sees no overlap across channels')
    await page.click('#import-result a')
    await page.locator('.timeline[data-ready]').waitFor()
    const monday = page.locator('.timeline .day').first()
    t.same(await monday.locator('.lane-head').allTextContents(), ['Campus Radio TV', 'City News', 'Arts Channel'], 'each day heads one lane per channel, by its name')
    t.same(await monday.locator('.channel-lane').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('aria-label'))), ['Campus Radio TV', 'City News', 'Arts Channel'], 'and each lane is named for assistive technology')
    for (const [lane, title] of [['Campus Radio TV', 'Campus Morning'], ['City News', 'City Morning'], ['Arts Channel', 'Arts Morning']]) {
      t.equal(await monday.locator(`.channel-lane[aria-label="${lane}"] .event`, { hasText: title }).count(), 1, `${title} is in the ${lane} lane`)
    }
    const boxes = await monday.locator('.event').evaluateAll((blocks) => blocks.map((b) => { const r = b.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height } }))
    t.equal(boxes.length, 3)
    t.ok(boxes.every((a, i) => boxes.every((b, j) => i === j || disjoint(a, b))), 'programmes at the same time on different channels sit side by side, not on top of each other')
    t.equal(await page.locator('.timeline .event.overlap').count(), 0, 'and none is marked as a conflict')
    t.ok(boxes.every((b) => b.width >= 50), 'each lane is wide enough to read')
    await screenshot(page, 'operator-channel-lanes')
  })

  await t.test('item 13: five overlapping 11-hour blocks each keep a readable label', async (t) => {
    const titles = ['Marathon One', 'Marathon Two', 'Marathon Three', 'Marathon Four', 'Marathon Five']
    const id = await importJson('Five overlaps', titles.map((title, i) => event(title, `2025-11-26T0${i}:00:00Z`, `2025-11-26T${11 + i}:00:00Z`)))
    await openSchedule(page, id)
    const labels = page.locator('.timeline .event-label')
    t.same((await labels.allTextContents()).map((text) => text.replace(/^\d\d:\d\d /, '')).sort(), [...titles].sort(), 'every block has its label')
    const boxes = await labels.evaluateAll((list) => list.map((l) => {
      const r = l.getBoundingClientRect()
      // The width the text itself is drawn in, once clipped to its label.
      const range = document.createRange()
      range.selectNodeContents(l)
      const text = range.getBoundingClientRect()
      return { x: r.x, y: r.y, width: r.width, height: r.height, textWidth: Math.min(text.right, r.right) - Math.max(text.left, r.left) }
    }))
    for (const [i, box] of boxes.entries()) {
      t.ok(box.height >= 10, `label ${i + 1} is a line tall (${box.height} px)`)
      t.ok(box.textWidth >= 80, `label ${i + 1} shows its text, not a clipped sliver (${Math.round(box.textWidth)} px)`)
    }
    t.ok(boxes.every((a, i) => boxes.every((b, j) => i === j || disjoint(a, b))), 'no label covers another')
    await labels.filter({ hasText: 'Marathon Three' }).click()
    t.match(await page.locator('#event-details').textContent(), /Marathon Three/, 'a label chooses its event')
    t.equal(await page.locator('.event.selected').getAttribute('title'), 'Marathon Three, 02:00 to 13:00 (overlap)', 'and its block shows it is chosen')
    await screenshot(page, 'operator-five-overlaps')
  })

  await t.test('item 14: the year is shown, a schedule opens at its first week, a date picker jumps, a warning links to its event', async (t) => {
    const id = await importJson('Old archive', [
      event('Archive A', '2019-03-05T10:00:00Z', '2019-03-05T11:00:00Z'),
      event('Archive B', '2019-03-19T10:00:00Z', '2019-03-19T11:00:00Z'),
      event('Archive C', '2019-03-19T10:30:00Z', '2019-03-19T11:30:00Z')
    ])
    await openSchedule(page, id)
    t.match(await page.locator('#timeline-range').textContent(), /2019/, 'the week heading names the year')
    t.equal(await page.locator('.timeline .event').count(), 1, 'it opens on the week of the first event, not today\'s')
    t.equal(await page.inputValue('#timeline-date'), '2019-03-04', 'the date picker shows the week\'s Monday')

    await page.fill('#timeline-date', '2019-03-20')
    await page.locator('.timeline .event[title^="Archive B"]').waitFor()
    t.match(await page.locator('#timeline-range').textContent(), /^Mon, 18 Mar 2019 – Sun, 24 Mar 2019$/, 'the picked date\'s week is shown')
    t.equal(await page.evaluate(() => document.activeElement?.id), 'timeline-date', 'the picker keeps the focus')

    await page.fill('#timeline-date', '2019-03-05')
    await page.locator('.timeline .event[title^="Archive A"]').waitFor()
    const link = page.locator('#warning-list a', { hasText: 'Archive C' })
    await link.click()
    await page.locator('.event.selected').waitFor()
    t.equal(await page.locator('.event.selected').getAttribute('title'), 'Archive C, 10:30 to 11:30 (overlap)', 'the warning\'s event is chosen, in its own week')
    t.match(await page.locator('#event-details').textContent(), /Archive C/)
    t.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.title), 'Archive C, 10:30 to 11:30 (overlap)', 'and has the focus')
    t.ok(await page.locator('.event.selected').evaluate((el) => { const r = el.getBoundingClientRect(); const box = el.closest('.timeline')!.getBoundingClientRect(); return r.top >= box.top && r.bottom <= box.bottom && r.bottom <= innerHeight }), 'the timeline is scrolled to it')
    await page.locator('#warning-list a', { hasText: 'Archive B' }).click()
    // The timeline marks the selection when it redraws: wait for it to move (a time-out fails the test).
    await page.locator('.event.selected[title^="Archive B"]').waitFor()
    t.equal(await page.locator('.event.selected').getAttribute('title'), 'Archive B, 10:00 to 11:00 (overlap)', 'a warning in the week shown selects its event there')
  })

  await t.test('item 15: details beside the timeline, a visible selection, focus kept by the view controls', async (t) => {
    const id = await importJson('Focus week', [event('Late Film', '2025-12-01T21:00:00Z', '2025-12-01T23:00:00Z'), event('Next Week', '2025-12-08T21:00:00Z', '2025-12-08T23:00:00Z')])
    await openSchedule(page, id)
    const block = page.locator('.timeline .event', { hasText: 'Late Film' })
    await block.click()
    const details = await page.locator('#event-details').boundingBox()
    const timeline = await page.locator('.timeline').boundingBox()
    t.ok(details !== null && timeline !== null && details.y < timeline.y + timeline.height, 'the details open beside the timeline, not below it')
    t.ok(details !== null && details.y >= 0 && details.y + details.height <= 1000, 'in sight without scrolling')
    t.match(await page.locator('#event-details').textContent(), /Late Film/)
    t.equal(await block.getAttribute('aria-current'), 'true', 'the chosen block says so')
    t.not(await block.evaluate((el) => getComputedStyle(el).outlineStyle), 'none', 'and shows it')
    await screenshot(page, 'operator-details')

    const week = (monday: number): string => `Mon, ${monday} Dec 2025 – Sun, ${monday + 6} Dec 2025`
    for (const [control, text, range] of [['next', 'Next week →', week(8)], ['previous', '← Previous week', week(1)], ['day', 'Day', 'Mon, 1 Dec 2025'], ['next', 'Next day →', 'Tue, 2 Dec 2025'], ['week', 'Week', week(1)]] as const) {
      await page.locator(`[data-control="${control}"]`).focus()
      await page.keyboard.press('Enter')
      await page.locator('#timeline-range', { hasText: new RegExp(`^${range}$`) }).waitFor()
      await page.locator('.timeline[data-ready]').waitFor()
      t.equal(await page.evaluate(() => document.activeElement?.textContent), text, `after ${control}, the focus is on ${text}`)
    }
  })

  t.same(problems, [], 'no console error, failed request or error status on the way')

  await t.test('item 17: on a 390 × 844 phone nothing scrolls sideways, and a schedule opens on one day', async (t) => {
    await importJson('A schedule with a rather long name for a narrow phone screen', [event('Phone show', '2025-11-24T07:00:00Z', '2025-11-24T08:00:00Z')])
    const long = `https://cdn.example/${'very-long-path-segment/'.repeat(6)}video.mp4`
    const playlist = (await call<{ playlist: { id: string } }>('/api/playlists/import?name=Phone%20playlist', { method: 'POST', headers: { 'content-type': 'audio/x-mpegurl' }, body: `#EXTM3U\n#EXTINF:1800 group-title="Documentaries",A programme with a long title\n${long}\n` })).playlist.id
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'UTC', locale: 'en-GB', isMobile: true, hasTouch: true })).newPage()
    const phoneProblems = watchPage(phone, server.url)
    await phone.goto(`${server.url}/#key=${ADMIN}`)
    await phone.locator('#on-air[aria-busy="false"]').waitFor()
    const scrollWidth = (): Promise<number> => phone.evaluate(() => document.scrollingElement!.scrollWidth)
    for (const [hash, ready] of [['#/schedules', '#schedule-list table'], ['#/playlists', '#playlist-list table'], [`#/playlists/${playlist}`, '#playlist-items']]) {
      await phone.goto(`${server.url}/${hash}`)
      await phone.locator(ready).waitFor()
      t.ok(await scrollWidth() <= 390, `${hash}: no sideways scrolling (${await scrollWidth()} px wide)`)
    }
    await screenshot(phone, 'operator-phone-schedules')
    await phone.goto(`${server.url}/#/schedules`)
    await phone.locator('#schedule-list a', { hasText: 'rather long name' }).click()
    await phone.locator('.timeline[data-ready]').waitFor()
    t.equal(await phone.locator('.timeline.day').count(), 1, 'the schedule opens in the day view')
    t.equal(await phone.getAttribute('[data-control="day"]', 'aria-pressed'), 'true')
    t.ok(await scrollWidth() <= 390, `the schedule page fits too (${await scrollWidth()} px wide)`)
    await phone.locator('.timeline .event', { hasText: 'Phone show' }).click()
    t.ok(await phone.locator('#event-details').isVisible(), 'a chosen event\'s details are shown')
    const details = await phone.locator('#event-details').boundingBox()
    t.ok(details !== null && details.y + details.height <= 844, 'over the timeline, in sight')
    await screenshot(phone, 'operator-phone-day')
    t.same(phoneProblems, [], 'no console error or failed request on the phone')
  })
})
