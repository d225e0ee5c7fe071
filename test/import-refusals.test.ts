import t from 'tap'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'

// Issue 11 items 3–5, through the API and real worker processes: documents that give
// nothing sensible to store are refused with the reason, and nothing is stored.

const operator = bearer('operator')
const RUNS = Number(process.env.FUZZ_RUNS ?? 10)

async function post (app: FastifyInstance, url: string, body: string, contentType = 'text/plain') {
  return app.inject({ method: 'POST', url, headers: { ...operator, 'content-type': contentType }, payload: body })
}

async function counts (app: FastifyInstance): Promise<{ schedules: number, events: number, playlists: number }> {
  return (await app.inject('/api/system-info')).json().counts
}

t.test('item 3: a document that is no M3U and no list of URLs or paths is refused as a playlist', async (t) => {
  const { app } = await buildTestApp(t)
  const wrong: Array<[string, string]> = [
    ['a JSON schedule', JSON.stringify({ metadata: { title: 'Week' }, schedule: [{ title: 'News', start: '2025-11-24T07:00:00Z', end: '2025-11-24T08:00:00Z', videoUrl: 'https://cdn.example/n.mp4' }] }, null, 2)],
    ['compact JSON', '{"schedule":[{"title":"News","videoUrl":"news.mp4"}]}'],
    ['native XML', '<?xml version="1.0"?>\n<schedule>\n  <events>\n    <event><title>News</title><videoUrl>news.mp4</videoUrl></event>\n  </events>\n</schedule>'],
    ['XMLTV', '<tv>\n<channel id="c1"><display-name>One</display-name></channel>\n</tv>'],
    ['prose', 'Dear station,\nplease find the films for next week attached.\nThanks'],
    ['CSV', 'title,url\nNews,https://cdn.example/n.mp4'],
    ['one word', 'playlist']
  ]
  for (const [what, body] of wrong) {
    const res = await post(app, '/api/playlists/import', body)
    t.equal(res.statusCode, 400, `${what}: 400`)
    t.match(res.json(), { status: 'error', code: 'UNKNOWN_FORMAT', message: /not an M3U playlist: it has no #EXTM3U or #EXTINF line.*not a URL or file path/, request_id: String, errors: [{ line: Number, message: String }] }, `${what}: says why`)
  }
  // Any JSON document, pretty-printed or not, is the same class.
  await fc.assert(fc.asyncProperty(fc.oneof(fc.object(), fc.array(fc.object(), { minLength: 1 })), fc.boolean(), async (value, pretty) => {
    const res = await post(app, '/api/playlists/import', JSON.stringify(value, null, pretty ? 2 : undefined))
    return res.statusCode === 400 && res.json().code === 'UNKNOWN_FORMAT'
  }), { numRuns: RUNS })
  t.equal((await counts(app)).playlists, 0, 'nothing stored')

  const plain = ['https://cdn.example/news.mp4', 'rtmp://live.example/app/stream', 'films/Night of the Living Dead (1968).mkv', '/srv/media/spot.ts', 'C:\\clips\\ident.mov', './trailer.mp4', '', '# a comment']
  const accepted = await post(app, '/api/playlists/import?name=Plain', plain.join('\n'))
  t.equal(accepted.statusCode, 201, 'a plain list of URLs and paths is still a playlist')
  t.equal(accepted.json().playlist.item_count, 6)
})

t.test('item 4: an import with no event to store is refused with the reason, unless allow_empty asks for it', async (t) => {
  const { app } = await buildTestApp(t)
  const programme = (start: string, stop: string | null, title: string): string => `<programme start="${start}"${stop === null ? '' : ` stop="${stop}"`} channel="c1"><title>${title}</title></programme>`
  const empty: Array<[string, string, RegExp]> = [
    ['JSON with an empty schedule', '{"metadata":{"title":"Week"},"schedule":[]}', /the document has no events/],
    ['JSON with empty events', '{"events":[]}', /the document has no events/],
    ['a bare JSON list', '[]', /the document has no events/],
    ['native XML with no event', '<schedule><metadata><title>Week</title></metadata><events/></schedule>', /the document has no events/],
    ['XMLTV with channels only', '<tv><channel id="c1"><display-name>One</display-name></channel></tv>', /the document has no events/],
    ['XMLTV whose programmes all have zero length', `<tv>${programme('20251124070000 +0000', '20251124070000 +0000', 'Marker')}${programme('20251124080000 +0000', '20251124080000 +0000', 'Marker 2')}</tv>`, /2 programmes were read and every one was left out \(2 has zero length\)/],
    ['XMLTV whose only programme has no end', `<tv>${programme('20251124070000 +0000', null, 'Open')}</tv>`, /1 programme was read and every one was left out \(1 has no stop, no length and no later programme/],
    ['XMLTV mixing both', `<tv>${programme('20251124070000 +0000', '20251124070000 +0000', 'Marker')}${programme('20251124080000 +0000', null, 'Open')}</tv>`, /2 programmes were read.*1 has zero length; 1 has no stop/]
  ]
  for (const [what, body, why] of empty) {
    const res = await post(app, '/api/schedules/import', body)
    t.equal(res.statusCode, 400, `${what}: 400`)
    t.match(res.json(), { status: 'error', code: 'EMPTY_DOCUMENT', message: why, request_id: String }, `${what}: says why`)
    t.match(res.json().message, /allow_empty=true/, `${what}: says how to store an empty schedule`)
  }
  t.match(await counts(app), { schedules: 0, events: 0 }, 'nothing stored on refusal')

  const asked = await post(app, '/api/schedules/import?allow_empty=true', empty[0][1])
  t.equal(asked.statusCode, 201, 'asked for explicitly: stored')
  t.match(asked.json(), { schedule: { name: 'Week', event_count: 0 }, events_imported: 0 })
  const leftOut = await post(app, '/api/schedules/import?allow_empty=true', empty[5][1])
  t.equal(leftOut.statusCode, 201)
  t.equal(leftOut.json().warnings.notes.length, 2, 'and the notes still say what was left out')
  const notBoolean = await post(app, '/api/schedules/import?allow_empty=please', empty[0][1])
  t.equal(notBoolean.statusCode, 400, 'allow_empty is a boolean')
  t.match(notBoolean.json(), { status: 'error', code: 'BAD_REQUEST' })
  t.equal((await counts(app)).schedules, 2)
})

t.test('item 5: a naive time in a spring-forward gap is read as the gap\'s end, and an event that leaves empty is refused saying so', async (t) => {
  const { app } = await buildTestApp(t)
  const gaps = [
    { zone: 'Europe/Berlin', day: '2025-03-30', inGap: '02:30:00', gapEnd: '2025-03-30T01:00:00.000Z', jump: 'from 02:00 straight to 03:00' },
    { zone: 'America/New_York', day: '2025-03-09', inGap: '02:15:00', gapEnd: '2025-03-09T07:00:00.000Z', jump: 'from 02:00 straight to 03:00' }
  ]
  const asJson = (start: string, end: string): string => JSON.stringify({ schedule: [{ title: 'Night film', start, end }] })
  const asXml = (start: string, end: string): string => `<schedule><events><event><title>Night film</title><start>${start}</start><end>${end}</end></event></events></schedule>`
  for (const { zone, day, inGap, gapEnd, jump } of gaps) {
    for (const [format, doc] of [['json', asJson], ['xml', asXml]] as const) {
      const query = `?format=${format}&timezone=${encodeURIComponent(zone)}`
      // Start in the gap, end after it: stored, starting at the first instant after the gap.
      const kept = await post(app, `/api/schedules/import${query}`, doc(`${day}T${inGap}`, `${day}T04:00:00`))
      t.equal(kept.statusCode, 201, `${zone} ${format}: start in the gap, end after it: stored`)
      const id = kept.json().schedule_id as string
      const read = (await app.inject({ url: `/api/schedules/${id}`, headers: operator })).json()
      t.equal(read.events[0].start, gapEnd, `${zone} ${format}: starts at the first instant after the gap`)

      // Start in the gap, end at the gap's end: the event would be empty. The message names the time and the zone.
      const startRefused = await post(app, `/api/schedules/import${query}`, doc(`${day}T${inGap}`, `${day}T03:00:00`))
      t.equal(startRefused.statusCode, 400, `${zone} ${format}: start in the gap, nothing after it: 400`)
      t.match(startRefused.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'start', message: new RegExp(`${day}T${inGap} does not exist in ${zone.replace('/', '\\/')}: .*${jump}`) }] })
      t.notMatch(startRefused.json().errors[0].message, /^end is not after start$/)

      // End in the gap, start before the gap: kept, ending at the gap's end. Both in the gap: refused naming the start.
      const endInGap = await post(app, `/api/schedules/import${query}`, doc(`${day}T01:30:00`, `${day}T${inGap}`))
      t.equal(endInGap.statusCode, 201, `${zone} ${format}: end in the gap: stored`)
      const both = await post(app, `/api/schedules/import${query}`, doc(`${day}T02:05:00`, `${day}T02:45:00`))
      t.match(both.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'start', message: new RegExp(`does not exist in ${zone.replace('/', '\\/')}`) }] }, `${zone} ${format}: both in the gap: refused, naming the start`)
    }
  }
  // An end in the gap, start after the gap: the message names the end that does not exist.
  const endRefused = await post(app, '/api/schedules/import?format=json&timezone=Europe/Berlin', asJson('2025-03-30T03:10:00', '2025-03-30T02:40:00'))
  t.match(endRefused.json(), { code: 'VALIDATION_FAILED', errors: [{ field: 'end', message: /^event 1 'Night film' at 2025-03-30 03:10 Europe\/Berlin: end 2025-03-30T02:40:00 does not exist in Europe\/Berlin.*not after the start/ }] })
  t.equal((await counts(app)).schedules, 8, 'only the events that kept a length were stored (two per zone and format)')
})
