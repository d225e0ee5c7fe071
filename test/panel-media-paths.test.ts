import t from 'tap'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import type { ScheduleWithEvents } from '../contract/api.js'

// Issue 21 item 8: the panel's forms take what the API takes. The event side form saves a
// local path (ffplayout plays files by path), a relative one and a Windows one, which a
// browser's type=url check blocked without a word; what the API refuses is said under the
// field it names, and nothing is stored. Chromium against the real server, workers, SQLite.

const KEY = 'alice-panel-media-key-0123456789'
const DAY = '2026-03-02'
const at = (hhmm: string): string => `${DAY}T${hhmm}:00.000Z`
const LOCAL = '/srv/media/series/harbour-lights/s02e06.mp4'

t.test('the event side form saves media paths and shows a refused one under its field', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Alice:operator:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const call = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } })
  const imported = await call('/api/schedules/import?name=Media', {
    method: 'POST',
    body: JSON.stringify({ schedule: [['News', '08:00', '08:30'], ['Harbour Lights', '09:00', '10:00']].map(([title, start, end]) => ({ title, start: at(start), end: at(end), videoUrl: 'https://cdn.example/a.mp4' })) })
  })
  t.equal(imported.status, 201)
  const id = (await imported.json()).schedule_id as string
  const storedUrl = async (): Promise<string | null> => {
    const { events } = await (await call(`/api/schedules/${id}`)).json() as ScheduleWithEvents
    return events.find((e) => e.title === 'Harbour Lights')!.video_url
  }

  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC' })
  const page = await context.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()
  await page.goto(`${server.url}/#/schedules/${id}?view=week&date=${DAY}`)
  await page.locator('[data-control="edit"]').click()
  await page.locator('#edit-calendar .ec-event', { hasText: 'Harbour Lights' }).click()
  const video = page.locator('#event-video_url')
  await video.waitFor()

  let revision = 1
  for (const path of [LOCAL, 'media/harbour-lights/s02e07.mp4', 'C:\\clips\\harbour-lights.mp4']) {
    await video.fill(path)
    await page.locator('#event-save').click()
    revision++
    await page.locator('#edit-status', { hasText: `revision ${revision},` }).waitFor()
    t.equal(await storedUrl(), path, `${path}: saved through the side form and stored as typed`)
  }

  await video.fill('javascript:alert(1)')
  await page.locator('#event-save').click()
  const said = page.locator('#event-video_url + .field-error')
  await said.waitFor()
  t.match(await said.textContent(), /scheme "javascript:"/, 'the API\'s refusal is said right under the video field')
  t.equal(await video.getAttribute('aria-invalid'), 'true', 'and the field is marked invalid')
  t.equal(await video.inputValue(), 'javascript:alert(1)', 'what was typed stays to be corrected')
  t.equal(await storedUrl(), 'C:\\clips\\harbour-lights.mp4', 'nothing was stored')
  t.equal(await page.locator('#event-title + .field-error').count(), 0, 'no other field is blamed')
  await screenshot(page, 'panel-media-paths-refused')
  t.same(problems.filter((p) => !p.startsWith('HTTP 400') && !p.includes('400 (Bad Request)')), [], 'only the 400 the test caused')
})
