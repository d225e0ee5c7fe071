import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import type { Config } from './lib/config.js'
import type { Keyring } from './lib/api-keys.js'
import { requestIdFor } from './lib/request-id.js'
import configPlugin from './plugins/config.js'
import requestIdPlugin from './plugins/request-id.js'
import errorsPlugin from './plugins/errors.js'
import securityPlugin from './plugins/security.js'
import rateLimitPlugin from './plugins/rate-limit.js'
import authPlugin from './plugins/auth.js'
import processPoolPlugin from './plugins/process-pool.js'
import metricsPlugin from './plugins/metrics.js'
import docsPlugin from './plugins/docs.js'
import staticPlugin from './plugins/static.js'
import healthRoutes from './routes/health.js'
import systemRoutes from './routes/system.js'
import scheduleRoutes from './routes/schedules.js'
import playlistRoutes from './routes/playlists.js'
import testCommandRoutes from './routes/test-commands.js'

export interface AppOptions {
  config: Config
  logger: FastifyBaseLogger
  keyring: Keyring
}

/** The whole service, unstarted: server.ts listens with it, tests inject into it. */
export async function buildApp ({ config, logger, keyring }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: config.maxUploadBytes,
    // Routes are matched as written; a trailing slash is the same route.
    routerOptions: { ignoreTrailingSlash: true }
  })
  // TypeBox checks the schemas: query strings and params are converted to their
  // types, bodies are not (a string where a list belongs is a 400, not a list of one).
  app.setValidatorCompiler(TypeBoxValidatorCompiler)

  // Order matters: hooks run in registration order, so the limit is counted
  // before the key is checked and an unauthorized body is never parsed.
  await app.register(configPlugin, { config })
  await app.register(requestIdPlugin)
  await app.register(errorsPlugin)
  await app.register(securityPlugin)
  await app.register(rateLimitPlugin, { keyring })
  await app.register(authPlugin, { keyring })
  await app.register(processPoolPlugin)
  await app.register(metricsPlugin)
  await app.register(docsPlugin)

  await app.register(async (api) => {
    await api.register(healthRoutes)
    await api.register(systemRoutes)
    await api.register(scheduleRoutes)
    await api.register(playlistRoutes)
    if (config.testCommands) await api.register(testCommandRoutes)
  }, { prefix: '/api' })
  await app.register(staticPlugin)
  return app
}
