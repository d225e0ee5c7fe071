import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { Keyring } from '../lib/api-keys.js'

/**
 * Per API key, or per IP for calls without a valid key (so guessing keys is limited too).
 * Routes opt out with `config: { rateLimit: false }` or set a tighter `rateLimit`.
 */
export default fp<{ keyring: Keyring }>(async (fastify, { keyring }) => {
  await fastify.register(rateLimit, {
    global: true,
    max: fastify.config.rateLimit.max,
    timeWindow: fastify.config.rateLimit.windowMs,
    keyGenerator: (request) => {
      const identity = keyring.identify(request.headers.authorization)
      return identity !== null ? identity.id : `ip-${request.ip}`
    }
  })
}, { name: 'rate-limit', dependencies: ['config'] })
