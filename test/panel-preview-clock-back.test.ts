import t from 'tap'
import type { Page } from 'playwright-core'
import { axeViolations, launchBrowser, screenshot, watchPage } from './browser.js'
import { startServer } from './helpers.js'
import { serverClient } from './server-client.js'
import { m3u } from './channel-fixtures.js'
import type { BuildDryRun } from '../contract/api.js'

// The Build preview on the night the clocks go back: the repeated stretch is marked in words
// with its real length, its two passes are drawn side by side (first time through on the left)
// so no two boxes overlap, and a box's name says which pass its times are in. Two channels of
// 25-minute programmes at night: Europe/London (Sunday 25 October 2026, 02:00 BST → 01:00 GMT)
// and Australia/Lord_Howe, whose clocks go back half an hour (Sunday 5 April 2026, 02:00
// +11:00 → 01:30 +10:30). calendar.js's clockChanges(), wallPieces() and passOf() are checked
// against Intl for the 2026 changes of a few zones.

const KEY = 'preview-clock-back-key-0123456789abcdef'
const HOUR = 3_600_000

/** Each zone's case: the week previewed, the Sunday of the change, its instant and length (from the zone's rules, not from Intl). */
const CASES = [
  { zone: 'Europe/London', from: '2026-10-19', to: '2026-10-25', day: '2026-10-25', at: Date.parse('2026-10-25T01:00:00Z'), length: HOUR, words: 'Clock change: 01:00–02:00 happens twice' },
  { zone: 'Australia/Lord_Howe', from: '2026-03-30', to: '2026-04-05', day: '2026-04-05', at: Date.parse('2026-04-04T15:00:00Z'), length: HOUR / 2, words: 'Clock change: 01:30–02:00 happens twice' }
]

/** Wall time "HH:MM:SS" of an instant in a zone, by Intl. */
const clockIn = (ms: number, zone: string): string => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms)

/** What the preview must say of a time: its wall time, and its pass where that wall time happens twice. */
function spoken (ms: number, c: typeof CASES[number]): string {
  const pass = c.at - c.length <= ms && ms < c.at ? ' (first)' : c.at <= ms && ms < c.at + c.length ? ' (second)' : ''
  return `${clockIn(ms, c.zone)}${pass}`
}

/** What calendar.js answers (public/js/calendar.js: clockChanges, wallPieces). */
interface Change { day: string, at: number, from: string, to: string, skipped: boolean }
interface Piece { from: string, to: string, pass: string | null }

interface Rect { x: number, y: number, width: number, height: number, label: string }
const boxesOf = async (page: Page, day: string): Promise<Rect[]> => page.locator(`ol[data-day="${day}"] .preview-box`).evaluateAll((els) =>
  els.map((el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height, label: el.getAttribute('aria-label') ?? '' } }))
const overlap = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5

