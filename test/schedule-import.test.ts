import t from 'tap'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { prepareImport, type ImportOptions } from '../workers/schedule/import/prepare-import.js'
import { CommandError } from '../contract/command-error.js'
import { projectRoot } from '../workers/project.js'
import { tempDir } from './helpers.js'

const defaults: ImportOptions = { timezone: 'UTC', cooldownHours: 48 }
const prepare = (text: string | Buffer, options: Partial<ImportOptions> = {}) =>
  prepareImport(Buffer.isBuffer(text) ? text : Buffer.from(text), { ...defaults, ...options })
const isoOf = (ms: number): string => new Date(ms).toISOString()

async function rejection (text: string | Buffer, options: Partial<ImportOptions> = {}): Promise<CommandError> {
  try {
    await prepare(text, options)
  } catch (err) {
    if (err instanceof CommandError) return err
    throw err
  }
  throw new Error('the import was accepted')
}

t.test('native XML: entities, CDATA, UTF-8 titles, aliases of the earlier ScheduleFlow', async (t) => {
  const { document, report } = await prepare(`<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <metadata><title>Campus &amp; Friends</title></metadata>
  <events>
    <event>
      <title>Tom &amp; Jerry &lt;Live&gt; &#x263A;</title>
      <start>2025-11-24T08:30:00+01:00</start>
      <end>2025-11-24T09:00:00+01:00</end>
      <videoUrl>https://cdn.example/a.mp4</videoUrl>
      <category>Cartoons</category>
      <duration>1800</duration>
      <description><![CDATA[<b>bold</b> & raw]]></description>
      <tags><tag>kids</tag><tag>classic</tag></tags>
    </event>
    <event><title>Café Crème — 日本語</title><start>2025-11-24T09:00:00Z</start><end>2025-11-24T09:30:00Z</end></event>
  </events>
</schedule>`)
  t.equal(document.name, 'Campus & Friends')
  t.equal(document.source, 'xml')
  t.equal(report.unique_events, 2)
  const [first, second] = document.events
  t.equal(first.title, 'Tom & Jerry <Live> ☺')
  t.equal(isoOf(first.start), '2025-11-24T07:30:00.000Z')
  t.equal(first.description, '<b>bold</b> & raw')
  t.same(first.tags, ['kids', 'classic'])
  t.equal(first.video_url, 'https://cdn.example/a.mp4')
  t.equal(second.title, 'Café Crème — 日本語')

  const legacy = await prepare('<tvguide><items><item><name>Old</name><start_time>2025-01-01T00:00:00Z</start_time><end_time>2025-01-01T01:00:00Z</end_time><uri>u.mp4</uri></item></items></tvguide>')
  t.match(legacy.document.events[0], { title: 'Old', video_url: 'u.mp4' })
})

