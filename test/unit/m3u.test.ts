import t from 'tap'
import fc from 'fast-check'
import { parseM3u, writeM3u } from '../../workers/playlist/m3u.js'
import type { PlaylistItem } from '../../workers/playlist/model.js'
import { readEpisode } from '../../workers/playlist/episode.js'

const messy = '\uFEFF#EXTM3U url-tvg="http://epg.example/guide.xml" x-tvg-url="a,b"\r\n' +
  '\r\n' +
  '#EXTINF:-1 tvg-id="news.uk" tvg-name="News, Live" tvg-logo="http://logo.example/n.png" group-title="News",BBC News, the "live" one\r\n' +
  '#EXTVLCOPT:http-user-agent=Mozilla/5.0\r\n' +
  'http://stream.example/news.m3u8\r\n' +
  '# a plain comment\r\n' +
  '#EXTINF:1800.5 catchup="default" catchup-days=7 tvg-name=\'Say "Hi"\',Film: Part 1, 2\r\n' +
  '#EXTGRP:Films\r\n' +
  'videos/film%20one.mp4\r\n' +
  '\r\n' +
  'http://cdn.example/path/raw-entry.mp4?token=x\r\n' +
  '#EXTINF:0,Zero\r\n' +
  '../up/zero.ts\r\n' +
  '#EXTINF:60,Dangling title with no URL\r\n'

t.test('reads a real-world playlist: BOM, CRLF, attributes with commas and quotes, directives, relative URLs', async (t) => {
  const { attributes, items, warnings } = parseM3u(messy)
  t.same(attributes, { 'url-tvg': 'http://epg.example/guide.xml', 'x-tvg-url': 'a,b' })
  t.equal(items.length, 4)
  t.same(items[0], {
    title: 'BBC News, the "live" one',
    url: 'http://stream.example/news.m3u8',
    duration: null,
    group: 'News',
    tvg: { 'tvg-id': 'news.uk', 'tvg-name': 'News, Live', 'tvg-logo': 'http://logo.example/n.png' },
    directives: ['#EXTVLCOPT:http-user-agent=Mozilla/5.0'],
    season: null,
    episode: null
  })
  t.same(items[1], {
    title: 'Film: Part 1, 2',
    url: 'videos/film%20one.mp4',
    duration: 1800.5,
    group: 'Films',
    tvg: { catchup: 'default', 'catchup-days': '7', 'tvg-name': 'Say "Hi"' },
    directives: ['#EXTGRP:Films'],
    season: null,
    episode: null
  })
  t.match(items[2], { title: 'raw-entry', url: 'http://cdn.example/path/raw-entry.mp4?token=x', duration: null, group: null }, 'an entry without #EXTINF')
  t.match(items[3], { title: 'Zero', url: '../up/zero.ts', duration: null }, 'zero is an unknown duration')
  t.match(warnings, [/line 14: #EXTINF with no URL/])
})

t.test('without #EXTM3U, with LF or lone CR line ends', async (t) => {
  t.equal(parseM3u('#EXTINF:10,A\nhttp://x/a\n#EXTINF:20,B\nhttp://x/b').items.length, 2)
  t.same(parseM3u('#EXTINF:10,A\rhttp://x/a\r').items.map((i) => i.title), ['A'])
  t.same(parseM3u('').items, [])
})

t.test('the writer round-trips what the reader reads', async (t) => {
  const once = parseM3u(messy)
  const twice = parseM3u(writeM3u(once))
  t.same(twice.items, once.items)
  t.same(twice.attributes, once.attributes)
})

t.test('season and episode: from the attributes, else the title, else the file name; written back as tvg-season and tvg-episode', async (t) => {
  const { items } = parseM3u([
    '#EXTM3U',
    '#EXTINF:1500 tvg-id="hl" tvg-season="2" tvg-episode="5",Harbour Lights: The Storm',
    'https://cdn.example/hl/storm.mp4',
    '#EXTINF:1500 tvg-episode="S02E06",Harbour Lights: The Calm',
    'https://cdn.example/hl/calm.mp4',
    '#EXTINF:1500,Harbour Lights S02E07',
    'https://cdn.example/hl/7.mp4',
    '#EXTINF:1500,Harbour Lights 2x08',
    'https://cdn.example/hl/8.mp4',
    '#EXTINF:1500,Harbour Lights: Season 2 Episode 9',
    'https://cdn.example/hl/9.mp4',
    '#EXTINF:1500,Harbour Lights: The Finale',
    'https://cdn.example/hl/Harbour.Lights.S02E10.1080p.mkv',
    '#EXTINF:6000,Blade Runner 2049 (1080p)',
    'https://cdn.example/films/blade-runner-2049-1920x1080.mp4'
  ].join('\n'))
  t.same(items.map((i) => [i.season, i.episode]), [[2, 5], [2, 6], [2, 7], [2, 8], [2, 9], [2, 10], [null, null]])
  t.same(items[0].tvg, { 'tvg-id': 'hl' }, 'the numbers read are taken out of the attributes, as group-title is')
  const written = writeM3u({ attributes: {}, items })
  t.match(written, '#EXTINF:1500 tvg-id="hl" tvg-season="2" tvg-episode="5",Harbour Lights: The Storm')
  t.match(written, '#EXTINF:1500 tvg-season="2" tvg-episode="7",Harbour Lights S02E07')
  t.match(written, '#EXTINF:6000,Blade Runner 2049 (1080p)')
  t.same(parseM3u(written).items, items, 'the export imports back the same items')
})

const text = fc.string({ unit: fc.constantFrom('a', 'B', ' ', ',', '"', "'", '=', 'é', '-', '1', '/'), maxLength: 20 })
const itemArbitrary: fc.Arbitrary<PlaylistItem> = fc.record({
  title: text.filter((s) => s.trim() === s && s !== ''),
  // A file name that names an episode would give a null season or episode one on the way back.
  url: fc.webUrl().filter((url) => {
    const name = url.split(/[?#]/)[0].split('/').pop() ?? ''
    let decoded = name
    try { decoded = decodeURIComponent(name) } catch { /* as written */ }
    return readEpisode(name) === null && readEpisode(decoded) === null
  }),
  duration: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
  group: fc.option(text.filter((s) => s.trim() === s && s !== '' && !(s.includes('"') && s.includes("'"))), { nil: null }),
  tvg: fc.dictionary(fc.constantFrom('tvg-id', 'tvg-name', 'tvg-logo', 'x-custom'), text.filter((s) => !(s.includes('"') && s.includes("'")))),
  directives: fc.constant([]),
  // Titles of these letters never read as an episode (SxxEyy): the numbers travel as tvg-season and tvg-episode.
  season: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
  episode: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null })
})

t.test('round trip over random items', async (t) => {
  fc.assert(fc.property(fc.array(itemArbitrary, { maxLength: 20 }), (items) => {
    const back = parseM3u(writeM3u({ attributes: {}, items })).items
    t.same(back, items)
    return true
  }), { numRuns: 200 })
})
