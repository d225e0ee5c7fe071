import { existsSync, writeFileSync } from 'node:fs'
import { get, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { PoolFailure } from '../lib/pool/process-pool.js'
import { testDocumentPart } from '../workers/commands/test-document.js'
import { bearer, buildTestApp, isAlive, tempDir, waitFor } from './helpers.js'
import { testPool } from './workers.js'

// Issue 10 item 4: a document goes from the worker to the client as it is written. Real
// worker processes, a real server and socket, a real SQLite file.

const viewer = bearer('viewer')
const operator = bearer('operator')

/** The first bytes of a stream, without consuming the rest. */
function firstChunk (body: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    body.once('data', (chunk: Buffer) => { body.pause(); resolve(chunk) })
    body.once('error', reject)
  })
}

function collect (body: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    body.on('data', (chunk: Buffer) => parts.push(chunk))
    body.once('end', () => resolve(Buffer.concat(parts)))
    body.once('error', reject)
    body.resume()
  })
}

const expectedDocument = (parts: number, chars = 100_000): string => Array.from({ length: parts }, (_, i) => testDocumentPart(i, chars)).join('')

t.test('the pool hands the document out before the worker has finished writing it', async (t) => {
  const pool = testPool(t)
  const gate = join(tempDir(t), 'gate')
  const doc = await pool.runStream('test:document', ['--parts=5', `--gate=${gate}`], { requestId: 'stream-1' })
  t.equal(doc.content_type, 'text/plain; charset=utf-8')
  t.equal(doc.filename, 'test.txt')
  const first = await firstChunk(doc.body)
  // The worker waits on the gate after its first part: it cannot have finished.
  t.equal(pool.stats().totals.processed, 0, 'the first bytes came while the operation still runs')
  t.ok(first.length > 0 && first.toString('utf8').startsWith('part 0'), 'they are the start of the document')
  writeFileSync(gate, '')
  const rest = await collect(doc.body)
  t.equal(Buffer.concat([first, rest]).toString('utf8'), expectedDocument(5), 'the whole document, byte for byte (surrogate pairs across chunk cuts too)')
  t.equal(pool.stats().totals.succeeded, 1)
  t.same(await pool.run('test:echo', [], { input: 'x' }), { bytes: 1, word: null, env_keys: ['SCHEDULEFLOW_PROBE_REMOTE', 'SCHEDULEFLOW_DATA_DIR', 'SCHEDULEFLOW_TEST_COMMANDS'] }, 'the process serves the next call')
})

t.test('the output cap still applies to a streamed document, counted over all its chunks', async (t) => {
  const pool = testPool(t, { maxOutputBytes: 300_000 })
  const doc = await pool.runStream('test:document', ['--parts=10'])
  const failure = await collect(doc.body).then(() => undefined, (err: unknown) => err)
  t.ok(failure instanceof PoolFailure && failure.kind === 'output_too_large', 'the body is destroyed with OUTPUT_TOO_LARGE, never ended as if whole')
  const small = await pool.runStream('test:document', ['--parts=2'])
  t.equal((await collect(small.body)).toString('utf8'), expectedDocument(2), 'the next streamed call works')
})

t.test('a streamed task that answers no document is refused, not left hanging', async (t) => {
  const pool = testPool(t)
  const failure = await pool.runStream('test:echo').then(() => undefined, (err: unknown) => err)
  t.ok(failure instanceof PoolFailure && failure.code === 'WORKER_CRASHED')
})

/** The real app on a real socket. */
async function listening (t: Test): Promise<{ app: FastifyInstance, url: string }> {
  const { app } = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }
}

function request (url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, { headers }, resolve).once('error', reject))
}

