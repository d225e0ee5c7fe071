import fp from 'fastify-plugin'
import type { Role } from '../lib/config.js'
import { ROLE_RANK, type KeyIdentity, type Keyring } from '../lib/api-keys.js'
import { HttpError } from '../lib/http-errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs; routes without one are open (health, metrics, the panel). */
    role?: Role
  }
  interface FastifyRequest {
    identity: KeyIdentity | null
  }
}

/** API keys by role (SPEC §6): 401 without a valid key, 403 when the key's role is too small. */
export default fp<{ keyring: Keyring }>(async (fastify, { keyring }) => {
  fastify.decorateRequest('identity', null)

  // onRequest, so a refused caller's body is never read.
  fastify.addHook('onRequest', async (request) => {
    const needed = request.routeOptions.config.role
    if (needed === undefined) return
    request.identity = keyring.identify(request.headers.authorization)
    if (request.identity === null) {
      if (needed === 'viewer' && fastify.config.anonymousRead && request.headers.authorization === undefined) return
      throw new HttpError(401, 'UNAUTHORIZED', 'a valid API key is required: Authorization: Bearer <key>', undefined, { 'www-authenticate': 'Bearer' })
    }
    if (ROLE_RANK[request.identity.role] < ROLE_RANK[needed]) {
      throw new HttpError(403, 'FORBIDDEN', `this needs the ${needed} role; the key has ${request.identity.role}`)
    }
    request.log.debug({ key_id: request.identity.id, role: request.identity.role }, 'authorized')
  })
}, { name: 'auth', dependencies: ['config'] })
