import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { parseXmltv } from '@iptv/xmltv'
import { bearer, buildTestApp, waitFor, type TestApp } from './helpers.js'
import { setUpChannel } from './channel-fixtures.js'
import { assertValidXmltv, withDocument } from './xml-check.js'
import { storeQuery } from './test-database.js'
import { parseM3u } from '../workers/playlist/m3u.js'

// Feed tokens and the feeds they open (SPEC §17), through the real app on both databases: an
// admin makes, lists and revokes tokens; a token opens guide.xml, channels.m3u, their
// per-channel variants and the HDHomeRun tuner, and nothing else; a revoked token is refused
// at once, on every instance; each token has its own rate limit.

const admin = bearer('admin')
const operator = bearer('operator')
const viewer = bearer('viewer')
const PUBLIC = 'https://tv.example.org/tv'
const ERROR_SHAPE = { status: 'error', code: String, message: String, request_id: String }

async function createToken (app: FastifyInstance, name = 'Lobby TV'): Promise<{ id: string, token: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/feed-tokens', headers: admin, payload: { name } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json()
}

/** Today and tomorrow (UTC dates): built, so the guide's default range has programmes. */
async function builtChannel (app: FastifyInstance) {
  const set = await setUpChannel(app)
  const today = new Date().toISOString().slice(0, 10)
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
  const build = await app.inject({ method: 'POST', url: `/api/channels/${set.channel.id}/build`, headers: operator, payload: { from: today, to: tomorrow, seed: 'feeds' } })
  if (build.statusCode !== 201) throw new Error(build.body)
  return set
}

t.test('feed tokens: only an admin creates, lists and revokes them; the token is shown once and stored only as a hash', async (t) => {
  const { app, config } = await buildTestApp(t)
  for (const headers of [operator, viewer]) {
    const refused = await app.inject({ method: 'POST', url: '/api/feed-tokens', headers, payload: { name: 'x' } })
    t.equal(refused.statusCode, 403)
    t.match(refused.json(), { ...ERROR_SHAPE, code: 'FORBIDDEN' })
    t.equal((await app.inject({ url: '/api/feed-tokens', headers })).statusCode, 403, 'listing needs an admin')
  }
  const created = await app.inject({ method: 'POST', url: '/api/feed-tokens', headers: admin, payload: { name: 'Lobby TV' } })
  t.equal(created.statusCode, 201, created.body)
  const { token, id } = created.json()
  t.match(created.json(), { id: String, name: 'Lobby TV', created: String, last_used: null })
  t.match(token, /^sff_[A-Za-z0-9_-]{32}$/, 'FEED_TOKEN_PREFIX then 24 random bytes, base64url')
  t.equal((await app.inject({ method: 'DELETE', url: `/api/feed-tokens/${id}`, headers: operator })).statusCode, 403, 'revoking needs an admin')

  const listed = await app.inject({ url: '/api/feed-tokens', headers: admin })
  t.same(listed.json().tokens.map((k: { id: string }) => k.id), [id])
  t.notOk(listed.body.includes(token), 'the list never shows a token')
  t.notOk(listed.body.includes(token.slice(4)), 'nor its random part')

  const rows = await storeQuery<Record<string, unknown>>(config, 'SELECT * FROM feed_tokens')
  t.equal(rows.length, 1)
  t.notOk(JSON.stringify(rows).includes(token.slice(4)), 'the table holds no token in clear')
  t.match(rows[0], { name: 'Lobby TV', token_hash: /^[0-9a-f]{64}$/ })

  for (const payload of [{}, { name: '' }, { name: 'x'.repeat(201) }, { name: 'a', extra: 1 }, { name: 'bell\u0007' }]) {
    const bad = await app.inject({ method: 'POST', url: '/api/feed-tokens', headers: admin, payload })
    t.equal(bad.statusCode, 400, JSON.stringify(payload))
    t.match(bad.json(), ERROR_SHAPE)
  }
  t.equal((await storeQuery(config, 'SELECT id FROM feed_tokens')).length, 1, 'a refused body stores nothing')

  t.equal((await app.inject({ method: 'DELETE', url: `/api/feed-tokens/${id}`, headers: admin })).statusCode, 204)
  const again = await app.inject({ method: 'DELETE', url: `/api/feed-tokens/${id}`, headers: admin })
  t.equal(again.statusCode, 404)
  t.match(again.json(), { ...ERROR_SHAPE, code: 'NOT_FOUND' })
  t.equal((await app.inject({ method: 'DELETE', url: '/api/feed-tokens/not-a-uuid', headers: admin })).statusCode, 404)
  t.same((await app.inject({ url: '/api/feed-tokens', headers: admin })).json(), { tokens: [] })
})

