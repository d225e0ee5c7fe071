import t from 'tap'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import type { History, ScheduleWithEvents } from '../contract/api.js'
import type { Config } from '../lib/config.js'
import { CRASH_AFTER_COMMIT_FILE, SLOW_AFTER_COMMIT_FILE } from '../workers/storage/test-hooks.js'

// Issue 21 item 3: a stored write never answers a timeout or a bare 502. Through the real app,
// real workers and the real database (both passes): an edit whose answer is slow to build after
// its commit still answers success under a short deadline; one whose worker dies after the
// commit answers 502 with may_be_stored and revision_before, and its Idempotency-Key makes
// the repeat a replay; undo and redo take If-Match and a key like every write.

const operator = bearer('operator')
const DAY = '2026-03-02'
const at = (hhmm: string): string => `${DAY}T${hhmm}:00.000Z`

/** A test-only hook, armed by a file in the data dir (workers/storage/test-hooks.ts): fires on the next commit. */
function arm (config: Config, file: string, content = ''): void {
  // On PostgreSQL the data dir holds nothing but the hook: it may not exist yet.
  mkdirSync(config.dataDir, { recursive: true })
  writeFileSync(join(config.dataDir, file), content)
}

async function newSchedule (app: FastifyInstance): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/schedules/import?name=Committed',
    headers: { ...operator, 'content-type': 'application/json' },
    payload: JSON.stringify({ schedule: [{ title: 'News', start: at('08:00'), end: at('08:30') }, { title: 'Film', start: at('09:00'), end: at('10:30') }] })
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().schedule_id
}

const read = async (app: FastifyInstance, id: string): Promise<ScheduleWithEvents> => (await app.inject({ url: `/api/schedules/${id}`, headers: operator })).json()
const history = async (app: FastifyInstance, id: string): Promise<History> => (await app.inject({ url: `/api/schedules/${id}/history`, headers: operator })).json()
const titles = (s: ScheduleWithEvents): string[] => s.events.map((e) => e.title)

// The slow answer phase waits this long after the commit: past the whole deadline and the
// worker's own backstop a second after it (workers/lifeline.ts), within the answer's bound
// (twice the deadline, from the commit: lib/pool/types.ts).
// Not shorter: every other call of these tests must finish within it, on a loaded machine too.
const DEADLINE_MS = 5000
const SLOW_ANSWER_MS = DEADLINE_MS + 1500

t.test('an edit or undo whose answer takes longer than the deadline after its commit still answers success, stored once', async (t) => {
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_TASK_TIMEOUT_MS: String(DEADLINE_MS), SCHEDULEFLOW_KILL_GRACE_MS: '300' })
  const id = await newSchedule(app)
  const film = (await read(app, id)).events.find((e) => e.title === 'Film')!.id

  arm(config, SLOW_AFTER_COMMIT_FILE, String(SLOW_ANSWER_MS))
  const patched = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'if-match': '"1"' }, payload: { title: 'Feature Film' } })
  t.equal(patched.statusCode, 200, `the PATCH answers its success, not a 504 (${patched.body.slice(0, 200)})`)
  t.match(patched.json(), { status: 'success', revision: 2, event: { title: 'Feature Film' } })
  t.equal(patched.headers.etag, '"2"')
  t.same(titles(await read(app, id)), ['News', 'Feature Film'], 'stored')
  t.equal((await history(app, id)).history.length, 1, 'once')

  arm(config, SLOW_AFTER_COMMIT_FILE, String(SLOW_ANSWER_MS))
  const undone = await app.inject({ method: 'POST', url: `/api/schedules/${id}/undo`, headers: { ...operator, 'if-match': '"2"' } })
  t.equal(undone.statusCode, 200, `the undo answers its success, not a 504 (${undone.body.slice(0, 200)})`)
  t.match(undone.json(), { status: 'success', revision: 3, reverted: [2] })
  t.same(titles(await read(app, id)), ['News', 'Film'], 'the edit is taken back')
  t.equal((await history(app, id)).history.length, 2, 'one undo, not two')
})

