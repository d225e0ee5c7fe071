import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { requestOwner, type Keyring } from '../lib/api-keys.js'
import { fallbackStore } from '../lib/fallback-store.js'

/**
 * Per API key (a feed per its feed token), or per client address for calls without a valid
 * key, over the API's routes and the feeds only: the panel's files, /docs and /metrics are never limited, so no flood of
 * requests can lock the panel. Unknown URLs have their own budget (plugins/not-found.ts)
 * and failed authentications theirs (plugins/auth.ts). Routes opt out with
 * `config: { rateLimit: false }` or set a tighter `rateLimit`. With REDIS_URL every
 * budget here (and the not-found one, a child of this store) is counted across instances.
 */
export default fp<{ keyring: Keyring }>(async (fastify, { keyring }) => {
  // Before @fastify/rate-limit's own onRoute hook, which reads this flag.
  fastify.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') && !route.url.startsWith('/feeds/')) route.config = { ...route.config, rateLimit: false }
  })
  await fastify.register(rateLimit, {
    global: true,
    max: fastify.config.rateLimit.max,
    timeWindow: fastify.config.rateLimit.windowMs,
    ...(fastify.redis !== null && { store: fallbackStore(fastify.redis) }),
    // A feed's identity is its token's (plugins/auth.ts sets it before this hook runs).
    keyGenerator: (request) => requestOwner(request.identity ?? keyring.identifyRequest(request), request.ip)
  })
}, { name: 'rate-limit', dependencies: ['config', 'redis'] })
