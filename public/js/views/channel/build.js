// @ts-check
// The build tab: a dry run first (its programmes drawn a week at a time on a grid in the
// channel's wall time, coloured by category, the counts, the warnings), then "Store this build",
// which sends the same request with the preview's seed, so what is stored is what was shown
// (SPEC §11: same inputs and seed, same events); the preview stays drawn as it is meanwhile.
import { MAX_BUILD_DAYS } from '../../../contract/limits.js'
import { api, newIdempotencyKey } from '../../api.js'
import { html, useEffect, useMemo, useRef, useState } from '../../preact.js'
import { addDays, clockChanges, todayIn, wallPieces, wallTime } from '../../calendar.js'
import { Legend, collapseFiller, colourClass, describe } from '../../programmes.js'
import { Field, FormError, groupProblems } from '../field-errors.js'
import { BuildNextStep } from '../first-run.js'
import { ProgrammeList, fmtDate } from './running-order.js'

/** @typedef {import('../../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../../contract/api.js').BuildRequest} BuildRequest */
/** @typedef {import('../../../../contract/api.js').BuildAnswer} BuildAnswer */
/** @typedef {import('../../../../contract/api.js').BuildDryRun} BuildDryRun */
/** @typedef {import('../../../../contract/api.js').BuildStored} BuildStored */
/** @typedef {import('../../../../contract/api.js').BuildStats} BuildStats */
/** @typedef {import('../../../../contract/programmes.js').ProgrammeBrief} ProgrammeBrief */
/** @typedef {import('../../api.js').ApiError} ApiError */
/** @typedef {import('../field-errors.js').Grouped} Grouped */

const FIELDS = ['from', 'to', 'seed', 'freeze_hours', 'dry_run']
const fieldOf = (/** @type {string} */ path) => FIELDS.find((f) => path === f) ?? null

/** @type {[keyof BuildStats, string][]} */
const STATS = [['events', 'Events'], ['blocks', 'Blocks'], ['minutes_filled', 'Minutes filled'], ['minutes_padded', 'Minutes padded'], ['minutes_breaks', 'Minutes of breaks'],
  ['minutes_default', 'Minutes of default filler'], ['minutes_empty', 'Minutes left empty'], ['cooldown_overrides', 'Cooldown overrides'], ['items_cut', 'Items cut'],
  ['items_pushed', 'Items pushed'], ['kept_frozen', 'Kept (frozen)'], ['kept_pinned', 'Kept (pinned)'], ['kept_placed', 'Kept (placed schedules)'], ['items_assumed', 'Items of assumed length']]

/** @param {{ id: string, stats: BuildStats }} props */
const Stats = ({ id, stats }) => html`<dl class="figures" id=${id}>${STATS.map(([key, label]) => html`<div><dt>${label}</dt><dd data-stat=${key}>${Number(stats[key] ?? 0).toLocaleString()}</dd></div>`)}</dl>`

/** @typedef {import('../../programmes.js').Drawn} Drawn */
/** @typedef {Drawn & { wallStart: string, wallEnd: string }} Placed a box with its naive wall times in the channel's zone */

/**
 * The dry run's programmes in brief (asked with `programmes: true`: the worker groups the
 * events as GET …/programmes does, all of them, where its events stop at the first page) as the
 * boxes drawn: breaks and pad as segments at their place, a filler programme's clips counted;
 * runs of default filler then one strip.
 * @param {ProgrammeBrief[]} briefs in order of start
 * @param {string} fillerLabel
 * @returns {Drawn[]}
 */
export function programmesOf (briefs, fillerLabel) {
  const at = (/** @type {number} */ ms) => new Date(ms).toISOString()
  return collapseFiller(briefs.map((b, i) => {
    const start = Date.parse(b.start)
    /** @type {Drawn['segments']} */
    const segments = (b.bands ?? []).map(([offset, length, role]) => ({ event_id: '', start: at(start + offset), end: at(start + offset + length), role, in_ms: 0, out_ms: length }))
    return { id: `preview-${i + 1}`, kind: b.kind, title: b.title, start: b.start, end: b.end, category: b.category ?? null, pinned: false, segments, ...(b.kind === 'filler' && { clips: b.segments }) }
  }), fillerLabel)
}

