import t from 'tap'
import { buildTestApp } from './helpers.js'
import { setUpChannel } from './channel-fixtures.js'
import { eventsOf, history, newest, operator, overridesOf, revisionOf, send, templateOf, viewer } from './history-helpers.js'
import { storeQuery } from './test-database.js'

// Issue 23 item 5 (SPEC §14): history covers every write of a channel — template, override
// (add, patch, delete), channel settings, builds and hand edits — each with its kind, who,
// and what changed in words; undo and revert restore them exactly; an override is edited with
// a merge patch that refuses a bad body whole. Real app, workers, database (both passes).

t.test('every write of a channel is in its history, with its kind, who, and what changed in words', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, template } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`

  const first = await newest(app, url)
  t.match(first, { revision: 2, kind: 'template', by: { name: /^key-/, role: 'operator' }, request_id: String }, 'the template PUT of the set-up')
  t.match(first.summary, /^block news added \(mon,tue,wed,thu,fri 08:00–08:30\); block films added/)

  // A template change: a block's end, a block added, the cooldown.
  const changed = { cooldown_hours: 72, blocks: [...template.blocks.map((b) => (b.id === 'films' ? { ...b, end: '22:30' } : b)), { ...template.blocks[0], id: 'late-news', start: '23:30', end: '23:45' }] }
  await send(app, 'PUT', `${url}/template`, changed)
  t.match(await newest(app, url), { kind: 'template', summary: 'cooldown 48 h → 72 h; block films: end 23:00 → 22:30; block late-news added (mon,tue,wed,thu,fri 23:30–23:45)' })

  await send(app, 'PATCH', url, { name: 'Campus TV 2', group: null })
  t.match(await newest(app, url), { kind: 'channel', summary: 'name: Campus TV → Campus TV 2; group: Campus → none', settings: { before: { channel: { name: 'Campus TV', group: 'Campus' } }, after: { channel: { name: 'Campus TV 2', group: null } } } })

  const { override } = await send(app, 'POST', `${url}/overrides`, { name: 'Boat Race', from: '2030-03-07', to: '2030-03-07', events: [{ title: 'The Boat Race (live)', start: '2030-03-07T15:30:00', end: '2030-03-07T17:15:00' }] })
  t.match(await newest(app, url), { kind: 'override', summary: 'override Boat Race added (2030-03-07)' })
  const patched = await send(app, 'PATCH', `${url}/overrides/${override.id}`, { to: '2030-03-08' })
  t.match(patched.override, { id: override.id, name: 'Boat Race', from: '2030-03-07', to: '2030-03-08', seq: override.seq, events: [{ title: 'The Boat Race (live)', start: '2030-03-07T15:30:00.000Z' }] }, 'only the field given changed')
  t.match(await newest(app, url), { kind: 'override', summary: 'override Boat Race changed: to 2030-03-07 → 2030-03-08' })

  const built = await send(app, 'POST', `${url}/build`, { from: '2030-03-04', to: '2030-03-05', seed: 'abc' })
  const build = await newest(app, url)
  t.match(build, { revision: built.revision, kind: 'build', build: { from: '2030-03-04', to: '2030-03-05', seed: 'abc', replaced: 0 } })
  t.match(build.summary, /^built 2030-03-04 – 2030-03-05 \(seed abc\): [\d,]+ events, replaced 0$/)
  t.equal(build.counts.added, built.stats.events, 'its counts are the events it stored')
  await send(app, 'POST', `${url}/build`, { from: '2030-03-04', to: '2030-03-04', seed: 'xyz' })
  t.match((await newest(app, url)).summary, /^built 2030-03-04 \(seed xyz\): [\d,]+ events, replaced [1-9][\d,]*$/, 'a rebuild says how many it replaced')

  // Hand edits, in the channel's zone (London is on GMT in March before the change). The days
  // are in the future: a build keeps what has aired, so a rebuild of a past day replaces nothing.
  const added = await send(app, 'POST', `${url}/events`, { title: 'Harbour Lights S02E04', start: '2030-03-06T20:00:00Z', end: '2030-03-06T20:30:00Z' })
  t.match(await newest(app, url), { kind: 'edit', summary: 'Harbour Lights S02E04 added 2030-03-06 20:00–20:30' })
  await send(app, 'PATCH', `${url}/events/${added.event.id}`, { start: '2030-03-06T20:10:00Z' })
  t.match(await newest(app, url), { kind: 'edit', summary: 'Harbour Lights S02E04 moved 20:00 → 20:10' })
  await send(app, 'PATCH', `${url}/events/${added.event.id}`, { end: '2030-03-06T20:55:00Z', title: 'Harbour Lights S02E05' })
  t.match(await newest(app, url), { summary: 'Harbour Lights S02E04 resized 20:10–20:40 → 20:10–20:55, retitled "Harbour Lights S02E05"' })
  await send(app, 'DELETE', `${url}/events/${added.event.id}`)
  t.match(await newest(app, url), { summary: 'Harbour Lights S02E05 deleted (2030-03-06 20:10–20:55)' })
  const bulk = Array.from({ length: 5 }, (_, i) => ({ op: 'add', title: `Short ${i + 1}`, start: `2030-03-06T1${i}:00:00Z`, end: `2030-03-06T1${i}:10:00Z` }))
  await send(app, 'POST', `${url}/events/bulk`, { ops: bulk })
  t.match((await newest(app, url)).summary, /^Short 1 added 2030-03-06 10:00–10:10; Short 2 added .*; Short 3 added .*; and 2 more$/, 'a bulk names a few and counts the rest')

  await send(app, 'DELETE', `${url}/overrides/${override.id}`)
  t.match(await newest(app, url), { kind: 'override', summary: 'override Boat Race deleted' })

  const all = await history(app, url)
  const revision = await revisionOf(app, url)
  t.same(all.map((e) => e.revision), Array.from({ length: revision - 1 }, (_, i) => revision - i), 'one entry for every revision since the channel was made')
})

t.test('override PATCH: a merge patch, If-Match, and every class of bad body refused with nothing changed', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, films } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`
  const block = { id: 'gala', days: ['tue'], start: '19:00', end: '21:00', source: { playlist: films, group: 'Films' } }
  const { override } = await send(app, 'POST', `${url}/overrides`, { name: 'Gala', from: '2030-03-05', to: '2030-03-12', days: ['tue'], blocks: [block] })
  const oUrl = `${url}/overrides/${override.id}`

  const bad: Array<[string, unknown, string]> = [
    ['empty patch', {}, 'body'],
    ['not an object', [1], 'body'],
    ['unknown field', { colour: 'red' }, 'colour'],
    ['name null', { name: null }, 'name'],
    ['blank name', { name: '  ' }, 'name'],
    ['bad date', { from: '2026-13-01' }, 'from'],
    ['dates reversed by the patch', { to: '2030-03-03' }, 'to'],
    ['bad weekday', { days: ['someday'] }, 'days.0'],
    ['blocks not a list', { blocks: 'gala' }, 'blocks'],
    ['a block with a bad end', { blocks: [{ ...block, end: '25:00' }] }, 'blocks.0.end'],
    ['a block of a missing playlist', { blocks: [{ ...block, source: { playlist: '00000000-0000-4000-8000-000000000000' } }] }, 'blocks.0.source.playlist'],
    ['nothing left: no blocks, no events', { blocks: [] }, 'blocks'],
    ['an event ending before it starts', { events: [{ title: 'x', start: '2030-03-05T18:00:00', end: '2030-03-05T17:00:00' }] }, 'events.0.end'],
    ['an event with no title', { events: [{ start: '2030-03-05T18:00:00', end: '2030-03-05T19:00:00' }] }, 'events.0']
  ]
  const revision = await revisionOf(app, url)
  const stored = await overridesOf(app, url)
  for (const [what, payload, field] of bad) {
    const res = await app.inject({ method: 'PATCH', url: oUrl, headers: operator, payload: payload as Record<string, unknown> })
    t.equal(res.statusCode, 400, `${what}: ${res.body}`)
    t.match(res.json(), { status: 'error', code: /VALIDATION_FAILED|BAD_REQUEST/, request_id: String }, what)
    t.ok((res.json().errors ?? []).some((e: { field: string }) => e.field === field || e.field.startsWith(`${field}.`)), `${what}: names ${field} (${JSON.stringify(res.json().errors)})`)
  }
  const notJson = await app.inject({ method: 'PATCH', url: oUrl, headers: { ...operator, 'content-type': 'application/json' }, payload: '{"name": ' })
  t.equal(notJson.statusCode, 400, 'a body that is not JSON')
  t.equal(await revisionOf(app, url), revision, 'no bad patch raised the revision')
  t.same(await overridesOf(app, url), stored, 'nor changed the override')

  const stale = await app.inject({ method: 'PATCH', url: oUrl, headers: { ...operator, 'if-match': `"${revision - 1}"` }, payload: { name: 'Gala night' } })
  t.equal(stale.statusCode, 412, stale.body)
  t.same(await overridesOf(app, url), stored, 'a 412 changes nothing')

  const ok = await app.inject({ method: 'PATCH', url: oUrl, headers: { ...operator, 'if-match': `"${revision}"`, 'content-type': 'application/merge-patch+json', 'idempotency-key': 'gala-1' }, payload: JSON.stringify({ name: 'Gala night', days: null }) })
  t.equal(ok.statusCode, 200, ok.body)
  t.match(ok.json().override, { id: override.id, name: 'Gala night', days: null, from: '2030-03-05', to: '2030-03-12', blocks: [{ id: 'gala' }] })
  const again = await app.inject({ method: 'PATCH', url: oUrl, headers: { ...operator, 'if-match': `"${revision}"`, 'content-type': 'application/merge-patch+json', 'idempotency-key': 'gala-1' }, payload: JSON.stringify({ name: 'Gala night', days: null }) })
  t.equal(again.headers['idempotent-replayed'], 'true', 'a repeat with the same key answers the first result')
  t.equal(await revisionOf(app, url), revision + 1, 'and is applied once')
  t.match(await newest(app, url), { kind: 'override', summary: 'override Gala changed: name Gala → Gala night, days tue → none' })
  t.equal((await app.inject({ method: 'PATCH', url: `${url}/overrides/00000000-0000-4000-8000-000000000000`, headers: operator, payload: { name: 'x' } })).statusCode, 404)
  t.equal((await app.inject({ method: 'PATCH', url: oUrl, headers: viewer, payload: { name: 'x' } })).statusCode, 403, 'a viewer cannot edit')
})

