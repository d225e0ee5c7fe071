import type { FastifySchemaCompiler } from 'fastify'
import type { TSchema } from '@sinclair/typebox'

// Query strings and path params arrive as text and TypeBox converts them to their schema's
// type; its conversion reads a number's leading digits (`?limit=2.5` became 2, `1e2` 1,
// `0x10` 16). A person who typed 2.5 meant 2.5: numbers in the URL must be written out whole
// and in decimal, else the request is a 400 like any other wrong value.

const INTEGER = /^[+-]?\d+$/
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

function numberKind (schema: unknown): 'integer' | 'number' | undefined {
  const type = (schema as { type?: unknown } | undefined)?.type
  return type === 'integer' || type === 'number' ? type : undefined
}

/** `input` with each numeric-typed value that is not such a number made NaN, which no schema takes. */
function refuseLooseNumbers (schema: TSchema, input: unknown): unknown {
  const properties = (schema as { properties?: Record<string, unknown> }).properties
  if (properties === undefined || typeof input !== 'object' || input === null) return input
  let checked: Record<string, unknown> | undefined
  for (const [key, value] of Object.entries(input)) {
    const kind = numberKind(properties[key])
    if (kind === undefined || typeof value !== 'string') continue
    if ((kind === 'integer' ? INTEGER : NUMBER).test(value)) continue
    checked ??= { ...input }
    checked[key] = Number.NaN
  }
  return checked ?? input
}

export function strictNumbers (compiler: FastifySchemaCompiler<TSchema>): FastifySchemaCompiler<TSchema> {
  return (route) => {
    const validate = compiler(route)
    if (route.httpPart !== 'querystring' && route.httpPart !== 'params') return validate
    return (input) => validate(refuseLooseNumbers(route.schema, input))
  }
}
