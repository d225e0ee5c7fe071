import fp from 'fastify-plugin'
import { SCAN_TASK_BUDGET_MS } from '../contract/limits.js'
import { HttpError } from '../lib/http-errors.js'

// Library scans as a background job (SPEC §16): after POST /api/libraries/:id/scan answers 202,
// this runs the scan's tasks (scan-step) one after another through the pool's heavy lane, each
// within the pool's task timeout, with no client waiting. A task that fails (its process died
// or ran out of time) fails the scan with why. A tick step (leader only) starts a scan of each
// library whose rescan_minutes have passed since its last scan, and takes up any running scan
// this instance is not running (its instance died or restarted; each task resumes from the
// stored cursor); two instances running one scan cannot both store a task (storeScanTask), and
// the one that loses stops. Not at start: a start runs no pool task (a fresh service's pool is
// idle, its health says so), and the first tick comes within SCHEDULEFLOW_ON_AIR_TICK_MS.

export interface MediaScans {
  /** Runs the scan's tasks to its end in the background (a scan this instance already runs: nothing). */
  run(scanId: string): void
}

declare module 'fastify' {
  interface FastifyInstance {
    mediaScans: MediaScans
  }
}

/** Pool failures that say this instance is stopping: the scan stays running, taken up at a tick after the next start. */
const STOPPING = new Set(['SHUTTING_DOWN', 'CLIENT_GONE'])
/** Failures that say only "not now": the task is asked for again after RETRY_MS. */
const BUSY = new Set(['QUEUE_FULL', 'TOO_MANY_QUEUED', 'STORAGE_BUSY'])
const RETRY_MS = 1000

export default fp(async (fastify) => {
  const running = new Map<string, Promise<void>>()
  let closing = false
  // A task takes files for a third of the pool's timeout at most: the probes in flight then still end inside it.
  const budgetMs = Math.max(1, Math.min(SCAN_TASK_BUDGET_MS, Math.floor(fastify.config.pool.timeoutMs / 3)))

  async function drive (scanId: string): Promise<void> {
    for (;;) {
      if (closing) return
      let task
      try {
        task = await fastify.runCli('scan-step', [`--budget-ms=${budgetMs}`, '--', scanId], { cost: 'heavy' })
      } catch (err) {
        const code = err instanceof HttpError ? err.code : 'INTERNAL'
        if (closing || STOPPING.has(code) || code === 'NOT_FOUND') return
        if (BUSY.has(code)) {
          // The pool or the database is full for now: the same task again in a moment.
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref())
          continue
        }
        fastify.log.error({ err, scan_id: scanId }, 'scan task failed: the scan is marked failed')
        await fastify.runCli('fail-scan', ['--error', `a scan task failed: ${(err as Error).message}`, '--', scanId])
        return
      }
      if (task.scan.state !== 'running' || !task.stored) return
    }
  }

  const scans: MediaScans = {
    run (scanId) {
      if (closing || running.has(scanId)) return
      const job = drive(scanId)
        .catch((err: unknown) => fastify.log.error({ err, scan_id: scanId }, 'scan job failed'))
        .finally(() => running.delete(scanId))
      running.set(scanId, job)
    }
  }
  fastify.decorate('mediaScans', scans)

  const takeUpRunning = async (): Promise<string[]> => {
    const { scans: ids } = await fastify.runCli('running-scans')
    for (const id of ids) scans.run(id)
    return ids
  }

  fastify.onAir.addStep({
    name: 'media-rescans',
    leaderOnly: true,
    run: async () => {
      const { scans: started } = await fastify.runCli('start-due-scans')
      return { started, running: await takeUpRunning() }
    }
  })

  fastify.addHook('preClose', async () => {
    closing = true
  })
  fastify.addHook('onClose', async () => {
    await Promise.allSettled(running.values())
  })
}, { name: 'media-scans', dependencies: ['on-air', 'process-pool', 'config'] })
