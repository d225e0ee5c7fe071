import type { ImportAnswer } from '../../contract/api.js'
import type { CommandDefinition } from './command.js'
import { oneOf, positiveNumberOption, timezoneOption } from './options.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, WriteOnce } from './idempotency.js'
import { IMPORT_FORMATS } from '../schedule/import/detect-format.js'
import { prepareImport } from '../schedule/import/prepare-import.js'
import { DEFAULT_COOLDOWN_HOURS } from '../schedule/checks/cooldown.js'

const importSchedule: CommandDefinition<ImportAnswer> = {
  summary: 'import a schedule (native XML, JSON or XMLTV) from a file or stdin',
  usage: `[file] [--format xml|json|xmltv] [--name NAME] [--timezone ZONE] [--cooldown-hours 48] [--allow-empty] ${IDEMPOTENCY_USAGE}`,
  options: {
    format: { type: 'string' },
    name: { type: 'string' },
    timezone: { type: 'string' },
    'cooldown-hours': { type: 'string' },
    // A document with no event to store is refused unless this asks for an empty schedule.
    'allow-empty': { type: 'boolean' },
    ...idempotencyOptions
  },
  async run ({ options, positionals, readInput, store, log }) {
    const db = await store()
    const input = await readInput()
    const once = WriteOnce.of<ImportAnswer>('import-schedule', options, positionals, input)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay
    const cooldownHours = positiveNumberOption(options, 'cooldown-hours', DEFAULT_COOLDOWN_HOURS)
    const { document, report, warnings } = await prepareImport(input, {
      format: oneOf(options.format, IMPORT_FORMATS, 'format'),
      name: typeof options.name === 'string' && options.name.trim() !== '' ? options.name.trim() : undefined,
      // Given or not: without one, a zone the document names is used (prepareImport).
      timezone: options.timezone === undefined ? undefined : timezoneOption(options),
      cooldownHours,
      storedPlays: (from, to) => db.playsBetween(from, to),
      allowEmpty: options['allow-empty'] === true
    })
    const { replayed, answer } = await once.commit(db, async (tx) => {
      const schedule = await tx.schedules.createSchedule({ ...document, warnings, cooldown_hours: cooldownHours })
      return {
        status: 'success',
        // The earlier ScheduleFlow's top-level fields, kept for its clients (SPEC §6).
        schedule_id: schedule.id,
        events_imported: report.unique_events,
        duplicates_removed: report.duplicates_removed,
        conflicts_detected: report.conflicts_detected,
        schedule: { id: schedule.id, name: schedule.name, source: schedule.source, event_count: schedule.event_count, created: schedule.created },
        metadata: report,
        warnings
      }
    })
    if (!replayed) log.info('schedule imported', { schedule_id: answer.schedule_id, events: answer.schedule.event_count, source: answer.schedule.source })
    return answer
  }
}
export default importSchedule
