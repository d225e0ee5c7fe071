import fp from 'fastify-plugin'
import { RevisionReader } from '../lib/revisions.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The database's change counters, what ETags are made of (routes/conditional.ts). */
    revisions: RevisionReader
  }
}

/** A read-only view of the change counters; opened on first use, after the pool has migrated the database. */
export default fp(async (fastify) => {
  const reader = new RevisionReader(fastify.config.dataDir)
  fastify.decorate('revisions', reader)
  fastify.addHook('onClose', async () => reader.close())
}, { name: 'revisions', dependencies: ['config'] })
