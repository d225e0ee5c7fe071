import type { MigrateAnswer } from '../../contract/api.js'
import type { CommandDefinition } from './command.js'

const migrate: CommandDefinition<MigrateAnswer> = {
  summary: 'create or update the database schema (also done by every command on open)',
  async run ({ store }) {
    return { schema_version: await (await store()).schemaVersion() }
  }
}
export default migrate
