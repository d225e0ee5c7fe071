import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
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

/**
 * The control panel: plain files from public/, no build step, and exactly two folders of
 * installed packages (README "The control panel"): the calendar the channel views draw their
 * grids with, and Preact + htm in one module file. Served from here, never from a CDN: the
 * panel's CSP allows 'self' only.
 */
const staticFiles: FastifyPluginAsync = async (fastify) => {
  const calendar = vendorFolder('@event-calendar/build', 'event-calendar.min.css')
  const preact = vendorFolder('htm/preact', 'standalone.module.js')
  await fastify.register(fastifyStatic, { root: join(projectRoot, 'public'), prefix: '/' })
  await fastify.register(fastifyStatic, { root: calendar, prefix: '/vendor/event-calendar/', decorateReply: false })
  await fastify.register(fastifyStatic, { root: preact, prefix: '/vendor/htm/', decorateReply: false })
}
export default staticFiles
