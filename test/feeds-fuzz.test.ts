import t from 'tap'
import fc from 'fast-check'
import { bearer, buildTestApp } from './helpers.js'

// The token segment of /feeds/<token>/… fuzzed (SPEC §17): whatever it holds, a feed never
// answers 5xx and never opens without a token an admin made; a real token with any other
// path after it opens nothing either. `npm test` runs a few per property (FUZZ_RUNS, default
// 10 here ×20); `npm run fuzz`-style runs take FUZZ_RUNS=2000.

const RUNS = Number(process.env.FUZZ_RUNS ?? 10) * 20
const FEEDS = ['guide.xml', 'channels.m3u', 'hdhr/discover.json', 'hdhr/lineup.json', 'hdhr/lineup_status.json', 'hdhr/device.xml', 'channels/00000000-0000-4000-8000-000000000000/guide.xml']
const OPENED = new Set([200, 304])

t.test('a fuzzed token segment never answers 5xx and never opens a feed', async (t) => {
  // Failed authentications are budgeted per address (plugins/auth.ts): lifted here so every
  // request reaches the token check rather than the 429 that follows the budget.
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_AUTH_FAILURE_MAX: '1000000', SCHEDULEFLOW_RATE_LIMIT_MAX: '1000000' })
  const created = await app.inject({ method: 'POST', url: '/api/feed-tokens', headers: bearer('admin'), payload: { name: 'real' } })
  const real: string = created.json().token

  // Near misses of the real token as well as noise: a prefix, a character changed, one more, one less, its case flipped.
  const segment = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ maxLength: 60 }).map((s) => `sff_${s}`),
    fc.tuple(fc.nat(real.length - 1), fc.constantFrom(...'abcXYZ019-_~.')).map(([i, c]) => real.slice(0, i) + c + real.slice(i + 1)).filter((s) => s !== real),
    fc.string({ minLength: 1, maxLength: 3 }).map((s) => real + s),
    fc.nat(real.length - 1).map((n) => real.slice(0, n)),
    fc.constant(real.toUpperCase()),
    fc.constantFrom('..', '.', '%00', '', ' ', 'sff_', 'Bearer', real.slice(4))
  )
  await fc.assert(fc.asyncProperty(segment, fc.constantFrom(...FEEDS), fc.boolean(), async (token, feed, raw) => {
    // Encoded, as a client builds a URL; or raw (what survives as a URL), as a careless one would.
    const url = `/feeds/${raw ? token.replace(/[^\x21-\x7e]|[?#%/]/gu, encodeURIComponent) : encodeURIComponent(token)}/${feed}`
    const res = await app.inject({ url })
    t.ok(res.statusCode < 500, `${url}: ${res.statusCode} ${res.body.slice(0, 200)}`)
    t.notOk(OPENED.has(res.statusCode), `${url} did not open (${res.statusCode})`)
    t.match(res.json(), { status: 'error', code: String, request_id: String })
  }), { numRuns: RUNS, endOnFailure: true })

  // A real token with anything but a feed's path after it.
  await fc.assert(fc.asyncProperty(fc.string({ maxLength: 80 }), async (rest) => {
    const path = rest.split('/').map(encodeURIComponent).join('/')
    fc.pre(!FEEDS.includes(path) && !/^channels\/[^/]+\/(guide\.xml|channel\.m3u)$/.test(path))
    const res = await app.inject({ url: `/feeds/${real}/${path}` })
    t.ok(res.statusCode < 500, `${path}: ${res.statusCode}`)
    t.notOk(OPENED.has(res.statusCode), `/feeds/<real>/${path} did not open (${res.statusCode})`)
  }), { numRuns: RUNS, endOnFailure: true })

  // After all that, the real token still opens its feeds: a near miss never locks it out.
  t.equal((await app.inject({ url: `/feeds/${real}/hdhr/lineup_status.json` })).statusCode, 200)
})
