import t, { type Test } from 'tap'
import { JsonText, PoolFailure, type ProcessPool, type ProcessPoolOptions } from '../lib/pool/process-pool.js'
import type { WorkerLogLine } from '../workers/protocol.js'
import { isAlive, waitFor } from './helpers.js'
import { testPool, type SleepResult } from './workers.js'

// Long-lived pool processes (SPEC §7, process reuse): real `m3upro --pooled` processes
// serving many operations in turn, replaced after MAX_TASKS, over MAX_RSS_MB, or at once
// after a failure; nothing of one operation reaching the next.

const makePool = (t: Test, options: Partial<ProcessPoolOptions> = {}): ProcessPool => testPool(t, { maxQueue: 1000, maxTasks: 500, ...options })

const sleep = (pool: ProcessPool, ms = 0): Promise<SleepResult> => pool.run('test:sleep', ['--ms', String(ms)]) as Promise<SleepResult>

/** Kills a pooled process and everything it started, as the OOM killer or an operator would. */
const killGroup = (pid: number): void => { process.kill(-pid, 'SIGKILL') }

t.test('1,000 operations through a pool of 2 with MAX_TASKS=100 start about 10 processes, each serving 75 to 100', async (t) => {
  const pool = makePool(t, { maxTasks: 100 })
  const results = await Promise.all(Array.from({ length: 1000 }, () => sleep(pool)))
  const perProcess = new Map<number, number>()
  for (const { pid } of results) perProcess.set(pid, (perProcess.get(pid) ?? 0) + 1)
  const { spawned, succeeded } = pool.stats().totals
  t.equal(succeeded, 1000)
  // A process started on its own retires after MAX_TASKS; one started beside another (the
  // pool's first two) after MAX_TASKS less 1 to a quarter, so they do not retire together:
  // 10 to 14 served every call; one or two more are spares.
  t.ok(spawned >= 10 && spawned <= 16, `${spawned} processes started for 1,000 operations`)
  t.ok(perProcess.size >= 10, `${perProcess.size} processes served calls`)
  const served = [...perProcess.values()]
  t.ok(Math.max(...served) <= 100, 'none served more than MAX_TASKS operations')
  // The two still serving at the end may have served fewer; every retired one served its own limit.
  const retired = served.sort((a, b) => b - a).slice(0, -2)
  t.ok(retired.every((n) => n >= 75), `retired processes served ${retired.join(', ')}: each at least MAX_TASKS less a quarter`)
  // pids rise in the order processes start: the two smallest are the pool's first two.
  const [first, second] = [...perProcess.entries()].sort(([a], [b]) => a - b).map(([, n]) => n)
  t.not(first, second, `the pool's first two, started together, retired after different numbers (${first}, ${second})`)
})

t.test('MAX_TASKS=1 is one fresh process per operation, as before', async (t) => {
  const pool = makePool(t, { maxTasks: 1 })
  const results = await Promise.all(Array.from({ length: 12 }, () => sleep(pool, 20)))
  t.equal(new Set(results.map((r) => r.pid)).size, 12, 'each call ran in its own process')
  t.ok(pool.stats().totals.spawned >= 12)
  await waitFor(() => results.every((r) => !isAlive(r.pid)), 30_000)
  t.ok(results.every((r) => !isAlive(r.pid)), 'and every one of those processes is gone')
})

t.test('a process killed between two operations is replaced, and the calls that follow succeed', async (t) => {
  const pool = makePool(t, { size: 1 })
  const first = await sleep(pool)
  t.ok(isAlive(first.pid), 'the process stays after its operation')
  killGroup(first.pid)
  // At once, before the pool has seen it die: the first call may be handed the dead process,
  // which never began it, so it runs on the replacement; the second is queued behind it.
  const [next, queued] = await Promise.all([sleep(pool), sleep(pool)])
  t.not(next.pid, first.pid, 'a new process served the next call')
  t.equal(queued.pid, next.pid, 'and the queued one, in the same new process')
  t.equal(pool.stats().totals.errors, 0, 'no call failed')
})

