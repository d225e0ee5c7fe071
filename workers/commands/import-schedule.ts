import type { Channel, ImportAnswer } from '../../contract/api.js'
import type { CommandDefinition, OptionValues } from './command.js'
import { nameOption, oneOf, positiveNumberOption, timezoneOption } from './options.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, WriteOnce } from './idempotency.js'
import { IMPORT_FORMATS } from '../schedule/import/detect-format.js'
import { prepareImport, type ImportOptions } from '../schedule/import/prepare-import.js'
import { DEFAULT_COOLDOWN_HOURS } from '../../contract/limits.js'
import type { XmltvChannel } from '../schedule/import/raw-event.js'
import { planImportChannels } from '../channels/import-channels.js'
import { CommandError } from '../../contract/command-error.js'
import { isRecordId } from './not-found.js'
import type { Store } from '../storage/store.js'
import { withCoverage } from '../on-air/coverage.js'

/** Refused as the assign-later route refuses it (place-schedule): 400, field channel_id. */
const unknownChannel = (id: string): CommandError =>
  new CommandError('VALIDATION_FAILED', `no channel with id ${id}; nothing was imported`, [{ field: 'channel_id', message: 'unknown channel' }])

/** --channel-id: a stored channel, looked up again inside the write lock. */
async function placedChannel (db: Store, options: OptionValues): Promise<Channel | null> {
  const id = options['channel-id']
  if (id === undefined) return null
  if (typeof id !== 'string' || !isRecordId(id)) throw unknownChannel(String(id))
  const channel = await db.channels.get(id)
  if (channel === null) throw unknownChannel(id)
  return channel
}

/** Where the events air, for prepareImport's per-channel checks; null: on no channel. */
function placement (db: Store, onto: Channel | null, createChannels: boolean, zone: string, planned: { channels: XmltvChannel[] }): ImportOptions['placement'] {
  if (onto === null && !createChannels) return undefined
  return {
    channelEvents: async (channelId, from, to) => db.channels.channelEvents(channelId, { from, to }),
    async airingOf ({ format, xmltvChannels }) {
      if (onto !== null) return () => ({ key: onto.id, stored: onto.id })
      if (format !== 'xmltv') throw createChannelsNotXmltv(format)
      planned.channels = xmltvChannels
      const plan = planImportChannels(xmltvChannels, await db.channels.list(), zone)
      const created = new Set(plan.create.map((c) => c.xmltv_id))
      return (e) => {
        if (e.channel === null) return null
        const reused = plan.reuse.get(e.channel)
        if (reused !== undefined) return { key: reused.id, stored: reused.id }
        return created.has(e.channel) ? { key: `new:${e.channel}`, stored: null } : null
      }
    }
  }
}

const createChannelsNotXmltv = (format: string): CommandError =>
  new CommandError('BAD_REQUEST', `create_channels takes an XMLTV document; this one is ${format}`, [{ field: 'create_channels', message: `only with format xmltv, not ${format}` }])

