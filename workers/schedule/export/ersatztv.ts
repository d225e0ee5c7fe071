import { EXPORT_FORMATS } from '../../../contract/formats.js'
import { exportableMediaUrl } from '../../media-url.js'
import { luxon } from '../time.js'
import type { ChannelExporter } from './types.js'

// ErsatzTV Next playout files (SPEC §11): one JSON document per local day of a channel.

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
export const exportErsatzTv: ChannelExporter = ({ channel, events }, { day }) => {
  if (day === undefined) throw new Error('ersatztv is a day format: the command gives the day')
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
    content_type: EXPORT_FORMATS.ersatztv.media_type,
    // ErsatzTV names its playout files by the day's first and last instants.
    filename: `${day.start}_${day.end}.json`,
    body: JSON.stringify({ version: ERSATZTV_PLAYOUT_VERSION, items }, null, 2) + '\n'
  }
}
