import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KEYS, startServer, waitFor } from './helpers.js'

// Issue 11 item 20: every request's completion line names the caller's key id (never the key)
// and role, at a level by outcome: info for successes, warn for refusals, error for failures.

type Line = Record<string, unknown>

t.test('the completion line of each request: its level by status, the key id and role, never the key', async (t) => {
  const server = await startServer(t, {
    SCHEDULEFLOW_API_KEYS: Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(','),
    SCHEDULEFLOW_AUTH_FAILURE_MAX: '3'
  })
  const logFile = join(server.dir, 'logs', 'scheduleflow.log')
  const lines = (): Line[] => readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line)
  const completion = async (reqId: string): Promise<Line> => {
    await waitFor(() => lines().some((l) => l.reqId === reqId && l.msg === 'request completed'))
    return lines().find((l) => l.reqId === reqId && l.msg === 'request completed') ?? {}
  }
  const LEVEL = { info: 30, warn: 40, error: 50 }

  const cases: { name: string, path: string, method?: string, key?: keyof typeof KEYS | 'wrong', body?: string, type?: string, status: number, level: number, keyId: 'known' | null, role: string }[] = [
    { name: 'a read that succeeds', path: '/api/schedules', key: 'viewer', status: 200, level: LEVEL.info, keyId: 'known', role: 'viewer' },
    { name: 'an open route with a key', path: '/api/queue-stats', key: 'admin', status: 200, level: LEVEL.info, keyId: 'known', role: 'admin' },
    { name: 'a document refused as bad input', path: '/api/schedules/import', method: 'POST', key: 'operator', body: '{"schedule": [{"title": "x"}]}', type: 'application/json', status: 400, level: LEVEL.warn, keyId: 'known', role: 'operator' },
    { name: 'an id that names nothing', path: '/api/schedules/00000000-0000-4000-8000-000000000000', key: 'viewer', status: 404, level: LEVEL.warn, keyId: 'known', role: 'viewer' },
    { name: 'no key', path: '/api/schedules', status: 401, level: LEVEL.warn, keyId: null, role: 'anonymous' },
    { name: 'a wrong key', path: '/api/schedules', key: 'wrong', status: 401, level: LEVEL.warn, keyId: null, role: 'unknown-key' },
    { name: 'a role too small', path: '/api/schedules/import', method: 'POST', key: 'viewer', body: '{}', type: 'application/json', status: 403, level: LEVEL.warn, keyId: 'known', role: 'viewer' },
    { name: 'an address past its failed authentications', path: '/api/schedules', status: 429, level: LEVEL.warn, keyId: null, role: 'anonymous' },
    { name: 'an internal error in the worker', path: '/api/_test/fail', method: 'POST', key: 'admin', body: '{}', type: 'application/json', status: 500, level: LEVEL.error, keyId: 'known', role: 'admin' },
    { name: 'a worker that crashed', path: '/api/_test/crash', method: 'POST', key: 'operator', body: '{}', type: 'application/json', status: 502, level: LEVEL.error, keyId: 'known', role: 'operator' }
  ]

  const keyIds = new Map<string, string>()
  for (const [n, c] of cases.entries()) {
    const reqId = `log-case-${n}`
    const headers: Record<string, string> = { 'x-request-id': reqId }
    if (c.key !== undefined) headers.authorization = `Bearer ${c.key === 'wrong' ? 'not-a-key-0123456789abcdef' : KEYS[c.key]}`
    if (c.type !== undefined) headers['content-type'] = c.type
    const res = await fetch(`${server.url}${c.path}`, { method: c.method ?? 'GET', headers, body: c.body })
    await res.arrayBuffer()
    t.equal(res.status, c.status, `${c.name}: answered ${c.status}`)
    const line = await completion(reqId)
    t.equal(line.level, c.level, `${c.name}: logged at ${Object.entries(LEVEL).find(([, v]) => v === c.level)?.[0] ?? '?'}`)
    t.equal(line.role, c.role, `${c.name}: the role is named`)
    t.equal((line.res as { statusCode?: number } | undefined)?.statusCode, c.status, `${c.name}: with its status`)
    if (c.keyId === null) t.equal(line.key_id, null, `${c.name}: no key id`)
    else {
      t.match(line.key_id, /^key-[0-9a-f]{10}$/, `${c.name}: the key's id`)
      const known = keyIds.get(c.role)
      if (known !== undefined) t.equal(line.key_id, known, `${c.name}: the same id for the same key`)
      keyIds.set(c.role, line.key_id as string)
    }
  }
  t.equal(new Set(keyIds.values()).size, keyIds.size, 'each key has its own id')

  const text = readFileSync(logFile, 'utf8')
  for (const key of [...Object.values(KEYS), 'not-a-key-0123456789abcdef']) t.notOk(text.includes(key), 'no line carries a key')
})
