import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import { strictNumbers } from './lib/strict-numbers.js'
import type { Config } from './lib/config.js'
import type { Keyring } from './lib/api-keys.js'
import { requestIdFor } from './lib/request-id.js'
import { RequestLogController } from './lib/request-log.js'
import configPlugin from './plugins/config.js'
import clockPlugin from './plugins/clock.js'
import requestIdPlugin from './plugins/request-id.js'
import errorsPlugin, { clientErrorHandler, frameworkErrors } from './plugins/errors.js'
import notFoundPlugin from './plugins/not-found.js'
import securityPlugin from './plugins/security.js'
import redisPlugin from './plugins/redis.js'
import rateLimitPlugin from './plugins/rate-limit.js'
import authPlugin from './plugins/auth.js'
import storagePlugin from './plugins/storage.js'
import processPoolPlugin from './plugins/process-pool.js'
import answerCachePlugin from './plugins/answer-cache.js'
import onAirPlugin from './plugins/on-air.js'
import rollingBuildsPlugin from './plugins/rolling-builds.js'
import alarmsPlugin from './plugins/alarms.js'
import missingMediaPlugin from './plugins/missing-media.js'
import nowPlanPlugin from './plugins/now-plan.js'
import publishRetryPlugin from './plugins/publish-retry.js'
import mediaScansPlugin from './plugins/media-scans.js'
import keyNamesPlugin from './plugins/key-names.js'
import metricsPlugin from './plugins/metrics.js'
import docsPlugin from './plugins/docs.js'
import staticPlugin from './plugins/static.js'
import healthRoutes from './routes/health.js'
import systemRoutes from './routes/system.js'
import scheduleRoutes from './routes/schedules.js'
import playlistRoutes from './routes/playlists.js'
import channelRoutes from './routes/channels.js'
import { channelEditRoutes, scheduleEditRoutes } from './routes/edits.js'
import alarmRoutes from './routes/alarms.js'
import testCommandRoutes from './routes/test-commands.js'
import feedTokenRoutes from './routes/feed-tokens.js'
import feedRoutes from './routes/feeds.js'
import nowRoutes from './routes/now.js'
import publishRoutes from './routes/publish.js'
import libraryRoutes from './routes/libraries.js'
import keyRoutes from './routes/keys.js'

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
    // Each request's completion line names the caller's key id and role, at a level by status.
    logController: new RequestLogController(keyring),
    requestIdHeader: false,
    // JSON the API parses itself is small; documents have their own parser and limit
    // (routes/documents.ts) and go to the worker unparsed.
    bodyLimit: config.maxJsonBytes,
    // A body sent slowly is cut off (408) once the whole request has taken requestTimeout;
    // a silent connection is closed after connectionTimeout (see lib/config.ts).
    requestTimeout: config.timeouts.requestMs,
    connectionTimeout: config.timeouts.connectionMs,
    // Given to Node's server at construction too: on Node 20 a requestTimeout set after it
    // (all Fastify does) is never enforced. Node looks for requests over their timeout only
    // every connectionsCheckingInterval (30 s by default).
    http: {
      requestTimeout: config.timeouts.requestMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.timeouts.requestMs / 4)))
    },
    trustProxy: config.trustProxy,
    // Failures before routing (bad URL escapes, 431, 408) answer in the same error shape.
    frameworkErrors,
    clientErrorHandler,
    // Routes are matched as written; a trailing slash is the same route.
    // maxParamLength: an over-long id still reaches its route, which answers it 404 like any
    // other id that names nothing (the default 100 would answer 414).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 }
  })
  // TypeBox checks the schemas: query strings and params are converted to their
  // types, bodies are not (a string where a list belongs is a 400, not a list of one);
  // a number in the URL must be written out whole (lib/strict-numbers.ts).
  app.setValidatorCompiler(strictNumbers(TypeBoxValidatorCompiler))
  // The API's own bodies are JSON: any other type is a 415, not a string the schema
  // refuses. Document routes take every type through a parser of their own.
  app.removeContentTypeParser('text/plain')

  // Hooks added here run in registration order, before any route's own hooks: the key
  // is checked (plugins/auth.ts, with its own failure budget) before the per-key limit,
  // which @fastify/rate-limit adds to each route, and an unauthorized body is never read.
  await app.register(configPlugin, { config })
  await app.register(clockPlugin)
  await app.register(requestIdPlugin)
  await app.register(errorsPlugin)
  await app.register(securityPlugin)
  await app.register(redisPlugin)
  await app.register(rateLimitPlugin, { keyring })
  await app.register(notFoundPlugin)
  await app.register(authPlugin, { keyring })
  await app.register(storagePlugin)
  await app.register(processPoolPlugin)
  await app.register(answerCachePlugin)
  // The on-air scheduler, then the plugins that add its steps, in the order a tick runs them.
  await app.register(onAirPlugin)
  await app.register(rollingBuildsPlugin)
  await app.register(publishRetryPlugin)
  await app.register(missingMediaPlugin)
  await app.register(alarmsPlugin)
  await app.register(nowPlanPlugin)
  await app.register(mediaScansPlugin)
  await app.register(keyNamesPlugin)
  await app.register(metricsPlugin)
  await app.register(docsPlugin)

  await app.register(async (api) => {
    await api.register(healthRoutes)
    await api.register(systemRoutes)
    await api.register(scheduleRoutes)
    await api.register(playlistRoutes)
    await api.register(channelRoutes)
    await api.register(scheduleEditRoutes)
    await api.register(channelEditRoutes)
    await api.register(alarmRoutes)
    await api.register(feedTokenRoutes)
    await api.register(nowRoutes)
    await api.register(publishRoutes)
    await api.register(libraryRoutes)
    await api.register(keyRoutes)
    if (config.testCommands) await api.register(testCommandRoutes)
  }, { prefix: '/api' })
  // Outside /api: IPTV apps and tuners open these with a feed token in the path (SPEC §17).
  await app.register(feedRoutes)
  await app.register(staticPlugin)
  return app
}
