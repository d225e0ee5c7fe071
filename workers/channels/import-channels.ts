import type { Channel, ChannelCreate, ProblemDetail } from '../../contract/api.js'
import type { XmltvChannel } from '../schedule/import/raw-event.js'
import { CommandError } from '../../contract/command-error.js'
import { isChannelNumber, readChannelCreate } from './request.js'

// An XMLTV import that creates its channels (SPEC §11 "Import"): each `<channel id>` of the
// document is a channel of the station, the stored one with that xmltv_id when there is one,
// else a new one made from the `<channel>` element. Worked out from the channels stored now,
// so the command plans once for its answer's warnings and again inside the write lock.

export interface ImportChannelsPlan {
  /** By XMLTV id, the stored channels the document's channels are. */
  reuse: Map<string, Channel>
  /** The channels to create, in document order, each with its XMLTV id as xmltv_id. */
  create: ChannelCreate[]
  /** What was left out of a channel made (an icon that is not an http(s) URL). */
  notes: string[]
}

const isHttpUrl = (text: string): boolean => /^https?:\/\//i.test(text)

/**
 * number: the first display-name or `<lcn>` that is a channel number (7, 7.1) no channel has,
 * else the next whole number above the highest a channel has (stored or made before it here).
 */
function numberFor (channel: XmltvChannel, taken: Set<string>): string {
  const given = channel.number_candidates.find((text) => isChannelNumber(text) && !taken.has(text))
  if (given !== undefined) return given
  let highest = 0
  for (const number of taken) highest = Math.max(highest, Math.floor(Number(number)))
  return String(highest + 1)
}

/**
 * Which of the document's channels are stored (by xmltv_id) and what the others are created
 * as: name the first display-name (else the id), logo the icon, timezone the import's.
 * A channel that cannot be created as it is written (an XMLTV id with a space, a name over
 * 200 characters) refuses the whole import, naming it.
 */
export function planImportChannels (channels: readonly XmltvChannel[], stored: readonly Channel[], timezone: string): ImportChannelsPlan {
  const byXmltvId = new Map(stored.map((c) => [c.xmltv_id, c]))
  const taken = new Set(stored.map((c) => c.number))
  const plan: ImportChannelsPlan = { reuse: new Map(), create: [], notes: [] }
  const problems: ProblemDetail[] = []
  channels.forEach((xmltv, index) => {
    const existing = byXmltvId.get(xmltv.id)
    if (existing !== undefined) {
      plan.reuse.set(xmltv.id, existing)
      return
    }
    const logo = xmltv.icon !== undefined && isHttpUrl(xmltv.icon) ? xmltv.icon : null
    if (xmltv.icon !== undefined && logo === null) plan.notes.push(`channel "${xmltv.id}": its icon "${xmltv.icon.slice(0, 200)}" is not an http(s) URL and was not kept as the logo`)
    const { channel, problems: found } = readChannelCreate({
      number: numberFor(xmltv, taken),
      name: xmltv.display_names[0] ?? xmltv.id,
      timezone,
      xmltv_id: xmltv.id,
      logo
    })
    for (const p of found.list) problems.push({ field: `channel.${index}.${p.field ?? ''}`, message: `XMLTV channel "${xmltv.id.slice(0, 200)}": ${p.message}` })
    if (found.list.length > 0) return
    taken.add(channel.number)
    plan.create.push(channel)
  })
  if (problems.length > 0) {
    throw new CommandError('VALIDATION_FAILED', `create_channels: ${problems.length === 1 ? 'a channel' : `${problems.length} channels`} of the document cannot be created: ${problems[0].message}; nothing was imported`, problems)
  }
  return plan
}
