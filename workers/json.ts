import { CommandError } from '../contract/command-error.js'

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

/** No schedule or request nests this deep; what does is refused before anything walks it (recursion, String() of a list). */
export const MAX_JSON_DEPTH = 64

/** The line and column where `text` opens its (MAX_JSON_DEPTH + 1)th level, or undefined. One pass, strings skipped. */
function tooDeepAt (text: string): { line: number, column: number } | undefined {
  let depth = 0
  let line = 1
  let lineStart = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) { // a string: skip to its closing quote, over escapes
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return { line, column: i - lineStart + 1 }
    } else if (c === 0x5d || c === 0x7d) depth--
    else if (c === 0x0a) { line++; lineStart = i + 1 }
  }
  return undefined
}

/** JSON.parse whose error is a BAD_JSON CommandError naming the line and column; values nested deeper than MAX_JSON_DEPTH are refused. */
export function parseJson (text: string): unknown {
  const deep = tooDeepAt(text)
  if (deep !== undefined) {
    const message = `nested deeper than ${MAX_JSON_DEPTH} levels`
    throw new CommandError('BAD_JSON', `malformed JSON at line ${deep.line}, column ${deep.column}: ${message}`, [{ ...deep, message }])
  }
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
