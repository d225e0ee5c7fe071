import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { Test } from 'tap'
import { launchChromium } from '../bench/chromium.js'
import { projectRoot } from '../workers/project.js'

// A Chromium driven by playwright-core (bench/chromium.ts finds one), against
// `node dist/server.js` (helpers.startServer).

export const SCREENSHOTS = join(projectRoot, 'test-output', 'screenshots')

export async function launchBrowser (t: Test): Promise<Browser> {
  const browser = await launchChromium((problem) => t.comment(problem))
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

/** The phone the operator run used (issue 27): no page may scroll sideways at this size. */
export const PHONE = { width: 390, height: 844 }

/** The WCAG 2.1 A and AA rules of axe-core: what "accessible" means for the panel (issue 27). */
// Evaluated, not added as a <script>: the panel's CSP (rightly) refuses inline scripts.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

export interface AxeViolation { id: string, impact: string | null, help: string, targets: string[] }

/**
 * axe-core (from npm, injected into the page) run over what the page shows now, WCAG 2.1 AA
 * rules only: each violation with the selectors of the elements that break it, so a failing
 * test names what to fix. `exclude` drops parts the panel does not own (none today).
 */
export async function axeViolations (page: Page, exclude: string[] = []): Promise<AxeViolation[]> {
  if (!await page.evaluate(() => 'axe' in window)) await page.evaluate(AXE_SOURCE)
  return await page.evaluate(async ({ tags, exclude }) => {
    const axe = (window as any).axe
    const result = await axe.run({ exclude: exclude.map((s: string) => [s]) }, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations.map((v: { id: string, impact: string | null, help: string, nodes: Array<{ target: string[] }> }) =>
      ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
  }, { tags: WCAG_AA, exclude })
}

/** Whether the page scrolls sideways: the document wider than the viewport (a phone's complaint). */
export async function scrollsSideways (page: Page): Promise<boolean> {
  return await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)
}
