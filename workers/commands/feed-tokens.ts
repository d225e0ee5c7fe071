import { FEED_TOKEN_NAME_MAX } from '../../contract/limits.js'
import type { FeedTokenCreated, FeedTokenList, HdhrLineupEntry } from '../../contract/on-air.js'
import type { CommandDefinition } from './command.js'
import { requiredId } from './options.js'
import { notFound } from './not-found.js'
import { checkedName } from '../text.js'
import { hdhrLineup } from '../on-air/hdhr.js'

// Feed tokens (SPEC §17): an admin creates, lists and revokes them; the API checks a token on
// each feed request through its own storage link (lib/storage-link.ts), so no command reads one.

const tokenName = (value: unknown): string => checkedName(value, FEED_TOKEN_NAME_MAX)

export const createFeedToken: CommandDefinition<FeedTokenCreated> = {
  summary: 'a new feed token for IPTV apps and tuners: its value is answered this once, only its hash is stored',
  usage: '--name NAME',
  options: { name: { type: 'string' } },
  async run ({ options, store, now, log }) {
    const created = await (await store()).feedTokens.create(tokenName(options.name), now())
    log.info('feed token created', { feed_token_id: created.id })
    return created
  }
}

export const listFeedTokens: CommandDefinition<FeedTokenList> = {
  summary: 'the feed tokens, without their values',
  async run ({ store }) {
    return { tokens: await (await store()).feedTokens.list() }
  }
}

export const deleteFeedToken: CommandDefinition<{ deleted: string }> = {
  summary: 'revoke a feed token: its feeds answer 401 from now on',
  usage: '<id>',
  async run ({ positionals, store, log }) {
    const id = requiredId(positionals, 'feed token')
    if (!await (await store()).feedTokens.delete(id)) throw notFound('feed token', id)
    log.info('feed token revoked', { feed_token_id: id })
    return { deleted: id }
  }
}

export const touchFeedToken: CommandDefinition<{ touched: string }> = {
  summary: 'note that a feed token was used now (its last_used)',
  usage: '<id>',
  async run ({ positionals, store, now }) {
    const id = requiredId(positionals, 'feed token')
    await (await store()).feedTokens.touch(id, now())
    return { touched: id }
  }
}

export const hdhrLineupCommand: CommandDefinition<HdhrLineupEntry[]> = {
  summary: 'the HDHomeRun lineup: the channels with a stream_url, as lineup.json lists them',
  async run ({ store }) {
    return hdhrLineup(await (await store()).channels.list())
  }
}
