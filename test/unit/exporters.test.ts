import t, { type Test } from 'tap'
import fc from 'fast-check'
import type { StoredEvent } from '../../workers/schedule/model.js'
import { exportSchedules, type ExportSchedule } from '../../workers/schedule/export/index.js'
import { SCHEDULE_EXPORT_FORMATS as EXPORT_FORMATS, type ScheduleExportFormat as ExportFormat } from '../../contract/formats.js'
import { CommandError } from '../../contract/command-error.js'
import { slug } from '../../workers/schedule/export/naming.js'
import { channelAsSchedule } from '../../workers/schedule/export/channel.js'
import type { StoredChannelEvent } from '../../workers/storage/channels.js'
import type { Channel } from '../../contract/api.js'
import { MAX_INSTANT_MS, MIN_INSTANT_MS, formatXmltvTime } from '../../workers/schedule/time.js'
import { assertValidXmltv, assertWellFormed, dtdErrors, parse, withDocument, xmltvValidator } from '../xml-check.js'

t.teardown(() => xmltvValidator.dispose())

const MIN = 60_000
const HOUR = 60 * MIN
const at = (isoText: string): number => Date.parse(isoText)

let eventCounter = 0
function event (title: string, start: string, minutes: number, extra: Partial<StoredEvent> = {}): StoredEvent {
  const s = at(start)
  return {
    id: `ev-${++eventCounter}`,
    title,
    start: s,
    end: s + minutes * MIN,
    video_url: `https://media.example/${eventCounter}.mp4`,
    category: null,
    description: null,
    tags: [],
    channel: null,
    ...extra
  }
}

function schedule (name: string, events: StoredEvent[], extra: Partial<ExportSchedule> = {}): ExportSchedule {
  // channel_id as the store sets it from the name (schedules.ts)
  return { id: `sched-${name.length}-${events.length}`, name, source: 'json', created: '2025-11-20T09:00:00.000Z', channel_id: `${slug(name)}.scheduleflow`, channels: [], events, ...extra }
}

/** A schedule with what breaks naive writers: markup characters, quotes, accents, Japanese, a control character. */
const tricky = schedule('Café & Crème <Live>', [
  event('Café & Crème <Live>', '2025-11-24T06:00:00Z', 30, { category: 'News & "Weather"', description: 'First line\nsecond <b>bold</b> & \'quoted\'', tags: ['live', 'R&D'] }),
  event('ニュース 7時', '2025-11-24T06:30:00Z', 30, { category: 'ニュース' }),
  event('Bell\u0007 ringer', '2025-11-24T07:00:00Z', 30)
], { id: '6f1c2f3e-0000-4000-8000-000000000001' })

/** An XMLTV-imported schedule: two channels, an event crossing midnight, one event with no channel. */
const twoChannels = schedule('Two Channels', [
  event('Late Movie', '2025-11-24T23:00:00Z', 120, { channel: 'one.example.tv' }),
  event('Night News', '2025-11-24T23:30:00Z', 60, { channel: 'two.example.tv', description: 'Overnight' }),
  event('Test card', '2025-11-25T02:00:00Z', 60)
], { source: 'xmltv', channels: [{ id: 'one.example.tv', display_name: 'One & Only' }, { id: 'two.example.tv', display_name: 'Zwei "2"' }] })

/** The values of XPath expressions, read by libxml2: what any XML reader gets back. Numbers (counts) come back as their text. */
function readXml<K extends string> (t: Test, body: string, expressions: Record<K, string>): Record<K, string> {
  const names = Object.keys(expressions) as K[]
  const values = withDocument(t, body, (doc) => names.map((n) => String(doc.eval(expressions[n])))) ?? []
  return Object.fromEntries(names.map((n, i) => [n, values[i]])) as Record<K, string>
}

