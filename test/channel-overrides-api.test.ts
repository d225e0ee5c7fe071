import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { bearer, buildTestApp } from './helpers.js'
import { importPlaylist, m3u } from './channel-fixtures.js'

// Issue 24 item 6 (SPEC §15) through the real app (real workers, SQLite, or PostgreSQL on
// that pass): an override that leaves part of a template block to the default filler says
// so with the local times, in the dry run before anything is stored and in the stored build;
// `replace: "hours"` keeps the template block's other hours; the dry run lists what a fixed
// event pushes and cuts, naming it; `fill: "pad"` without a filler pads with the default filler.

const operator = bearer('operator')
const viewer = bearer('viewer')
const DAY = '2026-12-12' // a Saturday, GMT in London: local times are UTC times

interface Warning { code: string, message: string, block?: string, date?: string }
interface Event { title: string, start: string, end: string, origin: { kind: string, block?: string, override?: string }, reason: string }

const counts = async (app: FastifyInstance): Promise<unknown> => (await app.inject({ url: '/api/system/info', headers: viewer })).json().counts

async function setUp (app: FastifyInstance) {
  const films = await importPlaylist(app, m3u(20, 'film', 5400), 'films')
  const fillers = await importPlaylist(app, m3u(30, 'ident', 30, 'Idents'), 'fillers')
  const created = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '9', name: 'Sport TV', timezone: 'Europe/London', default_filler: fillers } })
  if (created.statusCode !== 201) throw new Error(created.body)
  const channel = created.json().channel
  const template = { blocks: [{ id: 'films', days: ['sat'], start: '11:00', end: '19:00', source: { playlist: films }, order: 'shuffle', fill: 'pad', filler: fillers }] }
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: template })
  if (put.statusCode !== 200) throw new Error(put.body)
  const override = {
    name: 'Derby day',
    from: DAY,
    to: DAY,
    blocks: [{ id: 'match', days: ['sat'], start: '13:00', end: '19:00', source: { playlist: films }, order: 'shuffle', fill: 'pad', filler: fillers }],
    events: [{ title: 'Derby (live)', start: `${DAY}T15:10:00`, end: `${DAY}T17:00:00`, video_url: 'rtmp://live.example/derby' }]
  }
  const posted = await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/overrides`, headers: operator, payload: override })
  if (posted.statusCode !== 201) throw new Error(posted.body)
  return { channel, films, fillers, override: posted.json().override, body: override }
}

const build = async (app: FastifyInstance, id: string, dryRun: boolean) =>
  app.inject({ method: 'POST', url: `/api/channels/${id}/build`, headers: operator, payload: { from: DAY, to: DAY, seed: 'derby', dry_run: dryRun } })
const ofCode = (warnings: Warning[], code: string): Warning[] => warnings.filter((w) => w.code === code)
const between = (events: Event[], from: string, to: string): Event[] => events.filter((e) => e.start >= `${DAY}T${from}` && e.end <= `${DAY}T${to}:00.000Z`)

t.test('an override leaving 11:00–13:00 to the default filler: the dry run and the build say so; what the fixed event pushes is listed first', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel } = await setUp(app)
  const before = await counts(app)
  const dry = await build(app, channel.id, true)
  t.equal(dry.statusCode, 200, dry.body)
  const preview = dry.json()
  t.same(ofCode(preview.warnings, 'LEFT_TO_FILLER'), [{
    code: 'LEFT_TO_FILLER',
    block: 'films',
    date: DAY,
    message: 'override "Derby day" leaves 11:00–13:00 on 2026-12-12 to the default filler: the template\'s block "films" covered it'
  }], 'the override warning names the local times, once')
  const pushed = ofCode(preview.warnings, 'ITEM_PUSHED')
  t.equal(pushed.length, 1, 'one item pushed')
  t.match(pushed[0], { block: 'match', date: DAY, message: /^"film \d+" of block "match" pushed after fixed "Derby \(live\)" \(15:10–17:00\): it would have run 14:30–16:00$/ }, 'the fixed event named, with its times')
  const early = between(preview.events, '11:00', '13:00')
  t.ok(early.length > 0 && early.every((e) => e.origin.kind === 'default'), 'the preview shows 11:00–13:00 airing the default filler')
  t.match(preview.events.find((e: Event) => e.origin.kind === 'fixed'), { title: 'Derby (live)', start: `${DAY}T15:10:00.000Z`, end: `${DAY}T17:00:00.000Z` })
  t.same(await counts(app), before, 'the dry run stored nothing')

  const stored = await build(app, channel.id, false)
  t.equal(stored.statusCode, 201, stored.body)
  t.same(stored.json().warnings, preview.warnings, 'the stored build says what its dry run said')
})

t.test('replace "hours": the template block keeps 11:00–13:00; a cutting block\'s cut is listed in the dry run, the event named', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, override, body } = await setUp(app)
  const patch = { replace: 'hours', blocks: [{ ...body.blocks[0], fill: 'cut' }] }
  const patched = await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/overrides/${override.id}`, headers: operator, payload: patch })
  t.equal(patched.statusCode, 200, patched.body)
  t.equal(patched.json().override.replace, 'hours', 'stored')
  const dry = await build(app, channel.id, true)
  t.equal(dry.statusCode, 200, dry.body)
  const preview = dry.json()
  t.same(ofCode(preview.warnings, 'LEFT_TO_FILLER'), [], 'nothing left to the default filler')
  const early = between(preview.events, '11:00', '13:00')
  t.ok(early.length > 0 && early.every((e) => e.origin.block === 'films' && e.origin.override === undefined), '11:00–13:00 airs the template block')
  t.equal(early[0].start, `${DAY}T11:00:00.000Z`)
  t.equal(early.at(-1)!.end, `${DAY}T13:00:00.000Z`)
  const cut = ofCode(preview.warnings, 'ITEM_CUT').filter((w) => !w.message.includes('block end'))
  t.equal(cut.length, 1, 'one item cut before the block\'s end')
  t.match(cut[0], { block: 'match', date: DAY, message: /^"film \d+" of block "match" cut at fixed "Derby \(live\)" at 15:10: 50 min not aired$/ }, 'the fixed event named')
  t.match(preview.events.find((e: Event) => e.end === `${DAY}T15:10:00.000Z`), { origin: { kind: 'item', block: 'match' }, reason: /cut at fixed "Derby \(live\)"/ }, 'the cut event says why')
  t.equal(ofCode(preview.warnings, 'ITEM_PUSHED').length, 0)
})

