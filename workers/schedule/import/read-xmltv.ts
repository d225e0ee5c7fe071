import { CommandError } from '../../../contract/command-error.js'
import type { ChannelInfo } from '../model.js'
import { parseXmltvTime } from '../time.js'
import type { RawDocument, RawEvent, XmltvChannel } from './raw-event.js'
import { childText, readXml, type XmlElement } from './xml-reader.js'

const LENGTH_UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600 }

/** Seconds; may be Infinity for an absurd length, which validation then refuses with the event named. */
function lengthSeconds (programme: XmlElement): number | undefined {
  const length = programme.children.find((c) => c.name === 'length')
  const value = Number(length?.text.trim())
  const unit = LENGTH_UNIT_SECONDS[length?.attrs.units ?? 'seconds']
  return length === undefined || !(value > 0) || unit === undefined ? undefined : value * unit
}

function toChannel (element: XmlElement, id: string): XmltvChannel {
  const texts = (names: string[]): string[] => element.children.filter((c) => names.includes(c.name)).map((c) => c.text.trim()).filter(Boolean)
  const icon = element.children.find((c) => c.name === 'icon' && c.attrs.src !== undefined)?.attrs.src.trim()
  return { id, display_names: texts(['display-name']), ...(icon !== undefined && icon !== '' && { icon }), number_candidates: texts(['display-name', 'lcn']) }
}

interface Programme { raw: RawEvent, start: number | null, stopGiven: boolean, length?: number }

function toProgramme (element: XmlElement, index: number): Programme {
  const texts = (name: string): string[] => element.children.filter((c) => c.name === name).map((c) => c.text.trim()).filter(Boolean)
  const at = (name: string): { line: number, column: number } | undefined => {
    const child = element.children.find((c) => c.name === name)
    return child === undefined ? undefined : { line: child.line, column: child.column }
  }
  const start = element.attrs.start === undefined ? null : parseXmltvTime(element.attrs.start)
  const stop = element.attrs.stop === undefined ? undefined : parseXmltvTime(element.attrs.stop) ?? element.attrs.stop
  const [category, ...moreCategories] = texts('category')
  const raw: RawEvent = {
    index,
    position: { line: element.line, column: element.column },
    // An end computed from <length> is refused at the <length>, when it is refused.
    fieldPositions: { title: at('title'), description: at('desc'), category: at('category'), ...(stop === undefined && { end: at('length') }) },
    fields: {
      // Several titles (one per language): the first is the title (SPEC §3).
      title: texts('title')[0],
      start: start ?? element.attrs.start,
      end: stop,
      description: texts('desc')[0],
      category,
      tags: moreCategories,
      channel: element.attrs.channel
    }
  }
  return { raw, start, stopGiven: stop !== undefined, length: lengthSeconds(element) }
}

/**
 * XMLTV: `<tv><channel id>…<programme start stop channel>`. A programme without
 * `stop` ends after its `length`, else at the next programme's start on its channel;
 * one with neither is left out and noted, and so is one of zero length.
 */
export function readXmltv (text: string): RawDocument {
  const channels: ChannelInfo[] = []
  const xmltvChannels = new Map<string, XmltvChannel>()
  const programmes: Programme[] = []
  const root = readXml(text, (element, depth) => {
    if (depth !== 1) return false
    if (element.name === 'programme') programmes.push(toProgramme(element, programmes.length))
    else if (element.name === 'channel' && element.attrs.id !== undefined) {
      channels.push({ id: element.attrs.id, display_name: childText(element, 'display-name') ?? element.attrs.id })
      if (!xmltvChannels.has(element.attrs.id)) xmltvChannels.set(element.attrs.id, toChannel(element, element.attrs.id))
    }
    return true
  })
  if (root.name !== 'tv') {
    throw new CommandError('BAD_XML', `the root element is <${root.name}>; XMLTV is <tv>`, [{ line: root.line, column: root.column, message: `unexpected root <${root.name}>` }])
  }

  const notes: string[] = []
  const byChannel = new Map<string, Programme[]>()
  for (const p of programmes) {
    if (p.start === null) continue
    const key = String(p.raw.fields.channel ?? '')
    byChannel.get(key)?.push(p) ?? byChannel.set(key, [p])
  }
  for (const list of byChannel.values()) {
    list.sort((a, b) => a.start! - b.start!)
    // From the last start back: each run of programmes with the same start ends at the
    // start after it (one pass, not a search per programme: 200,000 of them must import).
    let laterStart: number | undefined
    for (let last = list.length - 1; last >= 0;) {
      const start = list[last].start!
      let first = last
      while (first > 0 && list[first - 1].start === start) first--
      for (let i = first; i <= last; i++) {
        const p = list[i]
        if (p.stopGiven) continue
        if (p.length !== undefined) p.raw.fields.end = start + p.length * 1000
        else if (laterStart !== undefined) p.raw.fields.end = laterStart
      }
      laterStart = start
      last = first - 1
    }
  }
  const events: RawEvent[] = []
  for (const p of programmes) {
    const title = String(p.raw.fields.title ?? '')
    if (p.start !== null && p.raw.fields.end === undefined) {
      notes.push(`programme ${p.raw.index + 1} ("${title}") has no stop, no length and no later programme on its channel: left out`)
    } else if (p.start !== null && p.raw.fields.end === p.start) {
      // XMLTV allows zero-length programmes (markers); nothing of them can air.
      notes.push(`programme ${p.raw.index + 1} ("${title}") has zero length: left out`)
    } else events.push(p.raw)
  }
  return { source: 'xmltv', name: channels[0]?.display_name, events, channels, xmltvChannels: [...xmltvChannels.values()], notes }
}
