import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsync } from 'fastify'
import { projectRoot } from '../workers/project.js'

/** The control panel: plain files from public/, no build step. */
const staticFiles: FastifyPluginAsync = async (fastify) => {
  await fastify.register(fastifyStatic, { root: join(projectRoot, 'public'), prefix: '/' })
}
export default staticFiles