t.test('the build preview on the night the clocks go back', async (t) => {
  const server = await startServer(t, { SCHEDULEFLOW_API_KEYS: `Ops:operator:${KEY}`, SCHEDULEFLOW_LOG_FILE: 'off' })
  const { call, playlist } = serverClient(t, server.url, KEY)
  const night = await playlist('night', m3u(30, 'Night', 1500, 'Night'))
  const idents = await playlist('idents', m3u(10, 'Ident', 45, 'Idents'))
  const browser = await launchBrowser(t)
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' })).newPage()
  const problems = watchPage(page, server.url)
  await page.goto(`${server.url}/#key=${KEY}`)

  for (const [i, c] of CASES.entries()) {
    t.test(c.zone, async (t) => {
      const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number: String(20 + i), name: `Night ${c.zone}`, timezone: c.zone, default_filler: idents, build_ahead_days: 0 }) })
      t.equal(created.status, 201, 'the channel')
      const channel = (await created.json()).channel as { id: string }
      const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
      const template = { cooldown_hours: 0, blocks: [{ id: 'night', days: every, start: '00:00', end: '04:00', source: { playlist: night }, order: 'sequential', fill: 'pad', filler: idents }] }
      t.equal((await call(`/api/channels/${channel.id}/template`, { method: 'PUT', body: JSON.stringify(template) })).status, 200, 'its template')
      // The same dry run as the panel's (same seed): what each programme's label must say.
      const dry = await call(`/api/channels/${channel.id}/build`, { method: 'POST', body: JSON.stringify({ from: c.from, to: c.to, seed: 'back', dry_run: true, programmes: true }) })
      const programmes = (await dry.json() as BuildDryRun).programmes!.filter((p) => p.kind !== 'filler')

      await page.goto(`${server.url}/#/channels/${channel.id}?tab=build`)
      await page.locator('#build-from').fill(c.from)
      await page.locator('#build-to').fill(c.to)
      await page.locator('#build-seed').fill('back')
      await page.locator('#build-preview-button').click()
      await page.locator('#build-preview .preview-box').first().waitFor()

      const marker = page.locator(`#clock-change-${c.day}`)
      t.equal(await marker.innerText(), c.words, 'the repeated stretch is marked in the zone\'s own times')
      const column = (await page.locator(`ol[data-day="${c.day}"]`).boundingBox())!
      const stretch = (await marker.boundingBox())!
      t.ok(Math.abs(stretch.height - column.height * c.length / (24 * HOUR)) < 1.5, `the marker is as long as the change (${stretch.height}px)`)
      t.match(await page.locator('#build-preview-count').innerText(), /the clocks go back this week/, 'the week says so')

      const boxes = await boxesOf(page, c.day)
      const overlapping = boxes.flatMap((a, j) => boxes.slice(j + 1).filter((b) => overlap(a, b)).map((b) => `${a.label} / ${b.label}`))
      t.same(overlapping, [], `no two of the day's ${boxes.length} boxes overlap`)
      const middle = column.x + column.width / 2
      const inStretch = boxes.filter((b) => b.y >= stretch.y - 0.5 && b.y + b.height <= stretch.y + stretch.height + 0.5)
      const half = (b: Rect): 'first' | 'second' | null => (b.x + b.width <= middle + 0.5 ? 'first' : b.x >= middle - 0.5 ? 'second' : null)
      t.ok(inStretch.length > 0 && inStretch.every((b) => half(b) !== null), 'each box in the repeated stretch is drawn in one half of it')
      for (const [pass, inPass] of [['first', (ms: number) => c.at - c.length <= ms && ms < c.at], ['second', (ms: number) => c.at <= ms && ms < c.at + c.length]] as const) {
        const p = programmes.find((p) => inPass(Date.parse(p.start)))!
        t.ok(p, `a programme starts in the ${pass} pass`)
        const label = `${p.title}, ${spoken(Date.parse(p.start), c)} to ${spoken(Date.parse(p.end), c)}`
        t.match(label, `(${pass})`, 'its start is in a stretch that happens twice')
        const drawn = boxes.filter((b) => b.label.startsWith(`${label} (`))
        t.ok(drawn.length > 0, `drawn with its true times: ${label}`)
        t.ok(drawn.some((b) => inStretch.includes(b) && half(b) === pass), `its start in the ${pass === 'first' ? 'left' : 'right'} half of the stretch`)
      }
      const across = programmes.find((p) => Date.parse(p.start) < c.at && Date.parse(p.end) > c.at)!
      t.ok(across, 'a programme airs across the change')
      t.equal(boxes.filter((b) => b.label.startsWith(`${across.title},`)).length, 2, 'drawn as two pieces: the end of the first pass, the start of the second')
      const saturday = await boxesOf(page, c.to.replace(/\d\d$/, (d) => String(Number(d) - 1).padStart(2, '0')))
      t.ok(saturday.length > 0 && saturday.every((b) => Math.abs(b.width - column.width) < 4 && !/\((first|second)\)/.test(b.label)), 'the day before is drawn as ever')

      if (i === 0) {
        await page.locator('#build-preview').evaluate((el) => { el.scrollTop = 0 })
        await screenshot(page, 'build-preview-clock-back')
      }
      t.same(await axeViolations(page), [], 'axe: the preview with a repeated hour')
    })
  }

  t.test('calendar.js against Intl: the 2026 clock changes, their pieces and passes', async (t) => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham', 'Asia/Tokyo']
    // Spans and instants around each change, as offsets from it: across it, inside a repeated
    // stretch, into and out of it, ending or starting at it, clear of it.
    const SPANS = [[-2 * HOUR, 2 * HOUR], [-60_000, 60_000], [-1.5 * HOUR, -HOUR / 1.5], [-600_000, 0], [0, 600_000],
      [HOUR / 2, HOUR / 1.2], [-2 * HOUR, -1.5 * HOUR]]
    const INSTANTS = [-HOUR - 1, -HOUR, -HOUR / 2, -1000, 0, HOUR / 2 - 1000, HOUR - 1000, HOUR]
    const found = await page.evaluate(async ({ zones, SPANS, INSTANTS }) => {
      const calendar = await import('/js/calendar.js' as string)
      return zones.map((zone) => {
        const changes: Change[] = calendar.clockChanges('2026-01-01', '2026-12-31', zone)
        const piecesOf = (start: number, end: number): Piece[] | null => calendar.wallPieces(start, end, changes)
        const spans = changes.flatMap((c) => SPANS.map(([a, b]) => ({ start: c.at + a, end: c.at + b, pieces: piecesOf(c.at + a, c.at + b) })))
        const passes = changes.flatMap((c) => INSTANTS.map((d) => ({ ms: c.at + d, pass: calendar.passOf(c.at + d, changes) as string | null })))
        return { zone, changes, spans, passes }
      })
    }, { zones, SPANS, INSTANTS })

    const format = new Map<string, Intl.DateTimeFormat>()
    /** Naive wall ms of an instant in a zone, by Intl. */
    const wall = (ms: number, zone: string): number => {
      if (!format.has(zone)) format.set(zone, new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }))
      const p = Object.fromEntries(format.get(zone)!.formatToParts(ms).map((x) => [x.type, x.value]))
      return Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}Z`)
    }
    const naive = (ms: number): string => new Date(ms).toISOString().slice(0, 19)
    for (const { zone, changes, spans, passes } of found) {
      // The changes, by a scan of the year every 15 minutes, each narrowed to its second.
      const expected: Change[] = []
      const offset = (ms: number): number => wall(ms, zone) - ms
      for (let ms = Date.parse('2025-12-31T00:00:00Z'); ms < Date.parse('2027-01-02T00:00:00Z'); ms += 900_000) {
        if (offset(ms) === offset(ms + 900_000)) continue
        let [lo, hi] = [ms, ms + 900_000]
        while (hi - lo > 1000) { const mid = lo + Math.floor((hi - lo) / 2000) * 1000; if (offset(mid) === offset(ms)) lo = mid; else hi = mid }
        const [from, to] = [wall(hi - 1000, zone) + 1000, wall(hi, zone)]
        const day = naive(to > from ? from : to).slice(0, 10) // the day of the wall times skipped or repeated
        if (day >= '2026-01-01' && day <= '2026-12-31') expected.push({ day, at: hi, from: naive(from), to: naive(to), skipped: to > from })
      }
      t.same(changes, expected, `${zone}: ${expected.length} changes`)
      const amount = (c: Change): number => Math.abs(Date.parse(`${c.from}Z`) - Date.parse(`${c.to}Z`))
      // The other instant a wall time names, if any: a pass is 'first' when it comes later.
      const amounts = [...new Set(changes.map(amount))]
      const twin = (ms: number): number | null => amounts.flatMap((d) => [ms + d, ms - d]).find((o) => wall(o, zone) === wall(ms, zone)) ?? null
      const passOf = (ms: number): string | null => { const o = twin(ms); return o === null ? null : o > ms ? 'first' : 'second' }
      for (const { ms, pass } of passes) t.equal(pass, passOf(ms), `${zone}: the pass of ${new Date(ms).toISOString()}`)
      for (const { start, end, pieces } of spans) {
        if (pieces === null) {
          const reach = (c: Change): number => (c.skipped ? 0 : amount(c))
          t.notOk(changes.some((c) => start < c.at + reach(c) && c.at - reach(c) < end), `${zone}: ${new Date(start).toISOString()} touches no change`)
          continue
        }
        // Each piece's instants from the wall lengths before it: its ends' wall times and its pass by Intl.
        let at = start
        for (const piece of pieces) {
          const next = at + Date.parse(`${piece.to}Z`) - Date.parse(`${piece.from}Z`)
          t.same(piece, { from: naive(wall(at, zone)), to: naive(wall(next - 1000, zone) + 1000), pass: passOf(at) }, `${zone}: a piece of ${new Date(start).toISOString()}`)
          at = next
        }
        t.equal(at, end, `${zone}: the pieces of ${new Date(start).toISOString()} add up to its length`)
      }
    }
  })

  t.same(problems, [], 'no console errors or failed requests')
})
