import t from 'tap'
import fc from 'fast-check'
import { entryEpisode, MAX_EPISODE, MAX_SEASON, onscreenOf, readEpisode, xmltvNs } from '../../workers/playlist/episode.js'
import { seasonEpisode } from '../../workers/channels/programme-answer.js'

// Season and episode read from titles and file names, and written as XMLTV (SPEC §15).

t.test('the forms a title or file name writes an episode in', async (t) => {
  const cases: Array<[string, number | null, number]> = [
    ['Harbour Lights S02E05', 2, 5],
    ['harbour lights s2e5', 2, 5],
    ['Harbour.Lights.S02E05.1080p.WEB.x264', 2, 5],
    ['Harbour_Lights_S02E05_720p', 2, 5],
    ['Harbour Lights - S02 E05 - The Storm', 2, 5],
    ['Harbour Lights S02.E05', 2, 5],
    ['Harbour Lights S01E01E02', 1, 1],
    ['Harbour Lights 2x05', 2, 5],
    ['Harbour Lights 1x12 (1999)', 1, 12],
    ['Harbour Lights Season 2 Episode 5', 2, 5],
    ['Harbour Lights, Series 2, Episode 5', 2, 5],
    ['Harbour Lights Season 2 - Ep. 5', 2, 5],
    ['Nature Diaries S2019E03', 2019, 3],
    ['Harbour Lights Ep. 5', null, 5],
    ['Harbour Lights Episode 5', null, 5],
    ['Harbour Lights ep5', null, 5],
    ['Harbour Lights 2x05 S03E07', 3, 7] // the explicit form wins
  ]
  for (const [title, season, episode] of cases) t.same(readEpisode(title), { season, episode }, title)
})

t.test('years, resolutions, speeds and codecs are no episode', async (t) => {
  for (const title of ['Blade Runner 2049', 'Film 1080p', '2160p HDR', 'Clip at 2x speed', '1920x1080', 'Old TV 720x576', '4x4 Adventures', 'H.264 x265', 'DD5.1', 'Apollo 13 (1995)', 'Deep 5', 'Pilot', 'Season 2', 'Steps 1 to 10']) {
    t.equal(readEpisode(title), null, title)
  }
})

t.test('an M3U entry: attributes first, then the title, then the file name; a number read is taken out of the attributes', async (t) => {
  t.same(entryEpisode({ 'tvg-season': '2', 'tvg-episode': '05', 'tvg-id': 'x' }, 'Harbour Lights S09E09', 'hl-s08e08'), { season: 2, episode: 5, rest: { 'tvg-id': 'x' } })
  t.same(entryEpisode({ season: '2', episode: '5' }, 'Harbour Lights', 'hl'), { season: 2, episode: 5, rest: {} }, 'plain season and episode')
  t.same(entryEpisode({ 'tvg-episode': 'S02E05' }, 'Harbour Lights', 'hl'), { season: 2, episode: 5, rest: {} }, 'tvg-episode="S02E05"')
  t.same(entryEpisode({ 'tvg-episode': 'Pilot' }, 'Harbour Lights S01E01', 'hl'), { season: 1, episode: 1, rest: { 'tvg-episode': 'Pilot' } }, 'an attribute that is no number stays')
  t.same(entryEpisode({ 'tvg-season': '3' }, 'Harbour Lights Ep. 5', 'hl'), { season: 3, episode: 5, rest: {} }, 'each number from the first that has it')
  t.same(entryEpisode({}, 'Harbour Lights', 'harbour.lights.s02e05'), { season: 2, episode: 5, rest: {} }, 'the file name last')
  t.same(entryEpisode({}, 'Blade Runner 2049', 'blade-runner-2049-1080p'), { season: null, episode: null, rest: {} })
})

t.test('xmltv_ns counts from 0; onscreen is written from it when it has a season and an episode', async (t) => {
  t.equal(xmltvNs(2, 5), '1.4.')
  t.equal(xmltvNs(null, 5), '.4.')
  t.equal(xmltvNs(0, 5), '.4.', 'season 0 (specials) has no zero-based form')
  t.equal(xmltvNs(2, null), null)
  t.equal(onscreenOf('1.4.'), 'S02E05')
  t.equal(onscreenOf('1.4/12.'), 'S02E05')
  t.equal(onscreenOf('.4/12.'), null, 'a playlist position is no season and episode')
  t.equal(onscreenOf(null), null)
  fc.assert(fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999 }), (s, e) => {
    const ns = xmltvNs(s, e)
    return onscreenOf(ns) === `S${String(s).padStart(2, '0')}E${String(e).padStart(2, '0')}` &&
      seasonEpisode(ns).season === s && seasonEpisode(ns).episode === e
  }))
})

// Words a title is made of that name no episode: plain words (not a marker), years, resolutions, speeds, codecs.
const word = fc.oneof(
  fc.stringMatching(/^[A-Za-z]{1,9}$/).filter((w) => !/^(?:s|e|x|ep|episode|season|series)$/i.test(w)),
  fc.integer({ min: 1900, max: 2099 }).map(String),
  fc.constantFrom('1080p', '720p', '2160p', '4K', '1920x1080', '1280x720', 'x264', 'H.264', 'DD5.1', '2x', '10x', 'Blade Runner 2049', '(1999)', '-', '–')
)
const words = fc.array(word, { maxLength: 6 }).map((w) => w.join(' '))

t.test('a title built around a marker reads back its season and episode, whatever words surround it', async (t) => {
  const marker = fc.record({ s: fc.integer({ min: 1, max: 99 }), e: fc.integer({ min: 1, max: 999 }), form: fc.integer({ min: 0, max: 3 }) })
    .map(({ s, e, form }) => {
      const p2 = (n: number): string => String(n).padStart(2, '0')
      const text = [`S${p2(s)}E${p2(e)}`, `s${s}e${e}`, `Season ${s} Episode ${e}`, `${s}x${p2(e)}`][form]
      return { s, e, text }
    })
  fc.assert(fc.property(words, marker, words, fc.constantFrom(' ', '.', '_', ' - '), (before, { s, e, text }, after, sep) => {
    const title = [before, text, after].filter((w) => w !== '').join(sep)
    const read = readEpisode(title)
    return read !== null && read.season === s && read.episode === e
  }), { numRuns: 500 })
  t.pass('held')
})

t.test('titles without a marker name no episode', async (t) => {
  fc.assert(fc.property(words, (title) => readEpisode(title) === null), { numRuns: 500 })
  t.pass('held')
})

t.test('any text reads as no episode, or as one within the bounds whose numbers are written in it', async (t) => {
  const written = (n: number, text: string): boolean => new RegExp(`(?<!\\d)0*${n}(?!\\d)`).test(text)
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom('S', 's', 'E', 'e', 'p', 'x', '0', '1', '2', '9', ' ', '.', '-', 'a'), maxLength: 30 }), (text) => {
    const read = readEpisode(text)
    if (read === null) return true
    return read.episode !== null && read.episode <= MAX_EPISODE && written(read.episode, text) &&
      (read.season === null || (read.season <= MAX_SEASON && written(read.season, text)))
  }), { numRuns: 1000 })
  t.pass('held')
})