const importSchedule: CommandDefinition<ImportAnswer> = {
  summary: 'import a schedule (native XML, JSON or XMLTV) from a file or stdin, optionally placed on a channel or creating the XMLTV channels',
  usage: `[file] [--format xml|json|xmltv] [--name NAME] [--timezone ZONE] [--cooldown-hours ${DEFAULT_COOLDOWN_HOURS}] [--allow-empty] [--channel-id ID | --create-channels] ${IDEMPOTENCY_USAGE}`,
  options: {
    format: { type: 'string' },
    name: { type: 'string' },
    timezone: { type: 'string' },
    'cooldown-hours': { type: 'string' },
    // A document with no event to store is refused unless this asks for an empty schedule.
    'allow-empty': { type: 'boolean' },
    // SPEC §11: the schedule placed on a channel as it is stored, or the XMLTV channels made channels.
    'channel-id': { type: 'string' },
    'create-channels': { type: 'boolean' },
    ...idempotencyOptions
  },
  async run ({ options, positionals, readInput, store, log, now }) {
    const db = await store()
    const input = await readInput()
    const once = WriteOnce.of<ImportAnswer>('import-schedule', options, positionals, input)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay
    const cooldownHours = positiveNumberOption(options, 'cooldown-hours', DEFAULT_COOLDOWN_HOURS)
    const format = oneOf(options.format, IMPORT_FORMATS, 'format')
    const createChannels = options['create-channels'] === true
    if (createChannels && options['channel-id'] !== undefined) {
      throw new CommandError('BAD_REQUEST', 'give channel_id (every event on one channel) or create_channels (each on its XMLTV channel), not both', [{ field: 'channel_id', message: 'not with create_channels' }, { field: 'create_channels', message: 'not with channel_id' }])
    }
    if (createChannels && format !== undefined && format !== 'xmltv') throw createChannelsNotXmltv(format)
    const timezone = options.timezone === undefined ? undefined : timezoneOption(options)
    const onto = await placedChannel(db, options)
    const planned = { channels: [] as XmltvChannel[] }
    const { document, report, warnings } = await prepareImport(input, {
      format,
      name: nameOption(options),
      // Given or not: without one, a zone the document names is used (prepareImport).
      timezone,
      cooldownHours,
      storedPlays: (from, to, channelId) => db.playsBetween(from, to, { channelId }),
      allowEmpty: options['allow-empty'] === true,
      placement: placement(db, onto, createChannels, timezone ?? 'UTC', planned)
    })
    const { replayed, answer } = await once.commit(db, async (tx) => {
      // Inside the write lock: the channel still there, the XMLTV channels created or reused as they stand now.
      if (onto !== null && await tx.channels.get(onto.id) === null) throw unknownChannel(onto.id)
      const channels = createChannels ? await createOrReuse(tx, planned.channels, timezone ?? 'UTC') : undefined
      if (channels !== undefined) warnings.notes.push(...channels.notes)
      const schedule = await tx.schedules.createSchedule({
        ...document,
        warnings,
        cooldown_hours: cooldownHours,
        channel_ref: onto?.id ?? null,
        ...(channels !== undefined && { channel_of_xmltv_id: channels.byXmltvId })
      })
      return {
        status: 'success',
        // The earlier ScheduleFlow's top-level fields, kept for its clients (SPEC §6).
        schedule_id: schedule.id,
        events_imported: report.unique_events,
        duplicates_removed: report.duplicates_removed,
        conflicts_detected: report.conflicts_detected,
        schedule: { id: schedule.id, name: schedule.name, source: schedule.source, event_count: schedule.event_count, created: schedule.created },
        metadata: report,
        warnings,
        ...(onto !== null && { placed_on: onto.id }),
        // With their coverage once the schedule's events air on them (SPEC §17).
        ...(channels !== undefined && { channels: { created: await covered(tx, channels.created, now()), reused: await covered(tx, channels.reused, now()) } })
      }
    })
    if (!replayed) log.info('schedule imported', { schedule_id: answer.schedule_id, events: answer.schedule.event_count, source: answer.schedule.source, placed_on: answer.placed_on, channels_created: answer.channels?.created.length })
    return answer
  }
}

/** The channels as the API answers them, with their coverage. */
async function covered (tx: Store, channels: Channel[], now: number): Promise<Channel[]> {
  const answers: Channel[] = []
  for (const channel of channels) answers.push(await withCoverage(tx, channel, now))
  return answers
}

/** The document's channels, each reused or created in `tx`; by XMLTV id, the stored channel its programmes air on. */
async function createOrReuse (
  tx: Store,
  channels: XmltvChannel[],
  zone: string
): Promise<{ created: Channel[], reused: Channel[], byXmltvId: Map<string, string>, notes: string[] }> {
  const plan = planImportChannels(channels, await tx.channels.list(), zone)
  const created: Channel[] = []
  for (const channel of plan.create) created.push(await tx.channels.create(channel))
  const reused = [...plan.reuse.values()]
  const byXmltvId = new Map([...created, ...reused].map((c) => [c.xmltv_id, c.id]))
  return { created, reused, byXmltvId, notes: plan.notes }
}

export default importSchedule
