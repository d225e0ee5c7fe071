// `npm run build`, before tsc: compiles the contract's request-body schemas into
// workers/generated/body-checks.ts with Ajv's standalone code. The channel, auto-fill and
// editing bodies are parsed and checked in the worker (the API hands them over as bytes), so
// the worker needs the checks, but it must not load TypeBox, the schemas or Ajv (each worker
// start would pay for compiling them): compiled here, once, they are plain functions the
// worker imports and esbuild bundles. The file is written by the build, never by hand, and
// not committed (.gitignore). TypeBox's own compiler refuses the contract's Type.Unsafe enums;
// Ajv takes them as the JSON Schema they are.
import { mkdir, writeFile } from 'node:fs/promises'
import { build } from 'esbuild'
import { Ajv } from 'ajv'
import standalone from 'ajv/dist/standalone/index.js'

const OUT = 'workers/generated/body-checks.ts'

// The contract is TypeScript: esbuild bundles it (with TypeBox) into one module, loaded from memory.
const bundled = await build({ entryPoints: ['contract/api.ts'], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' })
const contract = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`)

/**
 * An edit op as the worker reads it: the route's body with `op` (and `id`, or `programme` for an
 * op on a whole programme), closed to other fields.
 */
const editOp = (op, fields, idKey) => ({
  type: 'object',
  properties: {
    op: { const: op },
    ...(idKey !== undefined && { [idKey]: { type: 'string', minLength: 1, maxLength: 100, description: `the id of ${idKey === 'id' ? 'an event' : 'a programme'} of this timeline` } }),
    ...fields.properties
  },
  required: ['op', ...(idKey !== undefined ? [idKey] : []), ...(fields.required ?? [])],
  additionalProperties: false
})

/** export name → schema. An edit body is read op by op: which fields an op takes depends on its `op`. */
const checks = {
  checkChannelCreate: contract.ChannelCreateSchema,
  checkChannelPatch: contract.ChannelPatchSchema,
  checkTemplate: contract.TemplateSchema,
  checkOverride: contract.OverrideCreateSchema,
  checkOverridePatch: contract.OverridePatchSchema,
  checkBuildRequest: contract.BuildRequestSchema,
  checkAutoFill: contract.AutoFillRequestSchema,
  checkPublishPut: contract.PublishPutSchema,
  checkLibraryRequest: contract.LibraryRequestSchema,
  checkAddOp: editOp('add', contract.NewEventSchema),
  checkUpdateOp: editOp('update', contract.EventPatchSchema, 'id'),
  checkDeleteOp: editOp('delete', { properties: {} }, 'id'),
  checkProgrammeUpdateOp: editOp('update', contract.ProgrammePatchSchema, 'programme'),
  checkProgrammeDeleteOp: editOp('delete', { properties: {} }, 'programme')
}

// allErrors: every problem named at once, as the hand checks did. verbose: each error carries
// its schema, which the worker turns into words (workers/body-problems.ts). unicode false:
// lengths count UTF-16 units, as String.length and the earlier checks do. No coercion, no
// defaults: the reader applies the contract's defaults itself.
// (Ajv calls `unicode` deprecated but honours it; its warning is the one left unsaid.)
const logger = { log: console.log, warn: (...a) => { if (!String(a[0]).includes('option unicode')) console.warn(...a) }, error: console.error }
const ajv = new Ajv({ allErrors: true, verbose: true, unicode: false, allowUnionTypes: true, logger, code: { source: true, esm: true, lines: true } })
for (const [name, schema] of Object.entries(checks)) ajv.addSchema(JSON.parse(JSON.stringify(schema)), name)
const code = standalone(ajv, Object.fromEntries(Object.keys(checks).map((name) => [name, name])))

// The checks must stand alone: a runtime import from Ajv would load Ajv in the worker.
if (/require\(|^\s*import\b/m.test(code)) throw new Error('the generated body checks import Ajv at run time: give up the keyword that needs it')

const typed = Object.keys(checks).map((name) => `export const ${name} = ${name}Code as unknown as BodyCheck`).join('\n')
await mkdir('workers/generated', { recursive: true })
await writeFile(OUT, `// @ts-nocheck
/* eslint-disable */
// Written by scripts/generate-body-checks.mjs (npm run build) from the contract's schemas: do not edit.
import type { BodyCheck } from '../body-problems.js'
${code.replace(/export const (\w+) =/g, 'const $1Code =')}
${typed}
`)
