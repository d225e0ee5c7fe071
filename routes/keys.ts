import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NEEDS_KEY as security } from './schemas.js'
import { optionArgs } from './documents.js'
import { HttpError } from '../lib/http-errors.js'
import { ApiKeyListSchema, ApiKeySchema, KeyRenameSchema, type ApiKey } from '../contract/keys.js'
import { KEY_NAME_MAX } from '../contract/limits.js'

// /api/keys (SPEC §17): an admin lists the API keys (ids, names, roles; never a key) and renames a
// stored one. The keys are the API's own (lib/api-keys.ts); a stored key's name is written to the
// database by the rename-key command, so other instances read it (plugins/key-names.ts).

const tags = ['status']

const keys: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/keys', {
    config: { role: 'admin' },
    schema: { summary: 'The API keys this service takes: id, name, role and source (never the key)', tags, security, response: { 200: ApiKeyListSchema } }
  }, async () => ({ keys: fastify.keyring.list() }))

  fastify.patch('/keys/:id', {
    config: { role: 'admin' },
    schema: {
      summary: 'Rename a stored key (the admin key made at first start): history, 412 messages and logs call it so from now on',
      description: `A key from SCHEDULEFLOW_API_KEYS keeps its configured name (409 KEY_FROM_ENVIRONMENT). The name: 1-${KEY_NAME_MAX} characters, one line, trimmed. Entries written before keep the name they were written with.`,
      tags,
      security,
      params: Type.Object({ id: Type.String({ description: 'the key id, key-<10 hex> (GET /api/keys, GET /api/auth)' }) }),
      body: KeyRenameSchema,
      response: { 200: ApiKeySchema }
    }
  }, async (request): Promise<ApiKey> => {
    const key = fastify.keyring.find(request.params.id)
    if (key === undefined) throw new HttpError('NOT_FOUND', `no API key ${request.params.id}`)
    if (key.source !== 'stored') throw new HttpError('KEY_FROM_ENVIRONMENT', `${key.id} comes from SCHEDULEFLOW_API_KEYS: it keeps the name configured there (${key.name})`)
    const stored = await fastify.runCli('rename-key', [...optionArgs({ name: request.body.name }), '--', key.id], { request })
    fastify.keyring.rename(key.id, stored.name)
    return { id: key.id, name: stored.name, role: key.role, source: key.source }
  })
}

export default keys
