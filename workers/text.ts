import { CommandError } from './protocol.js'

/** UTF-8 (a BOM is dropped); anything else is refused rather than stored as mojibake. */
export function decodeUtf8 (input: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input)
  } catch {
    throw new CommandError('BAD_ENCODING', 'the document is not UTF-8 text')
  }
}