function throwsBadRequest (t: Test, fn: () => unknown, message: RegExp): void {
  try {
    fn()
    t.fail(`expected a BAD_REQUEST matching ${message}`)
  } catch (err) {
    t.ok(err instanceof CommandError, 'a CommandError')
    t.match(err, { code: 'BAD_REQUEST', message })
  }
}

t.test('every format answers its content type and a file name from the schedule name', async (t) => {
  t.same([...EXPORT_FORMATS].sort(), ['casparcg', 'ffplayout', 'json', 'm3u', 'xml', 'xmltv'])
  const expected: Record<ExportFormat, [string, string]> = {
    xml: ['application/xml; charset=utf-8', 'cafe-creme-live.xml'],
    json: ['application/json; charset=utf-8', 'cafe-creme-live.json'],
    m3u: ['audio/x-mpegurl; charset=utf-8', 'cafe-creme-live.m3u'],
    xmltv: ['application/xml; charset=utf-8', 'cafe-creme-live.xmltv.xml'],
    ffplayout: ['application/json; charset=utf-8', '2025-11-24.json'],
    casparcg: ['application/xml; charset=utf-8', 'cafe-creme-live.casparcg.xml']
  }
  for (const format of EXPORT_FORMATS) {
    const doc = exportSchedules(format, [tricky])
    t.same([doc.content_type, doc.filename], expected[format], format)
    t.ok(doc.body.length > 0, `${format} has a body`)
  }
})

t.test('file names: all schedules, long names, names with no ASCII letters', async (t) => {
  const other = schedule('Other', [event('A', '2025-11-24T06:00:00Z', 10)])
  t.equal(exportSchedules('xml', [tricky, other]).filename, 'schedules-all.xml')
  t.equal(exportSchedules('xmltv', [tricky, other]).filename, 'schedules-all.xmltv.xml')
  t.equal(exportSchedules('casparcg', [tricky, other]).filename, 'schedules-all.casparcg.xml')
  t.equal(exportSchedules('json', [schedule('ニュース', [])]).filename, 'schedule.json')
  const long = exportSchedules('m3u', [schedule('A'.repeat(59) + ' B Very Long Name', [])]).filename
  t.equal(long, 'a'.repeat(59) + '.m3u', 'at most 60 characters, no dangling dash')
  t.equal(exportSchedules('m3u', [schedule('  Morning -- Show!! ', [])]).filename, 'morning-show.m3u')
})

t.test('an unknown format is a bad request', async (t) => {
  throwsBadRequest(t, () => exportSchedules('pdf' as ExportFormat, [tricky]), /unknown export format "pdf".*xmltv/)
})

t.test('the checks below catch an element the DTD does not declare, and a document that is not XML', async (t) => {
  const { body } = exportSchedules('xmltv', [tricky])
  t.match(dtdErrors(t, body.replace('<title>', '<sparkle/><title>')), /sparkle/, 'the DTD check names what is wrong')
  t.match(parse('<tv><programme></tv>'), /mismatch/i, 'the parse check names what is wrong')
})

t.test('xmltv validates against the DTD with markup characters, quotes and Japanese', async (t) => {
  const { body } = exportSchedules('xmltv', [tricky])
  assertValidXmltv(t, body)
  t.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE tv SYSTEM "xmltv.dtd">\n<tv generator-info-name="ScheduleFlow">/)
  t.match(body, '<title>Café &amp; Crème &lt;Live&gt;</title>')
  t.match(body, '<title>ニュース 7時</title>')
  t.match(body, '<title>Bell ringer</title>', 'the control character is dropped')
  t.match(body, '<category>News &amp; &quot;Weather&quot;</category>')
  t.match(body, '<keyword>R&amp;D</keyword>', 'tags become keywords')
  t.match(body, '<channel id="cafe-creme-live.scheduleflow">\n    <display-name>Café &amp; Crème &lt;Live&gt;</display-name>')
  t.equal(body.match(/<programme /g)?.length, 3)
  t.match(body, '<programme start="20251124060000 +0000" stop="20251124063000 +0000" channel="cafe-creme-live.scheduleflow">')
})

