import { projectVersion } from '../project.js'
import type { SystemInfo } from '../../contract/api.js'
import type { CommandDefinition } from './command.js'

const info: CommandDefinition<SystemInfo> = {
  summary: 'version, storage and record counts',
  async run ({ store }) {
    const db = await store()
    return {
      version: projectVersion(),
      node: process.version,
      storage: { kind: db.kind, schema_version: await db.schemaVersion() },
      counts: await db.counts()
    }
  }
}
export default info
