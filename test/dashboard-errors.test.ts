import t from 'tap'
import { launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'

const ADMIN = 'dashboard-admin-key-0123456789abcdef'

// Issue 11 item 16: the dashboard counted refused inputs among its errors but listed only
// failures, so "Errors 7" stood above "No errors since the service started".

t.test('the dashboard lists the operations its counts count, and says which those are', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `admin:${ADMIN}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const call = async (path: string, body: string, reqId: string): Promise<number> => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', 'x-request-id': reqId },
      body
    })
    await res.arrayBuffer()
    return res.status
  }
  // Refused inputs of two kinds (a document with no valid event, an unknown command) and a failure of ours.
  t.equal(await call('/api/schedules/import', '{"schedule": [{"title": "No times"}]}', 'refused-import'), 400)
  t.equal(await call('/api/_test/nosuchcommand', '{}', 'refused-command'), 400)
  t.equal(await call('/api/_test/fail', '{}', 'failed-op'), 500)

  const browser = await launchBrowser(t)
  const page = await browser.newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${ADMIN}`)
  await page.locator('#on-air[aria-busy="false"]').waitFor()
  await page.click('nav >> text=System') // the pool figures' page since issue 25 (the home is On air)
  await page.locator('#recent-errors').waitFor()

  t.equal(await page.locator('#ops-refused').textContent(), '2', 'the refused inputs are counted as such')
  t.equal(await page.locator('#ops-failed').textContent(), '1', 'and the failure apart from them')
  const rows = await page.locator('#recent-errors tbody tr').allTextContents()
  t.equal(rows.length, 3, 'the list holds every operation the counts count')
  for (const [reqId, status] of [['refused-import', '400'], ['refused-command', '400'], ['failed-op', '500']]) {
    const row = rows.find((r) => r.includes(reqId))
    t.ok(row, `${reqId} is listed`)
    t.match(row, status, `${reqId} with its status`)
  }
  t.match(await page.locator('#errors-scope').textContent(), /refused for their input \(4xx\).*failed \(5xx\).*: 3\b/, 'the dashboard says what it counts, and the sum')
  t.equal(await page.getByText('No operation refused or failed').count(), 0, 'no "none" note above a list that has rows')
  await screenshot(page, 'dashboard-errors')
  t.same(problems, [], 'no console error or failed request')
})
