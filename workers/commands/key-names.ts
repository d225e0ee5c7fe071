import { CommandError } from '../../contract/command-error.js'
import { KEY_ID_PATTERN, KEY_NAME_MAX } from '../../contract/limits.js'
import type { StoredKeyName } from '../../contract/keys.js'
import type { CommandDefinition } from './command.js'
import { checkedName } from '../text.js'

// Names of the stored API keys (SPEC §17: PATCH /api/keys/:id). The keys themselves are not in
// the database (the API holds them, lib/api-keys.ts): the route checks the id names a stored key
// before it runs this, and the API reads the names back itself (workers/storage/key-names.ts).

const KEY_ID = new RegExp(KEY_ID_PATTERN)

export const renameKey: CommandDefinition<StoredKeyName> = {
  summary: 'name a stored API key by its id (key-<10 hex>): what history, 412 messages and logs call it from now on',
  usage: '--name NAME <key-id>',
  options: { name: { type: 'string' } },
  async run ({ options, positionals, store, now, log }) {
    const [id, ...more] = positionals
    if (id === undefined || more.length > 0 || !KEY_ID.test(id)) throw new CommandError('BAD_ARGUMENTS', 'give one key id (key-<10 hex digits>)')
    const named = await (await store()).keyNames.set(id, checkedName(options.name, KEY_NAME_MAX), now())
    log.info('key renamed', { key_id: id })
    return named
  }
}
