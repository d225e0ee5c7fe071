import { CommandError } from '../../contract/command-error.js'
import { CHANNEL_EXPORT_FORMATS, DEFAULT_CHANNEL_EXPORT, EXPORT_FORMATS, formatList, type ExportedDocument } from '../../contract/formats.js'
import { exportChannel as exportChannelAs } from '../schedule/export/index.js'
import { channelList } from '../schedule/export/channel.js'
import { channelsXmltv, type ChannelGuide } from '../schedule/export/xmltv.js'
import { isLocalDate, localDate, localDays, type LocalDay } from '../channels/wall-time.js'
import type { Channel } from '../../contract/api.js'
import type { TimeRange } from '../schedule/time.js'
import type { CommandDefinition, OptionValues } from './command.js'
import { OUTPUT_OPTION, OUTPUT_USAGE, oneOf, rangeOption, requiredId } from './options.js'
import { channelRange, findChannel } from './channels.js'
import { probedLengths } from '../media/library-urls.js'

// The channel exports of SPEC §11: one channel in a format, the guide of every channel, and
// the channel list. Ranges are instants (ISO 8601, naive in the channel's zone); the route
// gives the guide its default range, so its ETag is made from the range actually read.

const DAY_MS = 86_400_000
/** The playout formats that write a clip's full length (ffplayout `duration`, CasparCG `duration`). */
export const PROBED_FORMATS: ReadonlySet<string> = new Set(['ffplayout', 'casparcg'])

/** A day format's day: given, else the first local day of the range, else today. */
function exportDay (date: string | undefined, options: OptionValues, channel: Channel): LocalDay {
  const day = date ?? localDate(channelRange(options, channel.timezone).from ?? Date.now(), channel.timezone)
  return localDays(day, day, channel.timezone)[0]
}

function dateOption (options: OptionValues): string | undefined {
  const date = options.date
  if (date === undefined) return undefined
  if (typeof date !== 'string' || !isLocalDate(date)) throw new CommandError('VALIDATION_FAILED', 'date must be YYYY-MM-DD', [{ field: 'date', message: 'not a date YYYY-MM-DD' }])
  return date
}

export const exportChannel: CommandDefinition<ExportedDocument> = {
  summary: `one channel's events as ${formatList(CHANNEL_EXPORT_FORMATS)}`,
  usage: `<id> --format ${CHANNEL_EXPORT_FORMATS.join('|')} [--from ISO] [--to ISO] [--date YYYY-MM-DD] ${OUTPUT_USAGE}`,
  answersDocument: true,
  options: { format: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, date: { type: 'string' }, ...OUTPUT_OPTION },
  async run ({ options, positionals, store }) {
    const format = oneOf(options.format ?? DEFAULT_CHANNEL_EXPORT, CHANNEL_EXPORT_FORMATS, 'format')!
    const id = requiredId(positionals, 'channel')
    const db = await store()
    const channel = await findChannel(db, id)
    const date = dateOption(options)
    const day = EXPORT_FORMATS[format].span === 'day' ? exportDay(date, options, channel) : undefined
    // A day format reads a day later too: a film whose last part airs after midnight still
    // tells how long its media is (ffplayout's `duration`); the exporter writes only the day.
    const range: TimeRange = day === undefined ? channelRange(options, channel.timezone) : { from: day.start, to: day.end + DAY_MS }
    const events = await db.channels.channelEvents(id, range)
    // The media library's probed lengths, for the formats that write a clip's length (one read per export).
    const probed = PROBED_FORMATS.has(format) ? await probedLengths(db, events.map((e) => e.video_url)) : undefined
    return exportChannelAs(format, { channel, events, probed }, { day })
  }
}

export const exportGuide: CommandDefinition<ExportedDocument> = {
  summary: 'the XMLTV guide of every channel over a range',
  usage: `--from ISO --to ISO ${OUTPUT_USAGE}`,
  answersDocument: true,
  options: { from: { type: 'string' }, to: { type: 'string' }, ...OUTPUT_OPTION },
  async run ({ options, store }) {
    const range = rangeOption(options, 'UTC')
    const db = await store()
    // Only what the guide writes, one channel at a time by its index (channelEvents' whole rows cost more than the XML).
    const channels: ChannelGuide[] = []
    for (const channel of await db.channels.list()) channels.push({ channel, events: await db.channels.guideEvents(channel.id, range) })
    return channelsXmltv(channels, 'guide.xml')
  }
}

export const exportChannelList: CommandDefinition<ExportedDocument> = {
  summary: 'the channel-list M3U IPTV players load (url-tvg, tvg-id, tvg-chno, tvg-name, tvg-logo, group-title)',
  usage: `--guide-url URL [--channel ID] ${OUTPUT_USAGE}`,
  answersDocument: true,
  options: { 'guide-url': { type: 'string' }, channel: { type: 'string' }, ...OUTPUT_OPTION },
  async run ({ options, store }) {
    const guide = typeof options['guide-url'] === 'string' ? options['guide-url'] : 'guide.xml'
    const db = await store()
    // --channel: a list of that one channel (a feed's per-channel variant, routes/feeds.ts).
    const channels = typeof options.channel === 'string' ? [await findChannel(db, requiredId([options.channel], 'channel'))] : await db.channels.list()
    return channelList(channels, guide)
  }
}
