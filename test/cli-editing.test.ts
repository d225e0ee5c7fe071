import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EditAnswer, History, ProgrammeEditAnswer, UndoAnswer } from '../contract/api.js'
import { tempDir } from './helpers.js'
import { runM3upro, type CliRun } from './workers.js'

// Editing by hand (issue 14, SPEC §12): `m3upro edit-events --schedule ID ops.json`,
// `edit-history`, `undo-edit` and `revert-edits --revision N`, each a real process on a real
// SQLite file, answering JSON on stdout; a stale --if-match exits 2 with PRECONDITION_FAILED
// and changes nothing.

t.setTimeout(360_000) // two dozen processes, each opening the store

const SCHEDULE = JSON.stringify({
  metadata: { title: 'Campus TV' },
  schedule: [
    { title: 'Morning News', start: '2025-11-24T07:00:00Z', end: '2025-11-24T07:30:00Z', videoUrl: 'https://media.example/news.mp4' },
    { title: 'Breakfast', start: '2025-11-24T07:30:00Z', end: '2025-11-24T08:30:00Z', videoUrl: 'https://media.example/breakfast.mp4' }
  ]
})

interface Answer<T> { ok: boolean, result: T, error: { code: string, message: string } }
const answer = <T>(run: CliRun): Answer<T> => JSON.parse(run.stdout)
interface StoredEvent { id: string, title: string, start: string, end: string }

t.test('edit-events, edit-history, undo-edit and revert-edits by hand', async (t) => {
  const dir = tempDir(t)
  const dataDir = join(dir, 'data')
  const imported = runM3upro(dataDir, ['import-schedule', '--format=json'], SCHEDULE)
  t.equal(imported.code, 0, 'exit 0')
  const id = answer<{ schedule_id: string }>(imported).result.schedule_id
  const events = (): StoredEvent[] => answer<{ events: StoredEvent[] }>(runM3upro(dataDir, ['get-schedule', '--', id])).result.events
  const revision = (): number => answer<{ schedule: { revision: number } }>(runM3upro(dataDir, ['get-schedule', '--', id])).result.schedule.revision
  const [news, breakfast] = events()
  const original = events()
  t.equal(revision(), 1, 'an imported schedule starts at revision 1')

  // Revision 2: the news moved ten minutes later (now overlapping breakfast), a late show added.
  const opsFile = join(dir, 'ops.json')
  writeFileSync(opsFile, JSON.stringify({
    ops: [
      { op: 'update', id: news.id, start: '2025-11-24T07:10:00Z' },
      { op: 'add', title: 'Late Show', start: '2025-11-24T23:00:00Z', end: '2025-11-24T23:45:00Z' }
    ]
  }))
  const edited = runM3upro(dataDir, ['edit-events', `--schedule=${id}`, '--if-match=1', opsFile])
  t.equal(edited.code, 0, 'exit 0')
  const edit = answer<EditAnswer>(edited).result
  t.equal(edit.revision, 2)
  t.match(edit.results, [{ op: 'update', id: news.id, event: { start: '2025-11-24T07:10:00.000Z', end: '2025-11-24T07:40:00.000Z' } }, { op: 'add', event: { title: 'Late Show' } }], 'moved with its length kept, and added')
  t.match(edit.warnings.conflicts, [{ event1: { event_id: news.id }, event2: { event_id: breakfast.id } }], 'the overlap the move causes is answered')
  t.equal(events().length, 3)

  // Revision 3: breakfast renamed, from stdin this time (no file named).
  const renamed = runM3upro(dataDir, ['edit-events', `--schedule=${id}`], JSON.stringify({ ops: [{ op: 'update', id: breakfast.id, title: 'Breakfast Show' }] }))
  t.equal(renamed.code, 0, 'exit 0')
  t.equal(answer<EditAnswer>(renamed).result.revision, 3)

  await t.test('a stale --if-match exits 2 with PRECONDITION_FAILED and changes nothing', async (t) => {
    const before = events()
    const stale = runM3upro(dataDir, ['edit-events', `--schedule=${id}`, '--if-match=2', opsFile])
    t.equal(stale.code, 2)
    const refused = answer<never>(stale)
    t.equal(refused.ok, false)
    t.equal(refused.error.code, 'PRECONDITION_FAILED')
    t.match(refused.error.message, /revision 3, not 2/, 'says where the schedule is')
    t.match(refused.error.message, /m3upro by hand/, 'and who wrote since')
    t.same(events(), before, 'the events unchanged')
    t.equal(revision(), 3, 'the revision unchanged')
    const staleUndo = runM3upro(dataDir, ['undo-edit', `--schedule=${id}`, '--if-match=1'])
    t.equal(staleUndo.code, 2)
    t.equal(answer<never>(staleUndo).error.code, 'PRECONDITION_FAILED', 'undo checks it too')
  })

  await t.test('edit-history lists each write, newest first, with what it changed', async (t) => {
    const run = runM3upro(dataDir, ['edit-history', `--schedule=${id}`])
    t.equal(run.code, 0, 'exit 0')
    const { history } = answer<History>(run).result
    t.same(history.map((h) => h.revision), [3, 2])
    t.match(history[0], { by: { name: 'm3upro by hand' }, changes: { changed: [{ before: { title: 'Breakfast' }, after: { title: 'Breakfast Show' } }] } })
    t.match(history[1].changes, { added: [{ title: 'Late Show' }], changed: [{ before: { start: '2025-11-24T07:00:00.000Z' }, after: { start: '2025-11-24T07:10:00.000Z' } }] })
  })

  await t.test('undo-edit takes back the last write as a new revision', async (t) => {
    const run = runM3upro(dataDir, ['undo-edit', `--schedule=${id}`])
    t.equal(run.code, 0, 'exit 0')
    t.match(answer<UndoAnswer>(run).result, { revision: 4, reverted: [3] })
    t.equal(events().find((e) => e.id === breakfast.id)?.title, 'Breakfast', 'the rename taken back')
    t.equal(events().length, 3, 'the earlier edit kept')
  })

  await t.test('revert-edits --revision 1 brings back the imported events', async (t) => {
    const run = runM3upro(dataDir, ['revert-edits', `--schedule=${id}`, '--revision=1'])
    t.equal(run.code, 0, 'exit 0')
    t.match(answer<UndoAnswer>(run).result, { revision: 5 })
    t.same(events(), original, 'as imported')
    const bad = runM3upro(dataDir, ['revert-edits', `--schedule=${id}`, '--revision=99'])
    t.equal(bad.code, 2, 'a revision it never had is refused')
    t.equal(answer<never>(bad).ok, false)
    t.same(events(), original, 'and changes nothing')
  })

  await t.test('a bad ops file exits 2 naming the op, changing nothing', async (t) => {
    writeFileSync(opsFile, JSON.stringify({ ops: [{ op: 'update', id: news.id, start: '2025-11-24T07:20:00Z' }, { op: 'update', id: news.id, end: 'not a time' }] }))
    const run = runM3upro(dataDir, ['edit-events', `--schedule=${id}`, opsFile])
    t.equal(run.code, 2)
    t.match(answer<never>(run).error, { code: 'VALIDATION_FAILED', errors: [{ field: 'ops.1.end' }] })
    t.same(events(), original, 'the first op not applied either')
    t.equal(revision(), 5)
  })
})

