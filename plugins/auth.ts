import fp from 'fastify-plugin'
import type { Role } from '../lib/config.js'
import { ROLE_RANK, type KeyIdentity, type Keyring } from '../lib/api-keys.js'
import { HttpError } from '../lib/http-errors.js'
import { SharedFailureCounter } from '../lib/failure-counter.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs; routes without one are open (health, metrics, the panel). */
    role?: Role
  }
  interface FastifyRequest {
    identity: KeyIdentity | null
  }
}

/**
 * API keys by role (SPEC §6): 401 without a valid key, 403 when the key's role is too small.
 * Failures are counted per client address (SCHEDULEFLOW_AUTH_FAILURE_MAX per rate-limit
 * window): past that, the address gets 429 for every request that does not carry a valid
 * key with the role needed (anonymous reads included), so keys cannot be guessed at speed,
 * while a real key holder sharing the address keeps working. With REDIS_URL the failures
 * are counted across instances.
 */
export default fp<{ keyring: Keyring }>(async (fastify, { keyring }) => {
  fastify.decorateRequest('identity', null)
  const { authFailureMax, windowMs } = fastify.config.rateLimit
  const failures = new SharedFailureCounter(fastify.redis, authFailureMax, windowMs)

  const refuse = async (address: string, error: HttpError): Promise<HttpError> => {
    const retryAfter = await failures.blockedFor(address)
    if (retryAfter > 0) {
      return new HttpError('RATE_LIMITED', `too many failed authentications from this address; retry in ${retryAfter} s`, undefined, { 'retry-after': String(retryAfter) })
    }
    await failures.record(address)
    return error
  }

  // onRequest, so a refused caller's body is never read.
  fastify.addHook('onRequest', async (request) => {
    const needed = request.routeOptions.config.role
    if (needed === undefined) return
    request.identity = keyring.identifyRequest(request)
    if (request.identity === null) {
      if (needed === 'viewer' && fastify.config.anonymousRead && request.headers.authorization === undefined) {
        if (await failures.blockedFor(request.ip) === 0) return
      }
      throw await refuse(request.ip, new HttpError('UNAUTHORIZED', 'a valid API key is required: Authorization: Bearer <key>', undefined, { 'www-authenticate': 'Bearer' }))
    }
    if (ROLE_RANK[request.identity.role] < ROLE_RANK[needed]) {
      throw await refuse(request.ip, new HttpError('FORBIDDEN', `this needs the ${needed} role; the key has ${request.identity.role}`))
    }
    request.log.debug({ key_id: request.identity.id, role: request.identity.role }, 'authorized')
  })
}, { name: 'auth', dependencies: ['config', 'redis'] })
