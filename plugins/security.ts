import type { IncomingMessage, ServerResponse } from 'node:http'
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import helmetMiddleware from 'helmet'

type HeadersMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: Error) => void) => void
// helmet itself, not @fastify/helmet: that plugin builds helmet's middleware again for every
// request (parsing the CSP each time), a fifth of the cost of a health answer. Built once
// here, it sets the same headers.
const helmet = helmetMiddleware as unknown as (options: object) => HeadersMiddleware

/** helmet's headers on every answer, a CSP the panel works under, CORS closed unless configured. */
export default fp(async (fastify) => {
  const setSecurityHeaders = helmet({
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
  fastify.addHook('onRequest', (request, reply, done) => setSecurityHeaders(request.raw, reply.raw, done))
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
