// @ts-check
// The overrides tab: dated entries on a month calendar (which days each covers) and listed by
// date, and a form to add one or edit one (SPEC §10, §11, §14): its dates, days, fixed one-off
// events (one a line) and its own blocks, listed in the form and each added or changed in the
// block form the template uses, beside it. An edit is a merge patch sent with If-Match of the
// channel's revision when the form was opened: a 412 says who changed it since.
import { WEEKDAYS } from '../../../contract/limits.js'
import { api, edit as editWithRevision, newIdempotencyKey, staleBy } from '../../api.js'
import { html, useEffect, useState } from '../../preact.js'
import { WEEKDAY_NAMES, addDays, todayIn, wallTime } from '../../calendar.js'
import { fmtDateTime } from '../../ui.js'
import { ApiProblem } from './data.js'
import { Field, FormError, fieldPath } from '../field-errors.js'
import { BlockForm, blockContent, blockDays, formValues, newBlockId, problemsByBlock } from '../block-form.js'

/** @typedef {import('../../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../../contract/api.js').Block} Block */
/** @typedef {import('../../../../contract/api.js').Override} Override */
/** @typedef {import('../../../../contract/api.js').OverrideList} OverrideList */
/** @typedef {import('../../../../contract/api.js').OverrideEvent} OverrideEvent */
/** @typedef {import('../../../../contract/api.js').PlaylistSummary} PlaylistSummary */
/** @typedef {import('../../../../contract/api.js').Weekday} Weekday */
/** @typedef {import('../../api.js').ApiError} ApiError */
/** @typedef {import('../field-errors.js').Grouped} Grouped */
/** @typedef {import('../block-form.js').BlockValues} BlockValues */
/**
 * The refusal by the form's fields, by block (index) and said in each block's row.
 * @typedef {{ form: Grouped, blocks: Record<number, Grouped>, said: Record<number, string[]> }} Problems
 */

/**
 * `start | end | title | video address`, one event a line: naive times in the channel's zone.
 * @param {string} text
 */
function parseEvents (text) {
  /** @type {number[]} */
  const lines = []
  /** @type {OverrideEvent[]} */
  const events = []
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return
    const [start = '', end = '', title = '', url = ''] = raw.split('|').map((s) => s.trim())
    events.push({ title, start, end, ...(url && { video_url: url }) })
    lines.push(i + 1)
  })
  return { events, lineOf: (/** @type {number} */ index) => lines[index] ?? index + 1 }
}

const FORM_FIELDS = ['name', 'from', 'to', 'days', 'blocks', 'events']
/** @type {Problems} */
const NO_PROBLEMS = { form: {}, blocks: {}, said: {} }

/**
 * The refusal by the form's fields: `events.2.start` is line 3 of the events, `blocks.1.end`
 * the end field of block 1's form (`blocks[1]`, and said in its row of the list: `said[1]`).
 * @param {ApiError} err
 * @param {(index: number) => number} lineOf
 * @returns {Problems}
 */
function problemsOf (err, lineOf) {
  const all = err.errors ?? []
  const eventLine = (/** @type {import('../../../../contract/api.js').ProblemDetail} */ problem) => /^events\.\d+(\.|$)/.test(fieldPath(problem.field))
  const formField = (/** @type {string} */ path) => FORM_FIELDS.includes(path.split('.')[0]) ? path.split('.')[0] : ''
  const { blocks, said, rest } = problemsByBlock(all.filter((problem) => !eventLine(problem)), formField)
  const lines = all.filter(eventLine).map((problem) => `Line ${lineOf(Number(fieldPath(problem.field).split('.')[1]))}: ${problem.message}`)
  return { form: lines.length > 0 ? { ...rest, events: [...(rest.events ?? []), ...lines] } : rest, blocks, said }
}

/** @typedef {{ name: string, from: string, to: string, days: Weekday[], events: string }} Values */
/** @type {Values} */
const EMPTY = { name: '', from: '', to: '', days: [], events: '' }

