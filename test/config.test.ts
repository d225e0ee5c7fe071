import t from 'tap'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { ConfigError, EnvSchema, loadConfig } from '../lib/config.js'
import { projectRoot } from '../workers/project.js'
import { startServer } from './helpers.js'

t.test('defaults match SPEC §8', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 5000)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.pool.size, 4)
  t.equal(config.pool.maxQueue, 100)
  t.equal(config.pool.timeoutMs, 30000)
  t.equal(config.maxUploadBytes, 50 * 1024 * 1024)
  t.same(config.rateLimit, { max: 100, windowMs: 60000, authFailureMax: 10 })
  t.equal(config.maxJsonBytes, 1024 * 1024)
  t.same(config.timeouts, { requestMs: 600_000, connectionMs: 120_000 })
  t.equal(config.trustProxy, false)
  t.equal(config.dataDir, join(process.cwd(), 'data'))
  t.equal(config.anonymousRead, false)
})

t.test('a bad value is refused with the name of its variable', async (t) => {
  const cases: Record<string, string> = {
    PORT: 'eighty',
    SCHEDULEFLOW_POOL_SIZE: '0',
    SCHEDULEFLOW_ANONYMOUS_READ: 'maybe',
    LOG_LEVEL: 'loud',
    SCHEDULEFLOW_MAX_QUEUE: '-1'
  }
  for (const [name, value] of Object.entries(cases)) {
    const err = t.throws(() => loadConfig({ [name]: value })) as unknown
    t.ok(err instanceof ConfigError, `${name}=${value} is refused`)
    t.match((err as Error).message, name)
  }
  const both = (() => { try { loadConfig({ PORT: 'x', SCHEDULEFLOW_RATE_LIMIT_MAX: 'y' }) } catch (e) { return e as ConfigError } })()
  t.equal(both?.problems.length, 2, 'every bad variable is named at once')
})

t.test('API keys are parsed by role, and a bad entry never echoes the key', async (t) => {
  const config = loadConfig({ SCHEDULEFLOW_API_KEYS: 'viewer:aaaaaaaaaaaaaaaa, admin:bbbbbbbbbbbbbbbb' })
  t.same(config.apiKeys.map((k) => k.role), ['viewer', 'admin'])
  const err = t.throws(() => loadConfig({ SCHEDULEFLOW_API_KEYS: 'root:secret-secret-secret' })) as Error
  t.match(err.message, 'SCHEDULEFLOW_API_KEYS')
  t.notMatch(err.message, 'secret-secret')
  // SPEC §12: name:role:key, the old role:key still read; the name is what history shows.
  const named = loadConfig({ SCHEDULEFLOW_API_KEYS: 'Alice Smith:operator:cccccccccccccccc,viewer:dddddddddddddddd' })
  t.same(named.apiKeys.map(({ name, role }) => ({ name, role })), [{ name: 'Alice Smith', role: 'operator' }, { name: null, role: 'viewer' }])
  for (const bad of ['alice:root:cccccccccccccccc', 'al/ice:operator:cccccccccccccccc', ':operator:cccccccccccccccc', 'alice:operator:short']) {
    const refused = t.throws(() => loadConfig({ SCHEDULEFLOW_API_KEYS: bad }), `${bad.split(':')[0]}… is refused`) as Error
    t.notMatch(refused.message, /cccccccc|short/, 'without echoing the key')
  }
})

