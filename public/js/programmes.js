// @ts-check
// A channel's programmes as the panel draws them (SPEC §14, issue 23): one box per programme
// with its title, its breaks and its pad drawn inside it as bands; a run of default filler
// collapsed into one labelled strip; a colour per category, with a legend. Shared by the
// channel's Events editor (views/channel/events.js) and the Guide (views/guide.js).
import { allPages } from './pages.js'
import { html } from './preact.js'
import { passOf, wallTime } from './calendar.js'

/** @typedef {import('../../contract/programmes.js').Programme} Programme */
/** @typedef {import('../../contract/programmes.js').ProgrammesPage} ProgrammesPage */
/** @typedef {import('../../contract/programmes.js').Segment} Segment */
/**
 * A box drawn: a programme, or a strip of filler programmes (`clips`: how many programmes it joins).
 * @typedef {{ id: string, kind: Programme['kind'], title: string, start: string, end: string, category?: string | null, pinned: boolean,
 *   segments: Segment[], clips?: number } & Pick<Programme, 'season' | 'episode' | 'year' | 'description'>} Drawn
 */

/** "S02E05", "S02", "E05" or "" from a programme's or a media item's season and episode. @param {{ season?: number, episode?: number }} item */
export const episodeLabel = ({ season, episode }) =>
  `${season === undefined ? '' : `S${String(season).padStart(2, '0')}`}${episode === undefined ? '' : `E${String(episode).padStart(2, '0')}`}`

/** Every programme of a channel in [from, to), every page of it. @param {string} channelId @param {Date} from @param {Date} to */
export async function readProgrammes (channelId, from, to) {
  /** @type {ProgrammesPage[]} */
  const pages = await allPages(`/api/channels/${channelId}/programmes?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`)
  return pages.flatMap((p) => p.programmes)
}

/**
 * The programmes with each run of back-to-back default filler (one programme or several) as
 * one strip titled `label`, saying how many clips it airs: overnight filler is hundreds of
 * clips, which as boxes are a solid mass and as a clip's title say nothing. A strip is drawn,
 * not edited (its id names its first programme).
 * @template {Drawn} P
 * @param {P[]} programmes in order of start
 * @param {string} label
 * @returns {(P | Drawn)[]}
 */
export function collapseFiller (programmes, label) {
  /** @type {(P | Drawn)[]} */
  const out = []
  /** @type {P[]} */
  let run = []
  const close = () => {
    if (run.length === 0) return
    const [first, last] = [run[0], run[run.length - 1]]
    const clips = run.reduce((n, p) => n + (p.clips ?? Math.max(p.segments.length, 1)), 0) // a brief's clips: its segments, not sent
    out.push({ id: `filler-run:${first.id}`, kind: 'filler', title: label, start: first.start, end: last.end, category: null, pinned: false, segments: [], clips })
    run = []
  }
  for (const p of programmes) {
    if (p.kind === 'filler' && (run.length === 0 || Date.parse(run[run.length - 1].end) === Date.parse(p.start))) { run.push(p); continue }
    close()
    if (p.kind === 'filler') run.push(p)
    else out.push(p)
  }
  close()
  return out
}