/** The Monday of a date's week (the preview's weeks run Monday to Sunday). @param {string} date */
const mondayOf = (date) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7))

/** @typedef {import('../../calendar.js').ClockChange} ClockChange */
/** @typedef {import('../../calendar.js').Pass} Pass */

/** A tall box's breaks and pad as bands at their place in it (programmes.js draws them so in the other views). @param {Drawn} p */
function bands (p) {
  const [start, span] = [Date.parse(p.start), Date.parse(p.end) - Date.parse(p.start)]
  return p.segments.filter((s) => s.role !== 'part' && span > 0).map((s) => html`<span class=${`band band-${s.role}`} aria-hidden="true"
    style=${`top:${((Date.parse(s.start) - start) / span * 100).toFixed(3)}%;height:${((Date.parse(s.end) - Date.parse(s.start)) / span * 100).toFixed(3)}%`}></span>`)
}

const DAY_MS = 86_400_000
/** A naive wall time read as if UTC, in ms. @param {string} naive */
const naiveMs = (naive) => Date.parse(`${naive}Z`)
/** "07:30" of a naive wall time. @param {string} naive */
const hhmm = (naive) => naive.slice(11, 16)

/**
 * A box's pieces on one day's column, as shares of the day from its top, each with its pass
 * through a repeated stretch (null: the column's whole width): drawn in naive wall times, so a
 * programme across the hour the clocks skip is two pieces around it (else it would fill an hour
 * that does not exist), and one in the hour they repeat is drawn in that pass's half of it (else
 * the two passes would be drawn over each other); one past midnight is cut at the day's end.
 * @param {Placed} p @param {number} dayStart naive ms @param {ClockChange[]} changes
 * @returns {{ top: number, height: number, pass: Pass | null }[]}
 */
function piecesOn (p, dayStart, changes) {
  const spans = wallPieces(Date.parse(p.start), Date.parse(p.end), changes) ?? [{ from: p.wallStart, to: p.wallEnd, pass: null }]
  return spans.map(({ from, to, pass }) => ({ a: Math.max(naiveMs(from), dayStart), b: Math.min(naiveMs(to), dayStart + DAY_MS), pass }))
    .filter(({ a, b }) => a < b).map(({ a, b, pass }) => ({ top: (a - dayStart) / DAY_MS, height: (b - a) / DAY_MS, pass }))
}

/**
 * The marker of a clock change on its day: over the wall times it skips or repeats, in the
 * zone's own times and with the change's real length (Lord Howe's is 30 minutes).
 * @param {{ change: ClockChange, dayStart: number }} props
 */
function ClockChangeMark ({ change, dayStart }) {
  const [first, last] = change.skipped ? [change.from, change.to] : [change.to, change.from]
  const style = `top:${((naiveMs(first) - dayStart) / DAY_MS * 100).toFixed(3)}%;height:${((naiveMs(last) - naiveMs(first)) / DAY_MS * 100).toFixed(3)}%`
  const words = `Clock change: ${hhmm(first)}–${hhmm(last)} ${change.skipped ? 'does not exist' : 'happens twice'}`
  // A repeated stretch holds boxes: its words sit just above it, over the ends of what airs before.
  return html`<li class=${`clock-change${change.skipped ? '' : ' repeated'}`} id=${`clock-change-${change.day}`} style=${style}><span class="clock-change-words">${words}</span></li>`
}

/** Readable: a box tall enough for a line of text (about 17 minutes of the day). */
const READABLE = 0.012

/**
 * One day's column: each programme a box placed by its wall times, its colour by category
 * (programmes.js), its title when it has the height, its breaks and pad as bands; the hour the
 * clocks skip or repeat marked in words, a repeated one drawn in two halves (first time
 * through on the left). Plain positioned boxes, not a calendar library's events: a dense week
 * is thousands of them, and laid out by EventCalendar they took a minute. A click on a box
 * chooses it (`onChoose`); the day's heading is a button that lists its programmes (`onList`),
 * the keyboard's way to what the boxes show.
 * @param {{ day: string, programmes: Placed[], changes: ClockChange[], zone: string, chosen: string | null, listed: boolean,
 *   onChoose: (p: Placed) => void, onList: (day: string) => void }} props
 */
