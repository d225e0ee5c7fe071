import type { Channel, ExportedDocument } from '../../../contract/api.js'
import type { GuideEvent, StoredChannelEvent } from '../../storage/channels.js'
import { guideEntries } from '../../channels/guide.js'
import { exportableMediaUrl } from '../../media-url.js'
import { cleanText } from '../../text.js'
import { formatXmltvTime, luxon } from '../time.js'
import { slug } from './naming.js'
import type { ExportSchedule } from './types.js'
import { XML_DECLARATION, escapeXmlAttribute, stripIllegalXmlChars, xmlElement } from './xml-escape.js'

// A channel's exports (SPEC §11): its XMLTV (and the guide of every channel), the channel-list
// M3U IPTV players load, ErsatzTV Next playout documents, and the adapter that hands one
// channel to the schedule exporters (ffplayout, CasparCG) as a schedule.

export interface ChannelWithEvents { channel: Channel, events: StoredChannelEvent[] }
/** What an XMLTV guide of a channel reads: a ChannelWithEvents is one. */
export interface ChannelGuide { channel: Channel, events: GuideEvent[] }

/** The parts of one airing (a film split by breaks): its guide entry and its media. */
const airingKey = (e: StoredChannelEvent): string | null => e.guide_id === null || e.video_url === null ? null : `${e.guide_id}\n${e.video_url}`

/**
 * How far into its media each airing is known to play, ms: the end of its last part. A
 * film's first part then tells a playout engine it stops before the clip's end.
 */
function knownMediaLengths (events: StoredChannelEvent[]): Map<string, number> {
  const lengths = new Map<string, number>()
  for (const e of events) {
    const key = airingKey(e)
    if (key !== null) lengths.set(key, Math.max(lengths.get(key) ?? 0, e.in_ms + e.end - e.start))
  }
  return lengths
}

/** One channel as the schedule exporters read a schedule: its XMLTV id names its events. */
export function channelAsSchedule ({ channel, events }: ChannelWithEvents): ExportSchedule {
  const mediaLengths = knownMediaLengths(events)
  return {
    id: channel.id,
    name: channel.name,
    source: 'json',
    created: channel.created,
    channel_id: channel.xmltv_id,
    channels: [{ id: channel.xmltv_id, display_name: channel.name }],
    events: events.map((e) => {
      const media = mediaLengths.get(airingKey(e) ?? '')
      return { ...e, channel: null, video_url: exportableMediaUrl(e.video_url), ...(media !== undefined && { media_ms: media }) }
    })
  }
}

// SPEC §12: no export writes a control character, old rows included: every text is kept to
// workers/text.ts's rule (a line break in a one-line value becomes a space) and trimmed, and
// what XML forbids besides (a lone surrogate) is dropped.
const NEEDS_XML_WORK = /[\uD800-\uDFFF\uFFFE\uFFFF]/ // one cheap test: titles seldom have one
const oneLine = (value: string): string => {
  const line = cleanText(value)
  return (NEEDS_XML_WORK.test(line) ? stripIllegalXmlChars(line) : line).trim()
}
const nonEmpty = (value: string, fallback: string): string => {
  const line = oneLine(value)
  return line === '' ? fallback : line
}

function writeChannel (out: string[], c: Channel): void {
  out.push(`  <channel id="${escapeXmlAttribute(oneLine(c.xmltv_id))}">`)
  out.push(`    ${xmlElement('display-name', nonEmpty(c.name, oneLine(c.xmltv_id)))}`)
  // Plex, Jellyfin and Kodi read the channel number from a display-name of its own (the DTD has no <lcn>).
  out.push(`    ${xmlElement('display-name', oneLine(c.number))}`)
  if (c.logo !== null) out.push(`    <icon src="${escapeXmlAttribute(oneLine(c.logo))}" />`)
  out.push('  </channel>')
}

const ITEM_ORIGIN = { kind: 'item' } as const

