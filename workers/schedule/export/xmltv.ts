import type { Channel } from '../../../contract/api.js'
import { EXPORT_FORMATS, type ExportedDocument } from '../../../contract/formats.js'
import type { GuideEvent } from '../../storage/channels.js'
import { guideEntries } from '../../channels/guide.js'
import { cleanText } from '../../text.js'
import { onscreenOf } from '../../playlist/episode.js'
import { yearOf } from '../../channels/event-tags.js'
import { formatXmltvTime } from '../time.js'
import { eventChannel } from './event-channel.js'
import { documentFileName, slug } from './naming.js'
import type { ChannelExporter, ExportSchedule, Exporter } from './types.js'
import { XML_DECLARATION, escapeXmlAttribute, oneLineText as oneLine, stripIllegalXmlChars, xmlElement } from './xml-escape.js'

// XMLTV, valid against the XMLTV DTD (`<!ELEMENT tv (channel*, programme*)>`), written by one
// writer for schedules and channels alike: every <channel> first, then the <programme>s, their
// children in the DTD's order (title, desc, date, category, keyword, icon, episode-num).
// A schedule's events keep their XMLTV channel id; events without one go to their schedule's
// own channel, its stored `channel_id`, named after it. A channel's events are written one
// <programme> per guide entry (channels/guide.ts: programmes, by the sources' guide modes).

/** Channel ids are written as given (escaped): each caller keeps its ids to one form. */
export interface XmltvChannel {
  id: string
  name: string
  /** A second display-name: Plex, Jellyfin and Kodi read the channel number from one (the DTD has no <lcn>). */
  number?: string
  icon?: string | null
}

export interface XmltvProgramme {
  start: number
  stop: number
  channel: string
  title: string
  desc: string | null
  /** SPEC §16: the item's year (XMLTV's <date>, the year it was made) */
  date?: number | null
  category: string | null
  keywords?: readonly string[]
  icon?: string | null
  episodeNum?: string | null
}

// SPEC §12: the DTD's text elements other than <desc> "may not contain newlines" (oneLine).
/** The DTD wants text in its required elements; a value with nothing printable gets a stand-in. */
const nonEmpty = (value: string, fallback: string): string => {
  const line = oneLine(value)
  return line === '' ? fallback : line
}

function channelElement (c: XmltvChannel): string {
  let element = `  <channel id="${escapeXmlAttribute(c.id)}">\n    ${xmlElement('display-name', nonEmpty(c.name, c.id))}`
  if (c.number !== undefined) element += `\n    ${xmlElement('display-name', oneLine(c.number))}`
  if (c.icon !== undefined && c.icon !== null) element += `\n    <icon src="${escapeXmlAttribute(oneLine(c.icon))}" />`
  return element + '\n  </channel>'
}

function programmeElement (p: XmltvProgramme): string {
  let element = `  <programme start="${formatXmltvTime(p.start)}" stop="${formatXmltvTime(p.stop)}" channel="${escapeXmlAttribute(p.channel)}">\n` +
    `    ${xmlElement('title', nonEmpty(p.title, 'Untitled'))}`
  const desc = p.desc === null ? '' : stripIllegalXmlChars(cleanText(p.desc, true)).trim()
  if (desc !== '') element += `\n    ${xmlElement('desc', desc)}`
  if (p.date != null) element += `\n    ${xmlElement('date', String(p.date))}`
  const category = p.category === null ? '' : oneLine(p.category)
  if (category !== '') element += `\n    ${xmlElement('category', category)}`
  for (const keyword of p.keywords ?? []) if (oneLine(keyword) !== '') element += `\n    ${xmlElement('keyword', oneLine(keyword))}`
  if (p.icon !== undefined && p.icon !== null) element += `\n    <icon src="${escapeXmlAttribute(oneLine(p.icon))}" />`
  if (p.episodeNum !== undefined && p.episodeNum !== null) element += `\n    <episode-num system="xmltv_ns">${escapeXmlAttribute(oneLine(p.episodeNum))}</episode-num>`
  // SPEC §15: S02E05 beside 1.4., for clients that show the onscreen form (a position alone, `.4/12.`, has none).
  const onscreen = onscreenOf(p.episodeNum)
  if (onscreen !== null) element += `\n    <episode-num system="onscreen">${onscreen}</episode-num>`
  return element + '\n  </programme>'
}

