import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { documentResponse, recordId } from './schemas.js'
import { costlyRateLimit, optionArgs, sendDocument } from './documents.js'
import { conditionalGet } from './conditional.js'
import { answerChannelList, answerGuide, guideRange, serviceUrl } from './channels.js'
import { HttpError } from '../lib/http-errors.js'
import { EXPORT_FORMATS } from '../contract/formats.js'
import { HdhrDiscoverSchema, HdhrLineupEntrySchema, HdhrLineupStatusSchema } from '../contract/on-air.js'
import { CHANNELS_SCOPE, channelScope } from '../workers/storage/revisions.js'
import { HDHR_LINEUP_STATUS, hdhrDeviceId, hdhrDeviceXml, hdhrDiscover } from '../workers/on-air/hdhr.js'

// /feeds/<token>/… (SPEC §17): what IPTV apps and tuners fetch with a feed token in the path,
// since they cannot send an Authorization header. plugins/auth.ts checks the token against the
// database on every request (config.feed); only the paths below open with it, and any other
// path under /feeds answers 401. Absolute URLs (url-tvg, BaseURL, LineupURL) are made from
// SCHEDULEFLOW_PUBLIC_URL or the listening address (serviceUrl), never the request's Host.
//
//   guide.xml, channels.m3u                      every channel, as /api/guide.xml and /api/channels.m3u
//   channels/<id>/guide.xml, channels/<id>/channel.m3u   one channel's guide and a list of it alone
//   hdhr/discover.json, lineup.json, lineup_status.json, device.xml   the HDHomeRun tuner

const tags = ['feeds']
const TokenParams = Type.Object({ token: Type.String({ description: 'a feed token (POST /api/feed-tokens)' }) })
const ChannelParams = Type.Composite([TokenParams, Type.Object({ id: Type.String({ description: 'the channel, a UUID' }) })])
const Range = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601; default: the start of yesterday (UTC)' })),
  to: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601; default: 8 days after from' }))
})

/** Where this token's feeds are, absolute: the token as it was given (it was found, so it is one we made). */
const feedBase = (fastify: FastifyInstance, request: FastifyRequest): string =>
  `${serviceUrl(fastify)}/feeds/${encodeURIComponent(request.feedToken!.token)}`

/** How often (at most, per token and instance) a feed's use is written down as the token's last_used. */
const TOUCH_EVERY_MS = 60_000

/** Writes last_used through the pool, at most every TOUCH_EVERY_MS per token; never holds up or fails an answer. */
function lastUsedKeeper (fastify: FastifyInstance): (request: FastifyRequest) => void {
  const touched = new Map<string, number>()
  return (request) => {
    const id = request.feedToken?.id
    const now = fastify.clock.now()
    if (id === undefined || now - (touched.get(id) ?? -Infinity) < TOUCH_EVERY_MS) return
    touched.set(id, now)
    fastify.runCli('touch-feed-token', ['--', id]).catch((err: Error) => { request.log.debug({ err }, 'feed token last_used not written') })
  }
}

