import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { KEYS, buildTestApp, waitFor, type TestApp } from './helpers.js'
import { REDIS_MISSING, findRedisServer, freePort, startRedis } from './redis-server.js'

// Two real instances of the app (each with its own worker pool) on one real redis-server,
// as two instances behind a load balancer share it.
const bin = findRedisServer()
if (bin === null) {
  t.comment(REDIS_MISSING)
  t.plan(0, REDIS_MISSING)
} else {
  t.test('two instances on one Redis share their rate limits, and keep answering without it', async (t) => {
    const redis = await startRedis(t, bin)
    // Keys of their own, so each step starts a fresh budget (10 requests per minute).
    const extraKeys = ['before', 'down', 'back'].map((name) => `viewer:${name}-key-0123456789abcdef`)
    const keyOf = (name: string): string => `${name}-key-0123456789abcdef`
    const env = {
      REDIS_URL: redis.url,
      SCHEDULEFLOW_RATE_LIMIT_MAX: '10',
      SCHEDULEFLOW_AUTH_FAILURE_MAX: '10',
      SCHEDULEFLOW_POOL_PRESPAWN: '0',
      SCHEDULEFLOW_API_KEYS: [...Object.entries(KEYS).map(([role, key]) => `${role}:${key}`), ...extraKeys].join(',')
    }
    const a = await buildTestApp(t, { ...env, SCHEDULEFLOW_INSTANCE_ID: 'instance-a' })
    const b = await buildTestApp(t, { ...env, SCHEDULEFLOW_INSTANCE_ID: 'instance-b' })
    const both = [a, b]
    const rateLimits = async ({ app }: TestApp): Promise<unknown> => (await app.inject('/api/health')).json().rate_limits

    // A request must be answered well before a client gives up: with ioredis' defaults a
    // Redis that is gone held each request 13-17 s (queued and retried), or for ever.
    const answered = async (app: FastifyInstance, url: string, key: string): Promise<number> => {
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<number>((resolve) => { timer = setTimeout(() => resolve(0), 5000) })
      const status = await Promise.race([app.inject({ url, headers: { authorization: `Bearer ${key}` } }).then((r) => r.statusCode), deadline])
      clearTimeout(timer)
      return status
    }
    /** `count` requests alternating between the instances, starting with `first`: their statuses. */
    const alternate = async (count: number, first: 0 | 1, url: string, key: string): Promise<number[]> => {
      const statuses: number[] = []
      for (let i = 0; i < count; i++) statuses.push(await answered(both[(first + i) % 2].app, url, key))
      return statuses
    }
    const tenOk = Array(10).fill(200)

    t.ok(await waitFor(async () => (await Promise.all(both.map(rateLimits))).every((r) => (r as { counted: string }).counted === 'shared')), 'both instances count in Redis once it answers')
    t.same(await rateLimits(a), { counted: 'shared', redis: { ok: true } }, 'health says the limits are shared and Redis answers')
    t.match((await a.app.inject('/api/queue-stats')).json(), { instance: 'instance-a' }, 'queue stats name their instance')
    t.match((await b.app.inject('/metrics')).body, /scheduleflow_rate_limits_shared\{instance_id="instance-b"\} 1/, 'metrics are labelled by instance and say the limits are shared')

    await t.test('the 11th request of a limit of 10 is refused, whichever instance gets it', async (t) => {
      // 11 requests from A, B, A, …: the 11th goes to A; with the operator key it goes to B.
      t.same(await alternate(11, 0, '/api/auth', KEYS.viewer), [...tenOk, 429], 'the 11th, on instance A, is a 429')
      t.same(await alternate(11, 1, '/api/auth', KEYS.operator), [...tenOk, 429], 'the 11th, on instance B, is a 429')
      t.same(await alternate(2, 1, '/api/auth', KEYS.viewer), [429, 429], 'and both instances go on refusing that key')
    })

    await t.test('failed authentications and unknown URLs are counted across instances too', async (t) => {
      const unauthorized = await alternate(11, 0, '/api/auth', 'not-a-key-at-all-0123456789')
      t.same(unauthorized, [...Array(10).fill(401), 429], '10 failures over two instances, the 11th refused as a guess')
      const unknown = await alternate(11, 1, '/api/no-such-route', keyOf('before'))
      t.same(unknown, [...Array(10).fill(404), 429], 'unknown URLs: the 11th is a 429')
    })

    await t.test('Redis killed: both instances keep answering, counting per instance, and say so once', async (t) => {
      await redis.kill()
      const key = keyOf('down')
      // Each instance has a budget of its own now: 10 on A and 10 on B, all answered.
      t.same(await alternate(20, 0, '/api/auth', key), Array(20).fill(200), '20 requests over two instances all answered 200')
      t.same(await alternate(2, 0, '/api/auth', key), [429, 429], 'the 11th on each instance is refused: limits still hold, per instance')
      for (const [name, { app, logs }] of [['A', a], ['B', b]] as const) {
        t.same(await rateLimits({ app } as TestApp), { counted: 'per-instance', redis: { ok: false } }, `health on ${name}: per instance, Redis not answering`)
        const warnings = logs.lines.filter((l) => l.level === 40 && l.msg === 'rate limits: Redis unavailable, counting per instance until it is back')
        t.equal(warnings.length, 1, `one warn line on ${name}, however many requests fell back`)
        t.match(warnings[0], { component: 'redis', redis: /^redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/ }, 'naming Redis without its password')
      }
      t.match((await a.app.inject('/metrics')).body, /scheduleflow_redis_up\{instance_id="instance-a"\} 0/, 'metrics say Redis is down')
    })

    await t.test('Redis back: the instances share their limits again', async (t) => {
      await redis.restart()
      t.ok(await waitFor(async () => (await Promise.all(both.map(rateLimits))).every((r) => (r as { counted: string }).counted === 'shared'), 15_000), 'both instances reconnect by themselves')
      t.same(await alternate(11, 1, '/api/auth', keyOf('back')), [...tenOk, 429], 'the 11th is refused again across instances')
      for (const { logs } of both) {
        t.equal(logs.lines.filter((l) => l.level === 30 && l.msg === 'rate limits: Redis is back, counting across instances again').length, 1, 'one info line when Redis is back')
      }
    })

    for (const { logs } of both) t.notOk(logs.raw.some((line) => line.includes(redis.password)), 'the password of REDIS_URL never reaches the log')
  })
  t.test('a Redis that does not answer at start does not stop the start: limits are counted per instance', async (t) => {
    const { app, logs } = await buildTestApp(t, { REDIS_URL: `redis://:pa55word@127.0.0.1:${await freePort()}`, SCHEDULEFLOW_POOL_PRESPAWN: '0' })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ url: '/api/auth', headers: { authorization: `Bearer ${KEYS.viewer}` } })).statusCode)
    t.same(statuses, [200, 200, 200], 'requests are answered')
    t.same((await app.inject('/api/health')).json().rate_limits, { counted: 'per-instance', redis: { ok: false } })
    t.equal(logs.lines.filter((l) => l.level === 40 && l.msg === 'rate limits: Redis unavailable, counting per instance until it is back').length, 1, 'one warn line, not one per reconnect attempt or request')
    t.notOk(logs.raw.some((line) => line.includes('pa55word')), 'the password is not logged')
  })
}
