import { existsSync } from 'node:fs'
import { loadConfig, ConfigError } from './lib/config.js'
import { loadKeys } from './lib/api-keys.js'
import { createLogger } from './lib/logger.js'
import { buildApp } from './app.js'
import { StorageUnavailable } from './lib/storage-link.js'

// Every file the service and its workers create (database, its -wal/-shm, logs, keys)
// is the owner's alone; the workers inherit this mask.
process.umask(0o077)

// `.env` beside the working directory, if present; real environment variables win.
if (existsSync('.env')) process.loadEnvFile('.env')

let config
try {
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`scheduleflow: cannot start, ${err.message}\n`)
  process.exit(78) // EX_CONFIG: systemd does not restart on a bad configuration (RestartPreventExitStatus)
}

const logger = await createLogger(config)
const { keyring, createdAdminKey, adminKeyFile } = loadKeys(config)
let app
try {
  app = await buildApp({ config, logger, keyring })
} catch (err) {
  if (!(err instanceof StorageUnavailable)) throw err
  logger.fatal(err.message)
  process.stderr.write(`scheduleflow: cannot start, ${err.message}\n`)
  process.exit(1) // not EX_CONFIG: a database that comes back later is worth a restart
}

let closing = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (closing) return
    closing = true
    app.log.info({ signal, grace_ms: config.shutdownGraceMs }, 'shutting down: draining the process pool')
    app.close().then(() => process.exit(0), (err: unknown) => {
      app.log.error({ err }, 'error while shutting down')
      process.exit(1)
    })
  })
}

try {
  await app.listen({ port: config.port, host: config.host })
} catch (err) {
  app.log.fatal({ err }, 'cannot start')
  process.exit(1)
}

const panel = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${(app.server.address() as { port: number }).port}/`
// Printed on stderr, not logged: the key must never reach the log pipeline.
if (createdAdminKey !== undefined) {
  process.stderr.write(`\nScheduleFlow made an admin API key at first start (kept in ${createdAdminKey.file}, mode 0600).\nOpen the panel with it: ${panel}#key=${createdAdminKey.key}\n\n`)
} else if (adminKeyFile !== undefined) {
  process.stderr.write(`\nScheduleFlow panel: ${panel} (admin key in ${adminKeyFile})\n\n`)
}
