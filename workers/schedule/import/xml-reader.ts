import { SaxesParser } from 'saxes'
import { CommandError } from '../../../contract/command-error.js'

export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  /** Text and CDATA directly inside this element, untrimmed. */
  text: string
  line: number
  column: number
}

/**
 * Called as each element closes, with its depth (root = 0). Returning true drops the
 * element from its parent, so a 100,000-event document is never held as one tree.
 */
export type OnElementClose = (element: XmlElement, depth: number) => boolean | undefined

const MAX_DEPTH = 64

export function xmlError (message: string, line: number, column: number): CommandError {
  return new CommandError('BAD_XML', `malformed XML at line ${line}, column ${column}: ${message}`, [{ line, column, message }])
}

/**
 * Parses XML with saxes, which never expands DTD entities and never reads external
 * ones. A DOCTYPE that declares entities is refused outright (entity bombs, XXE):
 * only XML's five predefined entities and character references are accepted.
 */
export function readXml (source: string, onClose?: OnElementClose): XmlElement {
  const parser = new SaxesParser({ position: true })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  let failure: CommandError | undefined
  const fail = (message: string): void => {
    failure ??= xmlError(message, parser.line, parser.column)
  }

  parser.on('error', (err) => fail(err.message.replace(/^.*?\d+:\d+: /, '')))
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) fail('entity declarations are not accepted (entities from a DTD are never expanded)')
  })
  // Once the document is refused, the rest of the slice is still parsed: its events are
  // ignored, so a close tag never pops an element the refused open tag did not push.
  parser.on('opentag', (tag) => {
    if (failure !== undefined) return
    if (stack.length >= MAX_DEPTH) return fail(`elements nested deeper than ${MAX_DEPTH}`)
    const element: XmlElement = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [], text: '', line: parser.line, column: parser.column }
    stack.at(-1)?.children.push(element)
    stack.push(element)
    root ??= element
  })
  const addText = (text: string): void => {
    if (failure !== undefined) return
    const current = stack.at(-1)
    if (current !== undefined) current.text += text
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('closetag', () => {
    if (failure !== undefined) return
    const element = stack.pop()!
    if (onClose?.(element, stack.length) === true) stack.at(-1)?.children.pop()
  })

  // Feed in slices so a refused document stops early instead of being read to its end.
  const SLICE = 1 << 20
  // eslint-disable-next-line no-unmodified-loop-condition -- the parser's error handler sets failure
  for (let at = 0; at < source.length && failure === undefined; at += SLICE) parser.write(source.slice(at, at + SLICE))
  if (failure === undefined) parser.close()
  if (failure !== undefined) throw failure
  if (root === undefined) throw xmlError('no root element', parser.line, parser.column)
  return root
}

export const childText = (element: XmlElement, name: string): string | undefined =>
  element.children.find((c) => c.name === name)?.text.trim()
