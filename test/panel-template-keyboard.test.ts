import t from 'tap'
import type { Page } from 'playwright-core'
import { axeViolations, launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import { templateChannel } from './template-channel.js'

// Template blocks moved and resized from the keyboard on the week grid itself (issue 27 item 6:
// a keyboard path for every mouse action), in chromium against the real server: Tab reaches a
// block's piece, named by its block's days and times; the arrow keys store what a drag would,
// the focus stays on the moved block, and a move the API refuses leaves it and says why.

const ADMIN = 'panel-template-keyboard-admin-key-0123456789'
const item = (title: string) => ({ item: { url: `https://cdn.example/${title}.mp4`, title, duration: 1800 } })
const BLOCKS = [
  { id: 'news', days: ['mon'], start: '08:00', end: '08:30', title: 'News', source: item('news') },
  { id: 'quiz', days: ['tue'], start: '08:40', end: '09:30', title: 'Quiz', source: item('quiz') },
  { id: 'kids', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '14:00', end: '15:00', title: 'Kids', source: item('kids') },
  { id: 'late', days: ['sun'], start: '23:00', end: '23:30', title: 'Late Show', source: item('late') }
]

/** The accessible name of what has the focus ('' when nothing named: <body>). */
const focusedName = async (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')

t.test('template blocks moved by keyboard in the week grid', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${ADMIN}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const { call, channelId, stored } = await templateChannel(t, server.url, ADMIN, 'Keys TV', BLOCKS)

  const browser = await launchBrowser(t)
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage()
  const problems = watchPage(page, server.url)
  const puts: string[] = []
  page.on('request', (req) => { if (req.method() === 'PUT' && req.url().endsWith(`/api/channels/${channelId}/template`)) puts.push(req.url()) })
  const putTemplate = () => page.waitForResponse((res) => res.url().endsWith(`/api/channels/${channelId}/template`) && res.request().method() === 'PUT')
  /** Presses `key` on the focused block and answers the PUT it sent. */
  const press = async (key: string) => { const put = putTemplate(); await page.keyboard.press(key); return (await put).status() }
  /** Whether the focus comes to the piece named `name` (the grid is redrawn after a move). */
  const focusComesTo = async (name: string): Promise<boolean> =>
    page.waitForFunction((n) => document.activeElement?.getAttribute('aria-label') === n, name).then(() => true, () => false)

  await page.goto(`${server.url}/#key=${ADMIN}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()
  await page.goto(`${server.url}/#/channels/${channelId}?tab=template`)
  await page.locator('#week-grid .ec-event', { hasText: 'News' }).waitFor()

  /** Tabs on from where the focus is until a block's piece whose name starts with `title` has it. */
  const tabTo = async (title: string): Promise<string> => {
    for (let tries = 0; tries < 40; tries++) {
      await page.keyboard.press('Tab')
      const name = await focusedName(page)
      if (name.startsWith(`${title}, `)) return name
    }
    return await focusedName(page)
  }

  await t.test('Tab reaches a block in the grid, named by its block, its days and times', async (t) => {
    await page.locator('#add-block').focus() // the button just above the grid
    t.equal(await tabTo('News'), 'News, Mon 08:00–08:30', 'a one-day block')
    t.equal(await page.getByRole('button', { name: 'Kids, Mon–Fri 14:00–15:00', exact: true }).count(), 5, 'a weekday block: each of its five pieces says its days')
    t.match(await page.locator('#week-keys').innerText(), /Up and Down arrows move it 5 minutes, Shift\+Up and Shift\+Down move its end, Left and Right move a block on one day/, 'the hint says the keys')
    t.same(await axeViolations(page), [], 'axe: no WCAG 2.1 AA violation with a block focused')
  })

  await t.test('ArrowDown moves it 5 minutes later, Shift+ArrowDown its end: stored, the focus on the block', async (t) => {
    t.equal(await press('ArrowDown'), 200)
    t.match(await stored('news'), { days: ['mon'], start: '08:05', end: '08:35' }, 'the API has it 5 minutes later')
    t.ok(await focusComesTo('News, Mon 08:05–08:35'), 'the focus is on the moved block, drawn again')
    t.equal(await press('Shift+ArrowDown'), 200)
    t.match(await stored('news'), { days: ['mon'], start: '08:05', end: '08:40' }, 'its end 5 minutes later')
    t.ok(await focusComesTo('News, Mon 08:05–08:40'), 'the focus still on it')
  })

  await t.test('ArrowRight moves a one-day block to the next day, Sunday onto Monday', async (t) => {
    t.equal(await press('ArrowRight'), 200)
    t.match(await stored('news'), { days: ['tue'], start: '08:05', end: '08:40' }, 'Monday to Tuesday, same times')
    t.ok(await focusComesTo('News, Tue 08:05–08:40'), 'the focus went with it')
    t.equal(await tabTo('Late Show'), 'Late Show, Sun 23:00–23:30')
    t.equal(await press('ArrowRight'), 200)
    t.match(await stored('late'), { days: ['mon'], start: '23:00', end: '23:30' }, 'the week is circular: Sunday to Monday')
    t.ok(await focusComesTo('Late Show, Mon 23:00–23:30'), 'the focus is on it, now on Monday')
  })

  await t.test('on a block of several days ArrowRight does nothing; ArrowDown moves its times', async (t) => {
    await page.locator('#add-block').focus()
    t.equal(await tabTo('Kids'), 'Kids, Mon–Fri 14:00–15:00')
    const before = puts.length
    await page.keyboard.press('ArrowRight')
    t.equal(await press('ArrowDown'), 200)
    t.equal(puts.length, before + 1, 'one PUT, the ArrowDown\'s: ArrowRight sent none')
    t.match(await stored('kids'), { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '14:05', end: '15:05' }, 'same days, 5 minutes later')
    t.ok(await focusComesTo('Kids, Mon–Fri 14:05–15:05'), 'the focus on it')
  })

  await t.test('ArrowDown held: the block moves as far as the key repeated, every press counted', async (t) => {
    const before = puts.length
    // A held key repeats faster than a move is stored: three presses, none waiting for a PUT.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown')
    t.ok(await focusComesTo('Kids, Mon–Fri 14:20–15:20'), 'three snaps of 5 minutes, and the focus on it')
    t.match(await stored('kids'), { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '14:20', end: '15:20' }, 'stored 15 minutes later')
    t.ok(puts.length - before <= 3, 'at most a PUT a press')
  })

  await t.test('a move into another block: refused, the block stays, #drag-error says why, the focus stays', async (t) => {
    await page.locator('#add-block').focus()
    t.equal(await tabTo('News'), 'News, Tue 08:05–08:40')
    const template = await (await call(`/api/channels/${channelId}/template`)).text()
    t.equal(await press('ArrowDown'), 400, 'the API refuses 08:10–08:45 over the quiz at 08:40')
    await page.locator('#drag-error').waitFor()
    t.match(await page.locator('#drag-error').innerText(), /news[\s\S]*quiz|quiz[\s\S]*news/, 'the refusal names both blocks')
    t.equal(await (await call(`/api/channels/${channelId}/template`)).text(), template, 'nothing stored')
    t.equal(await focusedName(page), 'News, Tue 08:05–08:40', 'the block is where it was, and has the focus')
    t.match(await page.getByRole('button', { name: 'News, Tue 08:05–08:40', exact: true }).innerText(), /08:05\s*[-–]\s*08:40/, 'and is drawn there')
    problems.splice(0) // the 400 was asked for
    t.same(await axeViolations(page), [], 'axe: no WCAG 2.1 AA violation with the refusal shown')
    await screenshot(page, 'template-keyboard-refused')
  })

  await t.test('Shift+ArrowUp shortens it; Enter opens its form, as a click does', async (t) => {
    t.equal(await press('Shift+ArrowUp'), 200)
    t.match(await stored('news'), { days: ['tue'], start: '08:05', end: '08:35' })
    t.ok(await focusComesTo('News, Tue 08:05–08:35'), 'the focus on it')
    await page.locator('#drag-error').waitFor({ state: 'detached' })
    await page.keyboard.press('Enter')
    await page.locator('#block-form').waitFor()
    t.equal(await page.locator('#block-form-title').innerText(), 'Block news', 'the form is the block\'s')
  })

  t.same(problems, [], 'no console error, failed request or unexpected error status')
})
