import t from 'tap'
import type { Dialog } from 'playwright-core'
import { launchBrowser, screenshot } from './browser.js'
import { startServer } from './helpers.js'

// What a link from elsewhere can do to the panel: set its key, or steer its requests.

const SAVED = 'panel-saved-admin-key-0123456789'
const OFFERED = 'panel-offered-operator-key-98765'
const STORAGE = 'scheduleflow.apiKey'

t.test('the panel against links it did not make', async (t) => {
  // This file loads the panel some thirty times, each load a dozen files: past the default
  // per-address rate limit, which static files still share with the API (issue 8, item 15).
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${SAVED},operator:${OFFERED}`, SCHEDULEFLOW_LOG_FILE: 'off', SCHEDULEFLOW_RATE_LIMIT_MAX: '10000' })
  const browser = await launchBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  const page = await context.newPage()
  const storedKey = (): Promise<string | null> => page.evaluate((name) => localStorage.getItem(name), STORAGE)
  /** Waits for the panel to show the role of whichever key it holds. */
  const roleShown = (): Promise<void> => page.locator('#key-button', { hasText: /\((admin|operator)\)/ }).waitFor()
  /** Changes only the fragment, as a link followed inside the open panel does, and waits for the view it renders. */
  const follow = async (hash: string): Promise<void> => {
    await page.evaluate((hash) => { document.getElementById('main')!.replaceChildren(); location.hash = hash }, hash)
    await page.locator('#main > div > *').first().waitFor()
  }

  /** Every dialog the page opens, answered as `answer` says. */
  const dialogs: { type: string, message: string }[] = []
  let answer: (dialog: Dialog) => Promise<void> = (dialog) => dialog.dismiss()
  page.on('dialog', (dialog) => {
    dialogs.push({ type: dialog.type(), message: dialog.message() })
    void answer(dialog)
  })

  await t.test('a key link with no key saved, or with the same key, is taken without a question', async (t) => {
    await page.goto(`${server.url}/#key=${SAVED}`)
    await page.locator('#key-button', { hasText: 'admin' }).waitFor()
    t.equal(await storedKey(), SAVED)
    await page.goto(`${server.url}/#key=${SAVED}`)
    await page.reload()
    await page.locator('#key-button', { hasText: 'admin' }).waitFor()
    t.equal(await storedKey(), SAVED)
    await page.goto(`${server.url}/#key=`)
    await page.locator('#key-button', { hasText: 'admin' }).waitFor()
    t.equal(await storedKey(), SAVED, 'an empty key in a link removes nothing')
    t.same(dialogs, [], 'no dialog')
  })

  await t.test('a link with another key asks first; dismissing keeps the saved key', async (t) => {
    dialogs.splice(0)
    answer = (dialog) => dialog.dismiss()
    await page.goto('about:blank')
    await page.goto(`${server.url}/#key=${OFFERED}`)
    await roleShown()
    t.equal(dialogs.length, 1, 'one question')
    t.equal(dialogs[0]?.type, 'confirm')
    t.match(dialogs[0]?.message, /replace the saved key/i)
    t.notMatch(dialogs[0]?.message, SAVED, 'the question names neither key')
    t.notMatch(dialogs[0]?.message, OFFERED, 'the question names neither key')
    t.equal(await storedKey(), SAVED, 'the saved key stays')
    t.equal(new URL(page.url()).hash, '#/', 'the offered key is out of the address bar')
    await screenshot(page, 'key-link-refused')
  })

  await t.test('the same, from a link followed while the panel is open (the fragment alone changes)', async (t) => {
    dialogs.splice(0)
    await follow(`#key=${OFFERED}`)
    t.equal(new URL(page.url()).hash, '#/', 'the offered key is out of the address bar')
    t.equal(dialogs.length, 1, 'asked')
    t.equal(await storedKey(), SAVED, 'the saved key stays')
  })

  await t.test('accepting replaces the key, and the panel uses the new one', async (t) => {
    dialogs.splice(0)
    answer = (dialog) => dialog.accept()
    await page.goto('about:blank')
    await page.goto(`${server.url}/#key=${OFFERED}`)
    await page.locator('#key-button', { hasText: 'operator' }).waitFor()
    t.equal(dialogs.length, 1, 'asked')
    t.equal(await storedKey(), OFFERED)
  })

  await t.test('an id from the address bar goes into a request only when it has the form of an id', async (t) => {
    await page.evaluate(({ name, key }) => localStorage.setItem(name, key), { name: STORAGE, key: SAVED })
    const paths: string[] = []
    page.on('request', (req) => { if (req.url().startsWith(server.url)) paths.push(new URL(req.url()).pathname) })
    /** The panel's own files (with the two it serves from node_modules) and the key check every page load makes: nothing else may be asked for. */
    const expected = (path: string): boolean => path === '/' || path === '/style.css' || path.startsWith('/js/') || path.startsWith('/vendor/') || path === '/contract/limits.js' || path === '/api/auth'
    const uuid = '6f1c2f3e-0000-4000-8000-000000000001'
    const addresses = [
      '#/schedules/..%2F..%2Fplaylists',
      '#/schedules/..%2Fplaylists',
      '#/schedules/%2E%2E%2F%2E%2E%2Fhealth',
      '#/schedules/..%2F..%2Fapi%2Fstats%3Fx=',
      '#/schedules/..%5C..%5Cplaylists',
      '#/playlists/..%2F..%2Fschedules',
      '#/playlists/..',
      '#/channels/..%2F..%2Fschedules',
      '#/channels/..%2Fguide',
      `#/schedules/${uuid}%2F..%2F..%2Fplaylists`,
      `#/schedules/${uuid}%3Fto%3D1970-01-01T00:00:01Z`,
      `#/schedules/${uuid}%23`,
      '#/schedules/not-an-id',
      '#/schedules/%E0%A4%A'
    ]
    for (const address of addresses) {
      paths.splice(0)
      await page.goto('about:blank')
      await page.goto(`${server.url}/${address}`) // the panel renders its view before the load event
      await page.waitForLoadState('networkidle')
      t.same(paths.filter((p) => !expected(p)), [], `loaded at ${address}: no request beyond the panel's files and the key check`)
      t.match(await page.locator('#main').textContent(), /no such schedule, playlist or channel/i, `loaded at ${address}: not found`)
    }
    // The same addresses followed from a panel already open: only the fragment changes, no page load.
    for (const address of addresses) {
      paths.splice(0)
      await follow(address)
      await page.waitForLoadState('networkidle')
      t.same(paths, [], `followed to ${address}: no request at all`)
      t.equal(await page.locator('#not-found').count(), 1, `followed to ${address}: not found`)
    }
    await screenshot(page, 'malformed-id')

    // A well-formed id the service does not know is asked for, and answered 404: the watch above sees view requests.
    paths.splice(0)
    await page.goto(`${server.url}/#/schedules/${uuid}`)
    await page.locator('.state.error', { hasText: 'Opening the schedule failed' }).waitFor()
    t.ok(paths.some((p) => p === `/api/schedules/${uuid}`), 'a well-formed id is asked for')
  })
})
