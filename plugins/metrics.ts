import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Prometheus text at /metrics: process defaults, HTTP latency, and the pool read at scrape time. */
export default fp(async (fastify) => {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'scheduleflow_' })

  const http = new Histogram({
    name: 'scheduleflow_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry]
  })
  fastify.addHook('onResponse', async (request, reply) => {
    http.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode }, reply.elapsedTime / 1000)
  })

  const pool = fastify.pool
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect () { this.set(read()) } }) // eslint-disable-line no-new
  }
  gauge('scheduleflow_pool_active', 'CLI processes running an operation', () => pool.stats().active)
  gauge('scheduleflow_pool_idle', 'CLI processes started ahead of their call', () => pool.stats().idle)
  gauge('scheduleflow_pool_queued', 'operations waiting for a process', () => pool.stats().queued)
  gauge('scheduleflow_pool_max_concurrency', 'configured process bound', () => pool.stats().max_concurrency)
  new Counter({ // eslint-disable-line no-new
    name: 'scheduleflow_pool_tasks_total',
    help: 'pool operations by outcome',
    labelNames: ['outcome'],
    registers: [registry],
    collect () {
      this.reset()
      for (const [outcome, count] of Object.entries(pool.stats().totals)) this.inc({ outcome }, count)
    }
  })

  fastify.get('/metrics', { config: { rateLimit: false }, schema: { hide: true } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}, { name: 'metrics', dependencies: ['process-pool'] })
