import type { Channel } from '../contract/api.js'
import { importBenchPlaylists, isoDate, thirtyBlocks, timed } from './channels.js'
import { fmt } from './measure.js'
import { send, startBenchServer, type BenchServer } from './server.js'
import { ratioText, report } from './summary.js'

// Issue 25 ("How it is checked"): one rolling-build tick for 20 channels × 7 days from empty,
// through the API (POST /api/_tick: the scheduler's rolling-builds step, run by roll-channel in the
// pool, one build per channel-day with its own seed), beside the same 140 channel-days built by
// one POST …/build per channel (7 days each) on 20 twin channels, as many at a time as the step
// rolls channels. Both on the same template, playlists and server.

const CHANNELS = 20
const DAYS = 7
const ITEMS = 2000
const DAY_MS = 86_400_000
/** As many builds at once as the step rolls channels (plugins/rolling-builds.ts: a few, leaving one process for requests). */
const AT_ONCE = 3

async function channels (server: BenchServer, first: number, aheadDays: number, template: unknown): Promise<Channel[]> {
  const made: Channel[] = []
  for (let i = 0; i < CHANNELS; i++) {
    const { channel } = await send<{ channel: Channel }>(server, 'POST', '/api/channels', {
      number: String(first + i), name: `Rolling ${first + i}`, timezone: 'Europe/London', build_ahead_days: aheadDays
    })
    await send(server, 'PUT', `/api/channels/${channel.id}/template`, template)
    made.push(channel)
  }
  return made
}

/** Runs `work` on each item, `width` at a time. */
async function lanes<T> (items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => { for (let i = next++; i < items.length; i = next++) await work(items[i]) }))
}

interface TickAnswer { steps: Array<{ name: string, ok: boolean, ms: number, result?: { channels: Array<{ built?: string[], error?: string }> } }> }

export async function benchRolling (): Promise<void> {
  const server = await startBenchServer({ LOG_LEVEL: 'warn', SCHEDULEFLOW_TEST_COMMANDS: 'true' })
  try {
    const { catalogue, filler } = await importBenchPlaylists(server, ITEMS)
    const template = thirtyBlocks(catalogue.id, filler.id)
    const twins = await channels(server, 300, 0, template)
    const rolling = await channels(server, 400, DAYS, template)
    const today = isoDate(Date.now())
    const range = { from: today, to: isoDate(Date.parse(today) + (DAYS - 1) * DAY_MS), seed: 'bench' }

    // Warm-up: workers started, the playlists read once.
    const [warm] = await channels(server, 500, 0, template)
    await send(server, 'POST', `/api/channels/${warm.id}/build`, range)

    const baseline = await timed(() => lanes(twins, AT_ONCE, (c) => send(server, 'POST', `/api/channels/${c.id}/build`, range)))
    const tick = await timed(() => send<TickAnswer>(server, 'POST', '/api/_tick'))
    const step = tick.value.steps.find((s) => s.name === 'rolling-builds')
    const rolls = step?.result?.channels ?? []
    const built = rolls.reduce((n, r) => n + (r.built?.length ?? 0), 0)
    const failed = rolls.filter((r) => r.error !== undefined).length
    if (built !== CHANNELS * DAYS) throw new Error(`the tick built ${built} channel-days, not ${CHANNELS * DAYS} (${failed} channels failed): ${JSON.stringify(step).slice(0, 400)}`)
    const again = await timed(() => send<TickAnswer>(server, 'POST', '/api/_tick'))

    console.log('\n## Rolling builds (issue 25)')
    console.log(`${CHANNELS} channels × ${DAYS} days of a ${template.blocks.length}-block template (${ITEMS.toLocaleString('en')}-item playlist), from empty, ${rolling.length} rolled ${AT_ONCE} at a time:`)
    console.log(`one tick (POST /api/_tick, ${CHANNELS * DAYS} day builds):          ${fmt(tick.ms, 0)} ms (the step itself ${fmt(step?.ms ?? 0, 0)} ms)`)
    console.log(`baseline, one POST …/build of ${DAYS} days per channel, ${AT_ONCE} at a time: ${fmt(baseline.ms, 0)} ms; tick / baseline ${ratioText(tick.ms, baseline.ms)}`)
    console.log(`the next tick, nothing missing:                       ${fmt(again.ms, 0)} ms`)
    report({
      measure: `issue 25 rolling-build tick, ${CHANNELS} channels × ${DAYS} days from empty`,
      value: `${fmt(tick.ms, 0)} ms`,
      baseline: `${fmt(baseline.ms, 0)} ms one POST …/build per channel`,
      ratio: ratioText(tick.ms, baseline.ms),
      target: '— (measured)'
    })
    report({
      measure: `issue 25 rolling-build tick, ${CHANNELS} channels, nothing missing`,
      value: `${fmt(again.ms, 0)} ms`,
      baseline: `${fmt(tick.ms, 0)} ms the tick from empty`,
      ratio: ratioText(again.ms, tick.ms, 'percent'),
      target: '— (measured)'
    })
  } finally {
    await server.close()
  }
}
