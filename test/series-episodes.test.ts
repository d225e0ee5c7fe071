import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { parseXmltv, type XmltvProgramme } from '@iptv/xmltv'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist } from './channel-fixtures.js'
import { assertValidXmltv, xmltvValidator } from './xml-check.js'

// Season and episode are data (SPEC §15, issue 24 item 3), through the real app (real workers,
// SQLite, or PostgreSQL on that pass): a series imported in shuffled order with its numbers in
// titles, attributes and file names; a sequential block airs it in season and episode order;
// the channel's XMLTV, read by a real XMLTV parser, names each episode in both systems.

t.teardown(() => xmltvValidator.dispose())

const operator = bearer('operator')
const viewer = bearer('viewer')

// Shuffled, and written the ways playlists write them.
const SERIES = [
  '#EXTM3U',
  '#EXTINF:1500,Harbour Lights S02E05',
  'https://cdn.example/hl/a.mp4',
  '#EXTINF:1500,Harbour Lights 1x02',
  'https://cdn.example/hl/b.mp4',
  '#EXTINF:1500 tvg-season="2" tvg-episode="3",Harbour Lights: The Storm',
  'https://cdn.example/hl/c.mp4',
  '#EXTINF:1500,Harbour Lights: Season 1 Episode 3',
  'https://cdn.example/hl/d.mp4',
  '#EXTINF:1500,Harbour Lights: The Lighthouse',
  'https://cdn.example/hl/Harbour.Lights.S02E01.1080p.mkv',
  '#EXTINF:1500 tvg-episode="S02E04",Harbour Lights: The Calm',
  'https://cdn.example/hl/e.mp4',
  '#EXTINF:1500,Harbour Lights s1e1',
  'https://cdn.example/hl/f.mp4',
  '#EXTINF:1500,Harbour Lights Series 2, Episode 2',
  'https://cdn.example/hl/g.mp4'
].join('\n') + '\n'

interface Item { title: string, url: string, season: number | null, episode: number | null, tvg: Record<string, string> }

async function get (app: FastifyInstance, url: string): Promise<any> {
  const res = await app.inject({ url, headers: viewer })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res
}

async function send (app: FastifyInstance, method: 'POST' | 'PUT', url: string, payload: unknown): Promise<any> {
  const res = await app.inject({ method, url, headers: operator, payload: payload as Record<string, unknown> })
  if (res.statusCode !== (method === 'POST' ? 201 : 200)) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

t.test('a series imported shuffled airs in season and episode order, and the guide shows xmltv_ns and onscreen', async (t) => {
  const { app } = await buildTestApp(t)
  const playlist = await importPlaylist(app, SERIES, 'harbour-lights')

  const items: Item[] = (await get(app, `/api/playlists/${playlist}`)).json().items
  t.same(items.map((i) => `S${i.season}E${i.episode}`), ['S2E5', 'S1E2', 'S2E3', 'S1E3', 'S2E1', 'S2E4', 'S1E1', 'S2E2'], 'read from titles, attributes and the file name')
  t.same(items[2].tvg, {}, 'the numbers read from attributes are the item\'s, not left in tvg')

  // The playlist's export imports back the same items.
  const exported = (await get(app, `/api/playlists/${playlist}/export`)).body as string
  t.match(exported, '#EXTINF:1500 tvg-season="2" tvg-episode="5",Harbour Lights S02E05')
  const again = await importPlaylist(app, exported, 'again')
  t.same((await get(app, `/api/playlists/${again}`)).json().items, items, 'export → import gives the same items')

  const { channel } = await send(app, 'POST', '/api/channels', { number: '21', name: 'Harbour TV', timezone: 'UTC' })
  await send(app, 'PUT', `/api/channels/${channel.id}/template`, {
    blocks: [{ id: 'series', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '19:00', end: '20:00', source: { playlist }, order: 'sequential', fill: 'gap' }]
  })
  await send(app, 'POST', `/api/channels/${channel.id}/build`, { from: '2026-12-07', to: '2026-12-10', seed: 'harbour' })

  const range = 'from=2026-12-07T00:00:00Z&to=2026-12-11T00:00:00Z'
  const events: Array<{ title: string, start: string, episode_num: string | null }> = (await get(app, `/api/channels/${channel.id}/events?${range}`)).json().events
  const order = ['S1E1', 'S1E2', 'S1E3', 'S2E1', 'S2E2', 'S2E3', 'S2E4', 'S2E5']
  const byTitle = new Map(items.map((i) => [i.title, `S${i.season}E${i.episode}`]))
  t.same(events.map((e) => byTitle.get(e.title)), order, 'Monday to Thursday, two a night, in season and episode order')

  const xmltv = await get(app, `/api/channels/${channel.id}/export?format=xmltv&${range}`)
  assertValidXmltv(t, xmltv.body)
  const programmes: XmltvProgramme[] = (parseXmltv(xmltv.body).programmes ?? []).sort((a, b) => a.start.getTime() - b.start.getTime())
  const numbers = (p: XmltvProgramme, system: string): string | undefined => p.episodeNum?.find((n) => n.system === system)?._value
  t.same(programmes.map((p) => numbers(p, 'onscreen')), ['S01E01', 'S01E02', 'S01E03', 'S02E01', 'S02E02', 'S02E03', 'S02E04', 'S02E05'])
  t.same(programmes.map((p) => numbers(p, 'xmltv_ns')), ['0.0.', '0.1.', '0.2.', '1.0.', '1.1.', '1.2.', '1.3.', '1.4.'], 'S02E05 is 1.4. (counted from 0)')
  t.same(programmes.map((p) => p.title[0]._value), events.map((e) => e.title), 'one programme per episode, titled as it aired')
})
