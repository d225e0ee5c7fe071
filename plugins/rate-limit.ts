import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { requestOwner, type Keyring } from '../lib/api-keys.js'
import { fallbackStore } from '../lib/fallback-store.js'

/**
 * Per API key, or per client address for calls without a valid key, over the API's
 * routes only: the panel's files, /docs and /metrics are never limited, so no flood of
 * requests can lock the panel. Unknown URLs have their own budget (plugins/not-found.ts)
 * and failed authentications theirs (plugins/auth.ts). Routes opt out with
 * `config: { rateLimit: false }` or set a tighter `rateLimit`. With REDIS_URL every
 * budget here (and the not-found one, a child of this store) is counted across instances.
 */
export default fp<{ keyring: Keyring }>(async (fastify, { keyring }) => {
  // Before @fastify/rate-limit's own onRoute hook, which reads this flag.
  fastify.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) route.config = { ...route.config, rateLimit: false }
  })
  await fastify.register(rateLimit, {
    global: true,
    max: fastify.config.rateLimit.max,
    timeWindow: fastify.config.rateLimit.windowMs,
    ...(fastify.redis !== null && { store: fallbackStore(fastify.redis) }),
    keyGenerator: (request) => requestOwner(keyring.identifyRequest(request), request.ip)
  })
}, { name: 'rate-limit', dependencies: ['config', 'redis'] })
