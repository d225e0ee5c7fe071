import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { projectVersion } from '../workers/project.js'

/** Whether a route's schema documents a success answer (a 2xx status or a 2xx range). */
const answersSuccess = (response: unknown): boolean =>
  typeof response === 'object' && response !== null && Object.keys(response).some((status) => /^2(\d\d|xx)$/i.test(status))

/**
 * OpenAPI built from the routes' schemas (contract/api.ts), browsable at /docs. Registered
 * before the routes: an API route declared without a success answer in its schema is
 * refused at startup, so every route is in the document with what it answers.
 */
export default fp(async (fastify) => {
  fastify.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !answersSuccess(route.schema?.response)) {
      throw new Error(`${String(route.method)} ${route.url}: an API route needs a response schema for its success answer (see contract/api.ts)`)
    }
  })
  await fastify.register(swagger, {
    // Shared schemas (the error body) are named by their $id in components.schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}` },
    openapi: {
      info: {
        title: 'ScheduleFlow API',
        version: projectVersion(),
        description: 'Every operation runs the m3upro CLI in its own process. Every error is `{status:"error", code, message, request_id, errors?}` (components.schemas.ErrorBody, whose `code` lists every code the API answers).'
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } }
    }
  })
  await fastify.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI sets inline styles; only its pages get that allowance, the panel does not.
    transformStaticCSP: (header) => header.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'")
  })
}, { name: 'docs' })
