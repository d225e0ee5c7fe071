import t, { type Test } from 'tap'
import { PoolFailure, type ProcessPool } from '../lib/pool/process-pool.js'
import { bearer, buildTestApp, waitFor } from './helpers.js'
import { testPool, type SleepResult } from './workers.js'

const makePool = (t: Test): ProcessPool => testPool(t, { prespawn: 0, maxQueue: 50, timeoutMs: 60_000, killGraceMs: 200 })

// One owner's heavy operations (whole documents) must not starve everyone else:
// heavy ones never take the last process, queued light ones go first, owners take
// turns, and one owner may only have so many heavy operations waiting. Real processes.

const heavySleep = (pool: ProcessPool, owner: string, ms: number): Promise<SleepResult> =>
  pool.run('test:sleep', ['--ms', String(ms)], { owner, cost: 'heavy' }) as Promise<SleepResult>

t.test('a light call answers while one owner has heavy calls running and queued; that owner\'s fifth queued one is refused', async (t) => {
  const pool = makePool(t)
  const heavy = Array.from({ length: 5 }, () => heavySleep(pool, 'key-a', 1500).catch((err: unknown) => err))
  t.equal(pool.stats().active, 1, 'heavy calls hold one of the two processes')
  t.equal(pool.stats().queued, 4)
  const refused = await heavySleep(pool, 'key-a', 10).catch((err: unknown) => err)
  t.ok(refused instanceof PoolFailure && refused.kind === 'owner_busy' && refused.code === 'TOO_MANY_QUEUED', 'the fifth queued heavy call of key-a is refused')
  const other = heavySleep(pool, 'key-b', 10) // another key is not refused
  const light = await pool.run('test:sleep', ['--ms', '1'], { owner: 'key-b' }) as SleepResult
  t.ok(light.pid > 0, 'the light call ran')
  // key-b's heavy call, queued after key-a's four, runs before them: owners take turns.
  const b = await other
  const a = await Promise.all(heavy) as SleepResult[]
  // Ordering, not timing: the heavy calls run one after another on one process, so the
  // light call ended before the last of them had even started.
  t.ok(light.ended < a[3].started, 'and answered while heavy calls were still queued')
  t.ok(b.started < a[2].started, 'key-b\'s heavy call started before key-a\'s third one')
  t.equal(pool.stats().totals.refused_per_owner, 1)
})

t.test('over HTTP: a light list answers while another key has heavy operations queued; that key\'s next export is a 429', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_POOL_SIZE: '2', SCHEDULEFLOW_MAX_QUEUED_PER_KEY: '3' })
  const viewer = (await app.inject({ method: 'GET', url: '/api/auth', headers: bearer('viewer') })).json() as { key_id: string }
  // The viewer key's heavy operations: one running, three queued (its cap).
  const heavy = Array.from({ length: 4 }, () => heavySleep(app.pool, viewer.key_id, 4000).catch((err: unknown) => err))
  t.ok(await waitFor(() => app.pool.stats().queued === 3), 'three of the viewer\'s heavy operations wait')

  const list = await app.inject({ method: 'GET', url: '/api/schedules', headers: bearer('admin') })
  t.equal(list.statusCode, 200, 'another key\'s list answers')
  t.equal(app.pool.stats().queued, 3, 'while the heavy operations are still queued')

  const refused = await app.inject({ method: 'GET', url: '/api/schedules/export?format=json', headers: bearer('viewer') })
  t.equal(refused.statusCode, 429)
  t.match(refused.json(), { status: 'error', code: 'TOO_MANY_QUEUED', message: /3 imports, exports or fills of yours are already waiting/, request_id: String })
  t.ok(Number(refused.headers['retry-after']) > 0, 'with retry-after')

  const othersExport = await app.inject({ method: 'GET', url: '/api/schedules/export?format=json', headers: bearer('admin') })
  t.equal(othersExport.statusCode, 200, 'another key\'s export is not refused')
  await Promise.all(heavy)
})
