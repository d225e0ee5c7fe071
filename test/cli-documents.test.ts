import t from 'tap'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SCHEDULE_EXPORT_FORMATS as EXPORT_FORMATS } from '../contract/formats.js'
import { tempDir } from './helpers.js'
import { runM3upro, testPool } from './workers.js'
import { assertValidXmltv, xmltvValidator } from './xml-check.js'
import { childEnv } from './helpers.js'

// Many real processes (servers, workers, the CLI by hand): more than the default 120 s on a loaded machine.
t.setTimeout(300_000)

// Issue 11 item 1: by hand, `m3upro export-schedule <id> --format xmltv > guide.xml` writes the
// XMLTV document itself, for every export command and format: byte for byte what the API
// serves for the same request (the pool's answer), never the protocol's JSON envelope.

t.teardown(() => xmltvValidator.dispose())

const SCHEDULE = JSON.stringify({
  metadata: { title: 'Campus TV' },
  schedule: [
    { title: 'Morning News', start: '2025-11-24T07:00:00Z', end: '2025-11-24T07:30:00Z', videoUrl: 'https://media.example/news.mp4', category: 'News' },
    { title: 'Café & Crème <Live>', start: '2025-11-24T07:30:00Z', end: '2025-11-24T08:30:00Z', videoUrl: 'https://media.example/cafe.mp4' }
  ]
})
const PLAYLIST = '#EXTM3U url-tvg="https://guide.example/epg.xml"\n#EXTINF:1800 group-title="Films",Film one\nhttps://media.example/1.mp4\n'

t.test('every export by hand writes the document the API serves, to stdout or --output', async (t) => {
  const dir = tempDir(t)
  const dataDir = join(dir, 'data')
  const imported = runM3upro(dataDir, ['import-schedule', '--format=json'], SCHEDULE)
  t.equal(imported.code, 0, imported.stderr)
  const scheduleId = JSON.parse(imported.stdout).result.schedule_id as string
  const playlist = runM3upro(dataDir, ['import-playlist', '--name=Films'], PLAYLIST)
  const playlistId = JSON.parse(playlist.stdout).result.playlist.id as string
  const pool = testPool(t, { env: { ...childEnv, SCHEDULEFLOW_DATA_DIR: dataDir } })

  const requests: string[][] = [
    ...EXPORT_FORMATS.flatMap((format) => [['export-schedule', `--format=${format}`, '--', scheduleId], ['export-schedule', `--format=${format}`, '--all']]),
    ['export-playlist', '--', playlistId]
  ]
  for (const args of requests) {
    const name = args.join(' ')
    const served = await pool.run(args[0], args.slice(1)) as { body: string }
    const byHand = runM3upro(dataDir, args)
    t.equal(byHand.code, 0, `${name}: exit 0`)
    t.equal(byHand.stdout, served.body, `${name}: stdout is the document itself`)
    t.equal(byHand.stderr, '', `${name}: nothing on stderr`)
    const file = join(dir, `out-${requests.indexOf(args)}`)
    t.equal(runM3upro(dataDir, [args[0], `--output=${file}`, ...args.slice(1)]).stdout, '', `${name} --output: nothing on stdout`)
    t.equal(readFileSync(file, 'utf8'), served.body, `${name} --output: the file is the document`)
    if (args.includes('--format=xmltv')) assertValidXmltv(t, byHand.stdout)
    if (args.includes('--format=m3u') || args[0] === 'export-playlist') t.match(byHand.stdout, /^#EXTM3U/, `${name}: an M3U`)
  }
  t.same(readdirSync(dir).filter((f) => f.endsWith('.part')), [], 'no temporary file left behind')
})

t.test('a failed export by hand writes its error on stderr, nothing on stdout, and leaves the --output file alone', async (t) => {
  const dir = tempDir(t)
  const dataDir = join(dir, 'data')
  const id = JSON.parse(runM3upro(dataDir, ['import-schedule', '--format=json'], SCHEDULE).stdout).result.schedule_id as string
  const kept = join(dir, 'guide.xml')
  writeFileSync(kept, 'yesterday\'s guide')
  const failures: Array<[string[], RegExp]> = [
    [['export-schedule', '--format=xmltv', '--', '6f1c2f3e-0000-4000-8000-000000000001'], /NOT_FOUND/],
    [['export-schedule', '--format=pdf', '--', id], /format must be one of/],
    [['export-schedule', '--format=xmltv', '--from=yesterday', '--', id], /from "yesterday"/],
    [['export-schedule', '--format=xmltv'], /give a schedule id, or --all/],
    [['export-playlist', '--', 'not-an-id'], /NOT_FOUND/],
    [['export-playlist'], /give the playlist id/],
    [['export-schedule', '--format=xmltv', '--output', join(dir, 'no-such-dir', 'guide.xml'), '--', id], /cannot write --output .*ENOENT/]
  ]
  for (const [args, why] of failures) {
    for (const output of [[], ['--output', kept]]) {
      const run = runM3upro(dataDir, [args[0], ...(args.includes('--output') ? [] : output), ...args.slice(1)])
      t.equal(run.code, 2, `${args.join(' ')}: exit 2`)
      t.equal(run.stdout, '', `${args.join(' ')}: nothing on stdout`)
      t.match(run.stderr, why, `${args.join(' ')}: stderr says why`)
    }
  }
  t.equal(readFileSync(kept, 'utf8'), 'yesterday\'s guide', 'the --output file of a failed export is untouched')
  t.notOk(existsSync(join(dir, 'no-such-dir')), 'nothing made where the output could not go')
  t.same(readdirSync(dir).filter((f) => f.endsWith('.part')), [], 'no temporary file left behind')
})

t.test('commands that answer no document keep the {ok, result} protocol by hand', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const listed = runM3upro(dataDir, ['list-schedules'])
  t.equal(listed.code, 0)
  t.match(JSON.parse(listed.stdout), { ok: true, result: { schedules: [], count: 0 } })
  const refused = runM3upro(dataDir, ['get-schedule', '--', '6f1c2f3e-0000-4000-8000-000000000001'])
  t.equal(refused.code, 2)
  t.match(JSON.parse(refused.stdout), { ok: false, error: { code: 'NOT_FOUND' } })
})

t.test('the pool may not name a file: --output is refused in a pooled task', async (t) => {
  const pool = testPool(t)
  await t.rejects(pool.run('export-schedule', ['--format=xml', '--all', '--output=/tmp/x.xml']), { code: 'BAD_ARGUMENTS', message: /--output is for runs by hand/ })
})