t.test('.env.example lists every variable with its default', async (t) => {
  const example = readFileSync(join(projectRoot, '.env.example'), 'utf8')
  const listed = new Map(example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=') as [string, string]))
  for (const [name, schema] of Object.entries(EnvSchema.properties)) {
    t.ok(listed.has(name), `${name} is in .env.example`)
    t.equal(listed.get(name), String((schema as { default: unknown }).default), `${name} shows its default`)
  }
  t.equal(listed.size, Object.keys(EnvSchema.properties).length, 'and nothing else')
})

t.test('SCHEDULEFLOW_TRUST_PROXY takes false, true or addresses/CIDRs, and refuses the rest', async (t) => {
  t.equal(loadConfig({ SCHEDULEFLOW_TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ SCHEDULEFLOW_TRUST_PROXY: 'FALSE' }).trustProxy, false)
  t.same(loadConfig({ SCHEDULEFLOW_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'])
  for (const bad of ['1', 'yes', '10.0.0.0/33', 'proxy.example', '127.0.0.1,,nope']) {
    const err = t.throws(() => loadConfig({ SCHEDULEFLOW_TRUST_PROXY: bad })) as Error
    t.match(err.message, 'SCHEDULEFLOW_TRUST_PROXY', `${bad} is refused`)
  }
})

t.test('the connection timeout must outlast the longest operation', async (t) => {
  const err = t.throws(() => loadConfig({ SCHEDULEFLOW_TASK_TIMEOUT_MS: '60000', SCHEDULEFLOW_CONNECTION_TIMEOUT_MS: '30000' })) as Error
  t.match(err.message, /SCHEDULEFLOW_CONNECTION_TIMEOUT_MS: must exceed/)
  t.throws(() => loadConfig({ SCHEDULEFLOW_TASK_TIMEOUT_MS: '60000', SCHEDULEFLOW_CONNECTION_TIMEOUT_MS: '90000' }), 'a committed write\'s answer (twice the deadline, after it) must fit too')
  t.equal(loadConfig({ SCHEDULEFLOW_TASK_TIMEOUT_MS: '60000', SCHEDULEFLOW_CONNECTION_TIMEOUT_MS: '190000' }).timeouts.connectionMs, 190000)
  t.equal(loadConfig({ SCHEDULEFLOW_TASK_TIMEOUT_MS: '300000' }).timeouts.connectionMs, 912_000, 'left unset, it grows to fit the task deadline, the answer after a commit and the kill grace')
})

t.test('REDIS_URL takes redis:// or rediss:// with a host, and refuses the rest without echoing it', async (t) => {
  t.equal(loadConfig({}).redisUrl, null, 'unset: limits are counted per instance')
  for (const good of ['redis://127.0.0.1', 'redis://:pa55word@redis.internal:6380/2', 'rediss://user:pa55word@cache.example/', 'redis://[::1]:6379']) {
    t.equal(loadConfig({ REDIS_URL: good }).redisUrl, good, `${good} is taken`)
  }
  const bad = [
    'localhost:6379', // no scheme: read as a scheme named "localhost"
    '127.0.0.1:6379',
    'http://pa55word@redis.internal',
    'redis://',
    'redis://:pa55word@/0',
    'redis://redis.internal/cache',
    'redis://redis.internal:port',
    'redis :// pa55word',
    'postgres://user:pa55word@db/x'
  ]
  for (const value of bad) {
    const err = t.throws(() => loadConfig({ REDIS_URL: value })) as Error
    t.ok(err instanceof ConfigError, `${value} is refused`)
    t.match(err.message, /REDIS_URL: must be redis:\/\//)
    t.notMatch(err.message, 'pa55word', 'the value, which may hold a password, is never echoed')
  }
})

t.test('a bad REDIS_URL stops the start, naming the variable and not the password', async (t) => {
  const server = await startServer(t, { REDIS_URL: 'redis//:pa55word@redis.internal:6379' })
  const [code] = await (server.proc.exitCode !== null ? [server.proc.exitCode] : once(server.proc, 'exit'))
  t.equal(code, 78)
  t.match(server.stderr(), /REDIS_URL/)
  t.notMatch(server.stderr() + server.stdout(), 'pa55word')
})

t.test('DATABASE_URL takes postgres:// or postgresql:// with a host and a database, and refuses the rest without echoing it', async (t) => {
  t.equal(loadConfig({}).databaseUrl, null, 'unset: SQLite in the data dir')
  for (const good of ['postgres://db.internal/scheduleflow', 'postgresql://sf:pa55word@127.0.0.1:6543/sf?sslmode=require', 'postgres://sf:pa55word@[::1]/sf']) {
    t.equal(loadConfig({ DATABASE_URL: good }).databaseUrl, good, `${good} is taken`)
  }
  const bad = [
    'db.internal:5432/sf', // no scheme
    'mysql://sf:pa55word@db/sf',
    'postgres://sf:pa55word@db.internal', // no database
    'postgres://sf:pa55word@db.internal/',
    'postgres:///sf', // no host: a socket path is not taken
    'postgres://sf:pa55word@db.internal:port/sf',
    'sqlite:./data'
  ]
  for (const value of bad) {
    const err = t.throws(() => loadConfig({ DATABASE_URL: value })) as Error
    t.ok(err instanceof ConfigError, `${value} is refused`)
    t.match(err.message, /DATABASE_URL: must be postgres:\/\//)
    t.notMatch(err.message, 'pa55word', 'the value, which may hold a password, is never echoed')
  }
})

t.test('a malformed DATABASE_URL stops the start at once (78), naming the variable and not the password', async (t) => {
  const server = await startServer(t, { DATABASE_URL: 'postgres//sf:pa55word@db.internal/sf' })
  const [code] = await (server.proc.exitCode !== null ? [server.proc.exitCode] : once(server.proc, 'exit'))
  t.equal(code, 78)
  t.match(server.stderr(), /DATABASE_URL/)
  t.notMatch(server.stderr() + server.stdout(), 'pa55word')
})

t.test('an unreachable DATABASE_URL stops the start after SCHEDULEFLOW_DB_CONNECT_TIMEOUT_MS, naming where it points and not the password', async (t) => {
  const closed = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port)) // nothing listens there now
    })
  })
  const server = await startServer(t, { DATABASE_URL: `postgres://sf:pa55word@127.0.0.1:${closed}/sf`, SCHEDULEFLOW_DB_CONNECT_TIMEOUT_MS: '1500' })
  const [code] = await (server.proc.exitCode !== null ? [server.proc.exitCode] : once(server.proc, 'exit'))
  t.equal(code, 1, 'a database that comes back later is worth a restart: not the configuration exit code')
  t.match(server.stderr(), new RegExp(`DATABASE_URL: no answer from PostgreSQL at 127\\.0\\.0\\.1:${closed}/sf within 1500 ms \\(ECONNREFUSED\\)`))
  t.notMatch(server.stderr() + server.stdout(), 'pa55word')
  t.notMatch(server.stdout(), /Server listening/, 'it never listened')
})

