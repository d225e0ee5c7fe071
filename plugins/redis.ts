import fp from 'fastify-plugin'
import { RedisLink } from '../lib/redis-link.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The instance's Redis connection for shared rate limits; null without REDIS_URL. */
    redis: RedisLink | null
  }
}

/**
 * Owns the Redis connection (REDIS_URL), closed on shutdown. The start never waits for
 * Redis: until it answers, and whenever it stops, limits are counted per instance.
 */
export default fp(async (fastify) => {
  const url = fastify.config.redisUrl
  const link = url === null ? null : new RedisLink(url, fastify.log.child({ component: 'redis' }))
  fastify.decorate('redis', link)
  if (link !== null) fastify.addHook('onClose', async () => link.close())
}, { name: 'redis', dependencies: ['config'] })