t.test('JSON: offsets, Z, naive times in a zone on both sides of DST changes', async (t) => {
  const json = JSON.stringify({
    metadata: { title: 'London week' },
    schedule: [
      // The night the clocks go forward (2025-03-30, 01:00 GMT → 02:00 BST).
      { title: 'before spring', start: '2025-03-30T00:30:00', end: '2025-03-30T00:59:00' },
      { title: 'after spring', start: '2025-03-30T03:00:00', end: '2025-03-30T04:00:00' },
      // The night they go back (2025-10-26, 02:00 BST → 01:00 GMT).
      { title: 'before autumn', start: '2025-10-25T23:00:00', end: '2025-10-26T00:00:00' },
      { title: 'after autumn', start: '2025-10-26T03:00:00', end: '2025-10-26T04:00:00' },
      { title: 'offset', start: '2025-06-01T10:00:00+0100', end: '2025-06-01T11:00:00+01:00' },
      { title: 'zulu', start: '2025-06-01T10:00:00Z', end: '2025-06-01T10:30:00.000Z', videoUrl: 'v.mp4' }
    ]
  })
  const events = (await prepare(json, { timezone: 'Europe/London' })).document.events
  const at = (title: string) => events.find((e) => e.title === title)!
  t.equal(isoOf(at('before spring').start), '2025-03-30T00:30:00.000Z', 'GMT before the change')
  t.equal(isoOf(at('after spring').start), '2025-03-30T02:00:00.000Z', 'BST after it')
  t.equal(isoOf(at('before autumn').start), '2025-10-25T22:00:00.000Z', 'BST before the change')
  t.equal(isoOf(at('after autumn').start), '2025-10-26T03:00:00.000Z', 'GMT after it')
  const gap = (await prepare(JSON.stringify([{ title: 'in the gap', start: '2025-03-30T01:30:00', end: '2025-03-30T03:00:00' }, { title: 'twice', start: '2025-10-26T01:30:00', end: '2025-10-26T02:30:00' }]), { timezone: 'Europe/London' })).document.events
  t.equal(isoOf(gap[0].start), '2025-03-30T01:00:00.000Z', 'a skipped time is read as the first instant after the gap (02:00 BST, SPEC §11)')
  t.equal(isoOf(gap[1].start), '2025-10-26T00:30:00.000Z', 'a repeated time is read at its first occurrence (BST), as a channel build reads one')
  t.equal(isoOf(at('offset').start), '2025-06-01T09:00:00.000Z', 'explicit offsets ignore the zone')
  t.equal(at('zulu').video_url, 'v.mp4')
  t.equal((await prepare(json, { timezone: 'Europe/London' })).document.name, 'London week')
})

t.test('XMLTV: short time forms, offsets and abbreviations, missing stop, several titles, channels', async (t) => {
  const { document, warnings } = await prepare(`<?xml version="1.0"?>
<!DOCTYPE tv SYSTEM "xmltv.dtd">
<tv>
  <channel id="one.tv"><display-name>One</display-name></channel>
  <programme start="20251124083000 +0100" stop="20251124090000 +0100" channel="one.tv">
    <title lang="en">Morning</title><title lang="de">Morgen</title>
    <desc>News &amp; weather</desc><category>News</category><category>Live</category>
  </programme>
  <programme start="202511240900" channel="one.tv"><title>Till next</title></programme>
  <programme start="20251124110000 BST" channel="one.tv"><title>By length</title><length units="minutes">45</length></programme>
  <programme start="20251124120000" channel="one.tv"><title>Open ended</title></programme>
</tv>`)
  t.equal(document.source, 'xmltv')
  t.same(document.channels, [{ id: 'one.tv', display_name: 'One' }])
  const [morning, tillNext, byLength] = document.events
  t.equal(morning.title, 'Morning', 'the first title is the title')
  t.equal(isoOf(morning.start), '2025-11-24T07:30:00.000Z')
  t.equal(morning.category, 'News')
  t.same(morning.tags, ['Live'])
  t.equal(morning.channel, 'one.tv')
  t.equal(isoOf(tillNext.start), '2025-11-24T09:00:00.000Z', 'no offset means UTC')
  t.equal(isoOf(tillNext.end), '2025-11-24T10:00:00.000Z', 'ends at the next programme on its channel')
  t.equal(isoOf(byLength.start), '2025-11-24T10:00:00.000Z', 'BST is +0100')
  t.equal(byLength.end - byLength.start, 45 * 60_000, 'length gives the end')
  t.equal(document.events.length, 3)
  t.match(warnings.notes, [/Open ended.*left out/])
})

