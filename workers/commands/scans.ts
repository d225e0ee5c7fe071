import { CommandError } from '../../contract/command-error.js'
import { SCAN_TASK_BUDGET_MS } from '../../contract/limits.js'
import type { Scan } from '../../contract/media.js'
import { publicScan, runScanTask } from '../media/scan.js'
import type { Store } from '../storage/store.js'
import type { CommandDefinition, OptionValues } from './command.js'
import { findLibrary } from './libraries.js'
import { notFound } from './not-found.js'
import { requiredId } from './options.js'

// Library scans (SPEC §16): one is started (start-scan), then run as tasks of bounded length
// (scan-step), each resuming where the last stored one ended, by the service's job
// (plugins/media-scans.ts) or, by hand, all in one process (scan-library). A running scan is
// read (get-scan), cancelled (cancel-scan) or, when its task's process died, failed (fail-scan).

const LIBRARY_OPTION = { library: { type: 'string' } } as const
const BUDGET_OPTION = { 'budget-ms': { type: 'string' } } as const

/** --budget-ms: how long one task takes files for; SCAN_TASK_BUDGET_MS unless given. */
function budgetOption (options: OptionValues): number {
  const raw = options['budget-ms']
  if (raw === undefined) return SCAN_TASK_BUDGET_MS
  if (typeof raw !== 'string' || !/^\d{1,7}$/.test(raw)) throw new CommandError('BAD_ARGUMENTS', '--budget-ms must be a whole number of milliseconds')
  return Number(raw)
}

/** The scan `id` of the library --library names (a scan of another library is not found). */
async function findScan (db: Store, options: OptionValues, positionals: string[]): Promise<Scan> {
  const libraryId = requiredId(typeof options.library === 'string' ? [options.library] : [], 'library')
  const id = requiredId(positionals, 'scan')
  await findLibrary(db, libraryId)
  const scan = await db.media.getScan(id)
  if (scan === null || scan.library_id !== libraryId) throw notFound('scan', id)
  return publicScan(scan)
}

export const startScan: CommandDefinition<{ scan: Scan, started: boolean }> = {
  summary: 'start a scan of a library (its tasks are scan-step\'s); while one runs, that one is answered (started: false)',
  usage: '<library id>',
  async run ({ positionals, store, now, log }) {
    const id = requiredId(positionals, 'library')
    const db = await store()
    await findLibrary(db, id)
    const answer = await db.media.startScan(id, now())
    if (answer.started) log.info('scan started', { library_id: id, scan_id: answer.scan.id })
    return answer
  }
}

export const scanStep: CommandDefinition<{ scan: Scan, stored: boolean }> = {
  summary: 'run one task of a running scan (up to --budget-ms of files) and answer the scan; stored: false when another task of it stored first (another instance runs it)',
  usage: '[--budget-ms N] <scan id>',
  options: BUDGET_OPTION,
  async run ({ positionals, options, store, now }) {
    const id = requiredId(positionals, 'scan')
    const db = await store()
    const task = await runScanTask(db, id, { now, budgetMs: budgetOption(options) })
    if (task === null) throw notFound('scan', id)
    return task
  }
}

export const getScan: CommandDefinition<{ scan: Scan }> = {
  summary: 'a scan\'s state and progress',
  usage: '--library <id> <scan id>',
  options: LIBRARY_OPTION,
  async run ({ positionals, options, store }) {
    return { scan: await findScan(await store(), options, positionals) }
  }
}

export const cancelScan: CommandDefinition<{ scan: Scan }> = {
  summary: 'cancel a running scan: it ends cancelled at once, a task still running stores nothing (a scan already ended is answered as it is)',
  usage: '--library <id> <scan id>',
  options: LIBRARY_OPTION,
  async run ({ positionals, options, store, now, log }) {
    const db = await store()
    const scan = await findScan(db, options, positionals)
    if (await db.media.cancelScan(scan.id, now())) log.info('scan cancelled', { scan_id: scan.id })
    return { scan: await findScan(db, options, positionals) }
  }
}

export const failScan: CommandDefinition<{ failed: boolean }> = {
  summary: 'mark a running scan failed with --error (its task\'s process died or ran out of time)',
  usage: '--error TEXT <scan id>',
  options: { error: { type: 'string' } },
  async run ({ positionals, options, store, now }) {
    const id = requiredId(positionals, 'scan')
    const db = await store()
    const scan = await db.media.getScan(id)
    if (scan === null || scan.state !== 'running') return { failed: false }
    await db.media.finishScan(id, 'failed', now(), typeof options.error === 'string' ? options.error.slice(0, 500) : 'the scan task failed')
    return { failed: true }
  }
}

export const runningScans: CommandDefinition<{ scans: string[] }> = {
  summary: 'the ids of the scans still running (the job resumes them after a restart)',
  async run ({ store }) {
    return { scans: (await (await store()).media.runningScans()).map((s) => s.id) }
  }
}

export const startDueScans: CommandDefinition<{ scans: string[] }> = {
  summary: 'start a scan of each library whose rescan_minutes have passed since its last scan; answers the scans started',
  async run ({ store, now, log }) {
    const db = await store()
    const started: string[] = []
    for (const id of await db.media.dueForRescan(now())) {
      const answer = await db.media.startScan(id, now())
      if (!answer.started) continue
      log.info('rescan started', { library_id: id, scan_id: answer.scan.id })
      started.push(answer.scan.id)
    }
    return { scans: started }
  }
}

/** One progress line, for a person watching scan-library. */
const progressLine = (s: Scan): string => `scan ${s.id}: ${s.state}, ${s.files_seen} files seen, ${s.probed} probed, ${s.cached} cached, ${s.failed} skipped, ${s.removed} removed\n`

export const scanLibrary: CommandDefinition<{ scan: Scan }> = {
  summary: 'scan a library to the end in this process, a progress line per task on stderr (by hand; the API runs scans as a background job)',
  usage: '[--budget-ms N] <library id>',
  options: BUDGET_OPTION,
  async run ({ positionals, options, store, now }) {
    const id = requiredId(positionals, 'library')
    const budgetMs = budgetOption(options)
    const db = await store()
    await findLibrary(db, id)
    let { scan } = await db.media.startScan(id, now())
    while (scan.state === 'running') {
      scan = (await runScanTask(db, scan.id, { now, budgetMs }))?.scan ?? scan
      process.stderr.write(progressLine(scan))
    }
    return { scan }
  }
}