t.test('a feed token opens guide.xml and channels.m3u (url-tvg: the same token\'s guide, on the public URL) and nothing else', async (t) => {
  const { app, config, logs } = await buildTestApp(t, { SCHEDULEFLOW_PUBLIC_URL: PUBLIC })
  const { channel } = await builtChannel(app)
  const { token, id } = await createToken(app)
  const forged = { host: 'evil.example:666', 'x-forwarded-host': 'evil.example' }

  const guide = await app.inject({ url: `/feeds/${token}/guide.xml`, headers: forged })
  t.equal(guide.statusCode, 200, guide.body)
  assertValidXmltv(t, guide.body)
  const parsed = parseXmltv(guide.body)
  t.match(parsed.channels, [{ id: 'C7.7.scheduleflow', displayName: [{ _value: 'Campus TV' }, { _value: '7' }] }])
  t.ok((parsed.programmes ?? []).some((p) => p.channel === 'C7.7.scheduleflow'), 'with the built programmes')
  t.equal(guide.body, (await app.inject({ url: '/api/guide.xml', headers: viewer })).body, 'the same guide /api/guide.xml answers')

  const list = await app.inject({ url: `/feeds/${token}/channels.m3u`, headers: forged })
  t.equal(list.statusCode, 200, list.body)
  const m3u = parseM3u(list.body)
  t.equal(m3u.attributes['url-tvg'], `${PUBLIC}/feeds/${token}/guide.xml`, 'absolute, from SCHEDULEFLOW_PUBLIC_URL, whatever Host the request named')
  t.match(m3u.items, [{ title: 'Campus TV', url: 'https://live.example/ctv.m3u8', tvg: { 'tvg-chno': '7' } }])
  t.equal((await app.inject({ url: new URL(m3u.attributes['url-tvg']).pathname.replace(/^\/tv/, '') })).body, guide.body, 'url-tvg opens the guide')

  // The per-channel variants.
  const one = await app.inject({ url: `/feeds/${token}/channels/${channel.id}/guide.xml` })
  t.equal(one.statusCode, 200, one.body)
  assertValidXmltv(t, one.body)
  t.match(parseXmltv(one.body).channels, [{ id: 'C7.7.scheduleflow' }])
  const oneList = parseM3u((await app.inject({ url: `/feeds/${token}/channels/${channel.id}/channel.m3u` })).body)
  t.equal(oneList.attributes['url-tvg'], `${PUBLIC}/feeds/${token}/channels/${channel.id}/guide.xml`)
  t.equal(oneList.items.length, 1)
  t.equal((await app.inject({ url: `/feeds/${token}/channels/00000000-0000-4000-8000-000000000000/guide.xml` })).statusCode, 404, 'a channel that is not there')

  // Nothing else opens with it.
  const feedBearer = { authorization: `Bearer ${token}` }
  for (const url of ['/api/channels', '/api/guide.xml', '/api/channels.m3u', '/api/feed-tokens', `/api/channels/${channel.id}`]) {
    const res = await app.inject({ url, headers: feedBearer })
    t.equal(res.statusCode, 401, `${url} with the feed token as a key`)
    t.match(res.json(), { ...ERROR_SHAPE, code: 'UNAUTHORIZED' })
  }
  for (const [method, url] of [['GET', `/feeds/${token}/x`], ['GET', `/feeds/${token}`], ['GET', `/feeds/${token}/hdhr`], ['POST', `/feeds/${token}/channels.m3u`], ['GET', `/feeds/${token}/../api/channels`], ['GET', '/feeds'], ['DELETE', `/feeds/${token}/guide.xml`]] as const) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, method === 'GET' && url === '/feeds' ? 404 : 401, `${method} ${url}`)
    t.match(res.json(), ERROR_SHAPE)
  }

  // The log names the feed's token by its digest, never the token (its path is redacted).
  const served = logs.lines.filter((l) => l.msg === 'request completed' && l.key_id !== null && String(l.key_id).startsWith('feed-'))
  t.ok(served.length > 0, 'feed requests are logged with the token\'s digest id')
  t.notOk(logs.raw.join('\n').includes(token.slice(4)), 'no log line holds the token')

  // last_used is written down (through the pool, after the answer).
  await waitFor(async () => (await app.inject({ url: '/api/feed-tokens', headers: admin })).json().tokens[0].last_used !== null, 30_000)

  // Revoked: refused at once, on this instance and on another one over the same database.
  const other = await buildTestApp(t, { SCHEDULEFLOW_DATA_DIR: config.dataDir, ...(config.databaseUrl !== null && { DATABASE_URL: config.databaseUrl }) })
  t.equal((await other.app.inject({ url: `/feeds/${token}/hdhr/lineup_status.json` })).statusCode, 200, 'the other instance opens it')
  t.equal((await app.inject({ method: 'DELETE', url: `/api/feed-tokens/${id}`, headers: admin })).statusCode, 204)
  for (const instance of [app, other.app]) {
    for (const path of ['guide.xml', 'channels.m3u', 'hdhr/discover.json', 'hdhr/lineup_status.json']) {
      const res = await instance.inject({ url: `/feeds/${token}/${path}` })
      t.equal(res.statusCode, 401, `${path} after the revoke`)
      t.match(res.json(), { ...ERROR_SHAPE, code: 'UNAUTHORIZED' })
    }
  }
})