t.test('every XMLTV sample of the XMLTV project imports, or is refused with a reason', async (t) => {
  const dir = join(projectRoot, 'test', 'fixtures', 'xmltv', 'samples')
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file))
    let outcome: string
    try {
      const { document, warnings } = await prepare(text)
      outcome = `${document.events.length} events, ${warnings.notes.length} left out`
      t.ok(document.events.every((e) => e.end > e.start && e.title.trim() !== ''), `${file}: ${outcome}`)
    } catch (err) {
      t.ok(err instanceof CommandError && err.message.length > 10, `${file}: refused: ${(err as Error).message}`)
    }
  }
  await t.rejects(prepare(readFileSync(join(dir, 'whitespace.xml'))), { code: 'EMPTY_DOCUMENT', message: /every one was left out/ }, 'whitespace.xml: no programme has an end, so nothing to import')
  const whitespace = await prepare(readFileSync(join(dir, 'whitespace.xml')), { allowEmpty: true })
  t.equal(whitespace.document.events.length, 0, 'whitespace.xml: an empty schedule when asked for')
  const dups = await prepare(readFileSync(join(dir, 'amp.xml')))
  t.equal(dups.document.events.length, 1)
  t.equal(dups.document.events[0].title, 'News')
  const overlap = await prepare(readFileSync(join(dir, 'overlap.xml')))
  t.ok(overlap.report.conflicts_detected > 0, 'overlap.xml has overlaps')
  t.equal(overlap.warnings.notes.filter((n) => n.includes('zero length')).length, 2, 'zero-length programmes are left out and noted')
  const length = await prepare(readFileSync(join(dir, 'length.xml')))
  t.equal(length.document.events[0].end - length.document.events[0].start, 30 * 60_000)
})

t.test('duplicates differing only in case and spacing are removed and reported', async (t) => {
  const events = [
    { title: 'The News', start: '2025-01-01T10:00:00Z', end: '2025-01-01T10:30:00Z' },
    { title: '  the   NEWS ', start: '2025-01-01T10:00:00Z', end: '2025-01-01T10:30:00Z' },
    { title: 'The News', start: '2025-01-01T10:00:00Z', end: '2025-01-01T10:30:00Z', videoUrl: 'other.mp4' }
  ]
  const { report, warnings } = await prepare(JSON.stringify({ schedule: events }))
  t.equal(report.duplicates_removed, 1)
  t.equal(report.unique_events, 2, 'a different URL is a different event')
  t.match(warnings.duplicates, [{ index: 1, duplicate_of: 0 }])
  t.equal(report.conflicts_detected, 1, 'the two left overlap each other')
})

t.test('overlaps: back-to-back is fine, crossing midnight counts, pairs name both events', async (t) => {
  const { report, warnings } = await prepare(JSON.stringify({
    schedule: [
      { title: 'late', start: '2025-01-01T23:30:00Z', end: '2025-01-02T00:30:00Z' },
      { title: 'midnight', start: '2025-01-02T00:00:00Z', end: '2025-01-02T01:00:00Z' },
      { title: 'next', start: '2025-01-02T01:00:00Z', end: '2025-01-02T02:00:00Z' }
    ]
  }))
  t.equal(report.conflicts_detected, 1)
  t.match(warnings.conflicts, [{ type: 'overlap', event1: { index: 0, title: 'late', end: '2025-01-02T00:30:00.000Z' }, event2: { index: 1, title: 'midnight' } }])

  const many = Array.from({ length: 50 }, (_, i) => ({ title: `e${i}`, start: '2025-01-01T00:00:00Z', end: `2025-01-01T01:00:${String(i).padStart(2, '0')}Z` }))
  const crowded = await prepare(JSON.stringify({ schedule: many }))
  t.equal(crowded.warnings.conflicts_total, (50 * 49) / 2, 'every pair is counted')
  t.equal(crowded.warnings.conflicts.length, 1000, 'at most 1,000 are listed')
})

t.test('cooldown: a replay inside the window is a warning, counted from the previous start', async (t) => {
  const { warnings } = await prepare(JSON.stringify({
    schedule: [
      { title: 'Film', videoUrl: 'film.mp4', start: '2025-01-01T10:00:00Z', end: '2025-01-01T12:00:00Z' },
      { title: 'Film again', videoUrl: 'film.mp4', start: '2025-01-02T10:00:00Z', end: '2025-01-02T12:00:00Z' },
      { title: 'Film', videoUrl: 'film.mp4', start: '2025-01-04T10:00:00Z', end: '2025-01-04T12:00:00Z' },
      { title: 'no url', start: '2025-01-01T00:00:00Z', end: '2025-01-01T00:10:00Z' },
      { title: 'No  URL', start: '2025-01-01T05:00:00Z', end: '2025-01-01T05:10:00Z' }
    ]
  }), { cooldownHours: 48 })
  t.equal(warnings.cooldown_total, 2)
  t.match(warnings.cooldown, [{ index: 1, previous_index: 0, hours_since_previous: 24 }, { index: 4, previous_index: 3, hours_since_previous: 5 }])
})