// Category colours: a fixed palette, chosen by a hash of the category, so a category keeps its
// colour from day to day and view to view (style.css .cat-0 … .cat-9).
const PALETTE_SIZE = 10
/** The class of a programme's colour. @param {Pick<Drawn, 'kind' | 'category'>} p */
export function colourClass (p) {
  if (p.kind === 'filler') return 'kind-filler'
  if (!p.category) return p.kind === 'fixed' ? 'kind-fixed' : 'cat-none'
  let hash = 0
  for (const char of p.category.toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return `cat-${hash % PALETTE_SIZE}`
}

/** The legend of the colours drawn: each category once, then filler, breaks and pad. @param {{ drawn: Drawn[], id: string }} props */
export function Legend ({ drawn, id }) {
  /** @type {Map<string, string>} */
  const categories = new Map()
  for (const p of drawn) if (p.kind !== 'filler') categories.set(p.category || (p.kind === 'fixed' ? 'Live or fixed' : 'No category'), colourClass(p))
  const entries = [...categories].sort(([a], [b]) => a.localeCompare(b))
  const swatch = (/** @type {string} */ name, /** @type {string} */ cls) => html`<li><span class=${`swatch ${cls}`} aria-hidden="true"></span>${name}</li>`
  return html`<ul class="legend" id=${id} aria-label="Colours">
    ${entries.map(([name, cls]) => swatch(name, cls))}
    ${swatch('Filler (a run is one strip)', 'kind-filler')}${swatch('Break', 'band-break')}${swatch('Pad', 'band-pad')}
  </ul>`
}

/** @typedef {import('./calendar.js').ClockChange} ClockChange */

/**
 * "20:14:03" in `timeZone`; "01:30:00 (second)" for a time the clocks repeat, by `changes`.
 * @param {string} iso @param {string} timeZone @param {ClockChange[]} [changes]
 */
function clock (iso, timeZone, changes = []) {
  const pass = passOf(Date.parse(iso), changes)
  return `${wallTime(iso, timeZone).slice(11)}${pass ? ` (${pass})` : ''}`
}
/** A length in words: "45 seconds", "25 minutes", "1 hour 32 minutes". @param {number} ms */
export function spokenLength (ms) {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`
  const [h, m] = [Math.floor(s / 3600), Math.floor(s / 60) % 60]
  const part = (/** @type {number} */ n, /** @type {string} */ unit) => (n ? `${n} ${unit}${n === 1 ? '' : 's'}` : '')
  return [part(h, 'hour'), part(m, 'minute'), s < 600 && s % 60 ? part(s % 60, 'second') : ''].filter(Boolean).join(' ')
}

/**
 * What a box says to a screen reader and in its tooltip: the whole title, the times to the
 * second (a short clip's seconds matter) and the length, the breaks, pinned. A time in a
 * stretch the clocks repeat (by `changes`, the build preview's) says which pass it is.
 * @param {Drawn} p @param {string} timeZone @param {ClockChange[]} [changes]
 */
export function describe (p, timeZone, changes = []) {
  const span = `${clock(p.start, timeZone, changes)} to ${clock(p.end, timeZone, changes)} (${spokenLength(Date.parse(p.end) - Date.parse(p.start))})`
  // A filler strip's name starts with what the strip shows (title, start, clips: label in name, WCAG 2.5.3).
  if (p.clips) return `${p.title} ${clock(p.start, timeZone).slice(0, 5)} · ${p.clips} clip${p.clips === 1 ? '' : 's'} of default filler, ${span}`
  const breaks = runs(p.segments).filter((s) => s.role === 'break').length
  return [`${p.title}, ${span}`, breaks ? `${breaks} break${breaks === 1 ? '' : 's'}` : '', p.pinned ? 'pinned' : ''].filter(Boolean).join(', ')
}

/**
 * Back-to-back segments of one role as one span: a break of three clips is one break, a pad
 * of forty promos one pad.
 * @param {Segment[]} segments in air order
 */
function runs (segments) {
  /** @type {{ role: Segment['role'], start: string, end: string }[]} */
  const out = []
  for (const s of segments) {
    const last = out[out.length - 1]
    if (last?.role === s.role && last.end === s.start) last.end = s.end
    else out.push({ role: s.role, start: s.start, end: s.end })
  }
  return out
}

/**
 * The inside of a box, for EventCalendar's eventContent: the title first (what must show in a
 * short box), then the start; breaks and pad as bands at their place in the programme, across
 * it (`axis` 'y': the day runs down, the editor) or up it ('x': the guide's rows). DOM nodes,
 * never markup: titles are the user's text.
 * @param {Drawn} p @param {'x' | 'y'} axis @param {string} timeZone
 */
export function boxContent (p, axis, timeZone) {
  const title = Object.assign(document.createElement('span'), { className: 'box-title', textContent: p.title })
  const clips = p.clips ? ` · ${p.clips} clip${p.clips === 1 ? '' : 's'}` : ''
  const time = Object.assign(document.createElement('span'), { className: 'box-time', textContent: ` ${clock(p.start, timeZone).slice(0, 5)}${clips}` })
  const line = document.createElement('span')
  line.className = 'box-line'
  line.append(title, time)
  const span = Date.parse(p.end) - Date.parse(p.start)
  const bands = runs(p.segments).filter((s) => s.role !== 'part' && span > 0).map((s) => {
    const band = document.createElement('span')
    band.className = `band band-${s.role}`
    const [from, size] = [(Date.parse(s.start) - Date.parse(p.start)) / span, (Date.parse(s.end) - Date.parse(s.start)) / span]
    // CSSOM, not a style attribute: the panel's CSP allows no inline styles.
    band.style.setProperty(axis === 'y' ? 'top' : 'left', `${(from * 100).toFixed(3)}%`)
    band.style.setProperty(axis === 'y' ? 'height' : 'width', `${(size * 100).toFixed(3)}%`)
    return band
  })
  return { domNodes: [line, ...bands] }
}