t.test('xmltv keeps XMLTV channel ids, names them, and lists every channel before any programme', async (t) => {
  const { body } = exportSchedules('xmltv', [twoChannels])
  assertValidXmltv(t, body)
  t.match(body, '<channel id="one.example.tv">\n    <display-name>One &amp; Only</display-name>')
  t.match(body, '<channel id="two.example.tv">\n    <display-name>Zwei &quot;2&quot;</display-name>')
  t.match(body, '<channel id="two-channels.scheduleflow">\n    <display-name>Two Channels</display-name>')
  t.ok(body.lastIndexOf('<channel ') < body.indexOf('<programme '), 'channels come first')
  t.match(body, '<programme start="20251124230000 +0000" stop="20251125010000 +0000" channel="one.example.tv">', 'crosses midnight')
  t.match(body, '<programme start="20251125020000 +0000" stop="20251125030000 +0000" channel="two-channels.scheduleflow">')
  const declared = [...body.matchAll(/<channel id="([^"]+)"/g)].map((m) => m[1])
  const used = new Set([...body.matchAll(/<programme [^>]*channel="([^"]+)"/g)].map((m) => m[1]))
  t.same([...used].filter((id) => !declared.includes(id)), [], 'every programme names a declared channel')
  t.match(body, /<title>Night News<\/title>\n {4}<desc>Overnight<\/desc>/, 'title before desc, as the DTD orders them')
})

t.test('xmltv of all schedules: one channel per schedule even when two share a name', async (t) => {
  // The store gives the second one `campus-tv-2.scheduleflow` (test/channel-ids.test.ts).
  const a = schedule('Campus TV', [event('Lecture', '2025-11-24T08:00:00Z', 60)], { id: 'a' })
  const b = schedule('Campus TV', [event('Sports', '2025-11-24T08:00:00Z', 60)], { id: 'b', channel_id: 'campus-tv-2.scheduleflow' })
  const { body } = exportSchedules('xmltv', [a, b, twoChannels])
  assertValidXmltv(t, body)
  t.match(body, 'channel="campus-tv.scheduleflow"')
  t.match(body, 'channel="campus-tv-2.scheduleflow"')
  t.equal(body.match(/<channel id=/g)?.length, 5)
  t.equal(body.match(/<programme /g)?.length, 5)
})

t.test('native xml is well-formed and reads back to the same values', async (t) => {
  const { body } = exportSchedules('xml', [tricky])
  assertWellFormed(t, body)
  t.same(readXml(t, body, {
    title: 'string(/schedule/metadata/title)',
    id: 'string(/schedule/metadata/id)',
    eventCount: 'string(/schedule/metadata/event_count)',
    description: 'string(/schedule/events/event[1]/description)',
    category: 'string(/schedule/events/event[1]/category)',
    start: 'string(/schedule/events/event[1]/start)',
    end: 'string(/schedule/events/event[1]/end)',
    duration: 'string(/schedule/events/event[1]/duration)',
    videoUrl: 'string(/schedule/events/event[1]/videoUrl)',
    tags: 'count(/schedule/events/event[1]/tags/tag)',
    secondTag: 'string(/schedule/events/event[1]/tags/tag[2])',
    japanese: 'string(/schedule/events/event[2]/title)',
    control: 'string(/schedule/events/event[3]/title)',
    nullDescription: 'count(/schedule/events/event[2]/description)',
    noTags: 'count(/schedule/events/event[2]/tags)'
  }), {
    title: 'Café & Crème <Live>',
    id: tricky.id,
    eventCount: '3',
    description: 'First line\nsecond <b>bold</b> & \'quoted\'',
    category: 'News & "Weather"',
    start: '2025-11-24T06:00:00.000Z',
    end: '2025-11-24T06:30:00.000Z',
    duration: '1800',
    videoUrl: tricky.events[0].video_url,
    tags: '2',
    secondTag: 'R&D',
    japanese: 'ニュース 7時',
    control: 'Bell ringer',
    nullDescription: '0', // null fields are left out
    noTags: '0'
  })
})

t.test('native xml keeps a channel and a CR, and wraps several schedules in <schedules>', async (t) => {
  const crlf = schedule('CRLF', [event('Show', '2025-11-24T06:00:00Z', 30, { description: 'a\r\nb', channel: 'one.example.tv' })])
  const single = exportSchedules('xml', [crlf]).body
  t.same(readXml(t, single, { description: 'string(//event/description)', channel: 'string(//event/channel)' }),
    { description: 'a\r\nb', channel: 'one.example.tv' })
  const all = exportSchedules('xml', [tricky, crlf]).body
  assertWellFormed(t, all)
  t.same(readXml(t, all, {
    schedules: 'count(/schedules/schedule)',
    secondTitle: 'string(/schedules/schedule[2]/metadata/title)',
    events: 'count(/schedules/schedule/events/event)'
  }), { schedules: '2', secondTitle: 'CRLF', events: '4' })
})

t.test('json parses and carries the field names the importer reads', async (t) => {
  const doc = JSON.parse(exportSchedules('json', [tricky]).body)
  t.same(doc.metadata, { title: 'Café & Crème <Live>', id: tricky.id, source: 'json', created: '2025-11-20T09:00:00.000Z', event_count: 3 })
  t.equal(doc.schedule.length, 3)
  t.same(doc.schedule[0], {
    title: 'Café & Crème <Live>',
    start: '2025-11-24T06:00:00.000Z',
    end: '2025-11-24T06:30:00.000Z',
    duration: 1800,
    videoUrl: tricky.events[0].video_url,
    category: 'News & "Weather"',
    description: 'First line\nsecond <b>bold</b> & \'quoted\'',
    tags: ['live', 'R&D'],
    channel: null
  })
  t.same(Object.keys(doc.schedule[1]), ['title', 'start', 'end', 'duration', 'videoUrl', 'category', 'description', 'tags', 'channel'])
  t.equal(doc.schedule[1].description, null)
  const all = JSON.parse(exportSchedules('json', [tricky, twoChannels]).body)
  t.same(all.schedules.map((s: { metadata: { title: string } }) => s.metadata.title), ['Café & Crème <Live>', 'Two Channels'])
  t.equal(all.schedules[1].schedule[0].channel, 'one.example.tv')
})

t.test('m3u: one entry per event, in air order, with its duration, channel and category', async (t) => {
  const body = exportSchedules('m3u', [twoChannels]).body
  const lines = body.trimEnd().split('\n')
  t.equal(lines[0], '#EXTM3U')
  t.same(lines.slice(1), [
    '#EXTINF:7200 tvg-id="one.example.tv" tvg-name="Late Movie",Late Movie',
    twoChannels.events[0].video_url,
    '#EXTINF:3600 tvg-id="two.example.tv" tvg-name="Night News",Night News',
    twoChannels.events[1].video_url,
    `#EXTINF:3600 tvg-id="${twoChannels.channel_id}" tvg-name="Test card",Test card`,
    twoChannels.events[2].video_url
  ])
})

t.test('m3u: quotes in attributes, line breaks, and events without a URL', async (t) => {
  const s = schedule('Quotes', [
    event('Say "hi",\nthen go', '2025-11-24T06:00:00Z', 15, { category: 'Kids "TV"' }),
    event('No file yet', '2025-11-24T06:15:00Z', 15, { video_url: null }),
    event('Last', '2025-11-24T06:30:00Z', 45)
  ])
  const lines = exportSchedules('m3u', [s]).body.trimEnd().split('\n')
  t.equal(lines[1], `#EXTINF:900 tvg-id="${s.channel_id}" tvg-name="Say 'hi', then go" group-title="Kids 'TV'",Say "hi", then go`)
  t.equal(lines[3], '# no video URL, not playable: No file yet at 2025-11-24T06:15:00.000Z')
  t.equal(lines[4], `#EXTINF:2700 tvg-id="${s.channel_id}" tvg-name="Last",Last`)
  t.equal(lines.filter((l) => l.startsWith('#EXTINF:')).length, 2, 'only playable entries')
  t.equal(lines.filter((l) => !l.startsWith('#')).length, 2, 'one URL line per entry')
})

t.test('m3u of all schedules interleaves their events by start time', async (t) => {
  const a = schedule('A', [event('a1', '2025-11-24T06:00:00Z', 60), event('a2', '2025-11-24T08:00:00Z', 60)])
  const b = schedule('B', [event('b1', '2025-11-24T07:00:00Z', 60)])
  const titles = exportSchedules('m3u', [a, b]).body.split('\n').filter((l) => l.startsWith('#EXTINF')).map((l) => l.split(',').pop())
  t.same(titles, ['a1', 'b1', 'a2'])
})

interface ProgramItem { in: number, out: number, duration: number, source: string, title: string, category: string }
const played = (program: ProgramItem[]): number => program.reduce((sum, item) => sum + item.out - item.in, 0)

t.test('ffplayout: the first event\'s day by default, gaps filled, the day fully covered', async (t) => {
  const s = schedule('Campus TV', [
    event('Morning', '2025-11-24T06:00:00Z', 60, { category: 'news' }),
    event('Noon', '2025-11-24T12:00:00Z', 30, { video_url: null }),
    event('Next day', '2025-11-25T06:00:00Z', 60)
  ])
  const doc = exportSchedules('ffplayout', [s])
  t.equal(doc.filename, '2025-11-24.json')
  const playlist = JSON.parse(doc.body)
  t.equal(playlist.channel, 'Campus TV')
  t.equal(playlist.date, '2025-11-24')
  t.same(playlist.program.map((p: ProgramItem) => [p.title, p.out - p.in]), [
    ['Filler', 6 * 3600], ['Morning', 3600], ['Filler', 5 * 3600], ['Noon', 1800], ['Filler', 11.5 * 3600]
  ])
  t.same(playlist.program[1], { in: 0, out: 3600, duration: 3600, source: s.events[0].video_url, title: 'Morning', category: 'news' })
  t.same(playlist.program[0], { in: 0, out: 21600, duration: 21600, source: '', title: 'Filler', category: 'filler' })
  t.equal(playlist.program[3].source, '', 'no URL: ffplayout plays its filler')
  t.equal(played(playlist.program), 86400, 'the items add up to the day')
})

t.test('ffplayout: the chosen date, cut at midnight with in/out points', async (t) => {
  const s = schedule('Nights', [
    event('Before', '2025-11-24T20:00:00Z', 60),
    event('Across midnight', '2025-11-24T23:00:00Z', 120),
    event('After', '2025-11-25T03:00:00Z', 60)
  ])
  const day1 = JSON.parse(exportSchedules('ffplayout', [s], { date: '2025-11-24' }).body)
  t.same(day1.program.at(-1), { in: 0, out: 3600, duration: 7200, source: s.events[1].video_url, title: 'Across midnight', category: '' })
  t.equal(played(day1.program), 86400)
  const day2 = JSON.parse(exportSchedules('ffplayout', [s], { date: '2025-11-25' }).body)
  t.equal(day2.date, '2025-11-25')
  t.same(day2.program[0], { in: 3600, out: 7200, duration: 7200, source: s.events[1].video_url, title: 'Across midnight', category: '' })
  t.same(day2.program.map((p: ProgramItem) => p.title), ['Across midnight', 'Filler', 'After', 'Filler'])
  t.equal(played(day2.program), 86400)
})

t.test('ffplayout: day boundaries in the given time zone, including a daylight-saving day', async (t) => {
  const early = schedule('Paris', [event('Early', '2025-11-23T23:30:00Z', 60)]) // 00:30–01:30 on the 24th in Paris
  t.equal(JSON.parse(exportSchedules('ffplayout', [early]).body).date, '2025-11-23', 'UTC by default')
  const paris = JSON.parse(exportSchedules('ffplayout', [early], { timezone: 'Europe/Paris' }).body)
  t.equal(paris.date, '2025-11-24', 'the first event\'s day in that zone')
  t.same(paris.program.slice(0, 2).map((p: ProgramItem) => [p.title, p.out - p.in]), [['Filler', 1800], ['Early', 3600]])
  t.equal(played(paris.program), 86400)
  const springForward = schedule('DST', [event('Sunday', '2025-03-30T10:00:00Z', 60)])
  const dst = JSON.parse(exportSchedules('ffplayout', [springForward], { timezone: 'Europe/Paris' }).body)
  t.equal(played(dst.program), 23 * 3600, 'the day the clocks go forward has 23 hours')
})

t.test('ffplayout: overlapping events air one after the other', async (t) => {
  const s = schedule('Overlap', [event('First', '2025-11-24T10:00:00Z', 60), event('Second', '2025-11-24T10:30:00Z', 60), event('Hidden', '2025-11-24T10:40:00Z', 10)])
  const program: ProgramItem[] = JSON.parse(exportSchedules('ffplayout', [s]).body).program
  t.same(program.slice(1, 3).map((p) => [p.title, p.in, p.out]), [['First', 0, 3600], ['Second', 1800, 3600]])
  t.notOk(program.some((p) => p.title === 'Hidden'), 'an event wholly under another is left out')
  t.equal(played(program), 86400)
})

t.test('ffplayout refuses what it cannot express', async (t) => {
  throwsBadRequest(t, () => exportSchedules('ffplayout', [tricky], { date: '2025-12-01' }), /no events on 2025-12-01/)
  throwsBadRequest(t, () => exportSchedules('ffplayout', [schedule('Empty', [])]), /no events/)
  throwsBadRequest(t, () => exportSchedules('ffplayout', [tricky], { date: '2025-02-30' }), /YYYY-MM-DD/)
  throwsBadRequest(t, () => exportSchedules('ffplayout', [tricky], { date: '24.11.2025' }), /YYYY-MM-DD/)
  throwsBadRequest(t, () => exportSchedules('ffplayout', [tricky], { timezone: 'Mars/Olympus' }), /time zone/)
  throwsBadRequest(t, () => exportSchedules('ffplayout', [twoChannels], { date: '2025-11-24' }), /one channel/)
})

/**
 * A built channel evening: a 105-minute film split by a 2-minute break at 20:15 (its second
 * part starts 15 minutes into the film), then a 90-minute film cut at the front by 10 minutes.
 */
function splitFilmChannel (): { channel: Channel, events: StoredChannelEvent[] } {
  const channel: Channel = { id: 'ch-1', number: '7', name: 'Campus TV', timezone: 'Europe/London', xmltv_id: 'C7.7.scheduleflow', logo: null, group: null, stream_url: null, default_filler: null, default_filler_guide: null, filler_guide_minutes: 15, filler_title: null, build_ahead_days: 7, rebuild_freeze_hours: 24, alarm_hours: 24, built_until: null, gaps: [], revision: 1, created: '2025-11-20T09:00:00.000Z', updated: '2025-11-20T09:00:00.000Z' }
  const built = (e: StoredEvent, guideId: string, inMs: number): StoredChannelEvent => ({
    ...e, schedule_id: null, channel_id: channel.id, origin: { kind: 'item', block: 'films' }, reason: null, pinned: false, build_id: 'b1', guide_id: guideId, guide_title: null, in_ms: inMs, episode_num: null, icon: null, programme_id: guideId, segment_role: 'part', guide_mode: null
  })
  const film = 'https://media.example/film.mp4'
  return {
    channel,
    events: [
      built(event('Film', '2025-11-24T20:00:00Z', 15, { video_url: film }), 'g1', 0),
      built(event('Ident', '2025-11-24T20:15:00Z', 2), 'g1', 0),
      built(event('Film', '2025-11-24T20:17:00Z', 90, { video_url: film }), 'g1', 15 * MIN),
      built(event('Second film', '2025-11-24T21:47:00Z', 80, { video_url: 'https://media.example/second.mp4' }), 'g2', 10 * MIN)
    ]
  }
}

t.test('ffplayout: a channel\'s film split by a break plays on from where its first part stopped', async (t) => {
  const program: ProgramItem[] = JSON.parse(exportSchedules('ffplayout', [channelAsSchedule(splitFilmChannel())], { date: '2025-11-24', timezone: 'Europe/London' }).body).program
  const film = program.filter((p) => p.title === 'Film')
  t.same(film.map((p) => [p.in, p.out, p.duration]), [[0, 900, 6300], [900, 6300, 6300]],
    'the second part starts 900 s in; both say the film is 105 min, so ffplayout cuts the first part at 900 s')
  t.same(program.find((p) => p.title === 'Second film'), { in: 600, out: 5400, duration: 5400, source: 'https://media.example/second.mp4', title: 'Second film', category: '' }, 'cut at the front: in 600 s, out = in + its 80 minutes')
  t.equal(played(program), 86400, 'the day still sums to the day')
})

t.test('casparcg: a channel\'s film continued after a break seeks to where it stopped', async (t) => {
  const { body } = exportSchedules('casparcg', [channelAsSchedule(splitFilmChannel())])
  assertWellFormed(t, body)
  t.same(readXml(t, body, {
    first: 'string(/items/item/items/item[1]/seek)',
    ident: 'string(/items/item/items/item[2]/seek)',
    second: 'string(/items/item/items/item[3]/seek)',
    cut: 'string(/items/item/items/item[4]/seek)'
  }), { first: '0', ident: '0', second: String(15 * 60 * 25), cut: String(10 * 60 * 25) }, 'frames into the media: 15 and 10 minutes at 25 per second')
  t.match(readXml(t, body, { notes: 'string(/items/item/notes)' }).notes, 'seek is in frames at 25 per second', 'the rundown says the rate it assumed')
})

t.test('casparcg: a well-formed rundown with one MOVIE item per event, timed by delay', async (t) => {
  const s = schedule('Campus TV', [
    event('Opening', '2025-11-24T06:00:00Z', 30),
    event('Back to back', '2025-11-24T06:30:00Z', 30),
    event('After a gap', '2025-11-24T08:00:00Z', 60, { video_url: null })
  ])
  const { body } = exportSchedules('casparcg', [s])
  assertWellFormed(t, body)
  t.same(readXml(t, body, {
    groups: 'count(/items/item)',
    type: 'string(/items/item/type)',
    label: 'string(/items/item/label)',
    movies: 'count(/items/item/items/item[type="MOVIE"])'
  }), { groups: '1', type: 'GROUP', label: 'Campus TV', movies: '3' }, 'one group per schedule, one MOVIE per event')
  const fields = ['label', 'name', 'delay', 'duration', 'channel', 'videolayer']
  const values = readXml(t, body, Object.fromEntries([1, 2, 3].flatMap((i) => fields.map((f) => [`${f}${i}`, `string(/items/item/items/item[${i}]/${f})`]))))
  const [first, second, third] = [1, 2, 3].map((i) => Object.fromEntries(fields.map((f) => [f, values[`${f}${i}`]])))
  t.same([first.delay, second.delay, third.delay], ['0', String(30 * MIN), String(2 * HOUR)], 'offsets from the first event, ms')
  t.same([first.duration, second.duration, third.duration], ['0', String(30 * MIN), String(HOUR)], 'a stop only before a gap and at the end')
  t.same(first, { label: 'Opening', name: s.events[0].video_url, delay: '0', duration: '0', channel: '1', videolayer: '10' })
  t.equal(third.name, 'After a gap', 'no URL: the clip named after the title')
})

t.test('casparcg: escapes text and groups every schedule (and channel) of an export of all', async (t) => {
  const { body } = exportSchedules('casparcg', [tricky, twoChannels])
  assertWellFormed(t, body)
  t.same(readXml(t, body, {
    markup: 'string(/items/item[1]/items/item[1]/label)',
    control: 'string(/items/item[1]/items/item[3]/label)',
    groups: 'count(/items/item)',
    channelGroup: 'string(/items/item[2]/label)',
    movies: 'count(//item[type="MOVIE"])'
  }), {
    markup: 'Café & Crème <Live>',
    control: 'Bell ringer',
    groups: '4', // the two-channel schedule has a group per channel, and one for its events without a channel
    channelGroup: 'Two Channels – One & Only',
    movies: '6'
  })
})

t.test('casparcg refuses a group longer than the client can time', async (t) => {
  const long = schedule('Month', [event('Day 1', '2025-11-01T00:00:00Z', 60), event('Day 30', '2025-11-30T00:00:00Z', 60)])
  throwsBadRequest(t, () => exportSchedules('casparcg', [long]), /24\.8 days/)
})

t.test('10,000 events export in every format', async (t) => {
  const base = at('2025-11-24T00:00:00Z')
  const events = Array.from({ length: 10_000 }, (_, i) => ({ ...event(`Clip ${i}`, '2025-11-24T00:00:00Z', 1), start: base + i * MIN, end: base + (i + 1) * MIN }))
  const big = schedule('Big', events)
  assertValidXmltv(t, exportSchedules('xmltv', [big]).body)
  t.equal(JSON.parse(exportSchedules('json', [big]).body).schedule.length, 10_000)
  t.equal(exportSchedules('m3u', [big]).body.split('\n').filter((l) => l.startsWith('#EXTINF')).length, 10_000)
  t.equal(exportSchedules('xml', [big]).body.split('<event>').length - 1, 10_000)
  t.equal(exportSchedules('casparcg', [big]).body.split('<type>MOVIE</type>').length - 1, 10_000)
  t.equal(played(JSON.parse(exportSchedules('ffplayout', [big]).body).program), 86400)
})

t.test('XMLTV times: every instant of years 1–9999, in any order, as its Date writes it in UTC', async (t) => {
  // formatXmltvTime keeps the last day's date: instants of one day, then of others, back and forth.
  const byDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + ' +0000'
  const instant = fc.oneof(
    fc.integer({ min: MIN_INSTANT_MS, max: MAX_INSTANT_MS }),
    fc.double({ min: MIN_INSTANT_MS, max: MAX_INSTANT_MS, noNaN: true }), // fractions of a ms, before 1970 too
    fc.integer({ min: -3, max: 3 }).chain((day) => fc.integer({ min: -1000, max: 1000 }).map((ms) => day * 86_400_000 + ms)) // around midnights
  )
  // Throws with the shrunk counterexample when an instant is written otherwise.
  fc.assert(
    fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (instants) => instants.every((ms) => formatXmltvTime(ms) === byDate(ms))),
    { numRuns: 1000 }
  )
  t.equal(formatXmltvTime(Date.parse('2026-03-29T00:59:59.999Z')), '20260329005959 +0000')
  t.equal(formatXmltvTime(MIN_INSTANT_MS), '00010101000000 +0000')
  t.equal(formatXmltvTime(MAX_INSTANT_MS), '99991231235959 +0000')
})
