import fp from 'fastify-plugin'
import { openStorageLink, type StorageLink } from '../lib/storage-link.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The database as the API itself sees it: change counters for ETags (routes/conditional.ts), health. */
    storage: StorageLink
  }
}

/**
 * Registered before the process pool: with DATABASE_URL, the start waits for PostgreSQL and
 * stops (StorageUnavailable, naming the variable) when it never answers, before any worker
 * is started against it. SQLite's file is opened on first use, once a worker has made it.
 */
export default fp(async (fastify) => {
  const link = await openStorageLink(fastify.config)
  fastify.decorate('storage', link)
  fastify.addHook('onClose', async () => link.close())
}, { name: 'storage', dependencies: ['config'] })
