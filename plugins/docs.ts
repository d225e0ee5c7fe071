import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { projectVersion } from '../workers/project.js'

/** OpenAPI built from the routes' TypeBox schemas, browsable at /docs. Registered before the routes. */
export default fp(async (fastify) => {
  await fastify.register(swagger, {
    openapi: {
      info: {
        title: 'ScheduleFlow API',
        version: projectVersion(),
        description: 'Every operation runs the m3upro CLI in its own process. Errors are `{status:"error", code, message, request_id, errors?}`.'
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
