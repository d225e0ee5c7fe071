import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { projectRoot } from '../workers/project.js'
import { tempDir, waitFor } from './helpers.js'

// Debian's chromium driven by playwright-core, against `node dist/server.js` on a free port.

export const SCREENSHOTS = join(projectRoot, 'test-output', 'screenshots')

export interface PanelServer { url: string, proc: ChildProcess, dataDir: string }

export async function startPanelServer (t: Test, env: Record<string, string>): Promise<PanelServer> {
  const dir = tempDir(t, 'scheduleflow-panel-')
  const proc = spawn(process.execPath, [join(projectRoot, 'dist', 'server.js')], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: '0', SCHEDULEFLOW_LOG_FILE: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString() })
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString() })
  t.teardown(() => { proc.kill('SIGKILL') })
  await waitFor(() => /listening at http:\/\/127\.0\.0\.1:\d+/i.test(out) || proc.exitCode !== null, 20_000)
  const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/i.exec(out)?.[1]
  if (port === undefined) throw new Error(`the server did not start: ${out}`)
  return { url: `http://127.0.0.1:${port}`, proc, dataDir: join(dir, 'data') }
}

export async function launchBrowser (t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // As root in a sandbox, with no network but loopback: no sandbox, no background traffic.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']
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