t.test('a process killed during an operation fails that call as crashed (502); the next call works', async (t) => {
  const pool = makePool(t, { size: 1 })
  const warm = await sleep(pool)
  const running = sleep(pool, 5000).catch((err: unknown) => err)
  await waitFor(() => pool.stats().active === 1)
  await new Promise((resolve) => setTimeout(resolve, 200)) // begun, not just handed over
  killGroup(warm.pid)
  const failure = await running
  t.ok(failure instanceof PoolFailure && failure.kind === 'crashed' && failure.code === 'WORKER_CRASHED', 'the running call is a crash')
  const next = await sleep(pool)
  t.not(next.pid, warm.pid, 'the next call ran in a new process')
})

t.test('a timeout kills that process and only that one', async (t) => {
  const pool = makePool(t, { size: 2, prespawn: 2, timeoutMs: 2000, killGraceMs: 200 })
  const [a, b] = await Promise.all([sleep(pool, 200), sleep(pool, 200)])
  t.not(a.pid, b.pid, 'two processes are warm')
  let hungPid = 0
  const hung = pool.run('test:hang', [], { onLog: (line) => { if (line.msg === 'hanging') hungPid = line.pid } }).catch((err: unknown) => err)
  const failure = await hung
  t.ok(failure instanceof PoolFailure && failure.kind === 'timeout', 'the hung call timed out')
  t.ok([a.pid, b.pid].includes(hungPid), 'it ran in one of the warm processes')
  const other = hungPid === a.pid ? b.pid : a.pid
  t.ok(await waitFor(() => !isAlive(hungPid), 30_000), 'the hung process is gone')
  t.ok(isAlive(other), 'the other process lives on')
  const after = await Promise.all([sleep(pool, 100), sleep(pool, 100)])
  t.ok(after.some((r) => r.pid === other), 'and serves the next calls')
  t.equal(pool.stats().totals.timeouts, 1)
})

t.test('a process whose memory passed MAX_RSS_MB is replaced after its operation; a small one is kept', async (t) => {
  const pool = makePool(t, { size: 1, maxRssMb: 160 })
  const small = await pool.run('test:allocate', ['--mb', '1']) as { pid: number, rss_mb: number }
  t.equal((await sleep(pool)).pid, small.pid, 'under the limit, the process serves on')
  const big = await pool.run('test:allocate', ['--mb', '200']) as { pid: number, rss_mb: number }
  t.ok(big.rss_mb > 160, `the process grew to ${big.rss_mb} MB`)
  const next = await sleep(pool)
  t.not(next.pid, big.pid, 'the next call runs in a new process')
  t.ok(await waitFor(() => !isAlive(big.pid), 30_000), 'the grown process is gone')
})

t.test('a refused input costs the process nothing; an internal error costs it at once', async (t) => {
  const pool = makePool(t, { size: 1 })
  const first = await sleep(pool)
  const refused = await pool.run('test:echo', ['--no-such-option']).catch((err: unknown) => err)
  t.ok(refused instanceof PoolFailure && refused.kind === 'failed' && refused.detail.exitCode === 2, 'a bad argument is a refused input (400)')
  t.equal((await sleep(pool)).pid, first.pid, 'the same process serves the next call')
  const internal = await pool.run('test:fail').catch((err: unknown) => err)
  t.ok(internal instanceof PoolFailure && internal.kind === 'failed' && internal.code === 'INTERNAL' && internal.detail.exitCode === 1, 'an internal error (500)')
  t.ok(await waitFor(() => !isAlive(first.pid), 30_000), 'the process that had it is gone')
  t.not((await sleep(pool)).pid, first.pid, 'a new process serves the next call')
})

