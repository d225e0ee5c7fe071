import { CommandError } from '../../../contract/command-error.js'

export type ImportFormat = 'xml' | 'json' | 'xmltv'
export const IMPORT_FORMATS: readonly ImportFormat[] = ['xml', 'json', 'xmltv']

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
