import type { StoredEvent } from '../model.js'
import { formatXmltvTime } from '../time.js'
import { eventChannel } from './event-channel.js'
import { documentFileName } from './naming.js'
import type { ExportSchedule, Exporter } from './types.js'
import { XML_DECLARATION, escapeXmlAttribute, stripIllegalXmlChars, xmlElement } from './xml-escape.js'

// XMLTV, valid against the XMLTV DTD (`<!ELEMENT tv (channel*, programme*)>`): every
// <channel> first, then one <programme> per event with its children in the DTD's order
// (title, desc, category, keyword). Events keep their XMLTV channel id; events without one
// go to their schedule's own channel, its stored `channel_id`, named after it.

interface Channel { id: string, displayName: string }
interface Programme { event: StoredEvent, channel: string }

/** The DTD's text elements other than <desc> "may not contain newlines". */
const oneLine = (value: string): string => stripIllegalXmlChars(value).replace(/\s*[\r\n]+\s*/g, ' ').trim()

/** The DTD wants text in its required elements; a value with nothing printable gets a stand-in. */
const nonEmpty = (value: string, fallback: string): string => (oneLine(value) === '' ? fallback : oneLine(value))

/** The channels of all schedules, each once, and every event with its channel id. */
function assignChannels (schedules: ExportSchedule[]): { channels: Channel[], programmes: Programme[] } {
  const channels = new Map<string, Channel>()
  const programmes: Programme[] = []
  const add = (id: string, displayName: string): void => {
    if (!channels.has(id)) channels.set(id, { id, displayName: nonEmpty(displayName, id) })
  }
  for (const schedule of schedules) {
    for (const c of schedule.channels) if (c.id !== '') add(c.id, c.display_name)
    let ownChannel: string | undefined
    for (const event of schedule.events) {
      const channel = eventChannel(event)
      if (channel !== null) {
        add(channel, channel)
        programmes.push({ event, channel })
        continue
      }
      if (ownChannel === undefined) {
        // The schedule's stored channel id: unique, and the M3U export's tvg-id too.
        ownChannel = schedule.channel_id
        add(ownChannel, schedule.name)
      }
      programmes.push({ event, channel: ownChannel })
    }
  }
  return { channels: [...channels.values()], programmes }
}

function writeProgramme (out: string[], { event: e, channel }: Programme): void {
  const start = escapeXmlAttribute(formatXmltvTime(e.start))
  const stop = escapeXmlAttribute(formatXmltvTime(e.end))
  out.push(`  <programme start="${start}" stop="${stop}" channel="${escapeXmlAttribute(channel)}">`)
  out.push(`    ${xmlElement('title', nonEmpty(e.title, 'Untitled'))}`)
  if (e.description !== null && stripIllegalXmlChars(e.description).trim() !== '') out.push(`    ${xmlElement('desc', e.description.trim())}`)
  if (e.category !== null && oneLine(e.category) !== '') out.push(`    ${xmlElement('category', oneLine(e.category))}`)
  for (const tag of e.tags) if (oneLine(tag) !== '') out.push(`    ${xmlElement('keyword', oneLine(tag))}`)
  out.push('  </programme>')
}

export const exportXmltv: Exporter = (schedules, options) => {
  const { channels, programmes } = assignChannels(schedules)
  const out = [XML_DECLARATION, '<!DOCTYPE tv SYSTEM "xmltv.dtd">', '<tv generator-info-name="ScheduleFlow">']
  for (const c of channels) {
    out.push(`  <channel id="${escapeXmlAttribute(c.id)}">`, `    ${xmlElement('display-name', c.displayName)}`, '  </channel>')
  }
  for (const p of programmes) writeProgramme(out, p)
  out.push('</tv>')
  return {
    content_type: 'application/xml; charset=utf-8',
    filename: documentFileName(schedules, 'xmltv.xml', options),
    body: out.join('\n') + '\n'
  }
}
