import t from 'tap'
import { buildTestApp } from './helpers.js'
import { setUpChannel } from './channel-fixtures.js'
import { eventsOf, newest, operator, overridesOf, revisionOf, send, templateOf, viewer } from './history-helpers.js'

// Issue 23 item 5 (SPEC §14): undo and revert restore every kind of write exactly — a build
// (the events it replaced back, its own gone), a template, an override, channel settings — and
// "revert to the last build" is one request. Real app, workers, database (both passes).

t.test('undo of a build restores exactly the events it replaced; undo of a template change restores the template', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, template } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`
  await send(app, 'POST', `${url}/build`, { from: '2030-03-04', to: '2030-03-06', seed: 'one' })
  const afterFirst = await eventsOf(app, url)
  t.ok(afterFirst.length > 100, `the first build stored ${afterFirst.length} events`)

  await send(app, 'POST', `${url}/build`, { from: '2030-03-05', to: '2030-03-05', seed: 'two' })
  t.not(JSON.stringify(await eventsOf(app, url)), JSON.stringify(afterFirst), 'the rebuild changed the events')
  const undone = await send(app, 'POST', `${url}/undo`)
  t.same(await eventsOf(app, url), afterFirst, 'undo of the rebuild gives back exactly the events it replaced, and none of its own')
  t.match(await newest(app, url), { kind: 'undo', undoes: undone.reverted[0], summary: /^undo of r\d+: built 2030-03-05 \(seed two\)/ })

  await send(app, 'POST', `${url}/undo`, undefined, {})
  const redone = await send(app, 'POST', `${url}/undo?redo=true`)
  t.ok(redone.revision > undone.revision, 'redo works too')

  // Undo the first build whole: the days are empty again.
  const storedTemplate = await templateOf(app, url)
  await send(app, 'POST', `${url}/revert`, { revision: 2 })
  t.same(await eventsOf(app, url), [], 'revert to before any build: no events')
  t.same(await templateOf(app, url), storedTemplate, 'and the template as it was after r2')

  const before = await templateOf(app, url)
  await send(app, 'PUT', `${url}/template`, { cooldown_hours: 24, blocks: [template.blocks[1]] })
  t.not(JSON.stringify(await templateOf(app, url)), JSON.stringify(before))
  await send(app, 'POST', `${url}/undo`)
  t.same(await templateOf(app, url), before, 'undo of the template PUT restores the template exactly')
})

t.test('revert to the last build; undo of an override delete and a channel patch', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, template } = await setUpChannel(app)
  const url = `/api/channels/${channel.id}`
  t.equal((await app.inject({ method: 'POST', url: `${url}/revert`, headers: operator, payload: { to: 'last_build' } })).statusCode, 409, 'no build yet: nothing to go back to')
  await send(app, 'POST', `${url}/build`, { from: '2030-03-04', to: '2030-03-05', seed: 'abc' })
  const built = await eventsOf(app, url)
  const storedTemplate = await templateOf(app, url)
  const builtRevision = await revisionOf(app, url)

  // Edits after the build, of every kind.
  const [victim] = built as Array<{ id: string, start: string }>
  await send(app, 'PATCH', `${url}/events/${victim.id}`, { title: 'Moved by hand', start: new Date(Date.parse(victim.start) + 600_000).toISOString() })
  await send(app, 'POST', `${url}/events`, { title: 'Live', start: '2030-03-04T12:00:00Z', end: '2030-03-04T12:30:00Z' })
  await send(app, 'PUT', `${url}/template`, { blocks: [template.blocks[0]] })
  await send(app, 'PATCH', url, { name: 'Renamed' })
  const { override } = await send(app, 'POST', `${url}/overrides`, { name: 'Gala', from: '2030-03-05', to: '2030-03-05', events: [{ title: 'Gala (live)', start: '2030-03-05T19:00:00', end: '2030-03-05T21:00:00' }] })

  const reverted = await send(app, 'POST', `${url}/revert`, { to: 'last_build' })
  t.equal(reverted.reverted.length, 5, 'the five writes after the build taken back')
  t.same(await eventsOf(app, url), built, 'the events are exactly as the build left them')
  t.same(await templateOf(app, url), storedTemplate, 'the template too')
  t.same(await overridesOf(app, url), [], 'the override added since is gone')
  t.match((await app.inject({ url, headers: viewer })).json().channel, { name: 'Campus TV' })
  t.match(await newest(app, url), { kind: 'revert', summary: `revert to the last build (r${builtRevision}): took back r${builtRevision + 1}–r${builtRevision + 5}` })

  // An undo of the revert brings it all back, the override with its id.
  await send(app, 'POST', `${url}/undo`)
  t.match(await overridesOf(app, url), [{ id: override.id, name: 'Gala' }])
  t.match((await app.inject({ url, headers: viewer })).json().channel, { name: 'Renamed' })

  await send(app, 'DELETE', `${url}/overrides/${override.id}`)
  t.same(await overridesOf(app, url), [])
  await send(app, 'POST', `${url}/undo`)
  t.match(await overridesOf(app, url), [{ id: override.id, name: 'Gala', seq: override.seq }], 'undo of a delete puts the override back as it was')
  await send(app, 'PATCH', url, { name: 'Third name' })
  await send(app, 'POST', `${url}/undo`)
  t.match((await app.inject({ url, headers: viewer })).json().channel, { name: 'Renamed' }, 'undo of a channel PATCH sets the field back')
})