/** The XMLTV document: the channels, then the programmes. */
export function xmltvDocument (channels: Iterable<XmltvChannel>, programmes: Iterable<XmltvProgramme>, filename: string): ExportedDocument {
  const out = [XML_DECLARATION, '<!DOCTYPE tv SYSTEM "xmltv.dtd">', '<tv generator-info-name="ScheduleFlow">']
  for (const c of channels) out.push(channelElement(c))
  for (const p of programmes) out.push(programmeElement(p))
  out.push('</tv>')
  return { content_type: EXPORT_FORMATS.xmltv.media_type, filename, body: out.join('\n') + '\n' }
}

// ── Schedules ─────────────────────────────────────────────────────────────────────────

/** The channels of all schedules, each once, and every event as a programme on its channel. */
function scheduleGuide (schedules: ExportSchedule[]): { channels: XmltvChannel[], programmes: XmltvProgramme[] } {
  const channels = new Map<string, XmltvChannel>()
  const programmes: XmltvProgramme[] = []
  const add = (id: string, name: string): void => {
    if (!channels.has(id)) channels.set(id, { id, name })
  }
  for (const schedule of schedules) {
    for (const c of schedule.channels) if (c.id !== '') add(c.id, c.display_name)
    for (const e of schedule.events) {
      let channel = eventChannel(e)
      if (channel !== null) add(channel, channel)
      else {
        // The schedule's stored channel id: unique, and the M3U export's tvg-id too.
        channel = schedule.channel_id
        add(channel, schedule.name)
      }
      programmes.push({ start: e.start, stop: e.end, channel, title: e.title, desc: e.description, category: e.category, keywords: e.tags })
    }
  }
  return { channels: [...channels.values()], programmes }
}

export const exportXmltv: Exporter = (schedules, options) => {
  const { channels, programmes } = scheduleGuide(schedules)
  return xmltvDocument(channels, programmes, documentFileName(schedules, EXPORT_FORMATS.xmltv.extension, options))
}

// ── Channels ──────────────────────────────────────────────────────────────────────────

/** What an XMLTV guide of a channel reads: a ChannelWithEvents is one. */
export interface ChannelGuide { channel: Channel, events: GuideEvent[] }

/**
 * One programme per guide entry (SPEC §14: a film with its breaks and pad, a titled block, a
 * long stretch of filler): its lead event's description and year, unless the entry is a
 * titled block (the plot of its first film is not the block's).
 */
function * channelProgrammes ({ channel, events }: ChannelGuide): Generator<XmltvProgramme> {
  const id = oneLine(channel.xmltv_id)
  for (const entry of guideEntries(events, channel)) {
    const lead = entry.lead === null || events[entry.lead].guide_title !== null ? null : events[entry.lead]
    yield {
      start: entry.start,
      stop: entry.end,
      channel: id,
      title: entry.title,
      desc: lead?.description ?? null,
      date: lead === null ? null : yearOf(lead.tags),
      category: entry.category,
      // Only a web address: guide clients fetch it.
      icon: entry.icon !== null && /^https?:\/\//.test(entry.icon) ? entry.icon : null,
      episodeNum: entry.episode_num
    }
  }
}

const channelElementOf = (c: Channel): XmltvChannel => ({ id: oneLine(c.xmltv_id), name: c.name, number: c.number, icon: c.logo })

/** XMLTV of channels (one, or every one for guide.xml). */
export function channelsXmltv (channels: ChannelGuide[], filename: string): ExportedDocument {
  return xmltvDocument(channels.map((c) => channelElementOf(c.channel)), (function * () {
    for (const c of channels) yield * channelProgrammes(c)
  })(), filename)
}

export const channelFileName = (channel: Channel, suffix: string): string => `${slug(channel.name, 'channel')}-${suffix}`

export const channelXmltv: ChannelExporter = (data) => channelsXmltv([data], channelFileName(data.channel, EXPORT_FORMATS.xmltv.extension))
