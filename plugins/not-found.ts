import fp from 'fastify-plugin'
import { HttpError } from '../lib/http-errors.js'
import { sendError } from './errors.js'

/** `/api/schedules/:id` → a RegExp matching the paths that route serves. */
function pathPattern (url: string): RegExp {
  const segments = url.replace(/\/$/, '').split('/').map((segment) =>
    segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${segments.join('/')}/?$`)
}

/**
 * Unknown URLs: 405 with `Allow` when the path exists under other methods, else 404.
 * Limited like the routes but on a budget of their own, so a flood of unknown URLs is
 * refused without costing the caller its API budget (and the panel is not limited at all).
 */
export default fp(async (fastify) => {
  const routes: { pattern: RegExp, methods: Set<string> }[] = []
  fastify.addHook('onRoute', (route) => {
    // The panel's catch-all serves files or calls this handler: it says nothing about methods.
    if (route.url.includes('*')) return
    const methods = [route.method].flat()
    const known = routes.find((r) => r.pattern.source === pathPattern(route.url).source)
    if (known !== undefined) methods.forEach((m) => known.methods.add(m))
    else routes.push({ pattern: pathPattern(route.url), methods: new Set(methods) })
  })

  const { max, windowMs } = fastify.config.rateLimit
  fastify.setNotFoundHandler({ preHandler: fastify.rateLimit({ max, timeWindow: windowMs }) }, (request, reply) => {
    const path = request.url.split('?')[0]
    const allowed = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]))
    if (allowed.size > 0 && !allowed.has(request.method)) {
      const allow = [...allowed].sort().join(', ')
      return sendError(request, reply, new HttpError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; allowed: ${allow}`, undefined, { allow }))
    }
    return sendError(request, reply, new HttpError('NOT_FOUND', `no route ${request.method} ${path}`))
  })
}, { name: 'not-found', dependencies: ['config', 'errors', 'rate-limit'] })