t.test('an answer that never comes after the commit is still bounded (twice the deadline): 504 with may_be_stored', async (t) => {
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_TASK_TIMEOUT_MS: String(DEADLINE_MS), SCHEDULEFLOW_KILL_GRACE_MS: '300' })
  const id = await newSchedule(app)
  const film = (await read(app, id)).events.find((e) => e.title === 'Film')!.id
  arm(config, SLOW_AFTER_COMMIT_FILE, String(3 * DEADLINE_MS))
  const stuck = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'idempotency-key': 'stuck' }, payload: { title: 'Stuck' } })
  t.equal(stuck.statusCode, 504)
  t.match(stuck.json(), { code: 'WORKER_TIMEOUT', may_be_stored: true, revision_before: 1, message: /within \d+ ms of its commit; the write may have been stored: repeat the request with the same Idempotency-Key/ })
  const repeat = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}/events/${film}`, headers: { ...operator, 'idempotency-key': 'stuck' }, payload: { title: 'Stuck' } })
  t.equal(repeat.statusCode, 200)
  t.equal(repeat.headers['idempotent-replayed'], 'true', 'the repeat learns it was stored')
  t.match(repeat.json(), { revision: 2, event: { title: 'Stuck' } })
})

t.test('an add whose worker dies after the commit: 502 with may_be_stored and revision_before; the same key replays it, one row', async (t) => {
  const { app, config } = await buildTestApp(t)
  const id = await newSchedule(app)
  const add = (key?: string) => app.inject({
    method: 'POST',
    url: `/api/schedules/${id}/events`,
    headers: { ...operator, ...(key !== undefined && { 'idempotency-key': key }) },
    payload: { title: 'Late Talk', start: at('22:00'), end: at('23:00') }
  })

  arm(config, CRASH_AFTER_COMMIT_FILE)
  const lost = await add('add-1')
  t.equal(lost.statusCode, 502, 'the worker died before it answered')
  t.match(lost.json(), { status: 'error', code: 'WORKER_CRASHED', may_be_stored: true, revision_before: 1 })
  t.match(lost.json().message, /may have been stored: repeat the request with the same Idempotency-Key/)
  t.same(titles(await read(app, id)), ['News', 'Film', 'Late Talk'], 'the add was committed')

  const repeat = await add('add-1')
  t.equal(repeat.statusCode, 201, 'the repeat answers the stored add')
  t.equal(repeat.headers['idempotent-replayed'], 'true')
  t.match(repeat.json(), { status: 'success', revision: 2, event: { title: 'Late Talk', start: at('22:00') } })
  t.equal(repeat.headers.etag, '"2"')
  t.same(titles(await read(app, id)), ['News', 'Film', 'Late Talk'], 'one row, not two')
  t.equal((await history(app, id)).history.length, 1)

  const again = await add('add-1')
  t.equal(again.headers['idempotent-replayed'], 'true', 'a third try is a replay too')
  const other = await app.inject({ method: 'POST', url: `/api/schedules/${id}/events`, headers: { ...operator, 'idempotency-key': 'add-1' }, payload: { title: 'Other', start: at('12:00'), end: at('13:00') } })
  t.equal(other.statusCode, 422, 'the key for another add is refused')
  t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED')

  arm(config, CRASH_AFTER_COMMIT_FILE)
  const unkeyed = await app.inject({ method: 'POST', url: `/api/schedules/${id}/events/bulk`, headers: operator, payload: { ops: [{ op: 'add', title: 'Bulk', start: at('14:00'), end: at('15:00') }] } })
  t.equal(unkeyed.statusCode, 502)
  t.match(unkeyed.json(), { may_be_stored: true, revision_before: 2 }, 'without a key the body still says it may be stored, and from which revision')
  t.match(unkeyed.json().message, /may have been stored: check before repeating it/)
  t.equal((await read(app, id)).schedule.revision, 3, 'a revision above revision_before: it was stored')
})

t.test('a channel edit whose worker dies after the commit names the channel\'s revision before it', async (t) => {
  const { app, config } = await buildTestApp(t)
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '9', name: 'Committed TV', timezone: 'UTC' } })
  t.equal(created.statusCode, 201, 'a channel')
  const channel = created.json().channel as { id: string, revision: number }
  arm(config, CRASH_AFTER_COMMIT_FILE)
  const add = () => app.inject({ method: 'POST', url: `/api/channels/${channel.id}/events`, headers: { ...operator, 'idempotency-key': 'ch-add' }, payload: { title: 'Live', start: at('12:00'), end: at('13:00') } })
  const lost = await add()
  t.equal(lost.statusCode, 502)
  t.match(lost.json(), { may_be_stored: true, revision_before: channel.revision })
  const repeat = await add()
  t.equal(repeat.statusCode, 201)
  t.equal(repeat.headers['idempotent-replayed'], 'true')
  t.equal(repeat.json().revision, channel.revision + 1, 'the stored add, one revision on')
})

t.test('a write stopped before its commit says nothing of may_be_stored; one that names no revision says revision_before null', async (t) => {
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_TASK_TIMEOUT_MS: String(DEADLINE_MS), SCHEDULEFLOW_KILL_GRACE_MS: '300' })
  const playlists = async (): Promise<number> => (await app.inject({ url: '/api/playlists', headers: operator })).json().count
  const m3u = '#EXTM3U\n#EXTINF:1800,A\nhttps://cdn.example/a.mp4\n'
  // test:spin holds the process for --ms before it imports the playlist: past the deadline, it never reaches its commit.
  const late = await app.inject({ method: 'POST', url: '/api/_test/spin', payload: { args: ['--ms', String(2 * DEADLINE_MS), '--name', 'late'], input: m3u } })
  t.equal(late.statusCode, 504)
  t.notOk('may_be_stored' in late.json(), 'killed before its commit: not said to be stored')
  t.equal(await playlists(), 0, 'and nothing was')

  const stale = await app.inject({ method: 'PATCH', url: `/api/schedules/${await newSchedule(app)}/events/nope`, headers: { ...operator, 'if-match': '"7"' }, payload: { title: 'X' } })
  t.equal(stale.statusCode, 412)
  t.notOk('may_be_stored' in stale.json(), 'a refusal stores nothing')

  arm(config, CRASH_AFTER_COMMIT_FILE)
  const lost = await app.inject({ method: 'POST', url: '/api/_test/spin', payload: { args: ['--ms', '1', '--name', 'lost'], input: m3u } })
  t.equal(lost.statusCode, 502)
  t.match(lost.json(), { may_be_stored: true, revision_before: null }, 'a new playlist had no revision before it')
  t.equal(await playlists(), 1, 'it was stored')
})

t.test('undo and redo take If-Match: a stale one is 412 and changes nothing; a key makes a repeated undo a replay', async (t) => {
  const { app } = await buildTestApp(t)
  const id = await newSchedule(app)
  const news = (await read(app, id)).events.find((e) => e.title === 'News')!.id
  t.equal((await app.inject({ method: 'DELETE', url: `/api/schedules/${id}/events/${news}`, headers: operator })).statusCode, 200)
  const edited = await read(app, id)
  t.equal(edited.schedule.revision, 2)

  const staleUndo = await app.inject({ method: 'POST', url: `/api/schedules/${id}/undo`, headers: { ...operator, 'if-match': '"1"' } })
  t.equal(staleUndo.statusCode, 412, 'undo with a stale If-Match')
  t.equal(staleUndo.json().code, 'PRECONDITION_FAILED')
  t.same(await read(app, id), edited, 'nothing changed')
  t.equal((await history(app, id)).history.length, 1, 'no history entry')

  const undo = (key: string) => app.inject({ method: 'POST', url: `/api/schedules/${id}/undo`, headers: { ...operator, 'if-match': '"2"', 'idempotency-key': key } })
  const undone = await undo('undo-1')
  t.equal(undone.statusCode, 200)
  t.match(undone.json(), { revision: 3, reverted: [2] })
  const repeated = await undo('undo-1')
  t.equal(repeated.statusCode, 200, 'the repeat answers the first undo')
  t.equal(repeated.headers['idempotent-replayed'], 'true')
  t.same({ ...repeated.json(), warnings: undefined }, { ...undone.json(), warnings: undefined }, 'the same revision and what it reverted')
  t.equal((await read(app, id)).schedule.revision, 3, 'undone once, not a second edit taken back')

  const staleRedo = await app.inject({ method: 'POST', url: `/api/schedules/${id}/undo?redo=true`, headers: { ...operator, 'if-match': '"2"' } })
  t.equal(staleRedo.statusCode, 412, 'redo with a stale If-Match')
  t.same(titles(await read(app, id)), ['News', 'Film'], 'nothing changed')
  const redone = await app.inject({ method: 'POST', url: `/api/schedules/${id}/undo?redo=true`, headers: { ...operator, 'if-match': '"3"' } })
  t.equal(redone.statusCode, 200, 'redo with the current revision')
  t.same(titles(await read(app, id)), ['Film'])
})
