import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cliEntry, projectRoot } from '../workers/project.js'
import { tempDir } from './helpers.js'
import { testDatabaseEnv } from './test-database.js'
import { assertValidXmltv, xmltvValidator } from './xml-check.js'
import { childEnv } from './helpers.js'

// Issue 11 item 1: every shell example in README.md that runs m3upro runs as written, in a
// fresh data dir with real files, and writes what it says (an XMLTV guide that the DTD
// accepts, M3U playlists). `npx m3upro` is the compiled CLI of this checkout.

t.teardown(() => xmltvValidator.dispose())

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /\bm3upro\b/.test(b))

/** The files the examples name, as a station would have them. */
const FILES: Record<string, string> = {
  'week.xml': `<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <metadata><title>Campus week</title></metadata>
  <events>
    <event><title>Morning News</title><start>2025-11-24T07:00:00</start><end>2025-11-24T07:30:00</end><videoUrl>https://media.example/news.mp4</videoUrl><category>News</category></event>
    <event><title>Café &amp; Crème</title><start>2025-11-24T07:30:00</start><end>2025-11-24T08:30:00</end><videoUrl>https://media.example/cafe.mp4</videoUrl></event>
  </events>
</schedule>
`,
  'channel.m3u': '#EXTM3U\n#EXTINF:1800 group-title="Films",Film one\nhttps://media.example/1.mp4\n#EXTINF:2400 group-title="Films",Film two\nhttps://media.example/2.mp4\n',
  'request.json': JSON.stringify({ links: [{ url: 'https://media.example/1.mp4', duration: 1800 }, { url: 'https://media.example/2.mp4', duration: 2400 }], start_time: '2025-12-01T06:00:00', timezone: 'Europe/London', duration_hours: 24 })
}

// `npx m3upro …` runs this checkout's CLI; any other npx call fails the example.
const PRELUDE = `set -euo pipefail
npx () { if [ "$1" = m3upro ]; then shift; node "$M3UPRO" "$@"; else echo "unexpected: npx $*" >&2; return 127; fi; }
`

t.test('the README has CLI examples to run', async (t) => {
  t.ok(blocks.length >= 3, `${blocks.length} sh blocks use m3upro`)
  t.ok(blocks.some((b) => /export-schedule .*--format xmltv > guide\.xml/.test(b)), 'the XMLTV guide example is among them')
})

t.test('every README shell block that uses m3upro runs, and writes real documents', async (t) => {
  const dir = tempDir(t)
  const database = await testDatabaseEnv(t)
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text)
  for (const block of blocks) {
    const run = spawnSync('bash', ['-c', PRELUDE + block], {
      cwd: dir,
      env: { ...childEnv, M3UPRO: cliEntry, SCHEDULEFLOW_DATA_DIR: join(dir, 'data'), ...database },
      encoding: 'utf8'
    })
    t.equal(run.status, 0, `runs: ${block.split('\n')[0]}…`, run.status === 0 ? {} : { block, stderr: run.stderr })
  }
  assertValidXmltv(t, readFileSync(join(dir, 'guide.xml'), 'utf8'))
  t.match(readFileSync(join(dir, 'guide.xml'), 'utf8'), /<title>Café &amp; Crème<\/title>/, 'guide.xml holds the imported week')
  for (const playlist of ['all.m3u', 'back.m3u']) t.match(readFileSync(join(dir, playlist), 'utf8'), /^#EXTM3U\n#EXTINF:/, `${playlist} is an M3U playlist`)
})