t.test('bad documents are refused with every problem, line and column', async (t) => {
  const malformed = await rejection('<schedule>\n  <events>\n    <event><title>x</event>\n</schedule>')
  t.equal(malformed.code, 'BAD_XML')
  t.match(malformed.errors, [{ line: 3, column: Number }])
  t.match(malformed.message, /line 3, column \d+/)

  const badJson = await rejection('{"schedule": [\n  {"title": "x",}\n]}')
  t.equal(badJson.code, 'BAD_JSON')
  t.match(badJson.errors, [{ line: 2, column: Number }])

  const invalid = await rejection(`<schedule><events>
<event><title>ok</title><start>2025-01-01T10:00:00Z</start><end>2025-01-01T11:00:00Z</end></event>
<event><title>backwards</title><start>2025-01-01T10:00:00Z</start>
  <end>2025-01-01T09:00:00Z</end></event>
<event><start>2025-13-01T10:00:00Z</start><end>2025-01-01T11:00:00Z</end></event>
<event><title>bad length</title><start>2025-01-01T10:00:00Z</start><end>2025-01-01T11:00:00Z</end><duration>1800</duration></event>
</events></schedule>`)
  t.equal(invalid.code, 'VALIDATION_FAILED')
  t.match(invalid.message, /4 problems/)
  t.match(invalid.errors, [
    { index: 1, field: 'end', line: 4, message: 'end is not after start' },
    { index: 2, field: 'title', message: 'title is required' },
    { index: 2, field: 'start', line: 5, message: /2025-13-01/ },
    { index: 3, field: 'duration', line: 6, message: /1800 s disagrees with end − start = 3600 s/ }
  ])

  const lots = JSON.stringify({ schedule: Array.from({ length: 150 }, () => ({ title: 'x', start: 'yesterday', end: 'today' })) })
  const tooMany = await rejection(lots)
  t.equal(tooMany.errors?.length, 100, 'at most 100 problems listed')
  t.match(tooMany.message, /300 problems found \(the first 100 are listed\)/)

  t.equal((await rejection(Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28]))).code, 'BAD_ENCODING')
  t.equal((await rejection('garbage, not a schedule')).code, 'UNKNOWN_FORMAT')
  t.equal((await rejection('   ')).code, 'EMPTY_DOCUMENT')
  t.equal((await rejection('{"schedule": "nope"}')).code, 'BAD_JSON')
  t.equal((await rejection('<html><body/></html>')).code, 'BAD_XML')
  t.equal((await rejection('[{"title": "epoch", "start": 1735725600, "end": 1735729200}]')).code, 'VALIDATION_FAILED', 'a number is not taken for a date')
})

t.test('entity bombs and external entities are refused without being expanded or read', async (t) => {
  const bomb = `<?xml version="1.0"?>
<!DOCTYPE schedule [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<schedule><events><event><title>&f;</title><start>2025-01-01T00:00:00Z</start><end>2025-01-01T01:00:00Z</end></event></events></schedule>`
  const refused = await rejection(bomb)
  t.equal(refused.code, 'BAD_XML')
  t.match(refused.message, /entity declarations are not accepted/)

  const secret = join(tempDir(t), 'secret.txt')
  writeFileSync(secret, 'TOP-SECRET-MARKER')
  const xxe = await rejection(`<?xml version="1.0"?><!DOCTYPE tv [<!ENTITY x SYSTEM "file://${secret}">]><tv><programme start="20250101000000" stop="20250101010000" channel="c"><title>&x;</title></programme></tv>`)
  t.equal(xxe.code, 'BAD_XML')
  t.notMatch(JSON.stringify(xxe), /TOP-SECRET-MARKER/)

  const undeclared = await rejection('<schedule><events><event><title>&nbsp;</title></event></events></schedule>')
  t.match(undeclared.message, /undefined entity/)
})
