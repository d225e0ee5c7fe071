import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { cliEntry } from '../workers/project.js'
import { SCHEMA_VERSION } from '../workers/storage/migrations/index.js'
import { tempDir, waitFor } from './helpers.js'
import { startPooled } from './workers.js'
import { childEnv } from './helpers.js'

interface Run { code: number | null, stdout: string, stderr: string }

/** The compiled m3upro, run as a user or the pool runs it. */
function m3upro (t: Test, args: string[], input = '', env: Record<string, string> = {}): Run {
  const res = spawnSync(process.execPath, [cliEntry, ...args], {
    input,
    env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: join(tempDir(t), 'data'), ...env },
    encoding: 'utf8'
  })
  return { code: res.status, stdout: res.stdout, stderr: res.stderr }
}

t.test('help lists the commands, without the test-only ones', async (t) => {
  const run = m3upro(t, ['help'])
  t.equal(run.code, 0)
  t.match(run.stdout, /usage: m3upro <command>/)
  t.match(run.stdout, /\binfo\b/)
  t.notMatch(run.stdout, /test:hang/)
})

t.test('info answers the protocol object and opens the store', async (t) => {
  const run = m3upro(t, ['info'])
  t.equal(run.code, 0)
  const reply = JSON.parse(run.stdout)
  t.match(reply, { ok: true, result: { version: String, storage: { kind: 'sqlite', schema_version: SCHEMA_VERSION }, counts: { schedules: 0 } } })
})

t.test('an unknown command or option exits 2 with a readable error', async (t) => {
  const unknown = m3upro(t, ['frobnicate'])
  t.equal(unknown.code, 2)
  t.match(JSON.parse(unknown.stdout), { ok: false, error: { code: 'UNKNOWN_COMMAND', message: /m3upro help/ } })
  const badOption = m3upro(t, ['info', '--loud'])
  t.equal(badOption.code, 2)
  t.match(JSON.parse(badOption.stdout), { ok: false, error: { code: 'BAD_ARGUMENTS', message: /--loud/ } })
})

t.test('test commands exist only when enabled', async (t) => {
  t.equal(m3upro(t, ['test:sleep', '--ms', '1']).code, 2)
  const enabled = m3upro(t, ['test:sleep', '--ms', '1'], '', { SCHEDULEFLOW_TEST_COMMANDS: 'true' })
  t.equal(enabled.code, 0)
})

t.test('pooled mode serves task after task in one process, each answer and log line under its request id', async (t) => {
  const worker = startPooled(t)
  // stdin stays open, as the pool keeps it: each input's length, not its end, ends it.
  worker.send({ command: 'test:echo', args: ['--word', 'w'], requestId: 'req-cli-1', inputBytes: 10 }, 'some input')
  worker.send({ command: 'test:echo', args: [], requestId: 'req-cli-2', inputBytes: 3 }, 'abc')
  worker.send({ command: 'no-such-command', args: [], requestId: 'req-cli-3', inputBytes: 0 })
  t.ok(await waitFor(() => worker.stdout().split('\n').length > 6, 15_000), 'three tasks answered')
  const frames = worker.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
  t.match(frames, [
    { requestId: 'req-cli-1', started: true },
    { requestId: 'req-cli-1', ok: true, result: { bytes: 10, word: 'w' }, rssBytes: Number },
    { requestId: 'req-cli-2', started: true },
    { requestId: 'req-cli-2', ok: true, result: { bytes: 3, word: null } },
    { requestId: 'req-cli-3', started: true },
    { requestId: 'req-cli-3', ok: false, error: { code: 'UNKNOWN_COMMAND' }, exitCode: 2 }
  ])
  const lines = worker.stderr().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
  t.match(lines[0], { level: 40, reqId: 'req-cli-1', msg: 'echo called', pid: worker.pid, time: Number })
  t.equal(lines.filter((l) => l.reqId === 'req-cli-2').length, 1, 'the second task logged under its own id')
  // Each answer counts the stderr bytes written up to it (the pool waits for them), and carries its closing line.
  const answers = frames.filter((f) => 'ok' in f)
  // One line from each echo, none from the unknown command: the answers count 1, 2, 2 lines' bytes.
  const logged = worker.stderr().split('\n').filter((l) => l !== '').map((l) => Buffer.byteLength(l) + 1)
  t.equal(logged.length, 2, 'the closing lines are in the answers, not on stderr')
  t.same(answers.map((a) => a.stderrBytes), [logged[0], logged[0] + logged[1], logged[0] + logged[1]], 'every answer counts the stderr bytes written up to it')
  t.match(answers.map((a) => a.log), [
    { reqId: 'req-cli-1', msg: 'command finished', command: 'test:echo', duration_ms: Number, max_rss_mb: Number },
    { reqId: 'req-cli-2', msg: 'command finished' },
    { reqId: 'req-cli-3', msg: 'command refused', code: 'UNKNOWN_COMMAND' }
  ], 'and its own closing line')
  worker.closeStdin()
  t.equal((await worker.exited).code, 0, 'stdin ending between tasks stops it cleanly')
})

t.test('pooled mode: an internal error is answered, then the process exits 1', async (t) => {
  const worker = startPooled(t)
  worker.send({ command: 'test:fail', args: [], requestId: 'req-fail', inputBytes: 0 })
  const { code } = await worker.exited
  t.equal(code, 1)
  t.match(JSON.parse(worker.stdout().trim().split('\n')[1]), { requestId: 'req-fail', ok: false, error: { code: 'INTERNAL', message: 'internal error in test:fail' }, exitCode: 1 })
})

t.test('pooled mode refuses a malformed task header, naming the field', async (t) => {
  for (const [header, field] of [[{ command: 'info', args: [], requestId: 'r' }, /inputBytes/], [{ command: 'info', args: [1], requestId: 'r', inputBytes: 0 }, /args/], [{ args: [], requestId: 'r', inputBytes: 0 }, /command/]] as const) {
    const run = m3upro(t, ['--pooled'], JSON.stringify(header) + '\n')
    t.equal(run.code, 2)
    t.match(run.stderr, field)
  }
})

t.test('an internal failure exits 1 and names no path', async (t) => {
  // A data dir under a regular file cannot be created: the store fails to open.
  const dir = tempDir(t)
  const run = spawnSync(process.execPath, [cliEntry, 'info'], {
    env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: join(cliEntry, 'data') },
    cwd: dir,
    encoding: 'utf8'
  })
  t.equal(run.status, 1)
  const reply = JSON.parse(run.stdout)
  t.match(reply, { ok: false, error: { code: 'INTERNAL', message: 'internal error in info' } })
  t.notMatch(run.stdout, /\//, 'the answer has no path in it')
  t.match(run.stderr, /"level":50/, 'the cause is logged')
})