t.test('edit-programme moves, pins and deletes a channel\'s programme by hand; a stale --if-match exits 2', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const created = runM3upro(dataDir, ['create-channel'], JSON.stringify({ number: '9', name: 'Hand TV', timezone: 'UTC' }))
  t.equal(created.code, 0, created.stdout)
  const channel = answer<{ channel: { id: string } }>(created).result.channel.id
  const added = answer<EditAnswer>(runM3upro(dataDir, ['edit-events', `--channel=${channel}`], JSON.stringify({
    ops: [{ op: 'add', title: 'Talk', start: '2026-12-07T10:00:00Z', end: '2026-12-07T11:00:00Z' }, { op: 'add', title: 'Film', start: '2026-12-07T11:00:00Z', end: '2026-12-07T12:30:00Z' }]
  }))).result
  const [talk, film] = added.results.map((r) => r.id)
  const aired = (): string[] => answer<{ events: StoredEvent[] }>(runM3upro(dataDir, ['channel-events', channel, '--from=2026-12-07T00:00:00Z', '--to=2026-12-08T00:00:00Z'])).result.events
    .map((e) => `${e.title} ${e.start.slice(11, 16)}-${e.end.slice(11, 16)}`)

  const moved = runM3upro(dataDir, ['edit-programme', `--channel=${channel}`, `--programme=${talk}`, '--if-match=2'], JSON.stringify({ start: '2026-12-07T10:30:00Z', ripple: 'gap' }))
  t.equal(moved.code, 0, moved.stdout)
  t.match(answer<ProgrammeEditAnswer>(moved).result, { revision: 3, programme: { id: talk, title: 'Talk', pinned: true, segments: [{ event_id: talk, role: 'part' }] }, moved: [film] })
  t.same(aired(), ['Talk 10:30-11:30', 'Film 11:30-13:00'], 'the film pushed on by the gap ripple')

  const stale = runM3upro(dataDir, ['edit-programme', `--channel=${channel}`, `--programme=${film}`, '--delete', '--if-match=2'])
  t.equal(stale.code, 2)
  t.equal(answer<never>(stale).error.code, 'PRECONDITION_FAILED')
  const deleted = runM3upro(dataDir, ['edit-programme', `--channel=${channel}`, `--programme=${film}`, '--delete'])
  t.equal(deleted.code, 0, deleted.stdout)
  t.same(aired(), ['Talk 10:30-11:30'])
  t.equal(runM3upro(dataDir, ['edit-programme', `--channel=${channel}`, `--programme=${film}`, '--delete']).code, 2, 'gone: NOT_FOUND')
})
