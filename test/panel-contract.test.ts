import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { BLOCK_FILLS, BLOCK_ORDERS, DEFAULT_BLOCK_FILL, FEED_TOKEN_NAME_MAX, KEY_NAME_MAX, LIBRARY_NAME_MAX } from '../contract/limits.js'
import { axeViolations, launchBrowser, watchPage } from './browser.js'
import { startServer } from './helpers.js'

// The panel imports the contract's limits, enums and defaults from contract/limits.ts itself, as
// the service serves it compiled at /contract/limits.js (README "The control panel"): that one
// file of the build and nothing else of dist/ or of the contract. What the API refuses past, the
// form stops at; what the API takes by default, the form starts with.

t.test('the contract\'s limits reach the panel', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_LOG_FILE: 'off' }) // no SCHEDULEFLOW_API_KEYS: the stored admin key, which the panel offers to rename
  const key = readFileSync(join(server.dir, 'data', 'admin.key'), 'utf8').trim()

  await t.test('/contract/limits.js is the compiled module, served as the panel\'s own; nothing else of the build is', async (t) => {
    const limits = await fetch(`${server.url}/contract/limits.js`)
    t.equal(limits.status, 200)
    t.match(limits.headers.get('content-type'), /^(text|application)\/javascript/)
    t.match(await limits.text(), `export const KEY_NAME_MAX = ${KEY_NAME_MAX};`)
    const main = await fetch(`${server.url}/js/main.js`)
    for (const header of ['cache-control', 'content-security-policy', 'x-content-type-options']) t.equal(limits.headers.get(header), main.headers.get(header), `${header} as the panel's modules`)
    const unserved = ['/contract/api.js', '/contract/channels.js', '/contract/limits.ts', '/contract/limits.js.map', '/contract/', '/contract/%2e%2e/dist/server.js',
      '/dist/contract/limits.js', '/dist/contract/api.js', '/dist/server.js', '/dist/']
    for (const path of unserved) t.equal((await fetch(`${server.url}${path}`)).status, 404, `${path}: not found`)
  })

  const browser = await launchBrowser(t)
  const page = await (await browser.newContext({ viewport: { width: 1300, height: 900 } })).newPage()
  const problems = watchPage(page, server.url)

  await t.test('the name inputs stop at the contract\'s longest names', async (t) => {
    await page.goto(`${server.url}/#key=${key}`)
    const prompt = page.locator('#name-prompt')
    await prompt.waitFor()
    t.equal(await prompt.getByLabel('Name of this key').getAttribute('maxlength'), String(KEY_NAME_MAX), 'the key\'s name')
    t.same(await axeViolations(page), [], 'the prompt passes axe')
    await prompt.getByRole('button', { name: 'Not now' }).click()
    await page.locator('nav a[data-nav="feeds"]').click()
    t.equal(await page.locator('#feed-name').getAttribute('maxlength'), String(FEED_TOKEN_NAME_MAX), 'a feed token\'s name')
    await page.goto(`${server.url}/#/media`)
    t.equal(await page.locator('#library-name').getAttribute('maxlength'), String(LIBRARY_NAME_MAX), 'a media library\'s name')
    t.same(await axeViolations(page), [], 'the media page passes axe')
  })

  await t.test('a new block starts with the API\'s defaults and offers the contract\'s values', async (t) => {
    const created = await fetch(`${server.url}/api/channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ number: '5', name: 'Contract TV', timezone: 'UTC', build_ahead_days: 0 })
    })
    const { channel } = await created.json() as { channel: { id: string } }
    await page.goto(`${server.url}/#/channels/${channel.id}?tab=template`)
    await page.click('#add-block')
    t.same(await page.locator('#block-fill option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), [...BLOCK_FILLS], 'when short: every rule, in the contract\'s order')
    t.equal(await page.inputValue('#block-fill'), DEFAULT_BLOCK_FILL, 'chosen: the API\'s default')
    t.same(await page.locator('#block-order option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), [...BLOCK_ORDERS], 'every order')
    t.same(await axeViolations(page), [], 'the block form passes axe')
  })

  t.same(problems, [], 'no console error or failed request')
})
