import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { CHROMIUM_ARGS, chromiumExecutable } from '../bench/chromium.js'
import { projectRoot } from '../workers/project.js'

// A Chromium driven by playwright-core (bench/chromium.ts finds one), against
// `node dist/server.js` (helpers.startServer).

export { chromiumExecutable }
export const SCREENSHOTS = join(projectRoot, 'test-output', 'screenshots')

export async function launchBrowser (t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: CHROMIUM_ARGS
  })
  t.teardown(() => browser.close())
  return browser
}

/** Every console error, failed request and error status the page meets, for the test to assert on. */
export function watchPage (page: Page, base: string): string[] {
  const problems: string[] = []
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`) })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('requestfailed', (req) => {
    // ERR_ABORTED is the browser dropping a poll still in flight when the test navigates away.
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`)
  })
  page.on('request', (req) => { if (!req.url().startsWith(base) && !req.url().startsWith('blob:') && !req.url().startsWith('data:')) problems.push(`request to another host: ${req.url()}`) })
  page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`) })
  return problems
}

export async function screenshot (page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}
