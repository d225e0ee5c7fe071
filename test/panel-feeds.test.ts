import t from 'tap'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import { parseM3u } from '../workers/playlist/m3u.js'

// The panel's Feeds page (SPEC §17): an admin makes a feed token, sees it once with the
// addresses to paste into an app, and revokes it; the token opens the channel list until then.

const ADMIN = 'panel-feeds-admin-key-0123456789'
const OPERATOR = 'panel-feeds-operator-key-012345'

t.test('Feeds page: create a token, its addresses, revoke it', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${ADMIN},operator:${OPERATOR}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const browser = await launchBrowser(t)
  const page = await (await browser.newContext({ viewport: { width: 1300, height: 900 } })).newPage()
  const problems = watchPage(page, server.url)
  page.on('dialog', (dialog) => { void dialog.accept() })

  await page.goto(`${server.url}/#key=${ADMIN}`)
  await page.locator('#key-button', { hasText: 'admin' }).waitFor()
  await page.locator('nav a[data-nav="feeds"]').click()
  await page.locator('#feed-form').waitFor()
  await page.fill('#feed-name', 'Lobby TV')
  await page.click('#feed-form button[type="submit"]')
  const token = (await page.locator('#feed-token-value').textContent())!
  t.match(token, /^sff_/, 'the token is shown once it is made')
  await page.locator('#feed-urls', { hasText: 'channels.m3u' }).waitFor()
  const urls = await page.locator('#feed-urls code').allTextContents()
  t.ok(urls.includes(`${server.url}/feeds/${token}/channels.m3u`), 'the channel list\'s address, absolute')
  t.ok(urls.includes(`${server.url}/feeds/${token}/hdhr`), 'the tuner\'s address')
  await page.locator('#feed-tokens tbody tr', { hasText: 'Lobby TV' }).waitFor()
  await screenshot(page, 'feeds')

  const list = await fetch(`${server.url}/feeds/${token}/channels.m3u`)
  t.equal(list.status, 200)
  t.equal(parseM3u(await list.text()).attributes['url-tvg'], `${server.url}/feeds/${token}/guide.xml`)

  await page.locator('#feed-tokens tbody tr', { hasText: 'Lobby TV' }).getByRole('button', { name: 'Revoke' }).click()
  await page.locator('#feed-status', { hasText: 'Revoked' }).waitFor()
  t.equal(await page.locator('#feed-tokens').count(), 0, 'no token left in the list')
  t.equal((await fetch(`${server.url}/feeds/${token}/channels.m3u`)).status, 401, 'revoked: its feeds shut')
  t.equal(await page.evaluate(() => localStorage.getItem('scheduleflow.feedToken')), null, 'this browser forgets the revoked token')
  t.same(problems, [], 'no console error or failed request')

  // An operator sees the page refuse, not a token.
  await page.goto(`${server.url}/#key=${OPERATOR}`)
  await page.locator('#key-button', { hasText: 'operator' }).waitFor()
  await page.goto(`${server.url}/#/feeds`)
  await page.locator('#main', { hasText: /admin/ }).waitFor()
  t.equal(await page.locator('#feed-tokens').count(), 0)
})
