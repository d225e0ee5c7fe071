import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import type { Role } from '../lib/config.js'
import { ROLE_RANK, type KeyIdentity, type Keyring } from '../lib/api-keys.js'
import { HttpError } from '../lib/http-errors.js'
import { SharedFailureCounter } from '../lib/failure-counter.js'
import { FEED_TOKEN_PREFIX } from '../contract/limits.js'
import { feedTokenHash } from '../workers/storage/feed-token-hash.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs; routes without one are open (health, metrics, the panel). */
    role?: Role
    /** The route is a feed (routes/feeds.ts): the feed token in its :token opens it, and nothing else does. */
    feed?: true
  }
  interface FastifyInstance {
    /** The API keys (lib/api-keys.ts): routes/keys.ts lists and renames them, plugins/key-names.ts keeps stored names current. */
    keyring: Keyring
  }
  interface FastifyRequest {
    identity: KeyIdentity | null
    /** On a feed route, the feed token that opened it: its record id and the token as given. */
    feedToken: { id: string, token: string } | null
  }
}

/** Longer than any token made (FEED_TOKEN_PREFIX + base64url of FEED_TOKEN_BYTES): not looked up. */
const MAX_FEED_TOKEN = 100

/**
 * API keys by role (SPEC §6): 401 without a valid key, 403 when the key's role is too small.
 * Failures are counted per client address (SCHEDULEFLOW_AUTH_FAILURE_MAX per rate-limit
 * window): past that, the address gets 429 for every request that does not carry a valid
 * key with the role needed (anonymous reads included), so keys cannot be guessed at speed,
 * while a real key holder sharing the address keeps working. With REDIS_URL the failures
 * are counted across instances.
 */
export default fp<{ keyring: Keyring }>(async (fastify, { keyring }) => {
  fastify.decorate('keyring', keyring)
  fastify.decorateRequest('identity', null)
  fastify.decorateRequest('feedToken', null)
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

  /**
   * A feed route (SPEC §17): the token in the path, checked against the database on every
   * request (one row by a unique index), so a token revoked on any instance shuts at once. Its
   * identity keys the rate limit and the pool's fair shares as an API key's does; a wrong token
   * counts as a failed authentication of the address.
   */
  const openFeed = async (request: FastifyRequest): Promise<void> => {
    const token = (request.params as { token?: unknown }).token
    const hash = typeof token === 'string' && token.startsWith(FEED_TOKEN_PREFIX) && token.length <= MAX_FEED_TOKEN ? feedTokenHash(token) : null
    const found = hash === null ? null : await fastify.storage.feedToken(hash)
    if (found === undefined) throw new HttpError('STORAGE_BUSY', 'the feed token cannot be checked now: the database does not answer; retry shortly', undefined, { 'retry-after': '1' })
    if (found === null || hash === null) throw await refuse(request.ip, new HttpError('UNAUTHORIZED', 'this feed token is not valid: it was revoked, or never made'))
    request.identity = { id: `feed-${hash.slice(0, 10)}`, name: `feed token ${found.name}`, role: 'viewer' }
    request.feedToken = { id: found.id, token: token as string }
  }

  // onRequest, so a refused caller's body is never read.
  fastify.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.feed === true) return openFeed(request)
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
