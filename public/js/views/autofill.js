// @ts-check
import { DEFAULT_COOLDOWN_HOURS, MAX_FILL_HOURS, MAX_SLOT_MINUTES } from '../../contract/limits.js'
import { api, newIdempotencyKey } from '../api.js'
import { Timeline } from '../timeline.js'
import { html, render, useEffect, useRef, useState } from '../preact.js'
import { ErrorBox, zone } from '../ui.js'
import { explainProblem } from './autofill-errors.js'

/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('../../../contract/api.js').ProblemDetail} ProblemDetail */
/** @typedef {import('../../../contract/api.js').AutoFillAnswer} AutoFillAnswer */
/** @typedef {import('../../../contract/api.js').FillDecisionsPage} FillDecisionsPage */
/** @typedef {import('../../../contract/api.js').PlaylistList} PlaylistList */
/** @typedef {import('@sinclair/typebox').Static<typeof import('../../../contract/api.js').AutoFillRequestSchema>} AutoFillRequest */
/** @typedef {NonNullable<AutoFillRequest['links']>[number]} Link */

/**
 * `URL | title | seconds | category`, one link a line; only the URL is required. Each link
 * keeps its line, so a refusal names the line the person wrote; seconds that are not a
 * number are refused here (JSON would send them as null, an unknown duration).
 * @param {string} text
 */
function parseLinks (text) {
  /** @type {Link[]} */
  const links = []
  /** @type {number[]} */
  const lines = []
  /** @type {ProblemDetail[]} */
  const problems = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') return
    const [url, title, seconds, category] = line.split('|').map((s) => s.trim())
    const duration = seconds ? Number(seconds) : undefined
    if (duration !== undefined && !(duration > 0)) problems.push({ field: `links.${links.length}.duration`, message: 'not a number > 0' })
    links.push({ url, ...(title && { title }), ...(duration !== undefined && { duration }), ...(category && { category }) })
    lines.push(i + 1)
  })
  return { links, problems, lineOf: (/** @type {number} */ index) => lines[index] ?? index + 1 }
}

/** The form's fields that show their own problems (autofill-errors.js names them); any other problem goes under the form. */
const FIELDS = ['playlist_id', 'links', 'start_time', 'timezone', 'duration_hours', 'slot_mode', 'slot_minutes', 'cooldown_hours', 'when_exhausted', 'seed', 'name']

/**
 * A field: its label, its input, a hint, and the line that says what is wrong with it.
 * @param {{ name: string, label: string, hint?: string, error?: string, children: unknown }} props
 */
const FillField = ({ name, label, hint, error = '', children }) => html`<div class="field" data-field=${name}>
  <label for=${`fill-${name}`}>${label}</label>${children}${hint && html`<small>${hint}</small>`}<p class="field-error" id=${`fill-${name}-error`} role="alert">${error}</p>
</div>`

/**
 * A fill's decision log, the first page in the answer and more on asking: a stored fill's log
 * is read back page by page; a preview is repeated with its seed and the next offset.
 * @param {{ answer: AutoFillAnswer, body: AutoFillRequest }} props
 */
function Decisions ({ answer, body }) {
  const [decisions, setDecisions] = useState(answer.decisions)
  const [more, setMore] = useState(/** @type {'idle' | 'loading' | ApiError} */ ('idle'))
  const next = answer.decisions_offset + decisions.length
  async function loadMore () {
    setMore('loading')
    try {
      /** @type {AutoFillAnswer | FillDecisionsPage} */
      const page = answer.dry_run
        ? await api('/api/schedules/auto-fill', { method: 'POST', body: { ...body, seed: answer.stats.seed, decisions_offset: next } })
        : await api(`/api/schedules/${answer.schedule.id}/decisions?offset=${next}`)
      setDecisions([...decisions, ...page.decisions])
      setMore('idle')
    } catch (err) {
      setMore(err)
    }
  }
  const left = answer.decisions_total - next
  return html`<details><summary>${`Decisions (${answer.decisions_total}), times in ${body.timezone}`}</summary>
    <ol id="autofill-decisions">${decisions.map((d) => html`<li>${d}</li>`)}</ol>
    <p class="meta" id="autofill-decisions-more">${more === 'loading'
      ? 'Loading…'
      : more !== 'idle'
        ? html`<${ErrorBox} error=${more} what="Loading decisions" />`
        : left <= 0 ? `All ${answer.decisions_total} decisions shown.` : html`${`${left} more not shown. `}<button type="button" onClick=${loadMore}>Show more</button>`}</p>
  </details>`
}

