import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync } from 'fastify'
import { projectRoot } from '../workers/project.js'

const require = createRequire(import.meta.url)

/**
 * The folder of an installed package's file that the panel loads. Resolved at start, so a
 * package left out of an install (`npm ci --omit=dev` with it in devDependencies) stops the
 * service with its name instead of a panel that fails in the browser.
 */
export function vendorFolder (specifier: string, file: string): string {
  let folder: string
  try {
    folder = dirname(require.resolve(specifier))
  } catch (err) {
    throw new Error(`the control panel needs the npm package "${specifier}", which is not installed (npm ci): ${(err as Error).message}`)
  }
  if (!existsSync(join(folder, file))) throw new Error(`the control panel needs ${file} from the npm package "${specifier}", not found in ${folder}`)
  return folder
}

/** The one compiled contract file the panel imports, at /contract/limits.js (README "The control panel"). */
const CONTRACT_LIMITS_URL = '/contract/limits.js'

/**
 * contract/limits.ts as `npm run build` compiles it: found at start, or the start fails saying
 * to build, instead of a panel whose every view fails in the browser.
 */
function contractLimitsFile (): string {
  const file = join(projectRoot, 'dist', 'contract', 'limits.js')
  if (!existsSync(file)) throw new Error(`the control panel needs ${file}, compiled from contract/limits.ts by the build (npm run build)`)
  return file
}

/**
 * The control panel: plain files from public/, no build step, exactly two folders of installed
 * packages (README "The control panel": the calendar the channel views draw their grids with,
 * and Preact + htm in one module file), and one file of the build: the contract's limits,
 * enums and defaults, which import nothing, so the panel reads each value where the API does.
 * Only that file: the rest of dist/ (and of the contract, which loads TypeBox) stays unserved.
 * Served from here, never from a CDN: the panel's CSP allows 'self' only.
 */
const staticFiles: FastifyPluginAsync = async (fastify) => {
  const calendar = vendorFolder('@event-calendar/build', 'event-calendar.min.css')
  const preact = vendorFolder('htm/preact', 'standalone.module.js')
  await fastify.register(fastifyStatic, { root: join(projectRoot, 'public'), prefix: '/' })
  await fastify.register(fastifyStatic, { root: calendar, prefix: '/vendor/event-calendar/', decorateReply: false })
  await fastify.register(fastifyStatic, { root: preact, prefix: '/vendor/htm/', decorateReply: false })
  const limits = contractLimitsFile()
  // sendFile: the same headers as the panel's other files (type, caching, ETag); hidden from the API's OpenAPI document as they are.
  fastify.get(CONTRACT_LIMITS_URL, { schema: { hide: true } }, (_request, reply) => reply.sendFile(basename(limits), dirname(limits)))
}
export default staticFiles