function DayColumn ({ day, programmes, changes, zone, chosen, listed, onChoose, onList }) {
  const dayStart = naiveMs(`${day}T00:00:00`)
  const change = changes.find((c) => c.day === day)
  const boxes = programmes.flatMap((p) => piecesOn(p, dayStart, changes).map((piece) => ({ p, ...piece })))
  const label = new Date(dayStart).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
  return html`<div class="preview-day">
    <div class="preview-day-head"><button type="button" class="preview-day-list" aria-expanded=${String(listed)} aria-controls="build-preview-day"
      title="List this day's programmes" onClick=${() => onList(day)}>${label}<span class="meta">${` · ${programmes.length}`}</span></button></div>
    <ol class="preview-day-body" aria-label=${`${label}: ${programmes.length} programmes`} data-day=${day} onClick=${(/** @type {MouseEvent} */ e) => {
      const id = e.target instanceof Element ? e.target.closest('[data-id]')?.getAttribute('data-id') : null
      const p = programmes.find((x) => x.id === id)
      if (p) onChoose(p)
    }}>
      ${boxes.map(({ p, top, height, pass }) => {
        const readable = height >= READABLE
        const label = describe(p, zone, changes)
        return html`<li class=${`preview-box swatch ${colourClass(p)}${readable ? '' : ' sliver'}${pass ? ` pass-${pass}` : ''}${p.id === chosen ? ' chosen' : ''}`} data-id=${p.id} title=${label} aria-label=${label}
          style=${`top:${(top * 100).toFixed(3)}%;height:${(height * 100).toFixed(3)}%`}>${readable ? html`<span class="box-line"><span class="box-title">${p.title}</span><span class="box-time">${` ${hhmm(p.wallStart)}`}</span></span>${bands(p)}` : null}</li>`
      })}
      ${change && html`<${ClockChangeMark} change=${change} dayStart=${dayStart} />`}
    </ol>
  </div>`
}

/**
 * The preview: one week of programmes at a time (only that week is drawn), its colours' legend,
 * a week's box count.
 * @param {{ channel: Channel, answer: BuildDryRun }} props
 */