/** @param {{ answer: AutoFillAnswer, body: AutoFillRequest }} props */
function FillAnswer ({ answer, body }) {
  const s = answer.stats
  /** @type {[string, number | string][]} */
  const figures = [['Slots', s.slots_total], ['Filled', s.slots_filled], ['Gaps', s.gaps], ['Videos used', s.unique_items_used], ['Cooldown overrides', s.cooldown_overrides], ['Items cut', s.items_cut], ['Items padded', s.items_padded], ['Seed', s.seed]]
  return html`<h3>${answer.dry_run ? `Preview (nothing stored): ${answer.schedule.name}` : html`<a href=${`#/schedules/${answer.schedule.id}`}>${`Stored: ${answer.schedule.name}`}</a>`}</h3>
    ${answer.warnings.length > 0 && html`<aside class="warnings" id="autofill-warnings" aria-label="Warnings"><ul>${answer.warnings.map((w) => html`<li data-kind=${w.kind}>${w.message}</li>`)}</ul></aside>`}
    <dl class="figures" id="autofill-stats">${figures.map(([label, value]) => html`<div><dt>${label}</dt><dd data-stat=${label}>${String(value)}</dd></div>`)}</dl>
    ${/* Aired inside its cooldown: drawn as a cooldown replay is in a stored schedule, and named an override. */
      answer.events.length > 0 && html`<${Timeline} events=${answer.events} view="week" anchor=${new Date(answer.events[0].start)}
      marks=${(/** @type {{ cooldown_override: boolean }} */ event) => (event.cooldown_override ? ['cooldown', 'override'] : [])} />`}
    <${Decisions} answer=${answer} body=${body} />`
}

/** @typedef {{ filling: true } | { answer: AutoFillAnswer, body: AutoFillRequest, fill: number } | { error: ApiError } | null} Result */

/**
 * The auto-fill form: every option of SPEC §5, the stats and the resulting timeline.
 * @param {{ wanted: string | null }} props `wanted`: a playlist to preselect (`?playlist_id=`)
 */
