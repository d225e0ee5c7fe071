import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp, waitFor } from './helpers.js'
import { importPlaylist, m3u } from './channel-fixtures.js'
import { storeQuery } from './test-database.js'
import { storeBuiltEvents } from '../bench/paging.js'
import { LIGHT_PAGE, readCost } from '../workers/paging.js'
import { CHANNEL_DEFAULT_DAYS, MAX_PAGE, SCHEDULE_FIRST_PAGE } from '../contract/limits.js'
import type { Config } from '../lib/config.js'

// Issue 21 item 1, SPEC §12: every read of events is paged. Through the real API (real workers,
// the pass's database): a channel's default range, a cursor walk that covers every event of the
// channel (built ones and those of a schedule placed on it) exactly once, the limit's bounds and
// a bad cursor's 400, a schedule's first page, a dry run's cap, and a key reading the largest
// pages of a big channel that cannot hold up another key's list.

const MINUTE = 60_000
const DAY = 86_400_000
const viewer = bearer('viewer')
const operator = bearer('operator')
const admin = bearer('admin')

interface Page { events: Array<{ id: string, start: string, end: string, schedule_id: string | null }>, next?: string }

async function createChannel (app: FastifyInstance, number: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number, name: `Channel ${number}`, timezone: 'UTC' } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().channel.id
}

/** A JSON schedule of `n` events of `minutes` from `from`, imported and placed on `channelId`. */
async function importPlaced (app: FastifyInstance, channelId: string, n: number, from: number, minutes: number): Promise<string> {
  const schedule = Array.from({ length: n }, (_, i) => ({
    title: `Placed ${i}`, start: new Date(from + i * minutes * MINUTE).toISOString(), end: new Date(from + (i + 1) * minutes * MINUTE).toISOString(), videoUrl: `https://cdn.example/placed-${i}.mp4`
  }))
  const res = await app.inject({ method: 'POST', url: `/api/schedules/import?name=placed&channel_id=${channelId}`, headers: { ...operator, 'content-type': 'application/json' }, payload: JSON.stringify({ schedule }) })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json().schedule_id
}

const get = async (app: FastifyInstance, url: string, headers = viewer) => app.inject({ method: 'GET', url, headers })

/** Follows `next` from `url` to the last page. */
async function walk (t: Test, app: FastifyInstance, url: string): Promise<Page[]> {
  const pages: Page[] = []
  for (let next: string | undefined = url; next !== undefined;) {
    const res = await get(app, next)
    t.equal(res.statusCode, 200, `page ${pages.length + 1} answers`)
    const page = res.json() as Page
    pages.push(page)
    next = page.next
  }
  return pages
}

const idsOn = async (config: Config, channelId: string): Promise<string[]> =>
  (await storeQuery<{ id: string }>(config, 'SELECT id FROM events WHERE channel_id = ?', [channelId])).map((row) => row.id)

