import t from 'tap'
import fc from 'fast-check'
import { describeFile, type Description } from '../../workers/media/describe.js'
import { readName } from '../../workers/media/names.js'
import { readNfo } from '../../workers/media/nfo.js'
import type { Probe } from '../../workers/media/probe.js'
import { readEpisode } from '../../workers/playlist/episode.js'

// What a media file is (SPEC §16): its path, its container tags and its .nfo sidecars, each
// field from the first that gives it (.nfo > tags > name).

const probeWith = (tags: Record<string, string> = {}): Probe => ({ durationMs: 1000, container: 'matroska,webm', video: 'h264 64x36', audio: 'aac', chapters: [], tags, problem: null })
const noSidecars = async (): Promise<string | null> => null
const sidecars = (files: Record<string, string>) => async (relative: string): Promise<string | null> => files[relative] ?? null
const fields = (d: Description): Omit<Description, 'notes'> => ({ title: d.title, show: d.show, season: d.season, episode: d.episode, year: d.year, description: d.description, category: d.category })

t.test('file names and folders', async (t) => {
  const cases: Array<[string, Partial<Description>]> = [
    ['Show/Season 02/Show - S02E05 - Title.mkv', { show: 'Show', season: 2, episode: 5, title: 'Title' }],
    ['Show 1x05.mkv', { show: 'Show', season: 1, episode: 5 }],
    ['Harbour Lights Season 2 Episode 5.mkv', { show: 'Harbour Lights', season: 2, episode: 5 }],
    ['Harbour Lights/S01E02.mkv', { show: 'Harbour Lights', season: 1, episode: 2, title: 'S01E02' }],
    ['Harbour Lights (2019)/Season 1/harbour.lights.s01e03.the.storm.1080p.WEB.x264.mkv', { show: 'Harbour Lights', season: 1, episode: 3, title: 'the storm', year: null }],
    ['Harbour Lights/Specials/Harbour Lights - Ep. 3.mkv', { show: 'Harbour Lights', season: 0, episode: 3 }],
    ['Kids/Other Show S01E01 - Pilot.mkv', { show: 'Other Show', season: 1, episode: 1, title: 'Pilot' }],
    ['Films/Blade Runner (1982).mkv', { title: 'Blade Runner', year: 1982, show: null, season: null, episode: null }],
    ['Blade Runner 2049 (2017).mp4', { title: 'Blade Runner 2049', year: 2017 }],
    ['Blade Runner 2049.mp4', { title: 'Blade Runner 2049', year: null, season: null, episode: null }],
    ['Clips/My holiday 1080p.mkv', { title: 'My holiday 1080p', show: null }],
    ['Сериал/Сезон 1/Сериал - S01E02 - Пилот.mkv', { show: 'Сериал', season: 1, episode: 2, title: 'Пилот' }],
    ['日本のドラマ/日本のドラマ 第1話 S01E07.mkv', { show: '日本のドラマ', season: 1, episode: 7 }],
    ['  Spaced   Out  /  Spaced   Out - S03E01 -  Big   Gap .mkv', { show: 'Spaced Out', season: 3, episode: 1, title: 'Big Gap' }]
  ]
  for (const [path, expected] of cases) {
    const d = await describeFile(path, probeWith(), noSidecars)
    t.match(fields(d), expected, path)
    t.equal(d.notes, undefined, `${path}: nothing ignored`)
  }
})

t.test('container tags fill in and outrank the name', async (t) => {
  const d = await describeFile('Show/Season 02/Show - S02E05 - Title.mkv', probeWith({
    title: 'The Storm', show: 'Harbour Lights', season_number: '3', episode_sort: '7', date: '2019-05-01', genre: 'Drama / Crime', description: 'A storm comes.'
  }), noSidecars)
  t.same(fields(d), { title: 'The Storm', show: 'Harbour Lights', season: 3, episode: 7, year: 2019, description: 'A storm comes.', category: 'Drama' })
  const byId = await describeFile('clip.mp4', probeWith({ episode_id: 'S04E09', synopsis: 'Short.' }), noSidecars)
  t.match(fields(byId), { title: 'clip', season: 4, episode: 9, description: 'Short.' }, 'episode_id as a marker; synopsis as the description')
  const film = await describeFile('Blade Runner (1982).mkv', probeWith({ comment: 'Director\'s cut', year: '1992' }), noSidecars)
  t.match(fields(film), { title: 'Blade Runner', year: 1992, description: 'Director\'s cut' })
})

