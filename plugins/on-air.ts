import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import { soleInstance, type LeaderLease } from '../lib/leader-lease.js'

// The on-air scheduler (SPEC §17): every SCHEDULEFLOW_ON_AIR_TICK_MS each instance ticks, and
// a tick runs the steps the on-air plugins added, in the order they were registered (app.ts):
// rolling builds, publish retries, alarms, the now plan. A step marked `leaderOnly` runs only
// on the instance holding the leader lease, so a day is built once however many instances
// run. One tick at a time: a tick due while one runs is skipped; a tick asked for by hand
// (a test, after a write) waits for the running one and then runs.

export interface TickContext {
  /** The service clock's now when the tick began. */
  now: number
  /** This instance holds the leader lease. */
  leader: boolean
  log: FastifyBaseLogger
}

export interface TickStep {
  name: string
  leaderOnly: boolean
  run(ctx: TickContext): Promise<unknown>
}

export interface StepReport { name: string, ok: boolean, ms: number, result?: unknown, error?: string }
export interface TickReport { now: string, leader: boolean, steps: StepReport[] }

export interface OnAirScheduler {
  addStep(step: TickStep): void
  /** Replaces the lease (the PostgreSQL or Redis one when several instances share a database). */
  useLease(lease: LeaderLease): void
  /** Runs a tick now (after the running one, if any) and answers what each step did. */
  tick(): Promise<TickReport>
}

declare module 'fastify' {
  interface FastifyInstance {
    onAir: OnAirScheduler
  }
}

export default fp(async (fastify) => {
  const steps: TickStep[] = []
  let lease: LeaderLease = soleInstance
  let running: Promise<TickReport> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  async function runStep (step: TickStep, ctx: TickContext): Promise<StepReport> {
    const started = performance.now()
    try {
      const result = await step.run(ctx)
      return { name: step.name, ok: true, ms: Math.round(performance.now() - started), result }
    } catch (err) {
      // A step's failure is its own alarm's business (build_failed, publish_failed): the others still run.
      fastify.log.error({ err, step: step.name }, 'on-air step failed')
      return { name: step.name, ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message }
    }
  }

  async function runTick (): Promise<TickReport> {
    const now = fastify.clock.now()
    const leader = await lease.held().catch((err) => {
      fastify.log.warn({ err }, 'leader lease not answering: this tick runs no leader step')
      return false
    })
    const ctx: TickContext = { now, leader, log: fastify.log }
    const reports: StepReport[] = []
    for (const step of steps) if (leader || !step.leaderOnly) reports.push(await runStep(step, ctx))
    return { now: new Date(now).toISOString(), leader, steps: reports }
  }

  const scheduler: OnAirScheduler = {
    addStep: (step) => { steps.push(step) },
    useLease: (next) => { lease = next },
    async tick () {
      // Each caller chains after the tick before it: at most one runs at a time.
      const previous = queue
      const report = previous.then(runTick, runTick)
      queue = report.catch(() => undefined)
      running = report
      return report.finally(() => { if (running === report) running = undefined })
    }
  }
  fastify.decorate('onAir', scheduler)

  let timer: NodeJS.Timeout | undefined
  fastify.addHook('onReady', async () => {
    const { tickMs } = fastify.config.onAir
    if (tickMs === 0) return
    timer = setInterval(() => { if (running === undefined) void scheduler.tick() }, tickMs)
    timer.unref()
  })
  fastify.addHook('preClose', async () => {
    clearInterval(timer)
    await running?.catch(() => {})
    await lease.release().catch(() => {})
  })
}, { name: 'on-air', dependencies: ['config', 'clock', 'process-pool'] })
