import { documentFileName, isSingle } from './naming.js'
import { nativeDocument, type NativeDocument, type NativeEvent } from './native.js'
import type { Exporter } from './types.js'
import { XML_DECLARATION, xmlElement } from './xml-escape.js'

// The native XML: `<schedule><metadata/><events><event/>…</events></schedule>`, or
// `<schedules>` around several. Optional fields that are null or empty are left out,
// which the importer reads back as null / no tags. Lines are appended to one array:
// a schedule can hold 100,000s of them.

function writeEvent (out: string[], pad: string, e: NativeEvent): void {
  const field = (name: string, value: string | number | null): void => {
    if (value !== null && value !== '') out.push(`${pad}  ${xmlElement(name, value)}`)
  }
  out.push(`${pad}<event>`)
  field('title', e.title)
  field('start', e.start)
  field('end', e.end)
  field('duration', e.duration)
  field('videoUrl', e.videoUrl)
  field('category', e.category)
  field('description', e.description)
  if (e.tags.length > 0) {
    out.push(`${pad}  <tags>`)
    for (const tag of e.tags) out.push(`${pad}    ${xmlElement('tag', tag)}`)
    out.push(`${pad}  </tags>`)
  }
  field('channel', e.channel)
  out.push(`${pad}</event>`)
}

function writeSchedule (out: string[], pad: string, { metadata: m, schedule: events }: NativeDocument): void {
  out.push(`${pad}<schedule>`, `${pad}  <metadata>`)
  for (const [name, value] of [['title', m.title], ['id', m.id], ['source', m.source], ['created', m.created], ['event_count', m.event_count]] as const) {
    out.push(`${pad}    ${xmlElement(name, value)}`)
  }
  out.push(`${pad}  </metadata>`)
  if (events.length === 0) {
    out.push(`${pad}  <events/>`)
  } else {
    out.push(`${pad}  <events>`)
    for (const e of events) writeEvent(out, `${pad}    `, e)
    out.push(`${pad}  </events>`)
  }
  out.push(`${pad}</schedule>`)
}

export const exportXml: Exporter = (schedules, options) => {
  const out = [XML_DECLARATION]
  const documents = schedules.map(nativeDocument)
  if (isSingle(schedules, options)) {
    writeSchedule(out, '', documents[0])
  } else {
    out.push('<schedules>')
    for (const d of documents) writeSchedule(out, '  ', d)
    out.push('</schedules>')
  }
  return {
    content_type: 'application/xml; charset=utf-8',
    filename: documentFileName(schedules, 'xml', options),
    body: out.join('\n') + '\n'
  }
}
