// `npm start`: the built service, built first only when it has to be (scripts/build-stamp.mjs
// says why: no build yet, or sources changed since the last one). A current build starts at
// once, where `npm run build` before every start cost a minute on a small machine. The server
// runs in this same process (dist/server.js imported), so signals, exit codes, stdout and
// stderr are exactly those of `node dist/server.js`.
import { spawnSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { projectRoot, staleReason } from './build-stamp.mjs'

const reason = staleReason()
if (reason === null) {
  process.stderr.write('scheduleflow: the build is current: starting without rebuilding\n')
} else {
  process.stderr.write(`scheduleflow: ${reason}: building first (npm run build)\n`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const build = spawnSync(npm, ['run', 'build'], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' })
  if (build.status !== 0) {
    process.stderr.write(`scheduleflow: the build failed (${build.error?.message ?? `exit ${build.status ?? build.signal}`}): not starting\n`)
    process.exit(1)
  }
}
await import(pathToFileURL(join(projectRoot, 'dist', 'server.js')).href)
