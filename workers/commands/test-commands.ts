import { spawn } from 'node:child_process'
import { setTimeout as sleepMs } from 'node:timers/promises'
import type { PlaylistImportAnswer, TestAllocateAnswer, TestEchoAnswer, TestSleepAnswer } from '../../contract/api.js'
import type { CommandDefinition } from './command.js'

// Misbehaving operations for the pool's tests; only reachable when
// SCHEDULEFLOW_TEST_COMMANDS=true (see commands/index.ts).

export const sleep: CommandDefinition<TestSleepAnswer> = {
  summary: 'wait --ms milliseconds, then report when this process ran',
  options: { ms: { type: 'string', default: '100' } },
  async run ({ options, log }) {
    const started = Date.now()
    log.info('sleeping', { ms: Number(options.ms) })
    await sleepMs(Number(options.ms))
    return { pid: process.pid, started, ended: Date.now() }
  }
}

export const hang: CommandDefinition<never> = {
  summary: 'start a grandchild that sleeps, then never answer',
  async run ({ log }) {
    const grandchild = spawn('sleep', ['600'], { stdio: 'ignore' })
    log.info('hanging', { grandchild_pid: grandchild.pid })
    return await new Promise<never>(() => setInterval(() => {}, 1000))
  }
}

export const crash: CommandDefinition<never> = {
  summary: 'die without answering',
  run () {
    process.kill(process.pid, 'SIGSEGV')
    return new Promise(() => {})
  }
}

export const flood: CommandDefinition<never> = {
  summary: 'write stdout without end',
  async run () {
    // The worker holds its `started` frame for one turn of the event loop (cli.ts, holdStarted):
    // a flood begun before it went out would cut that frame's line, and the pool would see a
    // bad line rather than output over the cap. One turn lets it out first.
    await new Promise(setImmediate)
    const chunk = Buffer.alloc(1 << 20, 'x')
    for (;;) {
      if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve))
    }
  }
}

export const echo: CommandDefinition<TestEchoAnswer> = {
  summary: 'answer the input size and the options it was given',
  options: { word: { type: 'string' } },
  async run ({ options, readInput, log }) {
    const input = await readInput()
    log.warn('echo called', { bytes: input.length })
    return { bytes: input.length, word: typeof options.word === 'string' ? options.word : null, env_keys: Object.keys(process.env).filter((k) => k.startsWith('SCHEDULEFLOW_')) }
  }
}

/** Held on purpose: models a process whose heap grew with a large document and stays grown. */
const retained: Buffer[] = []

export const allocate: CommandDefinition<TestAllocateAnswer> = {
  summary: 'grow this process by --mb megabytes and keep them, so its memory stays high',
  options: { mb: { type: 'string', default: '1' } },
  run ({ options }) {
    // allocUnsafe + fill touches every page, so the process's RSS grows (calloc'd pages would not count).
    retained.push(Buffer.allocUnsafe(Number(options.mb) * (1 << 20)).fill(1))
    return { pid: process.pid, rss_mb: Math.round(process.memoryUsage.rss() / (1 << 20)) }
  }
}

export const fail: CommandDefinition<never> = {
  summary: 'fail with an internal error (a bug, not a refused input)',
  run () {
    throw new Error('test:fail was asked to fail')
  }
}

export const spin: CommandDefinition<PlaylistImportAnswer> = {
  summary: 'hold the event loop for --ms milliseconds (a long synchronous operation, as a build is), then import the input as a playlist',
  options: { ms: { type: 'string', default: '1000' }, name: { type: 'string' } },
  async run (ctx) {
    const { importPlaylist } = await import('./playlists.js')
    ctx.log.info('spinning', { ms: Number(ctx.options.ms) })
    const until = Date.now() + Number(ctx.options.ms)
    while (Date.now() < until) {
      // No timer, no I/O callback runs meanwhile: only what does not need this event loop can act.
    }
    return importPlaylist.run(ctx)
  }
}
