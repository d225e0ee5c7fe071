import t from 'tap'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { cliEntry } from '../workers/project.js'
import { EXIT_INPUT_CUT, EXIT_PARENT_GONE } from '../workers/protocol.js'
import { isAlive, tempDir, waitFor } from './helpers.js'
import { bigM3u, startPooled, storedPlaylists } from './workers.js'
import { childEnv } from './helpers.js'

// Hand-started pooled workers (as the pool starts them): what a worker does on its own
// when its input is cut off, when its parent goes, and when it passes its deadline.

const M3U = bigM3u(2000)

t.test('an input cut short of its announced length is not run: nothing stored, the process gone', async (t) => {
  for (const received of [0, 1, M3U.length >> 1, M3U.length - 1]) {
    const worker = startPooled(t)
    worker.send({ command: 'import-playlist', args: ['--name=cut'], requestId: `cut-${received}`, inputBytes: M3U.length }, M3U.subarray(0, received))
    worker.closeStdin()
    const { code } = await worker.exited
    t.equal(code, EXIT_INPUT_CUT, `${received} of ${M3U.length} bytes: exit ${EXIT_INPUT_CUT}`)
    t.same(await storedPlaylists(worker.dataDir), [], `${received} of ${M3U.length} bytes: no playlist stored`)
    t.match(worker.stderr(), new RegExp(`"reqId":"cut-${received}".*input cut off`), 'the worker says why, under the request id')
  }
})

t.test('the whole announced input is stored whole (the same frame, not cut)', async (t) => {
  const worker = startPooled(t)
  worker.send({ command: 'import-playlist', args: ['--name=whole'], requestId: 'whole', inputBytes: M3U.length }, M3U)
  t.ok(await waitFor(() => /"requestId":"whole","rssBytes":\d+,"ok":true/.test(worker.stdout()), 15_000), 'answered')
  worker.closeStdin()
  const { code } = await worker.exited
  t.equal(code, 0)
  t.match(await storedPlaylists(worker.dataDir), [{ name: 'whole', item_count: 2000, items: 2000 }])
})

t.test('stdin closing while a task runs means the parent is gone: the worker and its grandchild stop', async (t) => {
  const worker = startPooled(t)
  worker.send({ command: 'test:hang', args: [], requestId: 'orphan', inputBytes: 0 })
  t.ok(await waitFor(() => /grandchild_pid/.test(worker.stderr()), 15_000), 'the task started a grandchild')
  const grandchild = Number(/"grandchild_pid":(\d+)/.exec(worker.stderr())![1])
  worker.closeStdin()
  t.ok(await waitFor(() => !isAlive(worker.pid) && !isAlive(grandchild), 5000), 'worker and grandchild gone within 5 s')
  const { code, signal } = await worker.exited
  t.ok(signal === 'SIGKILL' || code === EXIT_PARENT_GONE, `stopped itself (code ${String(code)}, signal ${String(signal)})`)
})

t.test('a worker past the deadline in its task header stops itself and its grandchild, with no one killing it', async (t) => {
  const worker = startPooled(t)
  worker.send({ command: 'test:hang', args: [], requestId: 'late', inputBytes: 0, deadlineMs: 300 })
  t.ok(await waitFor(() => /grandchild_pid/.test(worker.stderr()), 15_000), 'the task started a grandchild')
  const grandchild = Number(/"grandchild_pid":(\d+)/.exec(worker.stderr())![1])
  // stdin stays open: only the worker's own deadline can end it.
  t.ok(await waitFor(() => !isAlive(worker.pid) && !isAlive(grandchild), 10_000), 'worker and grandchild gone')
  t.match(worker.stderr(), /"reqId":"late".*deadline passed/)
})

t.test('a task\'s deadline ends with it: a later, longer task in the same process is not stopped by it', async (t) => {
  const worker = startPooled(t)
  worker.send({ command: 'test:sleep', args: ['--ms', '1'], requestId: 'quick', inputBytes: 0, deadlineMs: 200 })
  // The first task's deadline (200 ms + the worker's slack) passes while this one sleeps.
  worker.send({ command: 'test:sleep', args: ['--ms', '2500'], requestId: 'long', inputBytes: 0, deadlineMs: 20_000 })
  t.ok(await waitFor(() => /"requestId":"long","rssBytes":\d+,"ok":true/.test(worker.stdout()), 20_000), 'the long task answered')
  t.ok(isAlive(worker.pid), 'the process still serves')
  t.notMatch(worker.stderr(), /deadline passed/)
})

t.test('the lifeline pipe closing stops a worker in the middle of synchronous work, before it stores anything', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  // As the pool starts it: a fourth pipe, never written, whose end means the server is gone.
  const child = spawn(process.execPath, [cliEntry, '--pooled'], { detached: true, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: dataDir, SCHEDULEFLOW_TEST_COMMANDS: 'true' } })
  t.teardown(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} })
  let err = ''
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  child.stdout.resume()
  child.stdin.on('error', () => {})
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const input = bigM3u(3)
  // stdin stays open (its end would tell the worker too, but only once its event loop turns).
  child.stdin.write(JSON.stringify({ command: 'test:spin', args: ['--ms', '60000', '--name', 'never'], requestId: 'spin', inputBytes: input.length }) + '\n')
  child.stdin.write(input)
  t.ok(await waitFor(() => /"msg":"spinning"/.test(err), 15_000), 'the worker holds its event loop')
  child.stdio[3]!.destroy()
  const { signal } = await exited
  t.equal(signal, 'SIGKILL', 'killed with its group, 60 s of synchronous work notwithstanding')
  t.same(await storedPlaylists(dataDir), [], 'nothing stored')
})