function Preview ({ channel, answer }) {
  const zone = channel.timezone
  const drawn = useMemo(() => programmesOf(answer.programmes ?? [], channel.filler_title ?? 'Default filler')
    .map((p) => /** @type {Placed} */ ({ ...p, wallStart: wallTime(p.start, zone), wallEnd: wallTime(p.end, zone) })), [answer])
  const lastEnd = drawn.at(-1)?.wallEnd
  // The last day drawn on: an end at midnight is the day before's (else "Next week" would open an empty week).
  const lastDay = lastEnd === undefined ? todayIn(zone) : addDays(lastEnd.slice(0, 10), lastEnd.endsWith('T00:00:00') ? -1 : 0)
  const firstWeek = mondayOf(drawn[0]?.wallStart.slice(0, 10) ?? todayIn(zone))
  const [week, setWeek] = useState(firstWeek)
  const days = Array.from({ length: 7 }, (_, i) => addDays(week, i))
  const [from, to] = [`${week}T00:00:00`, `${addDays(week, 7)}T00:00:00`]
  const shown = useMemo(() => drawn.filter((p) => p.wallStart < to && p.wallEnd > from), [drawn, week])
  const changes = useMemo(() => clockChanges(week, addDays(week, 6), zone), [week, zone])
  const grid = useRef(/** @type {HTMLDivElement | null} */ (null))
  useEffect(() => { if (grid.current) grid.current.scrollTop = grid.current.scrollHeight * 0.25 }, []) // from 06:00, as the other grids open
  const onDay = (/** @type {string} */ day) => shown.filter((p) => p.wallStart < `${addDays(day, 1)}T00:00:00` && p.wallEnd > `${day}T00:00:00`)
  // The box clicked, said in full above the grid (a sliver has no room for its title), and the
  // day whose programmes are listed below it.
  const [chosen, setChosen] = useState(/** @type {Placed | null} */ (null))
  const [listed, setListed] = useState(/** @type {string | null} */ (null))
  const toWeek = (/** @type {string} */ monday) => { setWeek(monday); setListed(null) }
  const listedProgrammes = listed === null ? [] : onDay(listed)
  const heading = useRef(/** @type {HTMLHeadingElement | null} */ (null))
  useEffect(() => { heading.current?.focus(); heading.current?.scrollIntoView({ block: 'nearest' }) }, [listed])
  return html`<div id="build-preview-week">
    <div class="toolbar" role="toolbar" aria-label="Preview week">
      <button type="button" id="build-week-previous" disabled=${week <= firstWeek} onClick=${() => toWeek(addDays(week, -7))}>Previous week</button>
      <button type="button" id="build-week-next" disabled=${addDays(week, 7) > lastDay} onClick=${() => toWeek(addDays(week, 7))}>Next week</button>
      <span class="meta" id="build-preview-count" data-programmes=${shown.length}>Week of ${week}: ${shown.length.toLocaleString()} programmes${changes.map((c) => (c.skipped ? ' · the clocks go forward this week: the skipped hour is marked' : ' · the clocks go back this week: the time that happens twice is drawn in two halves, first time through on the left')).join('')}</span>
    </div>
    <${Legend} drawn=${drawn} id="build-legend" />
    <p class="meta" id="build-preview-chosen" aria-live="polite">${chosen ? describe(chosen, zone, changes) : 'Click a programme for its whole title and times; a day\'s heading lists its programmes.'}</p>
    <div class="preview-grid" id="build-preview" role="region" aria-label="Build preview" tabindex="0" ref=${grid}>
      <div class="preview-hours" aria-hidden="true"><div class="preview-day-head"></div><div class="preview-hours-body">${Array.from({ length: 24 }, (_, i) => html`<span style=${`top:${(i / 24) * 100}%`}>${`${String(i).padStart(2, '0')}:00`}</span>`)}</div></div>
      ${days.map((day) => html`<${DayColumn} key=${day} day=${day} programmes=${onDay(day)} changes=${changes} zone=${zone} chosen=${chosen?.id ?? null}
        listed=${listed === day} onChoose=${setChosen} onList=${(/** @type {string} */ d) => setListed(listed === d ? null : d)} />`)}
    </div>
    ${listed && html`<div id="build-preview-day">
      <h4 id="build-preview-day-title" tabindex="-1" ref=${heading}>${fmtDate(listed)}: ${listedProgrammes.length.toLocaleString()} programmes</h4>
      <div class="preview-day-scroll" role="region" aria-labelledby="build-preview-day-title" tabindex="0">
        <${ProgrammeList} programmes=${listedProgrammes} timeZone=${zone} now=${Number.NaN} day=${listed} label=${`${fmtDate(listed)}: the preview's programmes`} id="build-preview-day-list" />
      </div>
    </div>`}
  </div>`
}

/** @typedef {{ from: string, to: string, seed: string, freeze_hours: string }} Values */

