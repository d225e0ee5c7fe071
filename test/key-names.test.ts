import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp, KEYS } from './helpers.js'
import { KEY_NAME_MAX } from '../contract/limits.js'

// Names for people (SPEC §17, issue 27 item 3): the admin key made at first start is `admin`
// until an admin renames it (PATCH /api/keys/:id); the name is stored, so other instances take it
// (at start, on the on-air tick); history, 412 messages and the request log name the key so.
// Real app, workers and database (both passes).

const RUNS = Number(process.env.FUZZ_RUNS ?? 10) * 10
const STORED = { SCHEDULEFLOW_API_KEYS: '' }

/** An app whose only key is the one it made at first start, and that key. */
async function storedKeyApp (t: Test, env: Record<string, string> = {}): Promise<{ app: FastifyInstance, key: string, headers: { authorization: string }, logs: Awaited<ReturnType<typeof buildTestApp>>['logs'], dataDir: string, databaseUrl: string | null }> {
  const { app, config, logs } = await buildTestApp(t, { ...STORED, ...env })
  const key = readFileSync(join(config.dataDir, 'admin.key'), 'utf8').trim()
  return { app, key, headers: { authorization: `Bearer ${key}` }, logs, dataDir: config.dataDir, databaseUrl: config.databaseUrl }
}

const auth = async (app: FastifyInstance, headers: Record<string, string>): Promise<Record<string, unknown>> => (await app.inject({ url: '/api/auth', headers })).json()

t.test('keys from the environment: listed, never renamed (409); an unknown id is a 404; only an admin lists or renames (403)', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_API_KEYS: `Ada:admin:${KEYS.admin},operator:${KEYS.operator},viewer:${KEYS.viewer}` })
  const listed = await app.inject({ url: '/api/keys', headers: bearer('admin') })
  t.equal(listed.statusCode, 200)
  const keys = listed.json().keys as Array<{ id: string, name: string, role: string, source: string }>
  t.equal(keys.length, 3)
  t.match(keys.find((k) => k.role === 'admin'), { id: /^key-[0-9a-f]{10}$/, name: 'Ada', source: 'environment' })
  t.notOk(listed.body.includes(KEYS.admin), 'never a key')
  const ada = keys.find((k) => k.name === 'Ada')!

  const refused = await app.inject({ method: 'PATCH', url: `/api/keys/${ada.id}`, headers: bearer('admin'), payload: { name: 'Grace' } })
  t.equal(refused.statusCode, 409)
  t.match(refused.json(), { status: 'error', code: 'KEY_FROM_ENVIRONMENT', message: /SCHEDULEFLOW_API_KEYS/, request_id: String })
  t.match(await auth(app, bearer('admin')), { role: 'admin', key_id: ada.id, key_name: 'Ada', key_source: 'environment', named: true })

  const unknown = await app.inject({ method: 'PATCH', url: '/api/keys/key-0000000000', headers: bearer('admin'), payload: { name: 'Grace' } })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json(), { status: 'error', code: 'NOT_FOUND' })
  for (const role of ['viewer', 'operator'] as const) {
    t.equal((await app.inject({ url: '/api/keys', headers: bearer(role) })).statusCode, 403, `${role}: GET 403`)
    const patch = await app.inject({ method: 'PATCH', url: `/api/keys/${ada.id}`, headers: bearer(role), payload: { name: 'Grace' } })
    t.equal(patch.statusCode, 403, `${role}: PATCH 403`)
    t.match(patch.json(), { code: 'FORBIDDEN' })
  }
  t.equal((await app.inject({ url: '/api/keys' })).statusCode, 401)
})

