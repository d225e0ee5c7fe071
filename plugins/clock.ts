import fp from 'fastify-plugin'
import { ServiceClock } from '../lib/clock.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's now (lib/clock.ts): what ticks, offsets and worker operations read. */
    clock: ServiceClock
  }
}

/** Registered before the pool, which gives each operation the clock's offset. */
export default fp(async (fastify) => {
  fastify.decorate('clock', new ServiceClock())
}, { name: 'clock', dependencies: ['config'] })