/** A stored instant as the form writes it: the channel's wall time, minutes unless it has seconds. @param {string} iso @param {string} zone */
const wallOf = (iso, zone) => wallTime(iso, zone).replace(/:00$/, '')

/** A stored override as the form's values: its events one a line, in the channel's zone. @param {Override} o @param {string} zone @returns {Values} */
const valuesOf = (o, zone) => ({
  name: o.name,
  from: o.from,
  to: o.to,
  days: o.days ?? [],
  events: o.events.map((e) => [wallOf(e.start, zone), wallOf(e.end, zone), e.title, e.video_url ?? ''].join(' | ').replace(/ \| $/, '')).join('\n')
})

/**
 * A new override (`editing` null) or one being edited, with the channel's revision when it was opened.
 * @param {{ channel: Channel, playlists: PlaylistSummary[], editing: { override: Override, revision: number } | null,
 *   onAdded: (id: string) => void, onCancel: () => void }} props
 */
function OverrideForm ({ channel, playlists, editing: opened, onAdded, onCancel }) {
  const [v, setV] = useState(opened === null ? EMPTY : valuesOf(opened.override, channel.timezone))
  const [blocks, setBlocks] = useState(/** @type {Block[]} */ (opened === null ? [] : opened.override.blocks))
  const [editing, setEditing] = useState(/** @type {{ index: number | null, initial: BlockValues, key: number } | null} */ (null))
  const [problems, setProblems] = useState(NO_PROBLEMS)
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [pending, setPending] = useState(false)
  const [stale, setStale] = useState(/** @type {string | null} */ (null))
  /** @param {keyof Values} name */
  const set = (name) => (/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => setV({ ...v, [name]: e.currentTarget.value })
  const toggleDay = (/** @type {Weekday} */ day) => setV({
    ...v,
    days: v.days.includes(day) ? v.days.filter((d) => d !== day) : WEEKDAYS.filter((d) => d === day || v.days.includes(d))
  })

  /** @param {number | null} index @param {BlockValues} initial */
  const edit = (index, initial) => setEditing({ index, initial, key: Math.random() })
  const addBlock = () => edit(null, formValues({ id: newBlockId(blocks), days: [...WEEKDAYS], start: '20:00', end: '21:00' }))
  /** Kept in the list (stored with the override): a refusal of it is answered, so its problems go. */
  function keepBlock (/** @type {Block} */ block) {
    const index = editing?.index ?? blocks.length
    setBlocks(editing?.index == null ? [...blocks, block] : blocks.map((b, i) => (i === index ? block : b)))
    const { [index]: _fixed, ...blockProblems } = problems.blocks
    const { [index]: _said, ...said } = problems.said
    setProblems({ ...problems, blocks: blockProblems, said })
    setEditing(null)
  }
  function dropBlock (/** @type {number} */ index) {
    setBlocks(blocks.filter((_, i) => i !== index))
    setProblems({ ...problems, blocks: {}, said: {} }) // the indices moved: the next refusal says again
    setEditing(null)
  }

  async function submit (/** @type {SubmitEvent} */ e) {
    e.preventDefault()
    if (pending) return
    setProblems(NO_PROBLEMS)
    setError(null)
    setStale(null)
    const { events, lineOf } = parseEvents(v.events)
    setPending(true)
    const body = { name: v.name.trim(), from: v.from, to: v.to, days: v.days.length > 0 ? v.days : null, blocks, events }
    try {
      /** @type {import('../../../../contract/api.js').OverrideAnswer} */
      let answer
      if (opened === null) {
        answer = await api(`/api/channels/${channel.id}/overrides`, { method: 'POST', headers: { 'idempotency-key': newIdempotencyKey() }, body })
      } else {
        // A merge patch of every field the form shows: blocks and events are replaced whole.
        answer = await editWithRevision(`/api/channels/${channel.id}/overrides/${opened.override.id}`, opened.revision, { method: 'PATCH', body })
      }
      setV(EMPTY)
      setBlocks([])
      setEditing(null)
      onAdded(answer.override.id)
    } catch (err) {
      if (err.status === 412) {
        const who = staleBy(err)
        setStale(who === null ? `${err.message}.` : `Changed by ${who.name} at ${fmtDateTime(who.at)} — cancel and edit it again.`)
        return
      }
      const found = problemsOf(err, lineOf)
      setProblems(found)
      const nothingNamed = Object.keys(found.form).length === 0 && Object.keys(found.blocks).length === 0
      setError(nothingNamed ? err : null)
      // The first block refused opens in the block form, each problem next to its field.
      const first = Object.keys(found.blocks).map(Number).filter((i) => i < blocks.length).sort((a, b) => a - b)[0]
      if (first !== undefined) edit(first, formValues(blocks[first]))
    } finally {
      setPending(false)
    }
  }
  const p = 'override'
  const { form: fieldProblems } = problems
  const attrs = (/** @type {keyof Values} */ name) => ({ id: `${p}-${name}`, name, value: v[name], onInput: set(name), 'aria-describedby': `${p}-${name}-error`, 'aria-invalid': fieldProblems[name] ? 'true' : undefined })
  return html`<div class="template-layout">
    <section aria-labelledby="override-new-title"><h3 id="override-new-title">${opened === null ? 'New override' : `Edit override "${opened.override.name}"`}</h3>
    <form id="override-form" novalidate onSubmit=${submit}>
    <div class="form-grid">
      <${Field} prefix=${p} name="name" label="Name" problems=${fieldProblems.name}><input ...${attrs('name')} placeholder="Christmas" /><//>
      <${Field} prefix=${p} name="from" label="From" problems=${fieldProblems.from}><input type="date" ...${attrs('from')} /><//>
      <${Field} prefix=${p} name="to" label="To (included)" problems=${fieldProblems.to}><input type="date" ...${attrs('to')} /><//>
    </div>
    <fieldset class="field days" aria-describedby="override-days-error">
      <legend>Only on these days (none: every day of the dates)</legend>
      ${WEEKDAYS.map((day) => html`<label><input type="checkbox" name="days" value=${day} checked=${v.days.includes(day)} onChange=${() => toggleDay(day)} /> ${WEEKDAY_NAMES[day].slice(0, 3)}</label>`)}
      <p class="field-error" id="override-days-error" role="alert">${(fieldProblems.days ?? []).join(' ')}</p>
    </fieldset>
    <${Field} prefix=${p} name="events" label="Fixed events" hint=${`One a line: start | end | title | video address, times in ${channel.timezone} (2026-12-24T18:00 | 2026-12-24T19:30 | Carol Service). They win over any block.`} problems=${fieldProblems.events}>
      <textarea rows="3" ...${attrs('events')}></textarea><//>
    <fieldset class="field" data-field="blocks" aria-describedby="override-blocks-error">
      <legend>Blocks (optional: they replace every template block they overlap on those dates)</legend>
      ${blocks.length === 0 && html`<p class="meta">No blocks: the dates air the template around the fixed events.</p>`}
      ${blocks.length > 0 && html`<table class="list" id="override-blocks">
        <caption>${blocks.length} block${blocks.length === 1 ? '' : 's'}</caption>
        <thead><tr><th scope="col">Block</th><th scope="col">Days</th><th scope="col">Time</th><th scope="col">Content</th><th scope="col"></th></tr></thead>
        <tbody>${blocks.map((b, i) => html`<tr data-block=${b.id}>
          <td data-label="Block">${b.title || b.id}${problems.said[i] && html`<div class="field-error" role="alert">${problems.said[i].join(' ')}</div>`}</td>
          <td data-label="Days">${blockDays(b)}</td>
          <td data-label="Time">${b.start}–${b.end}</td>
          <td data-label="Content">${blockContent(b, playlists)}</td>
          <td><button type="button" aria-label=${`Edit block ${b.id}`} onClick=${() => edit(i, formValues(b))}>Edit</button> <button type="button" class="danger" aria-label=${`Remove block ${b.id}`} onClick=${() => dropBlock(i)}>Remove</button></td></tr>`)}</tbody>
      </table>`}
      <div class="toolbar"><button type="button" id="override-add-block" onClick=${addBlock}>Add block</button></div>
      <p class="field-error" id="override-blocks-error" role="alert">${(fieldProblems.blocks ?? []).join(' ')}</p>
    </fieldset>
    <${FormError} id="override-error" error=${error} problems=${fieldProblems['']} />
    ${stale && html`<p class="state error" role="alert" id="override-stale"><strong>${stale}</strong></p>`}
    <button type="submit" class="primary" disabled=${pending}>${opened === null ? 'Add override' : 'Save override'}</button>
    ${opened !== null && html` <button type="button" id="override-cancel" onClick=${onCancel}>Cancel</button>`}
  </form></section>
    ${editing && html`<aside class="beside"><section><${BlockForm} key=${editing.key} prefix="override-block" initial=${editing.initial} isNew=${editing.index === null} playlists=${playlists}
      problems=${(editing.index !== null && problems.blocks[editing.index]) || {}} error=${null} pending=${false} onSave=${keepBlock} onDelete=${() => editing.index !== null && dropBlock(editing.index)} onCancel=${() => setEditing(null)} /></section></aside>`}
  </div>`
}

/** Whether override `o` airs on local date `date` (its dates, and its days when it has any). @param {Override} o @param {string} date */
function covers (o, date) {
  if (date < o.from || date > o.to) return false
  return o.days === null || o.days.includes(WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7])
}

