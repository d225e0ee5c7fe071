import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fmt, median } from './measure.js'
import { freePort } from './processes.js'
import { ratioText, report } from './summary.js'
import { projectRoot } from '../workers/project.js'

/** Milliseconds from the command to the first 200 of /api/health; then SIGTERM to its process group, waited for. */
async function timeToHealth (command: string, args: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'scheduleflow-bench-start-'))
  const port = await freePort()
  const t0 = performance.now()
  // A fresh data dir each run (a first start: database made and migrated), the same for both commands.
  const proc = spawn(command, args, {
    cwd: projectRoot,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SCHEDULEFLOW_DATA_DIR: join(dir, 'data'), SCHEDULEFLOW_LOG_FILE: 'off', SCHEDULEFLOW_ON_AIR_TICK_MS: '0' }
  })
  const exited = new Promise((resolve) => proc.once('exit', resolve))
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited ${proc.exitCode} before answering`)
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((res) => res.status === 200, () => false)
      if (ok) return performance.now() - t0
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    try { process.kill(-proc.pid!, 'SIGTERM') } catch { /* gone */ }
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Issue 27 item 1: `npm start` on a built checkout to the first answer of /api/health, beside
 * `node dist/server.js` (no npm, no build check), alternated, median of 3 each (target ≤ 5 s).
 */
export async function benchStart (): Promise<void> {
  console.log('\n## Start (issue 27 item 1): `npm start` on a built checkout to the first /api/health answer, 3 runs each')
  const npm: number[] = []
  const bare: number[] = []
  for (let round = 1; round <= 3; round++) {
    bare.push(await timeToHealth(process.execPath, ['dist/server.js']))
    npm.push(await timeToHealth(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['start']))
    console.log(`round ${round}: node dist/server.js ${fmt(bare[round - 1], 0)} ms, npm start ${fmt(npm[round - 1], 0)} ms`)
  }
  const [n, b] = [median(npm), median(bare)]
  console.log(`npm start: ${fmt(n / 1000, 2)} s (median), node dist/server.js ${fmt(b / 1000, 2)} s; ratio ${ratioText(n, b)} (target ≤ 5 s)`)
  report({ measure: '`npm start` to first /api/health, built checkout (median of 3)', value: `${fmt(n / 1000, 2)} s`, baseline: `${fmt(b / 1000, 2)} s \`node dist/server.js\``, ratio: ratioText(n, b), target: '≤ 5 s', met: n <= 5000 })
}