t.test('a row or setting changed by a write history does not record: undo is a 409 EDIT_CONFLICT and writes nothing', async (t) => {
  const { app, config } = await buildTestApp(t)
  const { channel, template } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`
  const { event } = await send(app, 'POST', `${url}/events`, { title: 'Live', start: '2030-03-04T12:00:00Z', end: '2030-03-04T12:30:00Z' })
  // Behind the service's back, as an import or a restored backup would.
  await storeQuery(config, 'UPDATE events SET title = ? WHERE id = ?', ['Changed elsewhere', event.id])
  const revision = await revisionOf(app, url)
  const refused = await app.inject({ method: 'POST', url: `${url}/undo`, headers: operator })
  t.equal(refused.statusCode, 409, refused.body)
  t.match(refused.json(), { code: 'EDIT_CONFLICT', message: new RegExp(`revision ${revision} cannot be taken back: event ${event.id} was changed since`) })
  t.equal(await revisionOf(app, url), revision, 'nothing written')
  t.match(await eventsOf(app, url), [{ id: event.id, title: 'Changed elsewhere' }])

  await send(app, 'PUT', `${url}/template`, { blocks: [template.blocks[0]] })
  await storeQuery(config, 'UPDATE channels SET template = ? WHERE id = ?', [JSON.stringify({ cooldown_hours: 1, blocks: [] }), channel.id])
  const stale = await app.inject({ method: 'POST', url: `${url}/undo`, headers: operator })
  t.equal(stale.statusCode, 409, stale.body)
  t.match(stale.json(), { code: 'EDIT_CONFLICT', message: /the template was changed since/ })
  t.same(await templateOf(app, url), { cooldown_hours: 1, blocks: [] }, 'the template as it was left')
})
