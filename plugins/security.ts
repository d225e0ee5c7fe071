import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'

/** helmet's headers on every answer, a CSP the panel works under, CORS closed unless configured. */
export default fp(async (fastify) => {
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null
      }
    }
  })
  const origins = fastify.config.corsOrigins
  if (origins.length > 0) await fastify.register(cors, { origin: origins, exposedHeaders: ['x-request-id', 'retry-after'] })
}, { name: 'security', dependencies: ['config'] })
