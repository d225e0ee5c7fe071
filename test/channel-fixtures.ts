import type { FastifyInstance } from 'fastify'
import { bearer } from './helpers.js'

// The channel the API tests build (test/channels-api.test.ts, test/channel-rebuild.test.ts):
// three playlists imported through the API, channel 7 in Europe/London with the idents as its
// default filler, and a template of weekday news at 08:00, a shuffled film block 20:00–23:00
// with pad and breaks, and a sequential Saturday series.

const operator = bearer('operator')

/** An M3U of `count` items of `seconds` each, titled `${prefix} 1…`, in group `group`. */
export function m3u (count: number, prefix: string, seconds: number, group = 'Films'): string {
  const lines = ['#EXTM3U']
  for (let i = 0; i < count; i++) lines.push(`#EXTINF:${seconds} tvg-id="${prefix}${i}" group-title="${group}",${prefix} ${i + 1}`, `https://cdn.example/${prefix}${i}.mp4`)
  return lines.join('\n') + '\n'
}

export async function importPlaylist (app: FastifyInstance, body: string, name: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `/api/playlists/import?name=${name}`, headers: { ...operator, 'content-type': 'audio/x-mpegurl' }, payload: body })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().playlist.id
}

export async function setUpChannel (app: FastifyInstance) {
  const films = await importPlaylist(app, m3u(40, 'film', 5400), 'films')
  const series = await importPlaylist(app, m3u(12, 'episode', 1500, 'Series'), 'series')
  const fillers = await importPlaylist(app, m3u(30, 'ident', 30, 'Idents'), 'fillers')
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '7', name: 'Campus TV', timezone: 'Europe/London', logo: 'https://cdn.example/ctv.png', group: 'Campus', stream_url: 'https://live.example/ctv.m3u8', default_filler: fillers } })
  if (created.statusCode !== 201) throw new Error(created.body)
  const channel = created.json().channel
  const template = {
    cooldown_hours: 48,
    blocks: [
      { id: 'news', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '08:30', title: 'Morning News', source: { item: { url: 'https://cdn.example/news.mp4', title: 'Morning News', duration: 1800 } } },
      { id: 'films', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '20:00', end: '23:00', source: { playlist: films, group: 'Films' }, order: 'shuffle', fill: 'pad', filler: fillers, breaks: { every_minutes: 15, max_seconds: 120, filler: fillers } },
      { id: 'series', days: ['sat'], start: '18:00', end: '19:00', source: { playlist: series }, order: 'sequential', fill: 'gap' }
    ]
  }
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: template })
  if (put.statusCode !== 200) throw new Error(put.body)
  return { films, series, fillers, channel, template }
}