/**
 * A month grid (Monday first) of which days each override covers; the later one (it wins) below.
 * @param {{ overrides: Override[], month: string, onMonth: (month: string) => void, onOpen: (o: Override) => void }} props
 */
function OverrideCalendar ({ overrides, month, onMonth, onOpen }) {
  const first = `${month}-01`
  const lead = (new Date(`${first}T00:00:00Z`).getUTCDay() + 6) % 7
  const start = addDays(first, -lead)
  const weeks = Array.from({ length: 6 }, (_, w) => Array.from({ length: 7 }, (_, d) => addDays(start, w * 7 + d)))
    .filter((week, w) => w === 0 || week[0].slice(0, 7) === month)
  const shift = (/** @type {number} */ by) => {
    const d = new Date(`${first}T00:00:00Z`)
    d.setUTCMonth(d.getUTCMonth() + by)
    onMonth(d.toISOString().slice(0, 7))
  }
  const title = new Date(`${first}T00:00:00Z`).toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' })
  return html`<section aria-labelledby="override-calendar-title">
    <div class="toolbar"><h3 id="override-calendar-title">${title}</h3>
      <button type="button" id="override-month-prev" aria-label="Previous month" onClick=${() => shift(-1)}>‹</button>
      <button type="button" id="override-month-next" aria-label="Next month" onClick=${() => shift(1)}>›</button></div>
    <table class="list month" id="override-calendar" data-month=${month}>
      <thead><tr>${WEEKDAYS.map((d) => html`<th scope="col">${WEEKDAY_NAMES[d].slice(0, 3)}</th>`)}</tr></thead>
      <tbody>${weeks.map((week) => html`<tr>${week.map((date) => {
        const on = overrides.filter((o) => covers(o, date))
        return html`<td data-date=${date} class=${date.slice(0, 7) === month ? '' : 'meta'}>
          <div>${Number(date.slice(8))}</div>
          ${on.map((o) => html`<button type="button" class="badge" data-override=${o.id} title=${`${o.name}: ${o.from} – ${o.to}`} onClick=${() => onOpen(o)}>${o.name}</button>`)}
        </td>`
      })}</tr>`)}</tbody>
    </table>
  </section>`
}

