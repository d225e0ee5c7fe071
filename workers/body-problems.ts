import type { ProblemDetail } from '../contract/common.js'
import { textProblem } from './text.js'
import { MEDIA_URL_FIELDS } from './media-url.js'
import { NOT_BLANK } from '../contract/limits.js'

// A request body checked against the contract: the checks are the contract's schemas compiled
// by the build (scripts/generate-body-checks.mjs → workers/generated/body-checks.ts), and this
// turns what they report into the problem list clients get (SPEC §6): each problem named by its
// field (`blocks.2.end`, `ops.0.title`) with a message in words, taken from the schema that
// refused it, so a range or an enum changed in the contract changes the message with it.

/** One error as Ajv's generated code reports it (verbose: with the schema that refused). */
export interface CheckError {
  instancePath: string
  schemaPath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
  parentSchema?: Schema
}
type Schema = Record<string, unknown>

/** A generated check: true when the body fits, else its errors are in `errors`. */
export type BodyCheck = ((data: unknown) => boolean) & { errors?: CheckError[] | null }

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object', null: 'null'
}
const typeWords = (type: unknown): string => (Array.isArray(type) ? type : [type]).map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ')

/** `a number, 0 to 8784`, `a whole number, 1 to 720`, `a number, more than 0 and at most 744`. */
function rangeWords (s: Schema): string {
  const kind = s.type === 'integer' ? 'a whole number' : 'a number'
  const low = typeof s.minimum === 'number' ? { n: s.minimum, open: false } : typeof s.exclusiveMinimum === 'number' ? { n: s.exclusiveMinimum, open: true } : null
  const high = typeof s.maximum === 'number' ? { n: s.maximum, open: false } : typeof s.exclusiveMaximum === 'number' ? { n: s.exclusiveMaximum, open: true } : null
  if (low !== null && high !== null && !low.open && !high.open) return `${kind}, ${low.n} to ${high.n}`
  const parts = [low === null ? null : low.open ? `more than ${low.n}` : `at least ${low.n}`, high === null ? null : high.open ? `less than ${high.n}` : `at most ${high.n}`]
  return `${kind}, ${parts.filter((p) => p !== null).join(' and ')}`
}

/** A branch of a union in a few words: `{ playlist, group? }`, `a string`, `"gap"`. */
function shapeWords (s: Schema): string {
  if (s.const !== undefined) return JSON.stringify(s.const)
  if (s.type === 'object' && typeof s.properties === 'object' && s.properties !== null) {
    const required = Array.isArray(s.required) ? s.required : []
    return `{ ${Object.keys(s.properties).map((k) => required.includes(k) ? k : `${k}?`).join(', ')} }`
  }
  return typeWords(s.type)
}

/** The words for one error: what the field must be, said as the schema says it. */
function messageOf (e: CheckError): string {
  const s = e.parentSchema ?? {}
  switch (e.keyword) {
    case 'required': return 'required'
    case 'additionalProperties': return 'not a field of this body'
    case 'type': return `must be ${typeWords(e.params.type)}`
    case 'enum': return `one of ${(e.params.allowedValues as unknown[]).join(', ')}`
    case 'const': return `must be ${JSON.stringify(e.params.allowedValue)}`
    // A patterned string's description says what it takes (the contract writes it so).
    case 'pattern': return e.params.pattern === NOT_BLANK ? 'must not be blank' : typeof s.description === 'string' ? s.description : `must match ${String(e.params.pattern)}`
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': return rangeWords(s)
    case 'minLength': return e.params.limit === 1 ? 'must not be empty' : `at least ${String(e.params.limit)} characters`
    case 'maxLength': return `at most ${String(e.params.limit)} characters`
    case 'minItems': return e.params.limit === 1 ? 'a non-empty list' : `at least ${String(e.params.limit)} items`
    case 'maxItems': return `at most ${String(e.params.limit)} items`
    case 'uniqueItems': return 'lists a value twice'
    case 'minProperties': return e.params.limit === 1 ? 'give at least one field to change' : `at least ${String(e.params.limit)} fields`
    case 'anyOf': {
      const shapes = s.anyOf as Schema[]
      // `a string or a number`; shapes of objects as a list: `one of { playlist, group? }, { item }`
      return shapes.every((b) => b.type !== 'object') ? `must be ${shapes.map(shapeWords).join(' or ')}` : `one of ${shapes.map(shapeWords).join(', ')}`
    }
    default: return e.message ?? 'is not valid'
  }
}

const SHAPE_KEYWORDS = new Set(['type', 'required', 'additionalProperties', 'const', 'enum'])

/**
 * A union (anyOf) refused: when exactly one branch fits the value's own shape (`{ item }` is
 * an item source, not a playlist one), that branch's errors are the problems; otherwise the
 * union itself is, naming the shapes it takes. Inner unions come first in Ajv's list.
 */
function resolveUnions (errors: CheckError[]): CheckError[] {
  let list = errors
  for (const union of errors.filter((e) => e.keyword === 'anyOf')) {
    // The same union may fail at several places (blocks.0.source, blocks.3.source): by schema and by value.
    const under = (e: CheckError, branch: string): boolean => e.schemaPath.startsWith(`${union.schemaPath}/${branch}`) &&
      (e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`))
    const inUnion = (e: CheckError): boolean => under(e, '')
    const branches = (union.parentSchema?.anyOf as Schema[] | undefined ?? []).map((_, i) => list.filter((e) => under(e, `${i}/`)))
    const fitting = branches.filter((b) => !b.some((e) => e.instancePath === union.instancePath && SHAPE_KEYWORDS.has(e.keyword)))
    const kept = fitting.length === 1 ? fitting[0] : [union]
    list = list.filter((e) => e === union ? kept.includes(e) : !inUnion(e) || kept.includes(e))
  }
  return list
}

const fieldOf = (e: CheckError, prefix: string): string => {
  const extra = e.keyword === 'required' ? e.params.missingProperty : e.keyword === 'additionalProperties' ? e.params.additionalProperty : undefined
  const path = [...e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')), ...(extra === undefined ? [] : [String(extra)])].join('.')
  return path === '' ? (prefix === '' ? 'body' : prefix.slice(0, -1)) : `${prefix}${path}`
}

/** Every string of the body that breaks SPEC §12's character rule (line breaks allowed in a `description`; media URLs have their own rule), by field. */
function textProblems (value: unknown, path: string, key: string, out: ProblemDetail[]): void {
  if (typeof value === 'string') {
    if (MEDIA_URL_FIELDS.includes(key)) return
    const problem = textProblem(value, key === 'description')
    if (problem !== null) out.push({ field: path, message: problem })
  } else if (Array.isArray(value)) value.forEach((v, i) => textProblems(v, `${path}.${i}`, key, out))
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) textProblems(v, path === '' ? k : `${path}.${k}`, k, out)
  }
}

/**
 * `body` checked by a generated check, and every string in it by the text rule: the problems,
 * one per field (the first found), fields named under `prefix` (`ops.2.`). Empty: it fits.
 */
export function bodyProblems (check: BodyCheck, body: unknown, prefix = ''): ProblemDetail[] {
  const found: ProblemDetail[] = []
  if (!check(body)) for (const e of resolveUnions(check.errors ?? [])) found.push({ field: fieldOf(e, prefix), message: messageOf(e) })
  textProblems(body, prefix.slice(0, -1), '', found)
  const named = new Set<string>()
  return found.filter((p) => {
    if (named.has(p.field!)) return false
    named.add(p.field!)
    return true
  })
}
