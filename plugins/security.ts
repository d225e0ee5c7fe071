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
  if (origins.length > 0) {
    await fastify.register(cors, {
      origin: origins,
      // Every method the API routes use, and every request header they read.
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'idempotency-key', 'if-match', 'if-none-match'],
      exposedHeaders: ['x-request-id', 'retry-after', 'etag', 'content-disposition', 'allow', 'idempotent-replayed']
    })
  }
}, { name: 'security', dependencies: ['config'] })