t.test('an .nfo outranks tags and name; tvshow.nfo names the show and genre; movie.nfo a film', async (t) => {
  const files = {
    'Show/Season 02/Show - S02E05 - Title.nfo': `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<episodedetails>
  <title>Storm &amp; Calm</title>
  <season>2</season>
  <episode>6</episode>
  <plot>The harbour floods.</plot>
  <aired>2020-03-04</aired>
</episodedetails>
https://www.thetvdb.com/?tab=episode&amp;id=1`,
    'Show/tvshow.nfo': '<tvshow><title>Harbour Lights</title><genre>Drama</genre><genre>Crime</genre><plot>The show.</plot></tvshow>',
    'Films/movie.nfo': '<movie><title>Blade Runner: The Final Cut</title><year>2007</year><plot>Replicants.</plot><genre>Science Fiction</genre></movie>'
  }
  const tags = { title: 'tagged', show: 'Tagged Show', season_number: '9', episode_sort: '9', genre: 'Comedy', description: 'tagged plot', date: '1999' }
  const episode = await describeFile('Show/Season 02/Show - S02E05 - Title.mkv', probeWith(tags), sidecars(files))
  t.same(fields(episode), { title: 'Storm & Calm', show: 'Harbour Lights', season: 2, episode: 6, year: 2020, description: 'The harbour floods.', category: 'Drama' })
  const film = await describeFile('Films/Blade Runner (1982).mkv', probeWith(), sidecars(files))
  t.same(fields(film), { title: 'Blade Runner: The Final Cut', show: null, season: null, episode: null, year: 2007, description: 'Replicants.', category: 'Science Fiction' })
  const other = await describeFile('Show/Season 02/Show - S02E06.mkv', probeWith(), sidecars(files))
  t.match(fields(other), { show: 'Harbour Lights', season: 2, episode: 6, category: 'Drama', description: null }, 'the show\'s plot is not an episode\'s')
})

t.test('a malformed or foreign .nfo is ignored, and said', async (t) => {
  for (const text of ['<episodedetails><title>Broken</titl></episodedetails>', '<movie><title>x</title>', 'https://www.imdb.com/title/tt0083658/', '']) {
    const d = await describeFile('Show/Season 02/Show - S02E05 - Title.mkv', probeWith({ genre: 'Drama' }), sidecars({ 'Show/Season 02/Show - S02E05 - Title.nfo': text }))
    t.same(fields(d), { title: 'Title', show: 'Show', season: 2, episode: 5, year: null, description: null, category: 'Drama' }, JSON.stringify(text))
    t.equal(d.notes?.length, 1, 'one note')
    t.match(d.notes?.[0], /^Show\/Season 02\/Show - S02E05 - Title\.nfo: .+, ignored$/)
  }
  const failing = await describeFile('a.mkv', probeWith(), async () => { throw new Error('EACCES') })
  t.match(failing.notes, [/a\.nfo: unreadable \(EACCES\), ignored/])
  t.match(readNfo('<movie><title>1984</title><year>-1</year></movie>'), { facts: { title: '1984', year: null } }, 'a title of digits stays text; Kodi\'s -1 is no year')
})

t.test('any file name: never throws; a season or episode only when the name has a marker', async () => {
  const piece = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.constantFrom('S02E05', '1x05', 'Season 2', 'Episode 5', 'Ep. 3', '(1982)', '[2001]', '1080p', '.', ' - ', '_', 'x264', 'Specials', 'Season 02')
  )
  const segment = fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join('').replace(/\//g, ''))
  // A file has a name (a scan never hands an empty one: CI's fuzz drew "S02E05/", a folder's episode marker and no file).
  const fileName = fc.tuple(segment, fc.constantFrom('.mkv', '.mp4', '', '.m4a')).map(([file, ext]) => file + ext).filter((name) => name !== '')
  const path = fc.tuple(fc.array(segment, { maxLength: 3 }), fileName).map(([dirs, file]) => [...dirs, file].join('/'))
  await fc.assert(fc.asyncProperty(path, async (p) => {
    const d = await describeFile(p, probeWith(), noSidecars)
    const file = p.split('/').at(-1)!
    const name = readName(p)
    if (typeof d.title !== 'string') throw new Error('no title')
    const marked = readEpisode(file.replace(/[._]+/g, ' ')) !== null || readEpisode(file) !== null
    if (!marked && (d.episode !== null || d.season !== null)) throw new Error(`${p}: numbers without a marker`)
    if (d.episode !== name.episode) throw new Error('describe and readName disagree')
  }), { numRuns: 300 })
})
