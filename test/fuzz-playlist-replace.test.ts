import t from 'tap'
import fc from 'fast-check'
import { bearer, buildTestApp } from './helpers.js'
import { storeQuery } from './test-database.js'
import { importPlaylist } from './channel-fixtures.js'

// SPEC §15: PUT /api/playlists/:id replaces a playlist's items in one transaction. Arbitrary and
// mutated bodies (near-valid M3U cut short or spliced, random bytes, malformed multipart), names
// and ids, through the real API and worker processes. Property: never a 5xx; an error is the
// contract's shape; a refusal leaves the playlist (items, name, attributes) and every count as
// they were; a success stores exactly the items it answers, under the same id. `npm test` runs a
// few (FUZZ_RUNS, default 10); `npm run fuzz` runs 2,000.

const RUNS = Number(process.env.FUZZ_RUNS ?? 10)
const operator = bearer('operator')

const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_RATE_LIMIT_MAX: '1000000' })
const id = await importPlaylist(app, '#EXTM3U\n#EXTINF:1500,Harbour Lights E01\nhttps://cdn.example/e01.mp4\n', 'harbour')

// ---- bodies ----------------------------------------------------------------------------

const oddText = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', ' ', '\u0000', '\u2028', 'é', '"', ',', '#EXTINF:', '-1', 'NaN', '1e308'))
const entry = fc.tuple(
  fc.oneof(fc.integer({ min: -1, max: 100_000 }).map(String), fc.double().map(String), oddText),
  fc.dictionary(fc.constantFrom('tvg-id', 'tvg-name', 'group-title', 'season', 'episode', 'x'), oddText, { maxKeys: 3 }),
  oddText,
  fc.oneof(fc.webUrl(), fc.constantFrom('/media/e.mp4', 'C:\\e.mp4', '../e.mp4', 'e.mkv', 'rtmp://x/y'), oddText)
).map(([d, attrs, title, url]) => `#EXTINF:${d}${Object.entries(attrs).map(([k, v]) => ` ${k}="${v}"`).join('')},${title}\n${url}`)
const line = fc.oneof({ weight: 4, arbitrary: entry }, { weight: 1, arbitrary: fc.constantFrom('#EXTM3U', '#EXTM3U url-tvg="x"', '#EXTGRP:G', '#EXTVLCOPT:a=b', '# c', '') }, { weight: 1, arbitrary: oddText })
const document = fc.tuple(fc.array(line, { maxLength: 10 }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, eol]) => lines.join(eol))
/** A document, or that document cut short, or with a random string spliced in, or random bytes. */
const body = fc.oneof(
  { weight: 4, arbitrary: document.map((d) => Buffer.from(d)) },
  { weight: 1, arbitrary: fc.tuple(document, fc.double({ min: 0, max: 1, noNaN: true })).map(([d, at]) => Buffer.from(d.slice(0, Math.floor(d.length * at)))) },
  {
    weight: 1,
    arbitrary: fc.tuple(document, fc.nat(), oddText).map(([d, at, s]) => { const i = at % (d.length + 1); return Buffer.from(d.slice(0, i) + s + d.slice(i)) })
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) }
)
const contentType = fc.constantFrom('audio/x-mpegurl', 'application/octet-stream', 'application/json', 'text/plain', 'multipart/form-data; boundary=b', 'multipart/form-data')
const name = fc.option(fc.oneof(fc.constantFrom('Harbour Lights', '', ' ', '--all', 'x'.repeat(201)), oddText), { nil: undefined })
const target = fc.oneof({ weight: 9, arbitrary: fc.constant(id) }, { weight: 1, arbitrary: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'nope', '%00') })

// ---- the property ----------------------------------------------------------------------

/** The playlist as a reader sees it, and the rows behind every playlist, straight from the database. */
async function state (): Promise<{ read: string, rows: unknown }> {
  const read = (await app.inject({ url: `/api/playlists/${id}`, headers: operator })).body
  const [rows] = await storeQuery(config, 'SELECT (SELECT count(*) FROM playlists) AS playlists, (SELECT count(*) FROM playlist_items) AS items')
  return { read, rows }
}

t.test('fuzz PUT /api/playlists/:id bodies: a 4xx in the error shape changes nothing, a 2xx stores what it answers', async (t) => {
  await fc.assert(fc.asyncProperty(body, contentType, name, target, async (payload, type, given, playlist) => {
    const url = `/api/playlists/${playlist}${given === undefined ? '' : `?name=${encodeURIComponent(given)}`}`
    const what = `PUT ${url} (${type}): ${JSON.stringify(payload.toString('latin1').slice(0, 300))}`
    const before = await state()
    const res = await app.inject({ method: 'PUT', url, headers: { ...operator, 'content-type': type }, payload })
    const detail = `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`
    if (res.statusCode >= 500) throw new Error(`5xx: ${detail}`)
    if (res.statusCode >= 400) {
      const answer = res.json()
      const extra = Object.keys(answer).filter((k) => !['status', 'code', 'message', 'request_id', 'errors'].includes(k))
      if (answer.status !== 'error' || typeof answer.code !== 'string' || typeof answer.message !== 'string' || typeof answer.request_id !== 'string' || extra.length > 0) {
        throw new Error(`not the contract's error shape: ${detail}`)
      }
      const after = await state()
      if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`changed after a ${res.statusCode}: ${detail}`)
      return true
    }
    const answer = res.json()
    const stored = JSON.parse((await state()).read)
    if (answer.playlist.id !== id || stored.items.length !== answer.playlist.item_count || stored.playlist.item_count !== answer.playlist.item_count) {
      throw new Error(`stored ${stored.items.length} items, answered ${answer.playlist.item_count as number} for ${answer.playlist.id as string}: ${detail}`)
    }
    return true
  }), { numRuns: RUNS, endOnFailure: true })
  t.equal((await app.inject({ url: '/api/playlists', headers: operator })).json().count, 1, 'one playlist, whatever was sent')
})