function AutoFill ({ wanted }) {
  const form = useRef(/** @type {HTMLFormElement | null} */ (null))
  const [playlists, setPlaylists] = useState(/** @type {PlaylistList['playlists'] | ApiError} */ ([]))
  const [playlistId, setPlaylistId] = useState('')
  const [slotMode, setSlotMode] = useState('real')
  // Each problem next to its field, in the form's words ('' is the form's own line).
  const [problems, setProblems] = useState(/** @type {Record<string, string>} */ ({}))
  // What the form says of a playlist asked for by the address that is no longer there.
  const [note, setNote] = useState('')
  const [result, setResult] = useState(/** @type {Result} */ (null))
  const [pending, setPending] = useState(false)
  // A ref as well as the state: a second click or Enter can come before the form is drawn again.
  const busy = useRef(false)
  const fills = useRef(0)
  const [startDefault] = useState(() => {
    const now = new Date(Date.now() + 3_600_000)
    return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}T${String(now.getHours()).padStart(2, '0')}:00`
  })

  useEffect(() => {
    api('/api/playlists').then((/** @type {PlaylistList} */ { playlists: list }) => {
      setPlaylists(list)
      if (wanted === null) return
      if (list.some((p) => p.id === wanted)) setPlaylistId(wanted)
      else setNote('That playlist no longer exists. Choose another one, or paste links.')
    }, setPlaylists)
  }, [])
  // The first field marked is where the person goes to fix it.
  useEffect(() => { /** @type {HTMLElement | null | undefined} */ (form.current?.querySelector('[aria-invalid]'))?.focus() }, [problems])

  /**
   * Each problem next to its field in the form's words (invalid fields marked); answers how many there were.
   * @param {ProblemDetail[]} list @param {(index: number) => number} lineOf
   */
  function showProblems (list, lineOf) {
    /** @type {Record<string, string>} */
    const byField = {}
    for (const problem of list) {
      const { name, text } = explainProblem(problem, lineOf)
      const slot = name !== null && FIELDS.includes(name) ? name : ''
      byField[slot] = byField[slot] ? `${byField[slot]} ${text}` : text
    }
    setProblems(byField)
    return list.length
  }

  /** @param {SubmitEvent} e */
  async function submit (e) {
    e.preventDefault()
    const elements = /** @type {HTMLFormElement} */ (form.current).elements
    if (busy.current) return // a second click or Enter while the first fill runs
    setProblems({})
    setNote('')
    /** @param {string} name */
    const field = (name) => /** @type {HTMLInputElement} */ (elements.namedItem(name))
    /** @param {string} name */
    const v = (name) => field(name).value.trim()
    const pasted = parseLinks(field('links').value)
    /** @type {AutoFillRequest} */
    const body = {
      start_time: v('start_time') || /** @type {string} */ (/** @type {unknown} */ (undefined)),
      timezone: v('timezone') || zone,
      duration_hours: v('duration_hours') === '' ? /** @type {number} */ (/** @type {unknown} */ (undefined)) : Number(v('duration_hours')),
      cooldown_hours: v('cooldown_hours') === '' ? undefined : Number(v('cooldown_hours')),
      when_exhausted: /** @type {AutoFillRequest['when_exhausted']} */ (v('when_exhausted')),
      shuffle: field('shuffle').checked,
      dry_run: field('dry_run').checked,
      ...(slotMode === 'slots' && { slot_minutes: v('slot_minutes') === '' ? undefined : Number(v('slot_minutes')) }),
      ...(v('seed') && { seed: v('seed') }),
      ...(v('name') && { name: v('name') }),
      ...(v('playlist_id') ? { playlist_id: v('playlist_id') } : { links: pasted.links })
    }
    if (slotMode === 'slots' && v('slot_minutes') === '') return showProblems([{ field: 'slot_minutes', message: 'required' }], pasted.lineOf)
    if (!v('playlist_id') && pasted.problems.length > 0) return showProblems(pasted.problems, pasted.lineOf)
    busy.current = true
    setPending(true)
    setResult({ filling: true })
    try {
      // A fresh Idempotency-Key per fill: a repeat of one request (a double submit, a retry) stores one schedule.
      /** @type {AutoFillAnswer} */
      const answer = await api('/api/schedules/auto-fill', { method: 'POST', body, headers: { 'idempotency-key': newIdempotencyKey() } })
      setResult({ answer, body, fill: ++fills.current })
    } catch (err) {
      setResult(null)
      if (err.status !== 400 || err.errors.length === 0 || showProblems(err.errors, pasted.lineOf) === 0) setResult({ error: err })
    } finally {
      busy.current = false
      setPending(false)
    }
  }

  // Back to back by default (slot_mode): fixed slots cut long items and pad short ones (said in the answer).
  /** @param {string} name */
  const marked = (name) => (problems[name] ? 'true' : undefined)
  /** @param {string} name @param {Record<string, unknown>} props */
  const input = (name, props) => html`<input id=${`fill-${name}`} name=${name} aria-describedby=${`fill-${name}-error`} aria-invalid=${marked(name)} ...${props} />`
  /** @param {string} name @param {string} label @param {unknown} control @param {string} [hint] */
  const field = (name, label, control, hint) => html`<${FillField} name=${name} label=${label} hint=${hint} error=${problems[name] ?? (name === 'playlist_id' ? note : '')}>${control}</${FillField}>`
  const list = playlists instanceof Error ? [] : playlists

  return html`<h2>Auto-fill</h2>
    <p class="documents-note" id="documents-note">Optional: Auto-fill makes a schedule document from a playlist or links, once. A channel operator does not need it: a channel fills its week from its template at each build (<a href="#/channels">Channels</a>).</p>
    <p class="meta">${`Times in ${zone} unless you name another zone.`}</p>
    ${playlists instanceof Error && html`<${ErrorBox} error=${playlists} what="Listing playlists" />`}
    <form id="autofill-form" novalidate ref=${form} onSubmit=${submit}>
      ${field('playlist_id', 'Playlist', html`<select id="fill-playlist_id" name="playlist_id" aria-describedby="fill-playlist_id-error" aria-invalid=${marked('playlist_id')}
        value=${playlistId} onChange=${(/** @type {Event} */ e) => setPlaylistId(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
        <option value="">— pasted links below —</option>
        ${list.map((p) => html`<option value=${p.id}>${`${p.name} (${p.item_count} items)`}</option>`)}
      </select>`)}
      ${field('links', 'Links', html`<textarea id="fill-links" name="links" rows="5" aria-describedby="fill-links-error" aria-invalid=${marked('links')} placeholder="https://cdn.example/video.mp4 | Title | 1800 | Category"></textarea>`, 'One per line: URL | title | seconds | category (only the URL is needed). Used when no playlist is chosen.')}
      <div class="form-grid">
        ${field('start_time', 'Start', input('start_time', { type: 'datetime-local', defaultValue: startDefault, required: true }))}
        ${field('timezone', 'Time zone', input('timezone', { type: 'text', defaultValue: zone }))}
        ${field('duration_hours', 'Length (hours)', input('duration_hours', { type: 'number', min: 1, max: MAX_FILL_HOURS, step: 'any', defaultValue: 24 }), `Up to ${MAX_FILL_HOURS} (${MAX_FILL_HOURS / 24} days)`)}
        ${field('slot_mode', 'Slots', html`<select id="fill-slot_mode" name="slot_mode" aria-invalid=${marked('slot_mode')} value=${slotMode} onChange=${(/** @type {Event} */ e) => setSlotMode(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
          <option value="real">Back to back, real durations</option><option value="slots">Fixed slots (cuts or pads items)</option></select>`)}
        ${field('slot_minutes', 'Slot length (minutes)', input('slot_minutes', { type: 'number', min: 1, max: MAX_SLOT_MINUTES, defaultValue: 30, disabled: slotMode !== 'slots' }), 'Fixed slots only')}
        ${field('cooldown_hours', 'Cooldown (hours)', input('cooldown_hours', { type: 'number', min: 0, step: 'any', defaultValue: DEFAULT_COOLDOWN_HOURS }))}
        ${field('when_exhausted', 'When every link is in cooldown', html`<select id="fill-when_exhausted" name="when_exhausted" aria-describedby="fill-when_exhausted-error" aria-invalid=${marked('when_exhausted')}>
          <option value="least_recent">Air the least recently played</option><option value="gap">Leave a gap</option></select>`)}
        ${field('seed', 'Seed', input('seed', { type: 'text', placeholder: 'random' }), 'The same seed gives the same schedule')}
        ${field('name', 'Schedule name', input('name', { type: 'text', placeholder: 'automatic' }))}
      </div>
      <div class="checks">
        <label>${input('shuffle', { type: 'checkbox', defaultChecked: true })} Shuffle</label>
        <label>${input('dry_run', { type: 'checkbox' })} Preview only (store nothing)</label>
      </div>
      <p class="field-error" id="form-error" role="alert">${problems['']}</p>
      <button type="submit" class="primary" id="fill-submit" disabled=${pending}>Fill</button>
    </form>
    <div id="autofill-result" aria-live="polite">
      ${result !== null && 'filling' in result && html`<p class="state loading" role="status">Filling…</p>`}
      ${result !== null && 'error' in result && html`<${ErrorBox} error=${result.error} what="The fill" />`}
      ${result !== null && 'answer' in result && html`<${FillAnswer} key=${result.fill} answer=${result.answer} body=${result.body} />`}
    </div>`
}

/**
 * @param {Element} main
 * @param {string[]} _ids
 * @param {URLSearchParams} [params]
 */
export function autofillView (main, _ids, params = new URLSearchParams()) {
  render(html`<${AutoFill} wanted=${params.get('playlist_id')} />`, main)
  return () => render(null, main)
}
