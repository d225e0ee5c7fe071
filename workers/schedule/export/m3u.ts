import { durationSeconds, iso } from '../model.js'
import { inAirOrder } from './air-order.js'
import { eventChannel } from './event-channel.js'
import { documentFileName } from './naming.js'
import type { Exporter } from './types.js'

// Extended M3U, one entry per event in air order:
//   #EXTINF:<seconds> tvg-id="<channel, else the schedule's channel_id>" tvg-name="<title>" group-title="<category>",<title>
//   <video URL>
//
// An event without a video URL cannot be a playable entry (a player would take the next
// line as its URL), so it is written as a plain `# ` comment naming it and its start, which
// players ignore and a reader can still see.
//
// M3U is line-oriented and has no escape for a quote inside an attribute value, so line
// breaks become spaces everywhere and a `"` inside an attribute value becomes `'`.

const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim()
const attribute = (name: string, value: string): string => `${name}="${oneLine(value).replace(/"/g, "'")}"`

export const exportM3u: Exporter = (schedules, options) => {
  const lines = ['#EXTM3U']
  for (const { schedule, event } of inAirOrder(schedules)) {
    const title = oneLine(event.title)
    if (event.video_url === null || oneLine(event.video_url) === '') {
      lines.push(`# no video URL, not playable: ${title} at ${iso(event.start)}`)
      continue
    }
    const attributes = [attribute('tvg-id', eventChannel(event) ?? schedule.channel_id), attribute('tvg-name', title)]
    if (event.category !== null && event.category !== '') attributes.push(attribute('group-title', event.category))
    lines.push(`#EXTINF:${durationSeconds(event)} ${attributes.join(' ')},${title}`, oneLine(event.video_url))
  }
  return {
    content_type: 'audio/x-mpegurl; charset=utf-8',
    filename: documentFileName(schedules, 'm3u', options),
    body: lines.join('\n') + '\n'
  }
}