/** One <programme> per guide entry (a film split by breaks, a titled block), children in the DTD's order, one string each. */
function writeProgrammes (out: string[], { channel, events }: ChannelGuide): void {
  const sources = events.map((e) => ({
    title: e.title,
    start: e.start,
    end: e.end,
    category: e.category,
    icon: e.icon,
    episode_num: e.episode_num,
    guide_id: e.guide_id ?? e.id,
    guide_title: e.guide_title,
    origin: e.origin ?? ITEM_ORIGIN
  }))
  const channelAttribute = escapeXmlAttribute(oneLine(channel.xmltv_id))
  for (const entry of guideEntries(sources)) {
    const first = events[entry.events[0]]
    let programme = `  <programme start="${formatXmltvTime(entry.start)}" stop="${formatXmltvTime(entry.end)}" channel="${channelAttribute}">\n` +
      `    ${xmlElement('title', nonEmpty(entry.title, 'Untitled'))}`
    const description = first.description === null ? '' : stripIllegalXmlChars(cleanText(first.description, true)).trim()
    if (description !== '') programme += `\n    ${xmlElement('desc', description)}`
    const category = entry.category === null ? '' : oneLine(entry.category)
    if (category !== '') programme += `\n    ${xmlElement('category', category)}`
    if (entry.icon !== null && /^https?:\/\//.test(entry.icon)) programme += `\n    <icon src="${escapeXmlAttribute(oneLine(entry.icon))}" />`
    if (entry.episode_num !== null) programme += `\n    <episode-num system="xmltv_ns">${escapeXmlAttribute(oneLine(entry.episode_num))}</episode-num>`
    out.push(programme + '\n  </programme>')
  }
}

/** XMLTV of channels (one, or every one for guide.xml): every <channel> first, then the programmes (the DTD's order). */
export function channelsXmltv (channels: ChannelGuide[], filename: string): ExportedDocument {
  const out = [XML_DECLARATION, '<!DOCTYPE tv SYSTEM "xmltv.dtd">', '<tv generator-info-name="ScheduleFlow">']
  for (const c of channels) writeChannel(out, c.channel)
  for (const c of channels) writeProgrammes(out, c)
  out.push('</tv>')
  return { content_type: 'application/xml; charset=utf-8', filename, body: out.join('\n') + '\n' }
}

/**
 * An M3U attribute, always in double quotes. M3U has no escape inside a value, so a `"` in it
 * becomes `'` and it is one line without control characters (SPEC §12): nothing in a value can
 * close the quotes or start a new line, and a comma inside them stays part of it.
 */
const m3uAttribute = (name: string, value: string): string => `${name}="${oneLine(value).replace(/"/g, "'")}"`

/** The channel-list M3U IPTV players load: the guide's address, then one entry per channel. */
export function channelList (channels: Channel[], guideUrl: string): ExportedDocument {
  const out = [`#EXTM3U ${m3uAttribute('url-tvg', guideUrl)}`]
  for (const c of channels) {
    const attributes = [['tvg-id', c.xmltv_id], ['tvg-chno', c.number], ['tvg-name', c.name], ['tvg-logo', c.logo ?? ''], ['group-title', c.group ?? '']]
    out.push(`#EXTINF:-1 ${attributes.map(([k, v]) => m3uAttribute(k, v)).join(' ')},${oneLine(c.name)}`)
    // A channel with no stream yet still gets a line a player can show (and fail on) rather than a broken list.
    out.push(exportableMediaUrl(c.stream_url) ?? `#no stream_url for ${oneLine(c.xmltv_id)}`)
  }
  return { content_type: 'audio/x-mpegurl; charset=utf-8', filename: 'channels.m3u', body: out.join('\n') + '\n' }
}

/** ErsatzTV Next's playout schema (schema/playout.json of ErsatzTV/next). */
export const ERSATZTV_PLAYOUT_VERSION = 'https://ersatztv.org/playout/version/0.0.3'

export interface ErsatzTvItem {
  id: string
  start: string
  finish: string
  source: { source_type: 'http', uri: string, in_point_ms?: number, out_point_ms?: number } | { source_type: 'local', path: string, in_point_ms?: number, out_point_ms?: number }
}

/** RFC 3339 with the zone's offset at that instant. */
const rfc3339 = (ms: number, zone: string): string => luxon().DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!

/**
 * One local day's ErsatzTV Next playout: the events starting that day, each with its source
 * (http(s)/rtmp… as `uri`, an absolute path or file:// as `local`). Events with no URL are left
 * out: ErsatzTV airs its fallback there. A cut item says where it stops (`out_point_ms`).
 */
export function ersatzTvDay ({ channel, events }: ChannelWithEvents, day: { date: string, start: number, end: number }): ExportedDocument {
  const items: ErsatzTvItem[] = []
  for (const e of events) {
    if (e.start < day.start || e.start >= day.end) continue
    const url = exportableMediaUrl(e.video_url)
    if (url === null) continue
    const points = { ...(e.in_ms > 0 && { in_point_ms: e.in_ms }), out_point_ms: e.in_ms + (e.end - e.start) }
    const source: ErsatzTvItem['source'] = url.startsWith('/') || url.startsWith('file://')
      ? { source_type: 'local', path: url.startsWith('file://') ? decodeURI(url.slice('file://'.length)) : url, ...points }
      : { source_type: 'http', uri: url, ...points }
    items.push({ id: e.id, start: rfc3339(e.start, channel.timezone), finish: rfc3339(e.end, channel.timezone), source })
  }
  return {
    content_type: 'application/json; charset=utf-8',
    // ErsatzTV names its playout files by the day's first and last instants.
    filename: `${day.start}_${day.end}.json`,
    body: JSON.stringify({ version: ERSATZTV_PLAYOUT_VERSION, items }, null, 2) + '\n'
  }
}

export const channelFileName = (channel: Channel, suffix: string): string => `${slug(channel.name, 'channel')}-${suffix}`
