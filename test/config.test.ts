import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, EnvSchema, loadConfig } from '../lib/config.js'
import { projectRoot } from '../workers/project.js'

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
  t.equal(loadConfig({ SCHEDULEFLOW_TASK_TIMEOUT_MS: '60000', SCHEDULEFLOW_CONNECTION_TIMEOUT_MS: '90000' }).timeouts.connectionMs, 90000)
  t.equal(loadConfig({ SCHEDULEFLOW_TASK_TIMEOUT_MS: '300000' }).timeouts.connectionMs, 312_000, 'left unset, it grows to fit the task deadline and kill grace')
})