t.test('the first-start key is `admin`, renamed in place: history, the 412 message and the log line name it; older entries keep their name; other instances take it', async (t) => {
  const { app, headers, logs, dataDir, databaseUrl } = await storedKeyApp(t)
  const me = await auth(app, headers)
  t.match(me, { role: 'admin', key_id: /^key-[0-9a-f]{10}$/, key_name: 'admin', key_source: 'stored', named: false }, 'named `admin` by default, never by a person yet')
  const id = me.key_id as string
  t.same((await app.inject({ url: '/api/keys', headers })).json(), { keys: [{ id, name: 'admin', role: 'admin', source: 'stored' }] })

  const created = await app.inject({ method: 'POST', url: '/api/channels', headers, payload: { number: '9', name: 'Names TV', timezone: 'UTC' } })
  t.equal(created.statusCode, 201)
  const channel = created.json().channel as { id: string, revision: number }
  const url = `/api/channels/${channel.id}`
  const patchChannel = async (name: string, revision: number) => app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': `"${revision}"` }, payload: { name } })
  const first = await patchChannel('Names TV 2', channel.revision)
  t.equal(first.statusCode, 200)

  const renamed = await app.inject({ method: 'PATCH', url: `/api/keys/${id}`, headers, payload: { name: '  Ada Lovelace ' } })
  t.equal(renamed.statusCode, 200)
  t.same(renamed.json(), { id, name: 'Ada Lovelace', role: 'admin', source: 'stored' }, 'trimmed; the key in the contract\'s shape')
  t.match(await auth(app, headers), { key_name: 'Ada Lovelace', named: true }, 'this instance knows at once')

  const second = await patchChannel('Names TV 3', first.json().channel.revision)
  t.equal(second.statusCode, 200)
  const log = logs.lines.find((l) => l.reqId === second.headers['x-request-id'] && l.msg === 'request completed')
  t.match(log, { key_id: id, key_name: 'Ada Lovelace', role: 'admin' }, 'the request log line names the key beside its id')

  const history = (await app.inject({ url: `${url}/history`, headers })).json().history as Array<{ by: { name: string }, summary: string }>
  t.match(history[0], { by: { name: 'Ada Lovelace', role: 'admin' }, summary: /Names TV 2 → Names TV 3/ }, 'a write after the rename')
  t.match(history[1], { by: { name: 'admin' }, summary: /Names TV → Names TV 2/ }, 'an entry written before keeps its name')

  const stale = await patchChannel('Names TV 4', first.json().channel.revision)
  t.equal(stale.statusCode, 412)
  t.match(stale.json().message, /changed by Ada Lovelace \(admin\)/, 'the 412 message names who wrote since')

  // Another instance on the same database: it takes the name at start, and a later rename on its next tick.
  const other = await buildTestApp(t, { ...STORED, SCHEDULEFLOW_DATA_DIR: dataDir, ...(databaseUrl !== null && { DATABASE_URL: databaseUrl }) })
  t.match(await auth(other.app, headers), { key_id: id, key_name: 'Ada Lovelace', named: true }, 'read at start')
  t.equal((await app.inject({ method: 'PATCH', url: `/api/keys/${id}`, headers, payload: { name: 'Countess' } })).statusCode, 200)
  t.match(await auth(other.app, headers), { key_name: 'Ada Lovelace' }, 'not before its tick')
  t.equal((await other.app.inject({ method: 'POST', url: '/api/_tick', headers })).statusCode, 200)
  t.match(await auth(other.app, headers), { key_name: 'Countess' }, 'after its on-air tick')
})

t.test('a bad name (fuzzed) is a 400 in the error shape and stores nothing; a good one is stored trimmed', async (t) => {
  // Out of the per-key rate limit's way: every request reaches the check.
  const { app, headers } = await storedKeyApp(t, { SCHEDULEFLOW_RATE_LIMIT_MAX: '1000000' })
  const id = (await auth(app, headers)).key_id as string
  let current = 'admin'
  const valid = (name: unknown): name is string => typeof name === 'string' && name.length <= KEY_NAME_MAX && name.trim() !== '' &&
    !/[\u0000-\u0008\u000A-\u001F\u007F\u2028\u2029]/.test(name)
  const name = fc.oneof(
    fc.string({ maxLength: KEY_NAME_MAX + 8 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('', ' ', '\t', '\u00a0\u2003', 'a\nb', 'a\u2028b', 'nul\u0000', 'x'.repeat(KEY_NAME_MAX), 'x'.repeat(KEY_NAME_MAX + 1), ' Bob ', 'Zoë 🎬'),
    fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }))
  )
  const body = fc.oneof(
    name.map((n) => ({ name: n })),
    fc.tuple(name, fc.string()).map(([n, extra]) => ({ name: n, [`x${extra}`]: 1 })),
    fc.constant({})
  )
  // Assertion messages name the body in ASCII: a raw U+2028 in one breaks the TAP stream's lines.
  const shown = (payload: unknown): string => JSON.stringify(payload).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  await fc.assert(fc.asyncProperty(body, async (payload: Record<string, unknown>) => {
    const res = await app.inject({ method: 'PATCH', url: `/api/keys/${id}`, headers, payload })
    const good = Object.keys(payload).length === 1 && valid(payload.name)
    if (good) {
      t.equal(res.statusCode, 200, shown(payload))
      current = (payload.name as string).trim()
      t.equal(res.json().name, current)
    } else {
      t.equal(res.statusCode, 400, `${shown(payload)}: ${String(res.json().code)}`)
      t.match(res.json(), { status: 'error', code: String, message: String, request_id: String })
    }
    t.equal((await auth(app, headers)).key_name, current, 'the name is the last good one')
  }), { numRuns: RUNS, endOnFailure: true })
})
