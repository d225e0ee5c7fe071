import { CommandError } from '../../../contract/command-error.js'

import type { ImportFormat } from '../../../contract/formats.js'

export type { ImportFormat }
export { IMPORT_FORMAT_IDS as IMPORT_FORMATS } from '../../../contract/formats.js'

/** The format from the content: JSON by its first character, XML by its root element's name. */
export function detectFormat (text: string): ImportFormat {
  const start = text.trimStart()
  if (start.startsWith('{') || start.startsWith('[')) return 'json'
  if (start.startsWith('<')) {
    // Skip the prolog: declaration, comments, doctype.
    const root = /<([A-Za-z_][\w.-]*)[\s/>]/.exec(start.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/gi, ''))
    return root?.[1] === 'tv' ? 'xmltv' : 'xml'
  }
  throw new CommandError('UNKNOWN_FORMAT', 'the document is neither XML nor JSON; give format=xml, json or xmltv if it is one of them', [{ line: 1, column: 1, message: 'unrecognized content' }])
}
