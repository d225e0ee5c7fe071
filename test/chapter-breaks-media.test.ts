import t from 'tap'
import { join } from 'node:path'
import { probe } from '../workers/media/probe.js'
import { buildChannel } from '../workers/channels/build.js'
import type { SourceItem } from '../workers/channels/types.js'
import { buildInput } from './unit/build-input.js'
import { makeClip } from './media-fixtures.js'
import { tempDir } from './helpers.js'

// Chapter breaks from real media (SPEC §15/§16, issue 26 item 7): a clip made by ffmpeg with
// chapter marks, probed by the npm ffprobe, aired by a block with breaks at "chapters". The
// marks the probe reads are where the build breaks the programme; a mark too close to the start
// is skipped. The builder runs in process (a library collection's source is another part's).

t.test('a clip with chapters at 20, 65 and 130 s: a block breaking at chapters every minute breaks it at 65 and 130 s', async (t) => {
  const path = await makeClip(join(tempDir(t), 'Feature (2001).mkv'), 150, { chapters: [20, 65, 130] })
  const probed = await probe(path)
  t.equal(probed.problem, null, 'the clip probes')
  t.same(probed.chapters, [20_000, 65_000, 130_000], 'ffprobe reads its chapter marks (ms, after the first chapter)')
  const feature: SourceItem = { url: path, title: 'Feature', duration: probed.durationMs! / 1000, category: 'Films', chapters: probed.chapters }
  const idents: SourceItem[] = [4, 5].map((seconds, i) => ({ url: `https://cdn.example/ident${i}.mp4`, title: `Ident ${i + 1}`, duration: seconds, category: null }))
  const { events } = buildChannel(buildInput({
    channel: { id: 'ch', timezone: 'UTC', default_filler: null },
    template: {
      cooldown_hours: 0,
      blocks: [{
        id: 'films',
        days: ['mon'],
        start: '20:00',
        end: '20:05',
        source: { playlist: 'films' },
        fill: 'gap',
        breaks: { every_minutes: 1, max_seconds: 5, min_gap_minutes: 0, filler: 'idents', at: 'chapters' }
      }]
    },
    overrides: [],
    from: '2026-05-04',
    to: '2026-05-04',
    seed: 's',
    sources: new Map([['playlist:films', [feature]], ['playlist:idents', idents]])
  }))
  const parts = events.filter((e) => e.title === 'Feature')
  t.same(parts.map((e) => e.in_ms), [0, 65_000, 130_000], 'parts start at 0, 65 and 130 s (20 s is under a minute into it)')
  t.equal(parts.reduce((sum, e) => sum + e.end - e.start, 0), probed.durationMs, 'the parts make the probed length')
  parts.slice(1).forEach((part, i) => {
    const before = events.filter((e) => e.origin.kind === 'break' && e.end === part.start)
    t.equal(before.length, 1, `a break before part ${i + 2}`)
    t.match(before[0].reason, /at a chapter mark$/, 'said to be at a chapter mark')
  })
})
