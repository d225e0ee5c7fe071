import { decodeUtf8 } from '../text.js'
import { parseJson } from '../json.js'
import type { CommandContext } from './command.js'

/** The JSON document of a write: stdin through the API, or the file named after the id by hand. */
export async function jsonBody (readInput: CommandContext['readInput']): Promise<{ input: Buffer, body: unknown }> {
  const input = await readInput()
  const text = decodeUtf8(input).trim()
  return { input, body: text === '' ? {} : parseJson(text) }
}
