// @ts-check
// The auto-fill form shows every refusal in its own words, next to the field it is about
// (issue 11 item 10): the API names fields as the request does (`duration_hours`,
// `links.3.url`, `/playlist_id`, `body/hours`) and words rules for programmers; a person
// filling the form sees the label they typed into and what to do.
import { MAX_COOLDOWN_HOURS, MAX_FILL_HOURS, MAX_SLOT_MINUTES } from '../../contract/limits.js'

/** The request's names, the CLI's option names and schema paths, to the form's field names. */
/** @type {Record<string, string>} */
const ALIASES = { hours: 'duration_hours', playlist: 'playlist_id', start: 'start_time', 'slot-minutes': 'slot_minutes', 'cooldown-hours': 'cooldown_hours', 'when-exhausted': 'when_exhausted' }

/** `/links/3/url`, `body/hours`, `links.3.url` → { name: 'links', index: 3, part: 'url' }. @param {string | undefined} path */
export function fieldOf (path) {
  const parts = String(path ?? '').replace(/^\/+/, '').split(/[./]/).filter(Boolean)
  if (parts[0] === 'body') parts.shift()
  const [name = '', index, part] = parts
  return { name: ALIASES[name] ?? name, index: /^\d+$/.test(index ?? '') ? Number(index) : null, part: part ?? null }
}

const quoted = (/** @type {string} */ message) => /"([^"]*)"/.exec(message)?.[1]

/** One sentence per field; `message` is the API's, read only to tell its cases apart. */
/** @type {Record<string, (message: string, where: string | null, part: string | null) => string>} */
const SENTENCES = {
  playlist_id: (message) => /not both/.test(message)
    ? 'Choose a playlist or paste links, not both.'
    : /unknown|no playlist/i.test(message) ? 'That playlist no longer exists. Choose another one, or paste links.' : 'Choose a playlist from the list.',
  links: (message, where, part) => {
    if (where === null) return 'Paste at least one link, one per line (URL | title | seconds | category), or choose a playlist.'
    if (part === 'url' && /is empty|needs a url/.test(message)) return `${where}: the line needs a video address first.`
    if (part === 'url') return `${where}: "${quoted(message) ?? ''}" is not a video address the service can play. Use an http, https, rtmp, rtsp, udp, srt or file address, or a relative path.`
    if (part === 'duration') return `${where}: the seconds must be a number above 0.`
    if (part === 'title' || part === 'category') return `${where}: the ${part} must be text.`
    return `${where}: write it as URL | title | seconds | category.`
  },
  start_time: (message) => /required|non-empty/.test(message) ? 'Give the date and time the fill starts.' : 'Give the start as a date and time between the years 1 and 9999.',
  timezone: () => 'Give a time zone by its name, such as Europe/London or America/New_York.',
  duration_hours: (message) => {
    if (/required/.test(message)) return 'Give the length in hours.'
    if (/could produce/.test(message)) return `That many hours could make ${/produce ([\d,]+)/.exec(message)?.[1] ?? 'too many'} events, more than one fill may make (${/limit of ([\d,]+)/.exec(message)?.[1] ?? '100,000'}). Ask for fewer hours, or use fixed slots.`
    if (/outside/.test(message)) return 'The fill would end after the year 9999. Ask for fewer hours.'
    return `Give a length of more than 0 and at most ${MAX_FILL_HOURS} hours (${MAX_FILL_HOURS / 24} days).`
  },
  slot_minutes: () => `Give a slot length from 1 to ${MAX_SLOT_MINUTES} minutes.`,
  cooldown_hours: () => `Give a cooldown from 0 to ${MAX_COOLDOWN_HOURS} hours (${MAX_COOLDOWN_HOURS / 24} days).`,
  when_exhausted: () => 'Choose what to air when every link is in its cooldown.',
  seed: () => 'Give the seed as text or a number, or leave it empty.',
  name: () => 'Give the schedule a name, or leave it empty for an automatic one.'
}

/**
 * Where a problem goes in the form and what it says: `{ name, text }`, `name` null when no
 * field of the form is meant. `lineOf(index)` is the textarea line of the index-th link.
 * @param {import('../../../contract/api.js').ProblemDetail} problem
 * @param {(index: number) => number} lineOf
 * @returns {{ name: string | null, text: string }}
 */
export function explainProblem (problem, lineOf) {
  const { name, index, part } = fieldOf(problem.field)
  const sentence = SENTENCES[name]
  if (sentence === undefined) return { name: null, text: problem.message }
  const where = index === null ? null : `Line ${lineOf(index)}`
  return { name, text: sentence(String(problem.message ?? ''), where, part) }
}
