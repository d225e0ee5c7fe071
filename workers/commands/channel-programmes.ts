import type { Programme, ProgrammeKind, ProgrammesPage } from '../../contract/programmes.js'
import type { Channel } from '../../contract/channels.js'
import { MAX_PAGE } from '../../contract/limits.js'
import { iso } from '../schedule/model.js'
import type { StoredChannelEvent } from '../storage/channels.js'
import type { StoredProgramme } from '../storage/programmes.js'
import type { CommandDefinition } from './command.js'
import { requiredId } from './options.js'
import { channelRange, findChannel } from './channels.js'
import { cursorOption, defaultChannelRange, limitOption, nextPageUrl } from '../paging.js'

// channel-programmes (SPEC §14): a channel's timeline as programmes, paged as channel-events
// is (default now → now + 7 days). A programme answers its kind, title, episode and whether it
// is pinned, with its segments; one of a placed schedule's events is a programme of its own.

/** A programme's kind from its segments: a fixed event's; an item's (built, or added by hand or placed: no origin); else filler. */
function kindOf (segments: StoredChannelEvent[]): ProgrammeKind {
  if (segments.some((e) => e.origin?.kind === 'fixed')) return 'fixed'
  return segments.some((e) => e.origin === null || e.origin.kind === 'item') ? 'item' : 'filler'
}

/** Season and episode (1-based) of an xmltv_ns episode number, "s.e.p" counted from 0, each part maybe "n/total". */
export function seasonEpisode (episodeNum: string | null): { season?: number, episode?: number } {
  const [s, e] = (episodeNum ?? '').split('.').map((part) => part.split('/')[0].trim())
  const number = (text: string | undefined): number | undefined => text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) + 1 : undefined
  const season = number(s)
  const episode = number(e)
  return { ...(season !== undefined && { season }), ...(episode !== undefined && { episode }) }
}

/** A stored programme as the API answers it; a filler programme is titled by the channel's filler_title (else its name). */
export function programmeAnswer ({ id, segments }: StoredProgramme, channel: Pick<Channel, 'name' | 'filler_title'>): Programme {
  const kind = kindOf(segments)
  const part = segments.find((e) => e.segment_role === 'part' || e.segment_role === null) ?? segments[0]
  return {
    id,
    kind,
    title: kind === 'filler' ? channel.filler_title ?? channel.name : part.title,
    start: iso(segments[0].start),
    end: iso(segments.reduce((end, e) => Math.max(end, e.end), -Infinity)),
    ...(kind === 'item' && seasonEpisode(part.episode_num)),
    ...(kind !== 'filler' && { category: part.category }),
    pinned: segments.every((e) => e.pinned),
    segments: segments.map((e) => ({
      event_id: e.id,
      start: iso(e.start),
      end: iso(e.end),
      role: e.segment_role ?? 'part',
      in_ms: e.in_ms,
      out_ms: e.in_ms + (e.end - e.start)
    }))
  }
}

const channelProgrammes: CommandDefinition<ProgrammesPage> = {
  summary: 'a channel\'s programmes in a range (default now → now + 7 days), a page at a time: each airing with its breaks and pad, fixed events, filler stretches',
  usage: `<id> [--from ISO] [--to ISO] [--cursor C] [--limit N ≤ ${MAX_PAGE}]`,
  options: { from: { type: 'string' }, to: { type: 'string' }, cursor: { type: 'string' }, limit: { type: 'string' } },
  async run ({ options, positionals, store }) {
    const id = requiredId(positionals, 'channel')
    const limit = limitOption(options, MAX_PAGE)
    const after = cursorOption(options)
    const db = await store()
    const channel = await findChannel(db, id)
    const asked = channelRange(options, channel.timezone)
    const range = asked.from === undefined && asked.to === undefined && after === undefined ? defaultChannelRange(Date.now()) : asked
    const page = await db.programmes.programmesPage(id, range, { after, limit })
    const last = page.programmes.at(-1)
    const next = page.more && last !== undefined ? nextPageUrl(`/api/channels/${id}/programmes`, range, { start: last.start, id: last.id }, limit) : undefined
    return { programmes: page.programmes.map((p) => programmeAnswer(p, channel)), ...(next !== undefined && { next }) }
  }
}
export default channelProgrammes
