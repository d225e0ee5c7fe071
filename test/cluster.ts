import { join } from 'node:path'
import type { Test } from 'tap'
import { KEYS, tempDir, waitFor } from './helpers.js'
import { findBinary, findRedisServer, startRedis, type TestRedis } from './redis-server.js'
import { storeQuery, testDatabaseUrl } from './test-database.js'
import { startInstance, startNginx, type ClusterInstance, type Stop } from '../bench/cluster.js'

export type { ClusterInstance }

// Several real ScheduleFlow instances on the pass's database and one redis-server, behind
// the real nginx (bench/cluster.ts): the multi-instance suite's service.

export interface ClusterBinaries { redis: string, nginx: string }

/** redis-server and nginx, or why the multi-instance suite cannot run (its skip reason). */
export function findClusterBinaries (): ClusterBinaries | { missing: string } {
  const redis = findRedisServer()
  const nginx = findBinary('nginx', ['/usr/sbin']) // not on a non-root user's PATH on Debian
  if (redis !== null && nginx !== null) return { redis, nginx }
  const absent = [redis === null ? 'redis-server' : '', nginx === null ? 'nginx' : ''].filter(Boolean).join(' and ')
  return { missing: `the multi-instance suite (three instances behind nginx) is left out: ${absent} not found on PATH or in SCHEDULEFLOW_TEST_BIN_DIR; run apt-get install redis-server nginx-light to run it` }
}

/** The database every instance uses, and a read-only view of it for the test's checks. */
export interface ClusterStorage {
  /** postgres on the PostgreSQL pass of npm test, else sqlite in one shared data dir. */
  kind: 'sqlite' | 'postgres'
  /** Rows of a query written once for both databases (storeQuery). */
  query: <T = Record<string, unknown>>(text: string) => Promise<T[]>
}

export interface Cluster {
  /** nginx: the service's one address. */
  url: string
  instances: ClusterInstance[]
  redis: TestRedis
  storage: ClusterStorage
  /** nginx's access log (the format of deploy/nginx/scheduleflow.conf). */
  accessLog: () => string
  /** The instances whose logs name this request id, once one does (none after `timeoutMs`). */
  servedBy: (requestId: string, timeoutMs?: number) => Promise<string[]>
}

export interface ClusterOptions {
  instances?: number
  /** Added to every instance's environment. */
  env?: Record<string, string>
}

/** Every key of test/helpers.ts, as all instances share them. */
export const CLUSTER_API_KEYS = Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',')

/**
 * Starts redis, the instances (each on its own port, all on one database), waits until each
 * answers /api/health, then starts nginx in front of them. Everything is stopped in teardown.
 */
export async function startCluster (t: Test, bins: ClusterBinaries, options: ClusterOptions = {}): Promise<Cluster> {
  const { storage, env: storageEnv } = await sharedStorage(t)
  const stops: Stop[] = []
  t.teardown(async () => { for (const stop of stops.reverse()) await stop() })

  const redis = await startRedis(t, bins.redis)
  const ids = Array.from({ length: options.instances ?? 3 }, (_, i) => `instance-${i + 1}`)
  const env = { ...storageEnv, REDIS_URL: redis.url, SCHEDULEFLOW_API_KEYS: CLUSTER_API_KEYS, ...options.env }
  const instances = await Promise.all(ids.map((id) => startInstance(t, id, env, stops)))
  const nginx = await startNginx(t, bins.nginx, instances.map((i) => Number(new URL(i.url).port)), stops)

  const servedBy = async (requestId: string, timeoutMs = 30_000): Promise<string[]> => {
    const line = `"reqId":"${requestId}"`
    const which = (): string[] => instances.filter((i) => i.output().includes(line)).map((i) => i.id)
    await waitFor(() => which().length > 0, timeoutMs) // the log line may trail the answer
    return which()
  }
  return { url: nginx.url, instances, redis, storage, accessLog: nginx.log, servedBy }
}

/**
 * The pass's database (test/test-database.ts): on PostgreSQL a database of the test's own,
 * else one SQLite data dir that every instance opens. Called before anything that uses it
 * registers its teardown: the database is dropped after the instances are gone.
 */
async function sharedStorage (t: Test): Promise<{ storage: ClusterStorage, env: Record<string, string> }> {
  const dataDir = join(tempDir(t, 'scheduleflow-cluster-'), 'data')
  const databaseUrl = await testDatabaseUrl(t)
  const where = { dataDir, databaseUrl }
  return {
    storage: { kind: databaseUrl === null ? 'sqlite' : 'postgres', query: async (text) => storeQuery(where, text) },
    // The data dir on PostgreSQL too: what an instance keeps beside its database has somewhere to go.
    env: { SCHEDULEFLOW_DATA_DIR: dataDir, ...(databaseUrl !== null && { DATABASE_URL: databaseUrl }) }
  }
}