/** The path of an absolute URL under PUBLIC, to inject. */
const underPublic = (t: Test, url: string): string => {
  t.ok(url.startsWith(`${PUBLIC}/feeds/`), `${url} is absolute, on SCHEDULEFLOW_PUBLIC_URL`)
  return url.slice(PUBLIC.length)
}

t.test('HDHomeRun, read as Plex reads a tuner: discover.json → LineupURL → lineup.json → lineup_status.json → device.xml, and the guide', async (t) => {
  const { app } = await buildTestApp(t, { SCHEDULEFLOW_PUBLIC_URL: PUBLIC })
  await builtChannel(app)
  const noStream = await app.inject({ method: 'POST', url: '/api/channels', headers: operator, payload: { number: '9', name: 'No Stream', timezone: 'UTC' } })
  t.equal(noStream.statusCode, 201, noStream.body)
  const { token, id } = await createToken(app, 'Plex')
  const forged = { host: 'evil.example' }

  const discover = await app.inject({ url: `/feeds/${token}/hdhr/discover.json`, headers: forged })
  t.equal(discover.statusCode, 200, discover.body)
  const device = discover.json()
  t.match(device, { FriendlyName: String, Manufacturer: String, ModelNumber: String, FirmwareName: String, FirmwareVersion: String })
  t.match(device, { DeviceAuth: String, TunerCount: Number })
  t.match(device.DeviceID, /^[0-9A-F]{8}$/, 'DeviceID: 8 hex digits')
  t.equal(device.BaseURL, `${PUBLIC}/feeds/${token}/hdhr`)
  t.equal(device.LineupURL, `${device.BaseURL}/lineup.json`)
  t.equal((await app.inject({ url: `/feeds/${token}/hdhr/discover.json` })).json().DeviceID, device.DeviceID, 'the same device on every read')
  const second = await createToken(app, 'Jellyfin')
  t.not((await app.inject({ url: `/feeds/${second.token}/hdhr/discover.json` })).json().DeviceID, device.DeviceID, 'another token is another device')

  const lineup = await app.inject({ url: underPublic(t, device.LineupURL) })
  t.equal(lineup.statusCode, 200, lineup.body)
  t.same(lineup.json(), [{ GuideNumber: '7', GuideName: 'Campus TV', URL: 'https://live.example/ctv.m3u8' }], 'only the channel with a stream_url')
  const status = await app.inject({ url: underPublic(t, `${device.BaseURL}/lineup_status.json`) })
  t.match(status.json(), { ScanInProgress: 0, ScanPossible: Number, Source: String, SourceList: Array })

  const xml = await app.inject({ url: underPublic(t, `${device.BaseURL}/device.xml`) })
  t.equal(xml.statusCode, 200)
  t.match(xml.headers['content-type'], /xml/)
  withDocument(t, xml.body, (doc) => {
    const ns = { u: 'urn:schemas-upnp-org:device-1-0' }
    const field = (path: string): string | undefined => doc.get(`/u:root/${path}`, ns)?.content
    t.equal(field('u:specVersion/u:major'), '1')
    t.equal(field('u:URLBase'), device.BaseURL)
    t.equal(field('u:device/u:deviceType'), 'urn:schemas-upnp-org:device:MediaServer:1')
    t.equal(field('u:device/u:friendlyName'), device.FriendlyName)
    t.equal(field('u:device/u:manufacturer'), device.Manufacturer)
    t.equal(field('u:device/u:modelNumber'), device.ModelNumber)
    t.equal(field('u:device/u:serialNumber'), device.DeviceID)
    const uuid = new RegExp(`^uuid:${device.DeviceID.toLowerCase()}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
    t.match(field('u:device/u:UDN'), uuid, 'a UDN made from the DeviceID')
  })

  // The guide Plex is given for this tuner: each lineup entry is a guide channel by number and name.
  const guide = parseXmltv((await app.inject({ url: `/feeds/${token}/guide.xml` })).body)
  for (const entry of lineup.json() as Array<{ GuideNumber: string, GuideName: string }>) {
    const names = guide.channels?.find((c) => c.displayName.some((d) => d._value === entry.GuideNumber))?.displayName.map((d) => d._value)
    t.same(names, [entry.GuideName, entry.GuideNumber], `the guide has channel ${entry.GuideNumber}`)
  }

  t.equal((await app.inject({ method: 'DELETE', url: `/api/feed-tokens/${id}`, headers: admin })).statusCode, 204)
  for (const path of ['discover.json', 'lineup.json', 'lineup_status.json', 'device.xml']) {
    t.equal((await app.inject({ url: `/feeds/${token}/hdhr/${path}` })).statusCode, 401, `${path}: revoked`)
  }
})

t.test('feeds are rate-limited per token, as keys are', async (t) => {
  const { app }: TestApp = await buildTestApp(t, { SCHEDULEFLOW_RATE_LIMIT_MAX: '3' })
  const a = await createToken(app, 'A')
  const b = await createToken(app, 'B')
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ url: `/feeds/${a.token}/hdhr/lineup_status.json` })).statusCode, 200)
  const limited = await app.inject({ url: `/feeds/${a.token}/hdhr/lineup_status.json` })
  t.equal(limited.statusCode, 429)
  t.match(limited.json(), { ...ERROR_SHAPE, code: 'RATE_LIMITED' })
  t.ok(limited.headers['retry-after'], 'with retry-after')
  t.equal((await app.inject({ url: `/feeds/${b.token}/hdhr/lineup_status.json` })).statusCode, 200, 'another token (from the same address) has its own budget')
})
