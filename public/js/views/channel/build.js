// @ts-check
// The build tab: a dry run first (the events drawn on a week grid in the channel's wall time,
// the counts, the warnings), then "Store this build", which sends the same request with the
// preview's seed, so what is stored is what was shown (SPEC §11: same inputs and seed, same events).
import { api, newIdempotencyKey } from '../../api.js'
import { html, useMemo, useState } from '../../preact.js'
import { Calendar, addDays, todayIn, wallTime } from '../../calendar.js'
import { Field, FormError, groupProblems } from '../field-errors.js'
import { BuildNextStep } from '../first-run.js'

/** @typedef {import('../../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../../contract/api.js').BuildRequest} BuildRequest */
/** @typedef {import('../../../../contract/api.js').BuildAnswer} BuildAnswer */
/** @typedef {import('../../../../contract/api.js').BuildDryRun} BuildDryRun */
/** @typedef {import('../../../../contract/api.js').BuildStored} BuildStored */
/** @typedef {import('../../../../contract/api.js').BuildStats} BuildStats */
/** @typedef {import('../../api.js').ApiError} ApiError */
/** @typedef {import('../field-errors.js').Grouped} Grouped */

const FIELDS = ['from', 'to', 'seed', 'freeze_hours', 'dry_run']
const fieldOf = (/** @type {string} */ path) => FIELDS.find((f) => path === f) ?? null

/** @type {[keyof BuildStats, string][]} */
const STATS = [['events', 'Events'], ['blocks', 'Blocks'], ['minutes_filled', 'Minutes filled'], ['minutes_padded', 'Minutes padded'], ['minutes_breaks', 'Minutes of breaks'],
  ['minutes_default', 'Minutes of default filler'], ['minutes_empty', 'Minutes left empty'], ['cooldown_overrides', 'Cooldown overrides'], ['items_cut', 'Items cut'],
  ['items_pushed', 'Items pushed'], ['kept_frozen', 'Kept (frozen)'], ['kept_pinned', 'Kept (pinned)'], ['kept_placed', 'Kept (placed schedules)']]

/** @param {{ id: string, stats: BuildStats }} props */
const Stats = ({ id, stats }) => html`<dl class="figures" id=${id}>${STATS.map(([key, label]) => html`<div><dt>${label}</dt><dd data-stat=${key}>${Number(stats[key] ?? 0).toLocaleString()}</dd></div>`)}</dl>`

/** @param {{ channel: Channel, answer: BuildDryRun }} props */
function Preview ({ channel, answer }) {
  const options = useMemo(() => ({
    view: 'timeGridWeek',
    date: wallTime(answer.events[0]?.start ?? new Date().toISOString(), channel.timezone).slice(0, 10),
    timeZone: 'UTC', // the events as naive wall times of the channel: blocks show at their template hours
    firstDay: 1,
    allDaySlot: false,
    headerToolbar: { start: 'title', center: '', end: 'prev,next' },
    slotDuration: '01:00',
    scrollTime: '06:00:00',
    events: answer.events.map((e) => ({
      id: e.id,
      start: wallTime(e.start, channel.timezone),
      end: wallTime(e.end, channel.timezone),
      title: e.title,
      classNames: [`origin-${e.origin?.kind ?? 'none'}`],
      extendedProps: { reason: e.reason }
    })),
    eventDidMount: (/** @type {EventCalendarEventInfo} */ info) => { info.el.title = `${info.event.title}${info.event.extendedProps.reason ? ` — ${info.event.extendedProps.reason}` : ''}` }
  }), [answer])
  return html`<${Calendar} id="build-preview" label="Build preview" options=${options} />`
}

/** @typedef {{ from: string, to: string, seed: string, freeze_hours: string }} Values */

