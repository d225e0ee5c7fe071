import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AutoFillRequestSchema, BlockSchema, BuildRequestSchema, ChannelCreateSchema, ChannelPatchSchema, OverrideCreateSchema, TemplateSchema } from '../../contract/api.js'
import { readBuildRequest, readChannelCreate, readChannelPatch, readOverride, readTemplate } from '../../workers/channels/request.js'
import { readFillRequest } from '../../workers/autofill/request.js'
import { readEditOps } from '../../workers/editing/request.js'
import { projectRoot } from '../../workers/project.js'

// The worker's body checks are generated from the contract at build (scripts/generate-body-checks.mjs):
// these say that they are the contract's schemas as written now, that the worker takes exactly
// the fields the contract lists (so a field added there is taken with no second edit), and that
// their errors read as the problem list clients get: the field's path and what it must be.

interface Problem { field?: string, message: string }
const problemsOf = (read: () => unknown): Problem[] => {
  try { read() } catch (err) { return (err as { errors?: Problem[] }).errors ?? [] }
  return []
}
const fields = (list: Problem[]): string[] => list.map((p) => p.field ?? '').sort()

t.test('the generated checks hold the contract\'s body schemas as they are now', async (t) => {
  const generated = readFileSync(join(projectRoot, 'workers', 'generated', 'body-checks.ts'), 'utf8')
  const schemas = { ChannelCreateSchema, ChannelPatchSchema, TemplateSchema, OverrideCreateSchema, BuildRequestSchema, AutoFillRequestSchema }
  for (const [name, schema] of Object.entries(schemas)) t.ok(generated.includes(JSON.stringify(schema)), `${name}, as the contract writes it (npm run build regenerates the checks)`)
  t.notMatch(generated, /require\(|^import (?!type)/m, 'the checks stand alone: no Ajv at run time')
})

t.test('a block takes exactly the fields BlockSchema lists: each is read, anything else is refused as unknown', async (t) => {
  const block = { id: 'a', days: ['mon'], start: '06:00', end: '07:00', source: { playlist: 'p' } }
  t.same(readTemplate({ blocks: [block] }).problems.list, [], 'a block with the required fields')
  for (const key of Object.keys(BlockSchema.properties)) {
    const problems = readTemplate({ blocks: [{ ...block, [key]: { wrong: true } }] }).problems.list
    const named = problems.find((p) => p.field === `blocks.0.${key}` || p.field?.startsWith(`blocks.0.${key}.`))
    t.ok(named !== undefined && named.message !== 'not a field of this body', `${key} is a field the worker checks: ${JSON.stringify(problems)}`)
  }
  t.same(readTemplate({ blocks: [{ ...block, colour: 'red' }] }).problems.list, [{ field: 'blocks.0.colour', message: 'not a field of this body' }])
})

t.test('schema errors read as the problem list: the field\'s path and what it must be, in the schema\'s words', async (t) => {
  const template = readTemplate({
    cooldown_hours: 9000,
    blocks: [
      { id: 'a', days: ['mon', 'xyz'], start: '25:00', end: '07:00', source: { playlist: 'p' }, order: 'up', breaks: { every_minutes: 0, max_seconds: 60, filler: 'f' } },
      { id: 'b', days: ['tue'], start: '10:00', end: '11:00', source: { item: { url: 'https://a/b.mp4', title: 'T', duration: -4 } } },
      { id: 'c', days: ['wed'], start: '10:00', end: '11:00', source: 'p' }
    ]
  }).problems.list
  t.same(template, [
    { field: 'cooldown_hours', message: 'a number, 0 to 8784' },
    { field: 'blocks.0.days.1', message: 'one of mon, tue, wed, thu, fri, sat, sun' },
    { field: 'blocks.0.start', message: 'a local wall time HH:MM (00:00–23:59) in the channel\'s zone' },
    { field: 'blocks.0.order', message: 'one of shuffle, sequential, random' },
    { field: 'blocks.0.breaks.every_minutes', message: 'a whole number, 1 to 720' },
    { field: 'blocks.1.source.item.duration', message: 'a number, more than 0 and at most 86400' },
    { field: 'blocks.2.source', message: 'one of { playlist, group? }, { item }, { collection }' }
  ], 'an item source is read as one (its duration named), a string as neither shape')

  t.same(readChannelPatch({}).problems.list, [{ field: 'body', message: 'give at least one field to change' }])
  t.same(fields(readChannelCreate({ number: '7a', name: '', timezone: 'Mars/Base', logo: 'ftp://x', group: 'a\u0007b' }).problems.list),
    ['group', 'logo', 'name', 'number', 'timezone'], 'schema and hand rules (the zone, the text rule) together')
  t.same(fields(readOverride({ name: 'x', from: '2025-02-30', to: '2025-03-01', events: [{ title: 'a', start: 'no', end: '2025-01-01T00:00:00Z' }] }, 'UTC').problems.list),
    ['events.0.start', 'from'], 'a date the calendar has not is refused by hand (the pattern passed it)')
  t.same(problemsOf(() => readBuildRequest({ from: '2025-01-01', to: '2025-01-02', seed: true, freeze_hours: 99999 }, 's')),
    [{ field: 'seed', message: 'must be a string or a number' }, { field: 'freeze_hours', message: 'a number, 0 to 2232' }])
  t.same(problemsOf(() => readFillRequest({ start_time: '2025-01-01T00:00:00Z', duration_hours: 0, links: [{ url: '' }], when_exhausted: 'never', slot_minutes: null })), [
    { field: 'links.0.url', message: 'links.0.url: must not be empty' },
    { field: 'duration_hours', message: 'duration_hours: a number, more than 0 and at most 744' },
    { field: 'when_exhausted', message: 'when_exhausted: must be "gap" or "least_recent"' }
  ], 'auto-fill: null is not given (slot_minutes), each message names its field')
  t.same(problemsOf(() => readEditOps({ ops: [{ op: 'add', title: 'x', start: '2025-01-01T01:00:00Z' }, { op: 'update', id: 'e', colour: 'red' }, { op: 'delete' }, { op: 'update', id: 'e', video_url: 5 }] }, 'UTC')), [
    { field: 'ops.0.end', message: 'required' },
    { field: 'ops.1.colour', message: 'not a field of this body' },
    { field: 'ops.2.id', message: 'required' },
    { field: 'ops.3.video_url', message: 'must be a string or null' }
  ], 'each op checked by the shape of its kind')
})

t.test('a name or id that must say something is refused when it is only spaces, as the hand checks refused it', async (t) => {
  const block = { id: 'a', days: ['mon'], start: '06:00', end: '07:00', source: { playlist: 'p' } }
  for (const blank of [' ', '\t', '   \n ']) {
    const template = readTemplate({
      blocks: [
        { ...block, id: blank },
        { ...block, id: 'b', days: ['tue'], source: { playlist: blank, group: blank }, fill: 'pad', filler: blank },
        { ...block, id: 'c', days: ['wed'], source: { item: { url: 'https://a/b.mp4', title: blank, duration: 60 } }, breaks: { every_minutes: 30, max_seconds: 60, filler: blank } }
      ]
    }).problems.list
    t.same(template.filter((p) => p.message === 'must not be blank').map((p) => p.field).sort(), [
      'blocks.0.id', 'blocks.1.filler', 'blocks.1.source.group', 'blocks.1.source.playlist', 'blocks.2.breaks.filler', 'blocks.2.source.item.title'
    ], JSON.stringify(blank))
    const override = readOverride({ name: blank, from: '2026-01-01', to: '2026-01-02', events: [{ title: blank, start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z' }] }, 'UTC')
    t.same(fields(override.problems.list.filter((p) => p.message === 'must not be blank')), ['events.0.title', 'name'])
  }
  t.same(readTemplate({ blocks: [{ ...block, id: ' a ' }] }).problems.list, [], 'a value with spaces around words is a value')
})