t.test('interleaved operations never swap answers or log lines, and no option of one reaches the next', async (t) => {
  const pool = makePool(t, { size: 2, prespawn: 2 })
  const lines = new Map<string, WorkerLogLine[]>()
  const calls = Array.from({ length: 200 }, (_, i) => {
    const requestId = `interleave-${i}`
    lines.set(requestId, [])
    // Every other call names no --word: it must answer null, not the word of the call before.
    const args = i % 2 === 0 ? ['--word', requestId] : []
    return pool.run('test:echo', args, { requestId, input: 'x'.repeat(i), onLog: (line) => lines.get(requestId)!.push(line) })
      .then((result) => ({ i, requestId, result: result as { bytes: number, word: string | null }, linesAtAnswer: lines.get(requestId)!.length }))
  })
  const results = await Promise.all(calls)
  t.ok(pool.stats().totals.spawned <= 3, 'the calls shared a few processes')
  const wrong = results.filter(({ i, requestId, result }) => result.bytes !== i || result.word !== (i % 2 === 0 ? requestId : null))
  t.same(wrong, [], 'every answer is its own call\'s')
  // Each call logs "echo called" and "command finished", both before its answer is heard.
  t.same(results.filter((r) => r.linesAtAnswer < 2).map((r) => r.requestId), [], 'every call had its log lines when it got its answer')
  const strays = [...lines].flatMap(([requestId, got]) => got.filter((line) => line.reqId !== requestId).map((line) => ({ requestId, line })))
  t.same(strays, [], 'every log line a call got carries that call\'s reqId')
})

t.test('a result asked for as JSON text is the worker\'s own text, each call\'s own, beside calls answered parsed', async (t) => {
  const pool = makePool(t, { size: 2 })
  const results = await Promise.all(Array.from({ length: 60 }, (_, i) =>
    pool.run('test:echo', ['--word', `w${i}`], { input: 'x'.repeat(i), json: i % 2 === 0 })))
  const wrong = results.filter((result, i) => {
    const answer = (i % 2 === 0 ? result instanceof JsonText && JSON.parse(result.text) : result) as { bytes?: number, word?: string }
    return answer.bytes !== i || answer.word !== `w${i}`
  })
  t.same(wrong, [], 'every answer is its own call\'s, as text when asked')
  // A refusal is a refusal either way: no text for it.
  const refused = await pool.run('no-such-command', [], { json: true }).catch((err: unknown) => err)
  t.ok(refused instanceof PoolFailure && refused.code === 'UNKNOWN_COMMAND', 'a refusal rejects, as without json')
  t.equal(pool.stats().totals.crashes, 0, 'no process was taken as out of protocol')
})

t.test('a retirement under steady load takes no ready process out: its understudy is started ahead, one above the size at most', async (t) => {
  // A process's life (100 operations of about 30 ms) is longer than a start on a loaded machine.
  const pool = makePool(t, { size: 1, prespawn: 1, maxTasks: 100 })
  await sleep(pool)
  t.ok(await waitFor(() => pool.processes().ready === 1, 20_000), 'the first process is ready')
  let fewestReady = Infinity
  let mostLive = 0
  const sampler = setInterval(() => {
    const now = pool.processes()
    fewestReady = Math.min(fewestReady, now.ready)
    mostLive = Math.max(mostLive, now.live)
  }, 2)
  // Steady load: two callers, each calling again as soon as it is answered, until three
  // processes have been replaced (each serves 100 operations, then retires).
  const pids = new Map<number, number>()
  const caller = async (): Promise<void> => {
    while ([...pids.values()].filter((n) => n === 100).length < 3) {
      const { pid } = await sleep(pool, 30)
      pids.set(pid, (pids.get(pid) ?? 0) + 1)
    }
  }
  await Promise.all([caller(), caller()])
  clearInterval(sampler)
  t.equal(fewestReady, 1, 'a ready process was always serving: each retiring one was replaced by its understudy, already started')
  t.ok(mostLive <= 2, `never more than size + 1 processes (saw ${mostLive})`)
  t.ok([...pids.values()].every((n) => n <= 100), `none served past its limit (${[...pids.values()].join(', ')})`)
  t.equal(pool.stats().totals.errors, 0, 'no call failed')
})