t.test('SCHEDULEFLOW_INSTANCE_ID: as given, else <hostname>:<port>, else <hostname>-<pid> on a port the system picks', async (t) => {
  t.equal(loadConfig({ SCHEDULEFLOW_INSTANCE_ID: 'edge-2' }).instanceId, 'edge-2')
  t.equal(loadConfig({ PORT: '5001' }).instanceId, `${hostname()}:5001`)
  t.equal(loadConfig({}).instanceId, `${hostname()}:5000`)
  t.equal(loadConfig({ PORT: '0' }).instanceId, `${hostname()}-${process.pid}`)
})

t.test('SCHEDULEFLOW_PUBLIC_URL takes an http(s) URL without user, query or fragment, and refuses the rest', async (t) => {
  t.equal(loadConfig({}).publicUrl, null, 'unset: links are built on the request\'s host')
  t.equal(loadConfig({ SCHEDULEFLOW_PUBLIC_URL: 'https://tv.example.org' }).publicUrl, 'https://tv.example.org')
  t.equal(loadConfig({ SCHEDULEFLOW_PUBLIC_URL: 'https://tv.example.org/' }).publicUrl, 'https://tv.example.org', 'kept without its trailing slash: links append /api/…')
  t.equal(loadConfig({ SCHEDULEFLOW_PUBLIC_URL: 'http://[::1]:8080/tv/' }).publicUrl, 'http://[::1]:8080/tv')
  const bad = [
    'tv.example.org', // no scheme
    'ftp://tv.example.org',
    'https://',
    'https://tv.example.org/?channel=1',
    'https://tv.example.org/?',
    'https://tv.example.org/#guide',
    'https://admin:pa55word@tv.example.org'
  ]
  for (const value of bad) {
    const err = t.throws(() => loadConfig({ SCHEDULEFLOW_PUBLIC_URL: value })) as Error
    t.ok(err instanceof ConfigError, `${value} is refused`)
    t.match(err.message, /SCHEDULEFLOW_PUBLIC_URL: must be http\(s\):\/\//)
    t.notMatch(err.message, 'pa55word', 'a password is never echoed')
  }
})
