import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer, tempDir } from './helpers.js'
import { m3u } from './channel-fixtures.js'

// SPEC §15 in the panel: a playlist's "Replace…" takes an M3U file and replaces its items in
// place (PUT /api/playlists/:id): the page stays on the same playlist, now with the new items;
// a file that is no playlist says why and leaves the items as they were.

const KEY = 'replace-panel-key-0123456789abcdef'

t.test('the panel replaces a playlist\'s items in place', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ops:operator:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const imported = await fetch(`${server.url}/api/playlists/import?name=Harbour`, { method: 'POST', body: m3u(6, 'Episode', 1500, 'Series'), headers: { authorization: `Bearer ${KEY}`, 'content-type': 'audio/x-mpegurl' } })
  t.equal(imported.status, 201)
  const id = (await imported.json()).playlist.id as string
  const dir = tempDir(t)
  const longer = join(dir, 'harbour.m3u')
  writeFileSync(longer, m3u(7, 'Episode', 1500, 'Series'))
  const notAPlaylist = join(dir, 'notes.m3u')
  writeFileSync(notAPlaylist, '{"episodes": 7}\n')

  const browser = await launchBrowser(t)
  const page = await browser.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()
  await page.goto(`${server.url}/#/playlists/${id}`)
  await page.locator('#playlist-items tbody tr').first().waitFor()
  t.equal(await page.locator('#playlist-items tbody tr').count(), 6)

  await page.click('#playlist-replace-open')
  await page.setInputFiles('#playlist-replace-file', notAPlaylist)
  await page.locator('#playlist-replace .error', { hasText: 'not an M3U playlist' }).waitFor()
  t.equal(await page.locator('#playlist-items tbody tr').count(), 6, 'a refused file leaves the items')
  problems.splice(0) // the 400 just above was asked for

  await page.setInputFiles('#playlist-replace-file', longer)
  await page.locator('#playlist-status', { hasText: 'Replaced: 7 items' }).waitFor()
  await page.locator('#playlist-items tbody tr').nth(6).waitFor()
  t.match(await page.locator('#playlist-items tbody tr').nth(6).textContent(), /Episode 7/, 'the new episode is listed')
  t.equal(new URL(page.url()).hash, `#/playlists/${id}`, 'the same playlist')
  t.equal(await page.locator('main h2').first().textContent(), 'Harbour', 'its name kept')
  await screenshot(page, 'playlist-replaced')
  t.same(problems, [])
})