t.test('a channel\'s events are paged: default range, a cursor walk over built and placed events, limits, bad cursors', async (t) => {
  const { app, config } = await buildTestApp(t)
  const channelId = await createChannel(app, '21')
  const today = Math.floor(Date.now() / DAY) * DAY
  const from = today - 2 * DAY
  // 4,000 built events of 5 minutes (about 14 days from two days ago), and a placed schedule of
  // 600 half-hour events starting at the same instants as built ones: ties broken by id.
  await storeBuiltEvents(config, channelId, 4_000, from, 5)
  const placed = await importPlaced(app, channelId, 600, from, 30)
  const stored = await idsOn(config, channelId)
  t.equal(stored.length, 4_600, 'the channel holds its built events and the placed schedule\'s')

  await t.test('without a range: now → now + 7 days, the events on air then', async (t) => {
    const asked = Date.now()
    const res = await get(app, `/api/channels/${channelId}/events`)
    t.equal(res.statusCode, 200)
    const page = res.json() as Page
    const answered = Date.now()
    t.ok(page.events.length > 0, 'events answered')
    t.notOk(page.events.some((e) => Date.parse(e.end) <= Math.floor(asked / MINUTE) * MINUTE - MINUTE), 'none ended before now')
    t.notOk(page.events.some((e) => Date.parse(e.start) >= answered + CHANNEL_DEFAULT_DAYS * DAY), 'none starts after now + 7 days')
    t.ok(page.events.some((e) => Date.parse(e.start) <= asked && Date.parse(e.end) > asked - MINUTE), 'the first is the one on air now')
    // The built events run back to back until about 12 days from now: the 7 days are all there.
    const built = page.events.filter((e) => e.schedule_id === null)
    t.ok(built.length >= CHANNEL_DEFAULT_DAYS * 288 - 1 && built.length <= CHANNEL_DEFAULT_DAYS * 288 + 1, `7 days of 5-minute events (${built.length})`)
    t.notOk('next' in page, 'one page: no next')
  })

  await t.test('a cursor walk covers every event once, in air order, placed ones included', async (t) => {
    const range = `from=${new Date(from - DAY).toISOString()}&to=${new Date(from + 30 * DAY).toISOString()}`
    const pages = await walk(t, app, `/api/channels/${channelId}/events?${range}&limit=1000`)
    t.equal(pages.length, 5, '4,600 events in pages of 1,000')
    t.same(pages.map((p) => p.events.length), [1000, 1000, 1000, 1000, 600])
    t.notOk('next' in pages[4], 'the last page has no next')
    t.match(pages[0].next, /^\/api\/channels\/[0-9a-f-]+\/events\?from=.*&to=.*&cursor=[A-Za-z0-9_-]+&limit=1000$/, 'next is a relative URL with the same range')
    const ids = pages.flatMap((p) => p.events.map((e) => e.id))
    t.equal(new Set(ids).size, ids.length, 'no event twice')
    t.same([...ids].sort(), [...stored].sort(), 'every stored event once')
    t.equal(pages.flatMap((p) => p.events).filter((e) => e.schedule_id === placed).length, 600, 'the placed schedule\'s events with them')
    const starts = pages.flatMap((p) => p.events.map((e) => Date.parse(e.start)))
    t.ok(starts.every((s, i) => i === 0 || s >= starts[i - 1]), 'in order of start')

    const wide = await walk(t, app, `/api/channels/${channelId}/events?${range}`)
    t.same(wide.map((p) => p.events.length), [4600], `a range within one page (the default limit is ${MAX_PAGE}): one page, no next`)
  })

  await t.test('a range wider than one page is paged at the limit; events stored behind the cursor do not shift the walk', async (t) => {
    const first = await get(app, `/api/channels/${channelId}/events?from=${new Date(from).toISOString()}&to=${new Date(from + 30 * DAY).toISOString()}&limit=3000`)
    const page = first.json() as Page
    t.equal(page.events.length, 3000)
    // A schedule placed now, all of it before the cursor: the next page is what it would have been.
    await importPlaced(app, channelId, 10, from, 5)
    const rest = await walk(t, app, page.next!)
    t.equal(rest.flatMap((p) => p.events).length, 1600, 'the rest of the 4,600')
    t.equal(new Set([...page.events, ...rest.flatMap((p) => p.events)].map((e) => e.id)).size, 4600)
  })

  await t.test('a limit outside 1–5,000 or a cursor this server did not write is a 400 naming it', async (t) => {
    for (const limit of ['0', String(MAX_PAGE + 1), 'ten']) {
      const res = await get(app, `/api/channels/${channelId}/events?limit=${limit}`)
      t.equal(res.statusCode, 400, `limit=${limit}`)
      t.match(res.json(), { status: 'error', code: String, message: String, request_id: String, errors: [{ field: 'limit' }] })
    }
    for (const cursor of ['not-a-cursor', Buffer.from('12.').toString('base64url'), Buffer.from('x.abc').toString('base64url'), '%%%']) {
      const res = await get(app, `/api/channels/${channelId}/events?cursor=${encodeURIComponent(cursor)}`)
      t.equal(res.statusCode, 400, `cursor ${cursor}`)
      t.match(res.json(), { status: 'error', code: 'BAD_REQUEST', request_id: String, errors: [{ field: 'cursor' }] })
    }
    const largest = (await get(app, `/api/channels/${channelId}/events?from=${new Date(from).toISOString()}&limit=${MAX_PAGE}`)).json() as Page
    t.equal(largest.events.length, 4610, `limit=${MAX_PAGE} answers every event up to it`)
  })

  await t.test('a schedule without a range: its first 1,000 events, then the rest by next; a timeline page keeps fields=timeline', async (t) => {
    const big = await importPlaced(app, channelId, 1_500, from + 40 * DAY, 10)
    const res = await get(app, `/api/schedules/${big}`)
    t.equal(res.statusCode, 200)
    const first = res.json() as Page
    t.equal(first.events.length, SCHEDULE_FIRST_PAGE, 'its first 1,000 events')
    t.match(first.next, /^\/api\/schedules\/[0-9a-f-]+\?cursor=[A-Za-z0-9_-]+&limit=1000$/)
    const pages = await walk(t, app, first.next!)
    t.same(pages.map((p) => p.events.length), [500])
    t.equal(new Set([...first.events, ...pages[0].events].map((e) => e.id)).size, 1500, 'every event once')

    const tag = res.headers.etag as string
    t.equal((await app.inject({ method: 'GET', url: `/api/schedules/${big}`, headers: { ...viewer, 'if-none-match': tag } })).statusCode, 304, 'its ETag still revalidates')

    const range = `from=${new Date(from + 40 * DAY).toISOString()}&to=${new Date(from + 60 * DAY).toISOString()}`
    const timeline = (await get(app, `/api/schedules/${big}?${range}&fields=timeline&limit=1200`)).json() as { events: { count: number, id: string[] }, next?: string }
    t.equal(timeline.events.count, 1200)
    t.match(timeline.next, /fields=timeline/, 'the timeline\'s next keeps its columns')
    const rest = (await get(app, timeline.next!)).json() as { events: { count: number, id: string[] }, next?: string }
    t.equal(rest.events.count, 300)
    t.notOk('next' in rest)
    const bad = await get(app, `/api/schedules/${big}?cursor=nope`)
    t.equal(bad.statusCode, 400)
    t.match(bad.json(), { errors: [{ field: 'cursor' }] })
  })
})

