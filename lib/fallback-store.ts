import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import LocalStore from '@fastify/rate-limit/store/LocalStore.js'
import RedisStore from '@fastify/rate-limit/store/RedisStore.js'
import { REDIS_KEY_PREFIX, type RedisLink } from './redis-link.js'

type Callback = (err: Error | null, result?: { current: number, ttl: number }) => void

interface StoreParams {
  continueExceeding?: boolean
  exponentialBackoff?: boolean
  cache?: number
  routeInfo?: { method?: string, url?: string }
}

/**
 * A @fastify/rate-limit store counting in Redis while the link is usable and in this
 * process otherwise, so a Redis that is gone costs a request nothing but sharing.
 * (@fastify/rate-limit's `skipOnError` would let every request through unlimited and
 * silently; its ioredis defaults would hold requests for seconds.)
 */
export function fallbackStore (link: RedisLink): FastifyRateLimitStoreCtor {
  class FallbackStore {
    private readonly redis
    private readonly local

    constructor (params: StoreParams, private readonly prefix = REDIS_KEY_PREFIX) {
      const continueExceeding = params.continueExceeding ?? false
      const exponentialBackoff = params.exponentialBackoff ?? false
      this.redis = new RedisStore(continueExceeding, exponentialBackoff, link.client, prefix)
      this.local = new LocalStore(continueExceeding, exponentialBackoff, params.cache ?? 5000)
    }

    incr (key: string, cb: Callback, timeWindow: number, max: number): void {
      if (!link.usable) {
        link.down(`redis ${link.client.status}`)
        this.local.incr(key, cb, timeWindow, max)
        return
      }
      this.redis.incr(key, (err, result) => {
        if (err !== null) {
          link.commandFailed(err.message)
          this.local.incr(key, cb, timeWindow, max)
          return
        }
        link.up()
        cb(null, result)
      }, timeWindow, max)
    }

    /** A route's own limit (or `fastify.rateLimit()`'s, which has no route): a budget of its own. */
    child (params: StoreParams): FallbackStore {
      const scope = params.routeInfo?.url !== undefined ? `${params.routeInfo.method ?? ''}${params.routeInfo.url}` : 'unrouted'
      return new FallbackStore(params, `${this.prefix}${scope}:`)
    }
  }
  return FallbackStore as unknown as FastifyRateLimitStoreCtor
}
