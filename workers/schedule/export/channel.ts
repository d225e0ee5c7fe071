import type { Channel } from '../../../contract/api.js'
import { EXPORT_FORMATS, type ExportedDocument } from '../../../contract/formats.js'
import type { StoredChannelEvent } from '../../storage/channels.js'
import { exportableMediaUrl } from '../../media-url.js'
import type { ChannelWithEvents, ExportSchedule } from './types.js'
import { oneLineText as oneLine } from './xml-escape.js'

// What a channel's exports share (SPEC §11): the adapter that hands one channel to a schedule
// exporter (M3U, ffplayout, CasparCG) as a schedule, and the channel-list M3U IPTV players load
// (a document of its own, not an export format: /api/channels.m3u). The formats are in the
// registry (index.ts); XMLTV in xmltv.ts, ErsatzTV in ersatztv.ts.

export type { ChannelWithEvents }
export type { ChannelGuide } from './xmltv.js'

/** The parts of one airing (a film split by breaks): its programme (a row older than programmes: its guide entry) and its media. */
function airingKey (e: StoredChannelEvent): string | null {
  const airing = e.programme_id ?? e.guide_id
  return airing === null || e.video_url === null ? null : `${airing}\n${e.video_url}`
}

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

/**
 * One channel as the schedule exporters read a schedule: its XMLTV id names its events. An event
 * whose file is a media library item has the item's probed length as its media's length (SPEC
 * §16); any other, as far as its airing's parts show it (knownMediaLengths).
 */
export function channelAsSchedule ({ channel, events, probed }: ChannelWithEvents): ExportSchedule {
  const mediaLengths = knownMediaLengths(events)
  return {
    id: channel.id,
    name: channel.name,
    source: 'json',
    created: channel.created,
    channel_id: channel.xmltv_id,
    channels: [{ id: channel.xmltv_id, display_name: channel.name }],
    events: events.map((e) => {
      const media = (e.video_url === null ? undefined : probed?.get(e.video_url)) ?? mediaLengths.get(airingKey(e) ?? '')
      return { ...e, channel: null, video_url: exportableMediaUrl(e.video_url), ...(media !== undefined && { media_ms: media }) }
    })
  }
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
  return { content_type: EXPORT_FORMATS.m3u.media_type, filename: 'channels.m3u', body: out.join('\n') + '\n' }
}