function documents (fastify: Parameters<FastifyPluginAsyncTypebox>[0]): void {
  const costly = costlyRateLimit(fastify)
  const xmltv = [EXPORT_FORMATS.xmltv.media_type]

  fastify.get('/feeds/:token/guide.xml', {
    config: { feed: true, ...costly },
    schema: { summary: 'Every channel\'s XMLTV guide, as /api/guide.xml', tags, params: TokenParams, querystring: Range, response: documentResponse('XMLTV', xmltv) }
  }, async (request, reply) => answerGuide(request, reply, request.query))

  fastify.get('/feeds/:token/channels.m3u', {
    config: { feed: true },
    schema: { summary: 'The channel list, as /api/channels.m3u; its url-tvg is this token\'s guide.xml', tags, params: TokenParams, response: documentResponse('the channel list', [EXPORT_FORMATS.m3u.media_type]) }
  }, async (request, reply) => answerChannelList(request, reply, `${feedBase(fastify, request)}/guide.xml`))

  fastify.get('/feeds/:token/channels/:id/guide.xml', {
    config: { feed: true, ...costly },
    schema: { summary: 'One channel\'s XMLTV guide (default range as guide.xml)', tags, params: ChannelParams, querystring: Range, response: documentResponse('XMLTV', xmltv) }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'channel')
    const range = guideRange(request.query)
    return conditionalGet(request, reply, channelScope(id), async () =>
      sendDocument(reply, await fastify.runCli('export-channel', [...optionArgs({ format: 'xmltv', ...range }), '--', id], { request, cost: 'heavy', stream: true })), range)
  })

  fastify.get('/feeds/:token/channels/:id/channel.m3u', {
    config: { feed: true },
    schema: { summary: 'A channel list of this one channel; its url-tvg is the channel\'s guide.xml in this feed', tags, params: ChannelParams, response: documentResponse('the channel list', [EXPORT_FORMATS.m3u.media_type]) }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'channel')
    const guideUrl = `${feedBase(fastify, request)}/channels/${id}/guide.xml`
    return conditionalGet(request, reply, channelScope(id), async () =>
      sendDocument(reply, await fastify.runCli('export-channel-list', [...optionArgs({ 'guide-url': guideUrl }), `--channel=${id}`], { request, stream: true })), guideUrl)
  })
}

function hdhr (fastify: Parameters<FastifyPluginAsyncTypebox>[0]): void {
  const base = (request: FastifyRequest): string => `${feedBase(fastify, request)}/hdhr`
  const device = (request: FastifyRequest): string => hdhrDeviceId(request.feedToken!.id)

  fastify.get('/feeds/:token/hdhr/discover.json', {
    config: { feed: true },
    schema: { summary: 'HDHomeRun discover.json: what the tuner is and where its lineup is', tags, params: TokenParams, response: { 200: HdhrDiscoverSchema } }
  }, async (request) => hdhrDiscover(base(request), device(request)))

  fastify.get('/feeds/:token/hdhr/lineup.json', {
    config: { feed: true },
    schema: { summary: 'HDHomeRun lineup.json: each channel with a stream_url (GuideNumber, GuideName, URL)', tags, params: TokenParams, response: { 200: Type.Array(HdhrLineupEntrySchema) } }
  }, async (request, reply) => conditionalGet(request, reply, CHANNELS_SCOPE, async () => fastify.runCli('hdhr-lineup', [], { request })))

  fastify.get('/feeds/:token/hdhr/lineup_status.json', {
    config: { feed: true },
    schema: { summary: 'HDHomeRun lineup_status.json: no scan (the lineup is the channels)', tags, params: TokenParams, response: { 200: HdhrLineupStatusSchema } }
  }, async () => HDHR_LINEUP_STATUS)

  fastify.get('/feeds/:token/hdhr/device.xml', {
    config: { feed: true },
    schema: { summary: 'HDHomeRun device.xml: the UPnP device description', tags, params: TokenParams, response: documentResponse('UPnP device description', ['application/xml; charset=utf-8']) }
  }, async (request, reply) => reply.type('application/xml; charset=utf-8').send(hdhrDeviceXml(base(request), device(request))))
}

const feeds: FastifyPluginAsyncTypebox = async (fastify) => {
  const keepLastUsed = lastUsedKeeper(fastify)
  fastify.addHook('onResponse', async (request, reply) => { if (reply.statusCode < 400) keepLastUsed(request) })
  documents(fastify)
  hdhr(fastify)
  // Whatever else is asked under /feeds, with a token or not: a feed token opens only the above.
  fastify.all('/feeds/*', { schema: { hide: true } }, async () => {
    throw new HttpError('UNAUTHORIZED', 'a feed token opens only guide.xml, channels.m3u, channels/<id>/guide.xml, channels/<id>/channel.m3u and hdhr/{discover.json,lineup.json,lineup_status.json,device.xml}')
  })
}

export default feeds