/** @param {{ channel: Channel }} props */
export function BuildTab ({ channel }) {
  const today = todayIn(channel.timezone)
  const [v, setV] = useState(/** @type {Values} */ ({ from: today, to: addDays(today, 6), seed: '', freeze_hours: '0' }))
  const [problems, setProblems] = useState(/** @type {Grouped} */ ({}))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [pending, setPending] = useState(false)
  // The preview shown and the request that made it, with its seed: what "Store this build" sends.
  const [preview, setPreview] = useState(/** @type {{ answer: BuildDryRun, body: BuildRequest } | null} */ (null))
  const [stored, setStored] = useState(/** @type {BuildStored | null} */ (null))
  /** @param {keyof Values} name */
  const set = (name) => (/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => setV({ ...v, [name]: e.currentTarget.value })

  /** @param {BuildRequest} body @param {boolean} dryRun */
  async function run (body, dryRun) {
    setPending(true)
    setProblems({})
    setError(null)
    try {
      /** @type {BuildAnswer} */
      const answer = await api(`/api/channels/${channel.id}/build`, { method: 'POST', body: { ...body, dry_run: dryRun }, headers: dryRun ? {} : { 'idempotency-key': newIdempotencyKey() } })
      if (answer.dry_run) { setPreview({ answer, body: { ...body, seed: answer.seed } }); setStored(null) } else setStored(answer)
    } catch (err) {
      const grouped = groupProblems(err.errors ?? [], fieldOf)
      setProblems(grouped)
      setError(Object.keys(grouped).some((k) => k !== '') ? null : err)
    } finally {
      setPending(false)
    }
  }
  function submit (/** @type {SubmitEvent} */ e) {
    e.preventDefault()
    if (pending) return
    const freeze = v.freeze_hours.trim() === '' ? undefined : Number(v.freeze_hours)
    run({ from: v.from, to: v.to, ...(v.seed.trim() && { seed: v.seed.trim() }), ...(freeze !== undefined && { freeze_hours: freeze }) }, true)
  }
  const p = 'build'
  const attrs = (/** @type {keyof Values} */ name) => ({ id: `${p}-${name}`, name, value: v[name], onInput: set(name), 'aria-describedby': `${p}-${name}-error`, 'aria-invalid': problems[name] ? 'true' : undefined })
  const answer = preview?.answer
  const body = preview?.body
  return html`<section aria-labelledby="build-title">
    <h3 id="build-title">Build</h3>
    <p class="meta">Dates are local days of ${channel.timezone}, both included, up to 93 days. Nothing is stored until you store the preview.</p>
    ${stored === null && html`<${BuildNextStep} channel=${channel} />`}
    <form id="build-form" novalidate onSubmit=${submit}>
      <div class="form-grid">
        <${Field} prefix=${p} name="from" label="From" problems=${problems.from}><input type="date" ...${attrs('from')} /><//>
        <${Field} prefix=${p} name="to" label="To (included)" problems=${problems.to}><input type="date" ...${attrs('to')} /><//>
        <${Field} prefix=${p} name="seed" label="Seed" hint="The same seed gives the same events" problems=${problems.seed}><input ...${attrs('seed')} placeholder="random" /><//>
        <${Field} prefix=${p} name="freeze_hours" label="Freeze (hours)" hint="Stored events starting before now + this stay as they are" problems=${problems.freeze_hours}><input type="number" min="0" step="any" ...${attrs('freeze_hours')} /><//>
      </div>
      <${FormError} id="build-error" error=${error} problems=${problems['']} />
      <button type="submit" class="primary" id="build-preview-button" disabled=${pending}>Preview</button>
    </form>
    ${answer && html`<div id="build-result" aria-live="polite">
      <h3>${stored ? 'Stored' : 'Preview (nothing stored)'}: ${body?.from} – ${body?.to}, seed <code>${answer.seed}</code></h3>
      ${answer.warnings.length > 0 && html`<aside class="warnings" id="build-warnings" aria-label="Warnings"><ul>
        ${answer.warnings.map((w) => html`<li data-code=${w.code}><strong>${w.code}</strong> ${w.message}</li>`)}
        ${answer.warnings_total > answer.warnings.length && html`<li>…and ${answer.warnings_total - answer.warnings.length} more</li>`}</ul></aside>`}
      <${Stats} id="build-stats" stats=${answer.stats} />
      ${answer.events_total > answer.events.length && html`<p class="meta" id="build-preview-cut">The preview is showing the first ${answer.events.length.toLocaleString()} of ${answer.events_total.toLocaleString()} events; storing the build stores them all.</p>`}
      <${Preview} channel=${channel} answer=${answer} />
      ${stored === null
        ? html`<div class="toolbar"><button type="button" class="primary" id="build-store" disabled=${pending} onClick=${() => body && run(body, false)}>Store this build</button></div>`
        : html`<p role="status" id="build-stored">Stored build ${stored.build_id}: ${stored.stats.events.toLocaleString()} events.
            ${stored.stats.events !== answer.stats.events && ` The preview had ${answer.stats.events.toLocaleString()}: what was stored changed in between (other builds, plays), so the result differs.`}
            ${' '}<a href="#/">On air</a> · <a href=${`#/channels/${channel.id}?tab=exports`}>Exports</a> · <a href="#/guide">Guide</a></p>`}
    </div>`}
  </section>`
}
