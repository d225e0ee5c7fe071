import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { buildApp } from '../app.js'
import { Keyring } from '../lib/api-keys.js'
import { loadConfig } from '../lib/config.js'
import { createLogger } from '../lib/logger.js'
import { bareNodeSpawn, fmt, row, timeCalls } from './measure.js'

const CALLS = 40

/** Issue #2: a pooled `info` call against a bare node spawn, 1 and 8 callers; health requests per second. */
export async function benchPool (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scheduleflow-bench-'))
  try {
    const config = loadConfig({
      SCHEDULEFLOW_DATA_DIR: join(dir, 'data'),
      SCHEDULEFLOW_LOG_FILE: join(dir, 'logs', 'scheduleflow.log'),
      SCHEDULEFLOW_API_KEYS: 'admin:bench-admin-key-0123456789',
      SCHEDULEFLOW_RATE_LIMIT_MAX: '1000000',
      PORT: '0'
    })
    const logger = await createLogger(config, { stdout: false })
    const app = await buildApp({ config, logger, keyring: new Keyring(config.apiKeys) })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

    console.log('\n## Process pool (issue #2)')
    console.log(`pool size ${config.pool.size}, started ahead ${config.pool.prespawn}; ${CALLS} calls each\n`)
    await timeCalls(5, 1, bareNodeSpawn) // warm the page cache
    await timeCalls(5, 1, () => app.pool.run('info'))

    const bare1 = await timeCalls(CALLS, 1, bareNodeSpawn)
    const pool1 = await timeCalls(CALLS, 1, () => app.pool.run('info'))
    const http1 = await timeCalls(CALLS, 1, () => fetch(`${url}/api/system-info`).then((r) => r.json()))
    console.log(row('baseline: bare `node -e 0`, 1 caller', bare1))
    console.log(row('pooled `info` (ProcessPool.run), 1 caller', pool1, bare1))
    console.log(row('GET /api/system-info, 1 caller', http1, bare1))

    const bare8 = await timeCalls(CALLS, 8, bareNodeSpawn)
    const pool8 = await timeCalls(CALLS, 8, () => app.pool.run('info'))
    const http8 = await timeCalls(CALLS, 8, () => fetch(`${url}/api/system-info`).then((r) => r.json()))
    console.log(row('baseline: bare `node -e 0`, 8 callers', bare8))
    console.log(row('pooled `info` (ProcessPool.run), 8 callers', pool8, bare8))
    console.log(row('GET /api/system-info, 8 callers', http8, bare8))

    const health = await autocannon({ url: `${url}/api/health`, connections: 16, duration: 5 })
    console.log(`\nGET /api/health: ${fmt(health.requests.average, 0)} requests/s (16 connections, 5 s; p99 latency ${health.latency.p99} ms; non-2xx ${health.non2xx})`)
    console.log(`ratio pooled/bare: 1 caller ${fmt(pool1.meanMs / bare1.meanMs, 2)}×, 8 callers ${fmt(pool8.meanMs / bare8.meanMs, 2)}× (target ≤ 1.5×)`)
    await app.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