t.test('a worker killed mid-stream gives the client a cut response, and the next call works', async (t) => {
  const { app, url } = await listening(t)
  const gate = join(tempDir(t), 'gate')
  const res = await request(`${url}/api/_test-stream/document?parts=5&gate=${encodeURIComponent(gate)}`)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['transfer-encoding'], 'chunked', 'chunked: a cut body lacks its last chunk')
  await firstChunk(res)
  t.equal(app.pool.stats().active, 1, 'the operation is still running')
  for (const pid of app.pool.pids()) process.kill(pid, 'SIGKILL')
  const outcome = await new Promise<string>((resolve) => {
    res.once('end', () => resolve(res.complete ? 'complete' : 'incomplete end'))
    res.once('aborted', () => resolve('aborted'))
    res.once('error', (err) => resolve(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`))
    res.resume()
  })
  t.not(outcome, 'complete', `the client sees a cut connection (${outcome})`)
  t.notOk(res.complete, 'the response is not complete')
  t.ok(!existsSync(gate), 'the worker never got to write the rest')
  const next = await app.inject({ method: 'GET', url: '/api/schedules', headers: viewer })
  t.equal(next.statusCode, 200, 'the next call works')
  t.ok(await waitFor(() => app.pool.pids().every(isAlive)), 'the killed worker is replaced')
})

t.test('a client that stops reading pauses the worker; one that leaves frees it', async (t) => {
  const { app, url } = await listening(t)
  const res = await request(`${url}/api/_test-stream/document?parts=400`) // 40 MB
  await firstChunk(res)
  t.equal(app.pool.stats().active, 1, 'the worker waits for the slow client rather than fill the API\'s memory')
  res.destroy()
  t.ok(await waitFor(() => app.pool.stats().active === 0, 30_000), 'the client gone, the worker finishes (its rest read and dropped)')
  const next = await app.inject({ method: 'GET', url: '/api/schedules', headers: viewer })
  t.equal(next.statusCode, 200)
})

t.test('exports are streamed, byte-identical to the document the worker builds, with their ETag', async (t) => {
  const { app, url } = await listening(t)
  // Enough events that each document spans many chunks, with text that is not ASCII.
  for (const name of ['Chaîne 🎬 un', 'Chaîne deux']) {
    const schedule = Array.from({ length: 1000 }, (_, i) => ({
      title: `${name} émission ${i} «${'🎞'.repeat(i % 7)}»`,
      start: new Date(Date.UTC(2025, 0, 1) + i * 1_800_000).toISOString(),
      end: new Date(Date.UTC(2025, 0, 1) + (i + 1) * 1_800_000).toISOString(),
      videoUrl: `https://cdn.example/v${i % 40}.mp4`,
      description: `Épisode ${i} — ${'x'.repeat(i % 97)}`
    }))
    const imported = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...operator, 'content-type': 'application/json' }, payload: JSON.stringify({ metadata: { title: name }, schedule }) })
    t.equal(imported.statusCode, 201)
  }
  const { schedules } = await app.runCli('list-schedules')
  for (const format of ['xml', 'json', 'm3u', 'xmltv', 'casparcg']) {
    for (const [path, args] of [['/api/schedules/export', ['--all']], [`/api/schedules/${schedules[0].id}/export`, ['--', schedules[0].id]]] as const) {
      const whole = await app.runCli('export-schedule', [`--format=${format}`, ...args])
      const res = await request(`${url}${path}?format=${format}`, viewer)
      const body = await collect(res)
      t.equal(res.statusCode, 200, `${path} ${format}`)
      t.equal(res.headers['transfer-encoding'], 'chunked', `${path} ${format}: streamed`)
      t.equal(res.headers['content-type'], whole.content_type)
      t.match(res.headers['content-disposition'], whole.filename)
      t.ok(body.equals(Buffer.from(whole.body)), `${path} ${format}: byte-identical (${body.length} bytes)`)
      const etag = res.headers.etag
      t.ok(etag?.startsWith('W/"'), `${path} ${format}: an ETag`)
      const again = await request(`${url}${path}?format=${format}`, { ...viewer, 'if-none-match': etag ?? '' })
      await collect(again)
      t.equal(again.statusCode, 304, `${path} ${format}: If-None-Match → 304`)
    }
  }
  const missing = await request(`${url}/api/schedules/00000000-0000-4000-8000-000000000000/export`, viewer)
  t.equal(missing.statusCode, 404, 'an export refused before its document is still a plain error')
  t.notOk(missing.headers.etag)
  await collect(missing)
})
