import type { ProgrammesPage } from '../../contract/programmes.js'
import { MAX_PAGE } from '../../contract/limits.js'
import { programmeAnswer } from '../channels/programme-answer.js'
import type { CommandDefinition } from './command.js'
import { pagedChannelRead } from './channels.js'
import { nextPageUrl } from '../paging.js'

// channel-programmes (SPEC §14): a channel's timeline as programmes, paged as channel-events
// is (default now → now + 7 days). A programme answers its kind, title, episode and whether it
// is pinned, with its segments; one of a placed schedule's events is a programme of its own.

const channelProgrammes: CommandDefinition<ProgrammesPage> = {
  summary: 'a channel\'s programmes in a range (default now → now + 7 days), a page at a time: each airing with its breaks and pad, fixed events, filler stretches',
  usage: `<id> [--from ISO] [--to ISO] [--cursor C] [--limit N ≤ ${MAX_PAGE}]`,
  options: { from: { type: 'string' }, to: { type: 'string' }, cursor: { type: 'string' }, limit: { type: 'string' } },
  async run (ctx) {
    const { db, id, channel, range, after, limit } = await pagedChannelRead(ctx)
    const page = await db.programmes.programmesPage(id, range, { after, limit })
    const last = page.programmes.at(-1)
    const next = page.more && last !== undefined ? nextPageUrl(`/api/channels/${id}/programmes`, range, { start: last.start, id: last.id }, limit) : undefined
    return { programmes: page.programmes.map((p) => programmeAnswer(p, channel)), ...(next !== undefined && { next }) }
  }
}
export default channelProgrammes
