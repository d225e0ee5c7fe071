import { CommandError } from '../../../contract/command-error.js'
import { FIELD_ALIASES, type RawDocument, type RawEvent } from './raw-event.js'
import { childText, readXml, type XmlElement } from './xml-reader.js'

const ROOTS = new Set(['schedule', 'tvguide', 'playlist'])
const RECORDS = new Set(['event', 'item'])

function toRawEvent (element: XmlElement, index: number): RawEvent {
  const raw: RawEvent = { index, position: { line: element.line, column: element.column }, fieldPositions: {}, fields: {} }
  // Attributes first, so a child element of the same name wins.
  for (const [name, value] of Object.entries(element.attrs)) {
    const field = FIELD_ALIASES[name]
    if (field !== undefined) raw.fields[field] = value.trim()
  }
  for (const child of element.children) {
    const field = FIELD_ALIASES[child.name]
    if (field === undefined || (raw.fieldPositions[field] !== undefined && field !== 'tags')) continue
    raw.fieldPositions[field] = { line: child.line, column: child.column }
    raw.fields[field] = field === 'tags'
      ? (child.children.length > 0 ? child.children.map((tag) => tag.text.trim()) : child.text.split(','))
      : child.text.trim()
  }
  return raw
}

/** The native document: `<schedule><metadata><title/></metadata><events><event>…`, and the earlier `tvguide`/`playlist`/`item` forms. */
export function readNativeXml (text: string): RawDocument {
  const events: RawEvent[] = []
  let name: string | undefined
  const root = readXml(text, (element, depth) => {
    if (RECORDS.has(element.name) && depth >= 1 && depth <= 2) {
      events.push(toRawEvent(element, events.length))
      return true
    }
    if (element.name === 'metadata' && depth === 1) name = childText(element, 'title') ?? childText(element, 'name')
    return false
  })
  if (!ROOTS.has(root.name)) {
    throw new CommandError('BAD_XML', `the root element is <${root.name}>; a schedule is <schedule> (or <tv> for XMLTV)`, [{ line: root.line, column: root.column, message: `unexpected root <${root.name}>` }])
  }
  return { source: 'xml', name: name ?? root.attrs.name ?? childText(root, 'title'), events, channels: [], notes: [] }
}
