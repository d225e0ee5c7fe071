import { CommandError } from '../../contract/command-error.js'
import { DEFAULT_SCHEDULE_EXPORT, SCHEDULE_EXPORT_FORMATS } from '../../contract/formats.js'
import { exportSchedules, type ExportSchedule } from '../schedule/export/index.js'
import type { ExportedDocument } from '../../contract/api.js'
import type { CommandDefinition } from './command.js'
import { OUTPUT_OPTION, OUTPUT_USAGE, oneOf, rangeOption, requiredId, timezoneOption } from './options.js'
import { found } from './not-found.js'

const exportSchedule: CommandDefinition<ExportedDocument> = {
  summary: 'export one schedule (by id) or all of them (--all) as a document',
  usage: `<id> | --all  --format ${SCHEDULE_EXPORT_FORMATS.join('|')} [--from ISO] [--to ISO] [--date YYYY-MM-DD] [--timezone ZONE] ${OUTPUT_USAGE}`,
  answersDocument: true,
  options: {
    all: { type: 'boolean' },
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    date: { type: 'string' },
    timezone: { type: 'string' },
    ...OUTPUT_OPTION
  },
  async run ({ options, positionals, store }) {
    const format = oneOf(options.format ?? DEFAULT_SCHEDULE_EXPORT, SCHEDULE_EXPORT_FORMATS, 'format')!
    const zone = timezoneOption(options)
    const range = rangeOption(options, zone)
    if (typeof options.date === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(options.date)) {
      throw new CommandError('BAD_REQUEST', 'date must be YYYY-MM-DD', [{ field: 'date', message: 'not YYYY-MM-DD' }])
    }
    const { schedules } = await store()
    if (options.all === true && positionals.length > 0) throw new CommandError('BAD_ARGUMENTS', 'give a schedule id or --all, not both')
    if (options.all !== true && positionals.length === 0) throw new CommandError('BAD_ARGUMENTS', 'give a schedule id, or --all')
    const ids = options.all === true ? (await schedules.listSchedules()).map((s) => s.id) : [requiredId(positionals, 'schedule')]
    const selected: ExportSchedule[] = []
    for (const id of ids) selected.push({ ...found(await schedules.getSchedule(id), 'schedule', id), events: await schedules.listEvents(id, range) })
    return exportSchedules(format, selected, { all: options.all === true, date: options.date as string | undefined, timezone: zone })
  }
}
export default exportSchedule
