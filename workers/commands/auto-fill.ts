import { CommandError } from '../protocol.js'
import { fillSchedule } from '../autofill/fill.js'
import { readFillRequest, type FillLink } from '../autofill/request.js'
import { findCooldownViolations, playsByVideo } from '../schedule/checks/cooldown.js'
import { durationSeconds, iso } from '../schedule/model.js'
import { decodeUtf8 } from '../text.js'
import { isObject, parseJson } from '../json.js'
import type { CommandDefinition, OptionValues } from './command.js'

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
  name: ['name', String]
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

const autoFill: CommandDefinition = {
  summary: 'fill a time window from a playlist or links, without replays inside the cooldown',
  usage: '[request.json] | --playlist ID --start ISO --hours N [--slot-minutes M] [--cooldown-hours 48] [--seed S] [--timezone ZONE] [--when-exhausted gap|least_recent] [--no-shuffle] [--dry-run] [--name NAME]',
  options: {
    ...Object.fromEntries(Object.keys(OPTION_FIELDS).map((o) => [o, { type: 'string' as const }])),
    'no-shuffle': { type: 'boolean' },
    'dry-run': { type: 'boolean' }
  },
  async run ({ options, positionals, readInput, store, log }) {
    let body: unknown = {}
    if (positionals.length > 0 || options.start === undefined) {
      const text = decodeUtf8(await readInput()).trim()
      if (text !== '') body = parseJson(text)
    }
    const plan = readFillRequest(isObject(body) ? { ...body, ...requestFromOptions(options) } : body)
    const db = await store()

    let links: FillLink[]
    let source = 'links'
    if (plan.links !== null) links = plan.links
    else {
      const playlist = db.playlists.getPlaylist(plan.playlistId!)
      if (playlist === null) throw new CommandError('BAD_REQUEST', `no playlist with id ${plan.playlistId!}`, [{ field: 'playlist_id', message: 'unknown playlist' }])
      links = playlist.items.map((item) => ({ url: item.url, title: item.title, duration: item.duration, category: item.group }))
      source = `playlist "${playlist.name}"`
    }

    // Read the plays and store the fill under one write lock: two fills at once cannot
    // both take the same video inside each other's cooldown.
    const outcome = db.exclusive(() => {
      const fill = fillSchedule(plan, links, playsByVideo(db.playsBetween(plan.start - plan.cooldownMs, plan.end + plan.cooldownMs)))
      const name = plan.name ?? `Auto-fill ${iso(plan.start).slice(0, 16).replace('T', ' ')} UTC, ${Math.round((plan.end - plan.start) / 360_000) / 10} h`
      if (plan.dryRun) return { fill, schedule: { id: null, name, source: 'auto-fill', event_count: fill.events.length, created: null } }
      const { violations, total } = findCooldownViolations(fill.events.map((e, index) => ({ ...e, index })), plan.cooldownMs / 3_600_000)
      const warnings = { duplicates: [], conflicts: [], conflicts_total: 0, cooldown: violations, cooldown_total: total, notes: [] }
      return { fill, schedule: db.schedules.createSchedule({ name, source: 'auto-fill', channels: [], events: fill.events, warnings }) }
    })

    const { fill, schedule } = outcome
    log.info('auto-fill done', { schedule_id: schedule.id, from: source, slots: fill.stats.slots_total, gaps: fill.stats.gaps, overrides: fill.stats.cooldown_overrides, dry_run: plan.dryRun })
    return {
      status: 'success',
      dry_run: plan.dryRun,
      schedule,
      stats: fill.stats,
      decisions: fill.decisions,
      decisions_total: fill.decisions_total,
      events: fill.events.map((e) => ({ title: e.title, start: iso(e.start), end: iso(e.end), duration: durationSeconds(e), video_url: e.video_url, category: e.category }))
    }
  }
}
export default autoFill
