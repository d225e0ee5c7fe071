import { bareNodeSpawn, fmt, timeCalls } from './measure.js'
import { startBenchServer } from './server.js'
import { ratioText, report } from './summary.js'
export const LINKS = 10_000
const START = Date.UTC(2025, 0, 1)
export const DAYS = 31

/** An M3U of `n` links of 20–56 minutes in five groups: what auto-fill draws from. */
export function linksPlaylist (n: number): string {
  const m3u = ['#EXTM3U']
  for (let i = 0; i < n; i++) m3u.push(`#EXTINF:${1200 + (i % 37) * 60} group-title="${['News', 'Film', 'Kids', 'Sport', 'Music'][i % 5]}",Video ${i}`, `https://cdn.example/video-${i}.mp4`)
  return m3u.join('\n')
}

/** The auto-fill body for `DAYS` days of `playlistId` from START. */
export const fillRequest = (playlistId: string, seed: string, slot?: number): string =>
  JSON.stringify({
    playlist_id: playlistId,
    start_time: new Date(START).toISOString(),
    duration_hours: DAYS * 24,
    seed,
    ...(slot !== undefined && { slot_minutes: slot })
  })

/** Issue #4: auto-fill of 10,000 links over 31 days, on an empty store and on one holding 20,000 plays of the same videos. */
export async function benchAutoFill (): Promise<void> {
  const server = await startBenchServer({ LOG_LEVEL: 'warn' })
  const call = server.post.bind(server)
  try {
    const spawn = await timeCalls(10, 1, bareNodeSpawn)

    const playlist = (await call('/api/playlists/import', linksPlaylist(LINKS), 'audio/x-mpegurl')).playlist as { id: string }
    const request = (seed: string, slot?: number): string => fillRequest(playlist.id, seed, slot)

    console.log('\n## Auto-fill (issue #4)')
    console.log(`${LINKS.toLocaleString('en')} links over ${DAYS} days, end to end through the API; baseline: bare node spawn ${fmt(spawn.meanMs)} ms\n`)
    const run = async (label: string, body: string): Promise<void> => {
      const t0 = performance.now()
      const result = await call('/api/schedules/auto-fill', body, 'application/json') as { stats: { slots_total: number, cooldown_overrides: number } }
      const elapsed = performance.now() - t0
      report({ measure: `auto-fill ${LINKS.toLocaleString('en')} links × ${DAYS} d, ${label}`, value: `${fmt(elapsed, 0)} ms`, baseline: `${fmt(spawn.meanMs, 0)} ms bare spawn`, ratio: ratioText(elapsed, spawn.meanMs), target: '≤ 2000 ms', met: elapsed <= 2000 })
      console.log(`${label.padEnd(52)} ${fmt(elapsed, 0).padStart(6)} ms  (${fmt(elapsed / spawn.meanMs)}× a bare spawn; ${result.stats.slots_total} slots, ${result.stats.cooldown_overrides} overrides; target < 2000 ms: ${elapsed < 2000 ? 'met' : 'MISSED'})`)
    }
    await run('empty store, back to back (real durations)', request('a'))
    await run('store holding that fill, 30-min slots', request('b', 30))

    // 20,000 stored plays of the playlist's videos across the same 31 days.
    const schedule = Array.from({ length: 20_000 }, (_, i) => ({
      title: `Video ${(i * 7919) % LINKS}`,
      start: new Date(START + Math.floor(i * (DAYS * 86_400_000) / 20_000)).toISOString(),
      end: new Date(START + Math.floor(i * (DAYS * 86_400_000) / 20_000) + 600_000).toISOString(),
      videoUrl: `https://cdn.example/video-${(i * 7919) % LINKS}.mp4`
    }))
    await call('/api/schedules/import', JSON.stringify({ metadata: { title: 'existing plays' }, schedule }), 'application/json')
    await run('with 20,000 more stored plays, back to back', request('c'))
  } finally {
    await server.close()
  }
}