/** @param {{ channel: Channel, playlists: PlaylistSummary[] }} props */
export function OverridesTab ({ channel, playlists }) {
  const [overrides, setOverrides] = useState(/** @type {Override[] | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [editing, setEditing] = useState(/** @type {{ override: Override, revision: number, key: number } | null} */ (null))
  const [month, setMonth] = useState(todayIn(channel.timezone).slice(0, 7))
  const load = () => api(`/api/channels/${channel.id}/overrides`).then((/** @type {OverrideList} */ answer) => setOverrides(answer.overrides)).catch(setError)
  useEffect(() => { load() }, [channel.id])
  async function remove (/** @type {Override} */ o) {
    if (!confirm(`Delete the override "${o.name}" (${o.from} – ${o.to})?`)) return
    try { await api(`/api/channels/${channel.id}/overrides/${o.id}`, { method: 'DELETE' }); load() } catch (err) { setError(err) }
  }
  /** The form opens on it, with the channel's revision now: what the save's If-Match names. */
  async function open (/** @type {Override} */ o) {
    try {
      const { channel: now } = /** @type {import('../../../../contract/api.js').ChannelAnswer} */ (await api(`/api/channels/${channel.id}`))
      setEditing({ override: o, revision: now.revision, key: Date.now() })
    } catch (err) { setError(err) }
  }
  // Saved: the list read again, the focus on the saved override's Edit button (the form's own button was off while it saved).
  const saved = (/** @type {string} */ id) => {
    setEditing(null)
    load().then(() => requestAnimationFrame(() => /** @type {HTMLElement | null} */ (document.querySelector(`#override-list tr[data-override="${CSS.escape(id)}"] button.edit`))?.focus()))
  }
  // By date: the earliest first; on the same dates the later one (it wins) below.
  const sorted = [...(overrides ?? [])].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.seq - b.seq)
  return html`<${OverrideCalendar} overrides=${[...(overrides ?? [])].sort((a, b) => a.seq - b.seq)} month=${month} onMonth=${setMonth} onOpen=${open} />
    <section aria-labelledby="overrides-title">
      <h3 id="overrides-title">Overrides by date</h3>
      ${error && html`<${ApiProblem} error=${error} what="Overrides" />`}
      ${overrides === null && !error && html`<p class="state loading" role="status">Loading overrides…</p>`}
      ${overrides?.length === 0 && html`<div class="state empty"><p>No overrides: every date airs the week template.</p></div>`}
      ${sorted.length > 0 && html`<table class="list" id="override-list">
        <thead><tr><th scope="col">Dates</th><th scope="col">Name</th><th scope="col">Days</th><th scope="col">Blocks</th><th scope="col">Fixed events</th><th scope="col"></th></tr></thead>
        <tbody>${sorted.map((o) => html`<tr data-override=${o.id}>
          <td data-label="Dates">${o.from === o.to ? o.from : `${o.from} – ${o.to}`}</td>
          <td data-label="Name">${o.name}</td>
          <td data-label="Days">${o.days ? o.days.map((d) => WEEKDAY_NAMES[d]?.slice(0, 3) ?? d).join(' ') : 'every day'}</td>
          <td data-label="Blocks">${o.blocks.map((b) => `${b.title || b.id} ${b.start}–${b.end}`).join(', ') || '—'}</td>
          <td data-label="Fixed events">${o.events.map((ev) => html`<div>${ev.title} · ${fmtDateTime(ev.start)} – ${fmtDateTime(ev.end)}</div>`)}</td>
          <td><button type="button" class="edit" aria-label=${`Edit override ${o.name}`} onClick=${() => open(o)}>Edit</button>
            <button type="button" class="danger" onClick=${() => remove(o)}>Delete</button></td></tr>`)}</tbody>
      </table>`}
    </section>
    <${OverrideForm} key=${editing?.key ?? 'new'} channel=${channel} playlists=${playlists} editing=${editing} onAdded=${saved} onCancel=${() => setEditing(null)} />`
}
