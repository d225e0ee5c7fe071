import t from 'tap'
import { join } from 'node:path'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer, tempDir } from './helpers.js'
import { serverClient } from './server-client.js'
import { makeClips } from './media-fixtures.js'
import type { Collection, LibraryList, MediaItemList } from '../contract/media.js'
import type { Template } from '../contract/api.js'

// Issue 26 (SPEC §16), the panel's Media page in Chromium against the real server: an admin adds
// a library over a folder of three tiny real clips (made here by ffmpeg) under
// SCHEDULEFLOW_MEDIA_ROOTS, after a root outside them is refused next to its field; scans it and
// watches the progress bar reach the end; reads the probed durations and episode numbers and
// the collections; then picks the show's collection as a channel block's source in the
// template editor. Nothing is faked: real routes, workers, ffprobe, storage.

const ADMIN = 'panel-media-admin-key-0123456789abcdef'
const SHOW = 'Nature Walks'
const CLIPS = {
  [`${SHOW}/Season 01/${SHOW} - S01E01 - Forest.mp4`]: 3,
  [`${SHOW}/Season 01/${SHOW} - S01E02 - River.mp4`]: 4,
  'Films/Quiet Lake (2020).mkv': 5
}

t.test('the Media page', async (t) => {
  const roots = tempDir(t)
  const root = join(roots, 'library')
  await makeClips(root, CLIPS)
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${ADMIN}`, SCHEDULEFLOW_LOG_FILE: 'off', SCHEDULEFLOW_MEDIA_ROOTS: roots })
  const { call } = serverClient(t, server.url, ADMIN)
  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'Europe/London', locale: 'en-GB' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${ADMIN}`)
  await page.locator('nav a[data-nav="media"]').click()
  let libraryId = ''

  await t.test('a root outside SCHEDULEFLOW_MEDIA_ROOTS is refused next to its field, nothing stored', async (t) => {
    await page.locator('#library-form').waitFor()
    await page.getByText('No libraries yet').waitFor() // the list read: none
    await page.getByLabel('Name', { exact: true }).fill('Walks')
    await page.getByLabel(/^Folder/).fill('/etc')
    await page.getByRole('button', { name: 'Add library' }).click()
    await page.locator('#library-root-error:not(:empty)').waitFor()
    t.equal(await page.getAttribute('#library-root', 'aria-invalid'), 'true', 'the root is marked')
    t.equal(await page.getAttribute('#library-name', 'aria-invalid'), null, 'the name is not')
    t.ok((await page.locator('#library-root-error').textContent())!.length > 10, 'the service\'s reason is said under the field')
    t.same(((await (await call('/api/libraries')).json()) as LibraryList).libraries, [], 'nothing stored')
    problems.splice(0) // the 400 just above was asked for
  })

  await t.test('added, scanned: the progress bar reaches the end, three files probed', async (t) => {
    await page.getByLabel(/^Folder/).fill(root)
    await page.getByRole('button', { name: 'Add library' }).click()
    const row = page.locator('#libraries tbody tr')
    await row.waitFor()
    libraryId = (await row.getAttribute('data-id'))!
    t.match(await row.textContent(), new RegExp(`Walks${root.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&')}0never`), 'name, root, no items, never scanned')
    await page.getByRole('button', { name: 'Scan Walks' }).click()
    const scan = page.locator('#scan-section .scan')
    await scan.waitFor()
    const bar = scan.getByRole('progressbar', { name: 'Scan progress' })
    t.equal(await bar.getAttribute('aria-valuemin'), '0')
    t.equal(await bar.getAttribute('aria-valuemax'), '100')
    await page.locator('#scan-section .scan[data-state="done"]').waitFor({ timeout: 60_000 })
    t.equal(await bar.getAttribute('aria-valuenow'), '100', 'the bar is full when the scan is done')
    t.match(await scan.locator('.scan-state').textContent(), /^Done/)
    t.equal(await scan.locator('.scan-seen').textContent(), '3', 'three files found')
    t.equal(await scan.locator('.scan-probed').textContent(), '3', 'three probed')
    t.equal(await scan.locator('.scan-failed').textContent(), '0', 'none skipped')
    t.equal(await scan.locator('.scan-cancel').count(), 0, 'no Cancel once done')
    await page.locator('#libraries tbody tr td:nth-child(3)', { hasText: '3' }).waitFor()
    t.match(await row.locator('.last-scan').textContent(), /^Done/, 'the list says the last scan is done')
    await screenshot(page, 'panel-media')
  })

  await t.test('the library\'s items with their probed lengths and episodes, and its collections', async (t) => {
    await page.getByRole('link', { name: 'Walks' }).click()
    await page.locator('#media-items').waitFor()
    const items = ((await (await call(`/api/libraries/${libraryId}/items`)).json()) as MediaItemList).items
    t.equal(items.length, 3)
    const rows = page.locator('#media-items tbody tr')
    t.equal(await rows.count(), 3)
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
    // The lengths ffprobe read, as h:mm:ss would show them rounded: 0:03, 0:04, 0:05.
    const byPath = new Map(shown.map((cells) => [cells[3], cells]))
    const forest = byPath.get(`${SHOW}/Season 01/${SHOW} - S01E01 - Forest.mp4`)!
    t.equal(forest[1], '0:03', 'the first episode lasts 3 s')
    t.equal(forest[2], 'S01E01', 'its season and episode')
    t.equal(byPath.get(`${SHOW}/Season 01/${SHOW} - S01E02 - River.mp4`)![1], '0:04')
    t.equal(byPath.get('Films/Quiet Lake (2020).mkv')![1], '0:05')
    for (const item of items) t.ok(item.duration !== null && Math.abs(item.duration - CLIPS[item.path as keyof typeof CLIPS]) < 0.05, `${item.path} probed within 50 ms`)

    const collections = page.locator('#media-collections tbody tr')
    await collections.first().waitFor()
    t.match(await page.locator('#media-collections').textContent(), new RegExp(`Show${SHOW}2`), 'the show with its two episodes')
    await page.getByRole('button', { name: `List the items of the show ${SHOW}` }).click()
    await page.locator('#media-items caption', { hasText: '2 items' }).waitFor()
    t.match(page.url(), /\?collection=/, 'the chosen collection is kept in the address')
    t.same(problems, [], 'no console error, failed request or error status')

    // A phone: the tables become cards, nothing runs off the side.
    await page.setViewportSize({ width: 390, height: 844 })
    t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll at a phone\'s width')
    await screenshot(page, 'panel-media-phone')
    await page.setViewportSize({ width: 1366, height: 768 })
  })

  await t.test('a collection picked as a block\'s source in the template editor', async (t) => {
    const show = ((await (await call(`/api/libraries/${libraryId}/collections`)).json()).collections as Collection[]).find((c) => c.kind === 'show' && c.name === SHOW)!
    t.ok(show, 'the show is a collection')
    const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number: '9', name: 'Walks TV', timezone: 'Europe/London', build_ahead_days: 0 }) })
    t.equal(created.status, 201)
    const { channel } = await created.json() as { channel: { id: string } }
    await page.goto(`${server.url}/#/channels/${channel.id}?tab=template`)
    await page.locator('#add-block').click()
    await page.locator('#block-form').waitFor()
    await page.fill('#block-id', 'walks')
    await page.fill('#block-start', '06:00')
    await page.fill('#block-end', '07:00')
    await page.getByLabel('From a media collection').check()
    await page.locator(`#block-collection option[value="${show.id}"]`).waitFor({ state: 'attached' })
    t.match(await page.locator(`#block-collection option[value="${show.id}"]`).textContent(), `Show: ${SHOW} (2 items)`, 'offered by kind, name and size')
    await page.selectOption('#block-collection', show.id)
    await page.selectOption('#block-order', 'sequential')
    await page.fill('#block-assume_seconds', '60')
    await screenshot(page, 'panel-media-block')
    await page.click('#block-form button[type=submit]')
    await page.locator('#block-form').waitFor({ state: 'detached' })
    const { template } = await (await call(`/api/channels/${channel.id}/template`)).json() as { template: Template }
    t.match(template.blocks[0], { id: 'walks', source: { collection: show.id }, order: 'sequential', assume_seconds: 60 }, 'stored with the collection as its source')
    t.match(await page.locator('#block-list tbody').textContent(), `Show: ${SHOW} · sequential`, 'the block list names it')
    t.same(problems, [], 'no console error, failed request or error status')
  })
})
