import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { cliEntry, projectRoot } from '../workers/project.js'
import { tempDir } from './helpers.js'
import { childEnv } from './helpers.js'

// Issue 10 item 3: a worker loads only what its operation uses. The real CLI (the bundle
// the pool starts) runs each operation under a loader that records every module it loads,
// ES and CommonJS alike; a chunk of the bundle counts as the sources esbuild put in it.

const RECORDER = join(projectRoot, 'test', 'fixtures', 'module-recorder', 'record.mjs')

/** What a CLI run loads that a light read must not: the schema library, the zone library, the XML reader and writer. */
const HEAVY: Record<string, RegExp> = {
  typebox: /[/\\]@sinclair[/\\]typebox[/\\]|type-provider-typebox/,
  luxon: /[/\\]luxon[/\\]/,
  saxes: /[/\\]saxes[/\\]/,
  'the XML reader': /[/\\]schedule[/\\]import[/\\]/,
  'the XML writer': /[/\\]schedule[/\\]export[/\\]xml(tv)?\.js$/,
  fastify: /[/\\]fastify[/\\]/,
  pino: /[/\\]pino[/\\]/
}

function modulesLoaded (dataDir: string, args: string[], input = ''): string[] {
  const record = join(dataDir, '..', `modules-${args[0]}-${Math.random().toString(36).slice(2)}.txt`)
  writeFileSync(record, '')
  const run = spawnSync(process.execPath, ['--import', RECORDER, cliEntry, ...args], {
    env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: dataDir, RECORD_MODULES_TO: record },
    input,
    encoding: 'utf8'
  })
  if (run.status !== 0) throw new Error(`m3upro ${args.join(' ')} exited ${run.status}: ${run.stderr}`)
  return readFileSync(record, 'utf8').split('\n').filter(Boolean).flatMap(sourcesOf)
}

/** esbuild's record of the bundle: each output file with the source files in it, paths from the project root. */
const bundleMeta = JSON.parse(readFileSync(join(projectRoot, 'dist', 'bundle', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> }

function sourcesOf (loaded: string): string[] {
  const file = loaded.startsWith('file:') ? fileURLToPath(loaded) : loaded
  const output = bundleMeta.outputs[relative(projectRoot, file)]
  return output === undefined ? [file] : Object.keys(output.inputs).map((input) => join(projectRoot, input))
}

const heavyIn = (modules: string[]): string[] => Object.entries(HEAVY).filter(([, pattern]) => modules.some((m) => pattern.test(m))).map(([name]) => name)

const XMLTV = '<tv><channel id="c1"><display-name>One</display-name></channel><programme start="20251124070000 +0000" stop="20251124080000 +0000" channel="c1"><title>News</title></programme></tv>'

t.test('info and list-schedules load no TypeBox, luxon, saxes or XML writer', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  // A stored schedule, so the list reads rows rather than an empty table.
  const imported = JSON.parse(spawnSync(process.execPath, [cliEntry, 'import-schedule', '--format=xmltv'], { env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: dataDir }, input: XMLTV, encoding: 'utf8' }).stdout)
  t.ok(imported.ok, 'a schedule is stored')
  const id = imported.result.schedule_id as string

  for (const args of [['info'], ['list-schedules'], ['list-playlists'], ['get-schedule', '--', id]]) {
    const modules = modulesLoaded(dataDir, args)
    t.ok(modules.some((m) => m.endsWith('better-sqlite3/lib/index.js')), `${args[0]}: the recorder saw the database driver`)
    t.same(heavyIn(modules), [], `${args[0]} loads none of ${Object.keys(HEAVY).join(', ')}`)
  }

  // The recorder sees these modules where they are used: the checks above are not vacuous.
  t.same(heavyIn(modulesLoaded(dataDir, ['import-schedule', '--format=xmltv'], XMLTV)), ['saxes', 'the XML reader'], 'an XMLTV import loads the XML reader')
  t.same(heavyIn(modulesLoaded(dataDir, ['export-schedule', '--format=xmltv', '--', id])), ['the XML writer'], 'an XMLTV export loads the XML writer')
  t.same(heavyIn(modulesLoaded(dataDir, ['get-schedule', '--timezone=Europe/Paris', '--from=2025-11-24T08:00:00', '--', id])), ['luxon'], 'a naive time in a zone loads luxon')
})
