import type { Test } from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DtdValidator, XmlDocument, XmlDtd, XmlLibError } from 'libxml2-wasm'
import { projectRoot } from '../workers/project.js'

// libxml2 itself, compiled to WebAssembly and installed from npm, parses and validates the
// exports: the same parser and DTD validator as libxml2's command-line tool, with nothing to
// install beside Node. Shared by the exporter tests and the README examples' test.
const XMLTV_DTD = join(projectRoot, 'test', 'fixtures', 'xmltv', 'xmltv.dtd')

/** The XMLTV DTD, parsed once per test file (dispose it in a teardown). */
export const xmltvValidator = new DtdValidator(XmlDtd.fromBuffer(readFileSync(XMLTV_DTD)))

/** The parsed document, or libxml2's messages when the text is not well-formed XML. */
export function parse (body: string): XmlDocument | string {
  try {
    return XmlDocument.fromString(body)
  } catch (err) {
    return libxmlMessages(err)
  }
}

/** The document parsed by libxml2 for the duration of `use`: a well-formedness error fails the test. */
export function withDocument<T> (t: Test, body: string, use: (doc: XmlDocument) => T): T | undefined {
  const doc = parse(body)
  if (typeof doc === 'string') {
    t.fail(`well-formed XML\n${doc}`)
    return undefined
  }
  try {
    return use(doc)
  } finally {
    doc.dispose()
  }
}

export function libxmlMessages (err: unknown): string {
  if (err instanceof XmlLibError) return err.details.map((d) => `${d.line ?? '?'}: ${d.message.trim()}`).join('\n')
  throw err
}

/** What the XMLTV DTD finds wrong with the document: empty when it is valid. */
export function dtdErrors (t: Test, body: string): string | undefined {
  return withDocument(t, body, (doc) => {
    try {
      xmltvValidator.validate(doc)
      return ''
    } catch (err) {
      return libxmlMessages(err)
    }
  })
}

export function assertValidXmltv (t: Test, body: string): void {
  t.equal(dtdErrors(t, body), '', 'valid against the XMLTV DTD')
}

export function assertWellFormed (t: Test, body: string): void {
  t.ok(withDocument(t, body, () => true), 'well-formed XML')
}