t.test('a dry run answers its counts, warnings and the first 5,000 events, with events_total', async (t) => {
  const { app } = await buildTestApp(t)
  const channelId = await createChannel(app, '22')
  const shorts = await importPlaylist(app, m3u(50, 'short', 60, 'Shorts'), 'shorts')
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  const half = (id: string, start: string, end: string) => ({ id, days, start, end, source: { playlist: shorts }, order: 'sequential', fill: 'cut' })
  const template = { cooldown_hours: 0, blocks: [half('am', '00:00', '12:00'), half('pm', '12:00', '00:00')] }
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${channelId}/template`, headers: operator, payload: template })
  t.equal(put.statusCode, 200, put.body.slice(0, 300))
  const res = await app.inject({ method: 'POST', url: `/api/channels/${channelId}/build`, headers: operator, payload: { from: '2026-03-23', to: '2026-03-26', seed: 's', dry_run: true } })
  t.equal(res.statusCode, 200, res.body.slice(0, 300))
  const answer = res.json()
  t.equal(answer.events_total, 4 * 1440, 'four days of one-minute items')
  t.equal(answer.stats.events, 4 * 1440, 'its counts are of the whole build')
  t.equal(answer.events.length, MAX_PAGE, 'the first 5,000 events')
  t.equal(answer.events[0].start, '2026-03-23T00:00:00.000Z', 'from the first')
  const small = (await app.inject({ method: 'POST', url: `/api/channels/${channelId}/build`, headers: operator, payload: { from: '2026-03-23', to: '2026-03-23', seed: 's', dry_run: true } })).json()
  t.equal(small.events.length, 1440)
  t.equal(small.events_total, 1440, 'a build within the cap answers every event')
})

t.test('cost: a read that can touch more than a day with a large page is heavy; a day or a small page is light', async (t) => {
  const day = { from: '2026-03-23T00:00:00.000Z', to: '2026-03-24T00:00:00.000Z' }
  t.equal(readCost(day, MAX_PAGE), 'light', 'the panel\'s day (events tab, guide)')
  t.equal(readCost({ from: '2026-03-29', to: '2026-03-29' }, MAX_PAGE), 'light', 'one local day')
  t.equal(readCost({ from: '2026-03-23T00:00:00Z', to: '2026-03-30T00:00:00Z' }, MAX_PAGE), 'heavy', 'a week of the largest pages')
  t.equal(readCost({ from: '2026-03-23T00:00:00Z', to: '2026-03-30T00:00:00Z', limit: LIGHT_PAGE }, MAX_PAGE), 'light', 'a week of small pages')
  t.equal(readCost({ cursor: 'abc' }, MAX_PAGE), 'heavy', 'an open-ended page')
  t.equal(readCost({}, SCHEDULE_FIRST_PAGE), 'light', 'a schedule\'s first 1,000')
  t.equal(readCost({ limit: MAX_PAGE }, SCHEDULE_FIRST_PAGE), 'heavy', 'a schedule\'s largest pages')
})

t.test('one key reading the largest pages of a big channel four at once cannot hold up another key\'s list', async (t) => {
  const { app, config } = await buildTestApp(t, { SCHEDULEFLOW_POOL_SIZE: '2', SCHEDULEFLOW_MAX_QUEUED_PER_KEY: '4' })
  const channelId = await createChannel(app, '23')
  const from = Date.UTC(2026, 0, 1)
  await storeBuiltEvents(config, channelId, 30_000, from, 2)
  await importPlaced(app, channelId, 20, from, 60)
  // Warm both processes, so neither read below waits for a process to start.
  await Promise.all([get(app, '/api/schedules', admin), get(app, '/api/channels', admin)])

  const finished: string[] = []
  const largest = `/api/channels/${channelId}/events?from=${new Date(from).toISOString()}&limit=${MAX_PAGE}`
  const reads = Array.from({ length: 4 }, (_, i) => get(app, largest).then((res) => { finished.push(`read ${i + 1}`); return res }))
  t.ok(await waitFor(() => app.pool.stats().queued === 3), 'the viewer\'s reads are heavy: one runs, three wait')
  const list = await get(app, '/api/schedules', admin)
  finished.push('list')
  const answers = await Promise.all(reads)

  t.equal(list.statusCode, 200)
  t.equal(list.json().count, 1, 'the other key\'s list is whole')
  t.ok(finished.indexOf('list') < 2, `the list answered before the viewer's second read (${finished.join(', ')})`)
  for (const res of answers) {
    t.equal(res.statusCode, 200)
    t.equal((res.json() as Page).events.length, MAX_PAGE, 'each read is a largest page')
    t.ok(res.body.length > 20 * list.body.length, 'far larger than the list')
  }
})
