import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { chromiumExecutable, launchChromium } from '../bench/chromium.js'

// The panel tests' and benchmarks' browser launch (bench/chromium.ts launchChromium): a Chromium
// that dies while it starts is launched again, each death said, up to three tries. CI once lost
// a panel test to such a death (SIGSEGV before the browser had opened a page). Here the browser
// is the real one behind a wrapper that kills itself with SIGSEGV on its first `crashes` starts.

/** CHROMIUM_PATH set to a wrapper of the real Chromium that segfaults on its first `crashes` starts. */
async function crashingChromium (t: Test, crashes: number): Promise<void> {
  const real = await chromiumExecutable()
  const dir = mkdtempSync(join(tmpdir(), 'sf-crashing-chromium-'))
  const starts = join(dir, 'starts')
  const wrapper = join(dir, 'chromium')
  writeFileSync(wrapper, [
    '#!/usr/bin/env bash',
    `echo start >> '${starts}'`,
    `if [ "$(wc -l < '${starts}')" -le ${crashes} ]; then kill -SEGV $$; fi`,
    `exec '${real}' "$@"`
  ].join('\n'))
  chmodSync(wrapper, 0o755)
  const saved = process.env.CHROMIUM_PATH
  process.env.CHROMIUM_PATH = wrapper
  t.teardown(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH
    else process.env.CHROMIUM_PATH = saved
    rmSync(dir, { recursive: true, force: true })
  })
}

t.test('a Chromium that dies while starting is launched again, and the death is said', async (t) => {
  await crashingChromium(t, 2)
  const said: string[] = []
  const browser = await launchChromium((problem) => said.push(problem))
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  await page.setContent('<p>on air</p>')
  t.equal(await page.textContent('p'), 'on air', 'the third try is a working browser')
  t.equal(said.length, 2, 'each failed try is said')
  t.match(said[0], /launch 1 of 3 failed: .*signal=SIGSEGV/, 'with how the browser died')
  t.match(said[1], /launch 2 of 3 failed/)
})

t.test('a Chromium that dies at every start fails the launch after three tries', async (t) => {
  await crashingChromium(t, 3)
  const said: string[] = []
  await t.rejects(launchChromium((problem) => said.push(problem)), /signal=SIGSEGV/, 'the last death is the error')
  t.equal(said.length, 2, 'the two tries before it are said')
})