t.test('before_fixed "best_fit" is stored and fills up to the fixed event from the block\'s source', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, override, fillers } = await setUp(app)
  const mixed = await importPlaylist(app, `${m3u(10, 'film', 5400)}${m3u(6, 'show', 1200, 'Shows').replace('#EXTM3U\n', '')}`, 'mixed')
  // A template block (its shuffle seeded by the build's seed and its own id; an override's block
  // would be seeded by the override's random id) cut by the override's fixed event alone.
  const block = { id: 'films', days: ['sat'], start: '13:00', end: '19:00', source: { playlist: mixed }, order: 'shuffle', fill: 'pad', filler: fillers, before_fixed: 'best_fit', cooldown_hours: 0 }
  t.equal((await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: { blocks: [block] } })).statusCode, 200)
  t.equal((await app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}/overrides/${override.id}`, headers: operator, payload: { blocks: [] } })).statusCode, 200)
  const stored = (await app.inject({ url: `/api/channels/${channel.id}/template`, headers: viewer })).json()
  t.match(stored.template.blocks[0], { before_fixed: 'best_fit' }, 'stored as given')
  const preview = (await build(app, channel.id, true)).json()
  const fits = preview.events.filter((e: Event) => /^best fit before fixed "Derby \(live\)" \(15:10\)/.test(e.reason))
  t.ok(fits.length > 0, 'items chosen to fit before the event')
  const last = preview.events.filter((e: Event) => e.end <= `${DAY}T15:10:00.000Z` && e.origin.kind !== 'default').at(-1)
  const padded = preview.events.filter((e: Event) => e.origin.kind === 'filler' && e.start >= fits.at(-1).end && e.end <= `${DAY}T15:10:00.000Z`)
  const padMs = padded.reduce((sum: number, e: Event) => sum + Date.parse(e.end) - Date.parse(e.start), 0)
  t.ok(padMs < 20 * 60_000, `the pad before the event (${padMs / 60_000} min) is shorter than the shortest item (20 min)`)
  t.equal(last.end, `${DAY}T15:10:00.000Z`, 'up to the event')
})

t.test('fill "pad" with no filler playlist is taken, and pads with the channel\'s default filler (SPEC §15)', async (t) => {
  const { app } = await buildTestApp(t)
  const { channel, films } = await setUp(app)
  const template = { blocks: [{ id: 'films', days: ['sat'], start: '11:00', end: '12:00', source: { playlist: films }, fill: 'pad' }] }
  const put = await app.inject({ method: 'PUT', url: `/api/channels/${channel.id}/template`, headers: operator, payload: template })
  t.equal(put.statusCode, 200, put.body)
  const preview = (await app.inject({ method: 'POST', url: `/api/channels/${channel.id}/build`, headers: operator, payload: { from: '2026-12-05', to: '2026-12-05', dry_run: true } })).json()
  const pads = preview.events.filter((e: Event) => e.origin.kind === 'filler' && e.origin.block === 'films')
  t.ok(pads.length > 0 && pads.every((e: Event) => e.title.startsWith('ident')), 'the block pads with the default filler\'s idents')
  t.equal(pads.at(-1).end, '2026-12-05T12:00:00.000Z', 'up to its end')
  t.same(ofCode(preview.warnings, 'BLOCK_NOT_FILLED'), [])
})
