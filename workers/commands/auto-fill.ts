import { CommandError } from '../../contract/command-error.js'
import { checkFillSize, EVERY_DECISION, fillSchedule, type DecisionWindow, type FillResult } from '../autofill/fill.js'
import { DEFAULT_COOLDOWN_HOURS, MAX_DECISIONS } from '../../contract/limits.js'
import { forcedCooldownWarning, slotFitWarnings } from '../autofill/warnings.js'
import { wallClock } from '../autofill/clock.js'
import { readFillRequest, type FillLink, type FillPlan } from '../autofill/request.js'
import { findCooldownViolations, playsByVideo } from '../schedule/checks/cooldown.js'
import { airedFields, type ScheduleEvent } from '../schedule/model.js'
import type { Play, Store } from '../storage/store.js'
import { decodeUtf8 } from '../text.js'
import { isObject, parseJson } from '../json.js'
import type { AutoFillAnswer, AutoFillDryRun, AutoFillStored, FillFigures, FillWarning, ImportWarnings, ScheduleSummary } from '../../contract/api.js'
import type { CommandDefinition, OptionValues } from './command.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, WriteOnce } from './idempotency.js'

/**
 * How many times a fill computed outside the write lock is computed again because the plays
 * in its window changed before it could be stored; after that, it is computed under the lock.
 */
export const OPTIMISTIC_ATTEMPTS = 3

// By hand the request can be given as options; through the API it is the JSON body on stdin.
const OPTION_FIELDS: Record<string, [string, (v: string) => unknown]> = {
  playlist: ['playlist_id', String],
  start: ['start_time', String],
  hours: ['duration_hours', Number],
  'cooldown-hours': ['cooldown_hours', Number],
  'slot-minutes': ['slot_minutes', Number],
  seed: ['seed', String],
  timezone: ['timezone', String],
  'when-exhausted': ['when_exhausted', String],
  name: ['name', String],
  'decisions-offset': ['decisions_offset', Number]
}

function requestFromOptions (options: OptionValues): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const [option, [field, convert]] of Object.entries(OPTION_FIELDS)) {
    if (typeof options[option] === 'string') body[field] = convert(options[option])
  }
  if (options['no-shuffle'] === true) body.shuffle = false
  if (options['dry-run'] === true) body.dry_run = true
  return body
}

const autoFill: CommandDefinition<AutoFillAnswer> = {
  summary: 'fill a time window from a playlist or links, without replays inside the cooldown',
  usage: `[request.json] | --playlist ID --start ISO --hours N [--slot-minutes M] [--cooldown-hours ${DEFAULT_COOLDOWN_HOURS}] [--seed S] [--timezone ZONE] [--when-exhausted gap|least_recent] [--no-shuffle] [--dry-run] [--name NAME] [--decisions-offset N] ${IDEMPOTENCY_USAGE}`,
  options: {
    ...Object.fromEntries(Object.keys(OPTION_FIELDS).map((o) => [o, { type: 'string' as const }])),
    'no-shuffle': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    ...idempotencyOptions
  },
  async run ({ options, positionals, readInput, store, log }) {
    const input = positionals.length > 0 || options.start === undefined ? await readInput() : Buffer.alloc(0)
    const text = decodeUtf8(input).trim()
    const body: unknown = text === '' ? {} : parseJson(text)
    const plan = readFillRequest(isObject(body) ? { ...body, ...requestFromOptions(options) } : body)
    const db = await store()
    const once = WriteOnce.of<AutoFillStored>('auto-fill', options, positionals, input)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay

    let links: FillLink[]
    let source = 'links'
    if (plan.links !== null) links = plan.links
    else {
      const playlist = await db.playlists.getPlaylist(plan.playlistId!)
      if (playlist === null) throw new CommandError('BAD_REQUEST', `no playlist with id ${plan.playlistId!}`, [{ field: 'playlist_id', message: 'unknown playlist' }])
      links = playlist.items.map((item) => ({ url: item.url, title: item.title, duration: item.duration, category: item.group }))
      source = `playlist "${playlist.name}"`
    }
    // Before any play is read or any event built: a huge request costs nothing.
    checkFillSize(plan, links)
    // Known from the request alone, so said before anything is stored.
    const forced = forcedCooldownWarning(plan, links)

    // The plays the cooldown counts: those of every schedule near the window, before and after it.
    const from = plan.start - plan.cooldownMs
    const to = plan.end + plan.cooldownMs
    // In the request's zone, named, like the decisions: the zone the person filling reads in.
    const name = plan.name ?? `Auto-fill ${wallClock(plan.timezone)(plan.start)}, ${Math.round((plan.end - plan.start) / 360_000) / 10} h`
    // A stored fill keeps every decision; a dry run words only the page it answers.
    const page = { from: plan.decisionsOffset, to: plan.decisionsOffset + MAX_DECISIONS }
    const compute = (plays: Iterable<Play>): ComputedFill => computeFill(plan, links, plays, forced, plan.dryRun ? page : EVERY_DECISION)
    log.info('auto-fill computing', { from: source, dry_run: plan.dryRun })

    if (plan.dryRun) {
      // Reads only: no write lock, so it never holds up a writer.
      const { answer } = compute(await db.playsBetween(from, to))
      log.info('auto-fill done', { schedule_id: null, from: source, ...figures(answer), dry_run: true })
      return dryRunAnswer(answer, { id: null, name, source: 'auto-fill', event_count: answer.events.length, created: null })
    }

    // Computed outside the write lock, so other writes go on meanwhile; stored under it once
    // the plays it was computed from are still those stored: two fills racing over one window
    // cannot both air a video inside the other's cooldown.
    const storeFill = async (tx: Store, { events, warnings, decisions, answer }: ComputedFill): Promise<AutoFillStored> => {
      const schedule = await tx.schedules.createSchedule({ name, source: 'auto-fill', channels: [], events, warnings, cooldown_hours: plan.cooldownMs / 3_600_000 })
      await tx.fillDecisions.save(schedule.id, decisions)
      return storedAnswer(answer, schedule)
    }
    let committed = null
    for (let attempt = 1; committed === null && attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
      const reading = await db.readPlays(from, to)
      const computed = compute(reading.plays)
      committed = await once.commitIf(db, (tx) => tx.playsUnchanged(reading), (tx) => storeFill(tx, computed))
      if (committed === null) log.info('auto-fill: the plays stored in its window changed while it computed; computing again', { attempt })
    }
    // The window kept changing: compute once more holding the lock, so the fill is stored at last.
    committed ??= await once.commit(db, async (tx) => storeFill(tx, compute(await tx.playsBetween(from, to))))
    if (!committed.replayed) log.info('auto-fill done', { schedule_id: committed.answer.schedule.id, from: source, ...figures(committed.answer), dry_run: false })
    return committed.answer
  }
}