/** @param {{ channel: Channel }} props */
export function BuildTab ({ channel }) {
  const today = todayIn(channel.timezone)
  const [v, setV] = useState(/** @type {Values} */ ({ from: today, to: addDays(today, 6), seed: '', freeze_hours: '0' }))
  const [problems, setProblems] = useState(/** @type {Grouped} */ ({}))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [pending, setPending] = useState(/** @type {'preview' | 'store' | null} */ (null))
  const [previews, setPreviews] = useState(0) // a new preview opens on its first week
  // The preview shown and the request that made it, with its seed: what "Store this build" sends.
  const [preview, setPreview] = useState(/** @type {{ answer: BuildDryRun, body: BuildRequest } | null} */ (null))
  const [stored, setStored] = useState(/** @type {BuildStored | null} */ (null))
  /** @param {keyof Values} name */
  const set = (name) => (/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => setV({ ...v, [name]: e.currentTarget.value })

  /** @param {BuildRequest} body @param {boolean} dryRun */
  async function run (body, dryRun) {
    setPending(dryRun ? 'preview' : 'store')
    setProblems({})
    setError(null)
    try {
      /** @type {BuildAnswer} */
      const answer = await api(`/api/channels/${channel.id}/build`, { method: 'POST', body: { ...body, dry_run: dryRun, ...(dryRun && { programmes: true }) }, headers: dryRun ? {} : { 'idempotency-key': newIdempotencyKey() } })
      if (answer.dry_run) { setPreview({ answer, body: { ...body, seed: answer.seed } }); setStored(null); setPreviews(previews + 1) } else setStored(answer)
    } catch (err) {
      const grouped = groupProblems(err.errors ?? [], fieldOf)
      setProblems(grouped)
      setError(Object.keys(grouped).some((k) => k !== '') ? null : err)
    } finally {
      setPending(null)
    }
  }
  function submit (/** @type {SubmitEvent} */ e) {
    e.preventDefault()
    if (pending !== null) return
    const freeze = v.freeze_hours.trim() === '' ? undefined : Number(v.freeze_hours)
    run({ from: v.from, to: v.to, ...(v.seed.trim() && { seed: v.seed.trim() }), ...(freeze !== undefined && { freeze_hours: freeze }) }, true)
  }
  const p = 'build'
  const attrs = (/** @type {keyof Values} */ name) => ({ id: `${p}-${name}`, name, value: v[name], onInput: set(name), 'aria-describedby': `${p}-${name}-error`, 'aria-invalid': problems[name] ? 'true' : undefined })
  const answer = preview?.answer
  const body = preview?.body
  return html`<section aria-labelledby="build-title">
    <h3 id="build-title">Build</h3>
    <p class="meta">Dates are local days of ${channel.timezone}, both included, up to ${MAX_BUILD_DAYS} days. Nothing is stored until you store the preview.</p>
    ${stored === null && html`<${BuildNextStep} channel=${channel} />`}
    <form id="build-form" novalidate onSubmit=${submit}>
      <div class="form-grid">
        <${Field} prefix=${p} name="from" label="From" problems=${problems.from}><input type="date" ...${attrs('from')} /><//>
        <${Field} prefix=${p} name="to" label="To (included)" problems=${problems.to}><input type="date" ...${attrs('to')} /><//>
        <${Field} prefix=${p} name="seed" label="Seed" hint="The same seed gives the same events" problems=${problems.seed}><input ...${attrs('seed')} placeholder="random" /><//>
        <${Field} prefix=${p} name="freeze_hours" label="Freeze (hours)" hint="Stored events starting before now + this stay as they are" problems=${problems.freeze_hours}><input type="number" min="0" step="any" ...${attrs('freeze_hours')} /><//>
      </div>
      <${FormError} id="build-error" error=${error} problems=${problems['']} />
      <button type="submit" class="primary" id="build-preview-button" disabled=${pending !== null}>Preview</button>
      ${pending === 'preview' && html` <span role="status" class="meta" id="build-previewing">Building the preview…</span>`}
    </form>
    ${answer && html`<div id="build-result" aria-live="polite">
      <h3>${stored ? 'Stored' : 'Preview (nothing stored)'}: ${body?.from} – ${body?.to}, seed <code>${answer.seed}</code></h3>
      ${answer.warnings.length > 0 && html`<aside class="warnings" id="build-warnings" aria-label="Warnings"><ul>
        ${answer.warnings.map((w) => html`<li data-code=${w.code}><strong>${w.code}</strong> ${w.message}</li>`)}
        ${answer.warnings_total > answer.warnings.length && html`<li>…and ${answer.warnings_total - answer.warnings.length} more</li>`}</ul></aside>`}
      <${Stats} id="build-stats" stats=${answer.stats} />
      ${(answer.programmes_total ?? 0) > (answer.programmes?.length ?? 0) && html`<p class="meta" id="build-preview-cut">The preview is showing the first ${answer.programmes?.length.toLocaleString()} of ${answer.programmes_total?.toLocaleString()} programmes; storing the build stores them all.</p>`}
      <${Preview} key=${previews} channel=${channel} answer=${answer} />
      ${stored === null
        ? html`<div class="toolbar"><button type="button" class="primary" id="build-store" disabled=${pending !== null} onClick=${() => body && run(body, false)}>Store this build</button>
            ${pending === 'store' && html`<span role="status" class="meta" id="build-storing">Storing ${answer.events_total.toLocaleString()} events…</span>`}</div>`
        : html`<p role="status" id="build-stored">Stored build ${stored.build_id}: ${stored.stats.events.toLocaleString()} events.
            ${stored.stats.events !== answer.stats.events && ` The preview had ${answer.stats.events.toLocaleString()}: what was stored changed in between (other builds, plays), so the result differs.`}
            ${' '}<a href="#/">On air</a> · <a href=${`#/channels/${channel.id}?tab=exports`}>Exports</a> · <a href="#/guide">Guide</a></p>`}
    </div>`}
  </section>`
}
