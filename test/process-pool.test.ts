import t, { type Test } from 'tap'
import { PoolFailure } from '../lib/pool/process-pool.js'
import type { WorkerLogLine } from '../workers/protocol.js'
import { isAlive, waitFor } from './helpers.js'
import { testPool as makePool, type SleepResult } from './workers.js'

t.test('never runs more processes at once than its size, under 20 parallel calls', async (t: Test) => {
  const pool = makePool(t, { size: 3, prespawn: 2, maxQueue: 50 })
  let peakLive = 0
  const sampler = setInterval(() => { peakLive = Math.max(peakLive, pool.pids().length) }, 2)
  const results = await Promise.all(Array.from({ length: 20 }, () => pool.run('test:sleep', ['--ms', '60']) as Promise<SleepResult>))
  clearInterval(sampler)
  t.ok(new Set(results.map((r) => r.pid)).size <= 3, 'the calls shared the pool\'s processes')
  // The most operations whose [started, ended] intervals overlap at any instant.
  const edges = results.flatMap((r) => [[r.started, 1], [r.ended, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let running = 0
  let peakRunning = 0
  for (const [, step] of edges) peakRunning = Math.max(peakRunning, running += step)
  t.ok(peakRunning <= 3, `at most 3 operations overlapped (saw ${peakRunning})`)
  t.ok(peakLive <= 3, `at most 3 processes were alive, spares included (saw ${peakLive})`)
  t.equal(pool.stats().peaks.active, 3)
  t.equal(pool.stats().totals.succeeded, 20)
})

t.test('a full queue refuses at once', async (t: Test) => {
  const pool = makePool(t, { size: 1, prespawn: 0, maxQueue: 2 })
  const running = [pool.run('test:sleep', ['--ms', '300']), pool.run('test:sleep', ['--ms', '10']), pool.run('test:sleep', ['--ms', '10'])]
  const refused = await pool.run('test:sleep', ['--ms', '10']).catch((err: unknown) => err)
  t.ok(refused instanceof PoolFailure && refused.kind === 'queue_full', 'the fourth call is refused')
  await Promise.all(running)
  t.equal(pool.stats().totals.rejected, 1)
  t.equal(pool.stats().peaks.queued, 2)
})

t.test('a hung process and its grandchild are killed at the timeout', async (t: Test) => {
  // Long enough for a loaded machine to boot the worker and its grandchild first.
  const pool = makePool(t, { timeoutMs: 3000, killGraceMs: 300 })
  let grandchild = 0
  const failure = await pool.run('test:hang', [], {
    onLog: (line: WorkerLogLine) => { if (typeof line.grandchild_pid === 'number') grandchild = line.grandchild_pid }
  }).catch((err: unknown) => err)
  t.ok(failure instanceof PoolFailure && failure.kind === 'timeout', 'the call fails as a timeout')
  t.ok(grandchild > 0, 'the worker had started a grandchild')
  t.ok(await waitFor(() => !isAlive(grandchild), 30_000), 'the grandchild is gone too')
  t.equal(pool.stats().totals.timeouts, 1)
})

t.test('a crash is reported and the next call works', async (t: Test) => {
  const pool = makePool(t)
  const failure = await pool.run('test:crash').catch((err: unknown) => err)
  t.ok(failure instanceof PoolFailure && failure.kind === 'crashed', 'crash is a crashed failure')
  t.match((failure as Error).message, /SIGSEGV/)
  t.match(await pool.run('test:sleep', ['--ms', '1']), { pid: Number })
})

t.test('output over the cap is an error, and the process is stopped', async (t: Test) => {
  const pool = makePool(t, { maxOutputBytes: 4 << 20 })
  const before = process.memoryUsage().rss
  const failure = await pool.run('test:flood').catch((err: unknown) => err)
  t.match(failure, { kind: 'output_too_large', code: 'OUTPUT_TOO_LARGE' }, 'the call fails as output too large')
  t.ok(failure instanceof PoolFailure)
  t.ok(process.memoryUsage().rss - before < 64 << 20, 'the parent did not keep the flood')
})

t.test('a queued call whose caller went away costs no process', async (t: Test) => {
  const pool = makePool(t, { size: 1, prespawn: 0 })
  const first = pool.run('test:sleep', ['--ms', '300'])
  const controller = new AbortController()
  const queued = pool.run('test:echo', [], { signal: controller.signal }).catch((err: unknown) => err)
  t.equal(pool.stats().queued, 1)
  controller.abort()
  const failure = await queued
  t.ok(failure instanceof PoolFailure && failure.kind === 'client_gone')
  await first
  t.equal(pool.stats().totals.spawned, 1, 'only the first call started a process')
  t.equal(pool.stats().totals.dropped, 1)
})

t.test('worker errors carry their code and the worker log lines carry the request id', async (t: Test) => {
  const pool = makePool(t)
  const lines: WorkerLogLine[] = []
  const failure = await pool.run('no-such-command', [], { requestId: 'req-42', onLog: (l) => lines.push(l) }).catch((err: unknown) => err)
  t.ok(failure instanceof PoolFailure && failure.kind === 'failed' && failure.code === 'UNKNOWN_COMMAND')
  t.equal((failure as PoolFailure).detail.exitCode, 2)
  const echoed = await pool.run('test:echo', ['--word', 'hi'], { requestId: 'req-43', input: 'abc', onLog: (l) => lines.push(l) })
  t.match(echoed, { bytes: 3, word: 'hi' })
  const echoLine = lines.find((l) => l.msg === 'echo called')
  t.equal(echoLine?.reqId, 'req-43')
  t.equal(echoLine?.level, 40)
})

t.test('drain lets running calls finish, refuses queued ones and leaves no process', async (t: Test) => {
  const pool = makePool(t, { size: 1, prespawn: 1 })
  const running = pool.run('test:sleep', ['--ms', '300'])
  const queued = pool.run('test:sleep', ['--ms', '10']).catch((err: unknown) => err)
  const drained = await pool.drain(5000)
  t.match(await running, { pid: Number }, 'the running call finished')
  const failure = await queued
  t.ok(failure instanceof PoolFailure && failure.kind === 'shutting_down', 'the queued call was refused')
  t.same(drained, { finished: 1, killed: 0 })
  t.same(pool.pids(), [])
  const late = await pool.run('test:sleep').catch((err: unknown) => err)
  t.ok(late instanceof PoolFailure && late.kind === 'shutting_down', 'no call is taken after drain')
})

t.test('drain stops idle long-lived processes too, and leaves none', async (t: Test) => {
  const pool = makePool(t, { size: 2, prespawn: 0 })
  const served = await Promise.all([pool.run('test:sleep', ['--ms', '200']), pool.run('test:sleep', ['--ms', '200'])]) as SleepResult[]
  t.equal(pool.stats().idle, 2, 'both processes wait for their next call')
  const running = pool.run('test:sleep', ['--ms', '500'])
  t.same(await pool.drain(5000), { finished: 1, killed: 0 })
  t.match(await running, { pid: Number })
  t.same(pool.pids(), [])
  t.ok(served.every((r) => !isAlive(r.pid)), 'the busy one and the idle one are gone')
})

t.test('drain kills what outlives the grace period', async (t: Test) => {
  const pool = makePool(t, { killGraceMs: 200 })
  const hung = pool.run('test:hang').catch((err: unknown) => err)
  await waitFor(() => pool.stats().active === 1)
  const drained = await pool.drain(200)
  t.same(drained, { finished: 0, killed: 1 })
  t.ok((await hung) instanceof PoolFailure)
})