const figures = ({ stats }: Pick<FillFigures, 'stats'>): Record<string, number> => ({ slots: stats.slots_total, gaps: stats.gaps, overrides: stats.cooldown_overrides })

interface ComputedFill {
  events: ScheduleEvent[]
  /** Stored with the schedule, like an import's. */
  warnings: ImportWarnings
  /** Every decision, stored with the schedule; the answer carries one page of them. */
  decisions: string[]
  /** The answer but its schedule, which only the write names. */
  answer: FillFigures
}

// The answers in the order a reader wants them: the schedule before its events.
const storedAnswer = (figures: FillFigures, schedule: ScheduleSummary): AutoFillStored => ({ status: 'success', dry_run: false, schedule, ...figures })
const dryRunAnswer = (figures: FillFigures, schedule: AutoFillDryRun['schedule']): AutoFillDryRun => ({ status: 'success', dry_run: true, schedule, ...figures })

/** Everything a fill needs before its write, so the write lock is held only to store it. */
function computeFill (plan: FillPlan, links: FillLink[], plays: Iterable<Play>, forced: FillWarning | null, worded: DecisionWindow): ComputedFill {
  const fill = fillSchedule(plan, links, playsByVideo(plays), worded)
  const { violations, total } = findCooldownViolations(fill.events.map((e, index) => ({ ...e, index })), plan.cooldownMs / 3_600_000)
  const warnings = { duplicates: [], conflicts: [], conflicts_total: 0, cooldown: violations, cooldown_total: total, notes: [] }
  const said = [...(forced === null ? [] : [forced]), ...slotFitWarnings(plan, fill.stats)]
  return { events: fill.events, warnings, decisions: fill.decisions, answer: figuresOf(fill, said, plan.decisionsOffset, worded.from) }
}

/** `wordedFrom`: the index of the fill's first worded decision. */
function figuresOf (fill: FillResult, warnings: FillWarning[], offset: number, wordedFrom: number): FillFigures {
  const decisions = fill.decisions.slice(offset - wordedFrom, offset - wordedFrom + MAX_DECISIONS)
  return {
    stats: fill.stats,
    warnings,
    decisions,
    decisions_total: fill.decisions_total,
    decisions_offset: offset,
    decisions_omitted: fill.decisions_total - decisions.length,
    events: fill.events.map((e, i) => ({ ...airedFields(e), cooldown_override: fill.overridden[i] }))
  }
}
export default autoFill
