import { renameSync, symlinkSync, unlinkSync } from 'node:fs'
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { buildTestApp, waitFor } from './helpers.js'

// Issue 10 item 3: health answers from memory (the data dir looked at once a second, the
// pool's load read without its statistics) and its polls do not fill the log.

t.test('health polls write no log line; a degraded answer writes one, at warn', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const before = logs.lines.length
  const statuses = []
  for (let i = 0; i < 20; i++) statuses.push((await app.inject('/api/health')).statusCode)
  t.same(statuses, Array(20).fill(200), 'twenty polls, all healthy')
  t.same(logs.lines.slice(before), [], 'twenty polls, no log line')

  // The data dir going away (a volume lost) is seen within a second or so. A dangling link
  // in its place, so that no worker starting meanwhile makes it again (tests run as root,
  // for whom a mode bit never makes a directory unwritable).
  const moved = `${app.config.dataDir}-away`
  renameSync(app.config.dataDir, moved)
  symlinkSync(`${app.config.dataDir}-lost`, app.config.dataDir)
  let degraded: LightMyRequestResponse | undefined
  t.ok(await waitFor(async () => (degraded = await app.inject('/api/health')).statusCode === 503, 30_000), 'health turns 503 once the data dir is gone')
  t.match(degraded?.json(), { status: 'degraded', storage: { ok: false }, reasons: ['data directory is not writable'] })
  const line = logs.forRequest(String(degraded?.headers['x-request-id'])).find((l) => l.msg === 'health: degraded')
  t.match(line, { level: 40, reasons: ['data directory is not writable'] }, 'the degraded answer is logged at warn with its reasons')

  unlinkSync(app.config.dataDir)
  renameSync(moved, app.config.dataDir)
  t.ok(await waitFor(async () => (await app.inject('/api/health')).statusCode === 200, 30_000), 'and healthy again once it is back')
})
