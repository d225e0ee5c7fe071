import { CommandError } from './protocol.js'

/** Line and column of V8's "at position N" (or "line L column C") in a JSON.parse message. */
function jsonErrorPosition (text: string, message: string): { line: number, column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message)
  if (lc !== null) return { line: Number(lc[1]), column: Number(lc[2]) }
  const at = /position (\d+)/.exec(message)
  if (at === null) return undefined
  const before = text.slice(0, Number(at[1]))
  const line = before.split('\n').length
  return { line, column: Number(at[1]) - before.lastIndexOf('\n') }
}

/** JSON.parse whose error is a BAD_JSON CommandError naming the line and column. */
export function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    const message = (err as Error).message
    const where = jsonErrorPosition(text, message)
    const detail = message.replace(/^JSON\.parse: /, '')
    throw new CommandError('BAD_JSON', `malformed JSON${where !== undefined ? ` at line ${where.line}, column ${where.column}` : ''}: ${detail}`,
      [{ ...where, message: detail }])
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
