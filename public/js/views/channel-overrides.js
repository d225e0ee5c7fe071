// The overrides tab: dated entries listed by date, and a form to add one (SPEC §11): its
// dates, days, fixed one-off events (one a line) and, optionally, its own blocks as JSON.
import { api, newIdempotencyKey } from '../api.js'
import { html, useEffect, useState } from '../preact.js'
import { WEEKDAYS, WEEKDAY_NAMES } from '../calendar.js'
import { fmtDateTime } from '../ui.js'
import { ApiProblem } from './channel-data.js'
import { Field, FormError, fieldPath } from './field-errors.js'

/** `start | end | title | video address`, one event a line: naive times in the channel's zone. */
function parseEvents (text) {
  const lines = []
  const events = []
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return
    const [start = '', end = '', title = '', url = ''] = raw.split('|').map((s) => s.trim())
    events.push({ title, start, end, ...(url && { video_url: url }) })
    lines.push(i + 1)
  })
  return { events, lineOf: (index) => lines[index] ?? index + 1 }
}

/** The refusal by the form's fields: `events.2.start` is line 3 of the events, `blocks.…` the blocks' JSON. */
function problemsOf (err, lineOf) {
  const grouped = {}
  for (const problem of err.errors ?? []) {
    const path = fieldPath(problem.field)
    const [head, index] = path.split('.')
    const name = ['name', 'from', 'to', 'days', 'blocks', 'events'].includes(head) ? head : ''
    const text = head === 'events' && /^\d+$/.test(index ?? '') ? `Line ${lineOf(Number(index))}: ${problem.message}` : name === '' && path ? `${path}: ${problem.message}` : problem.message
    ;(grouped[name] ??= []).push(head === 'blocks' && path !== 'blocks' ? `${path.slice(7)}: ${problem.message}` : text)
  }
  return grouped
}

function OverrideForm ({ channel, onAdded }) {
  const [v, setV] = useState({ name: '', from: '', to: '', days: [], events: '', blocks: '' })
  const [problems, setProblems] = useState({})
  const [error, setError] = useState(null)
  const [pending, setPending] = useState(false)
  const set = (name) => (e) => setV({ ...v, [name]: e.currentTarget.value })
  const toggleDay = (day) => setV({ ...v, days: v.days.includes(day) ? v.days.filter((d) => d !== day) : WEEKDAYS.filter((d) => d === day || v.days.includes(d)) })

  async function submit (e) {
    e.preventDefault()
    if (pending) return
    setProblems({})
    setError(null)
    const { events, lineOf } = parseEvents(v.events)
    let blocks = []
    if (v.blocks.trim() !== '') {
      try { blocks = JSON.parse(v.blocks) } catch (err) { return setProblems({ blocks: [`Not JSON: ${err.message}`] }) }
    }
    setPending(true)
    try {
      await api(`/api/channels/${channel.id}/overrides`, {
        method: 'POST',
        headers: { 'idempotency-key': newIdempotencyKey() },
        body: { name: v.name.trim(), from: v.from, to: v.to, days: v.days.length > 0 ? v.days : null, blocks, events }
      })
      setV({ name: '', from: '', to: '', days: [], events: '', blocks: '' })
      onAdded()
    } catch (err) {
      const grouped = problemsOf(err, lineOf)
      setProblems(grouped)
      setError(Object.keys(grouped).length === 0 ? err : null)
    } finally {
      setPending(false)
    }
  }
  const p = 'override'
  const attrs = (name) => ({ id: `${p}-${name}`, name, value: v[name], onInput: set(name), 'aria-describedby': `${p}-${name}-error`, 'aria-invalid': problems[name] ? 'true' : undefined })
  return html`<form id="override-form" novalidate onSubmit=${submit}>
    <div class="form-grid">
      <${Field} prefix=${p} name="name" label="Name" problems=${problems.name}><input ...${attrs('name')} placeholder="Christmas" /><//>
      <${Field} prefix=${p} name="from" label="From" problems=${problems.from}><input type="date" ...${attrs('from')} /><//>
      <${Field} prefix=${p} name="to" label="To (included)" problems=${problems.to}><input type="date" ...${attrs('to')} /><//>
    </div>
    <fieldset class="field days" aria-describedby="override-days-error">
      <legend>Only on these days (none: every day of the dates)</legend>
      ${WEEKDAYS.map((day) => html`<label><input type="checkbox" name="days" value=${day} checked=${v.days.includes(day)} onChange=${() => toggleDay(day)} /> ${WEEKDAY_NAMES[day].slice(0, 3)}</label>`)}
      <p class="field-error" id="override-days-error" role="alert">${(problems.days ?? []).join(' ')}</p>
    </fieldset>
    <${Field} prefix=${p} name="events" label="Fixed events" hint=${`One a line: start | end | title | video address, times in ${channel.timezone} (2026-12-24T18:00 | 2026-12-24T19:30 | Carol Service). They win over any block.`} problems=${problems.events}>
      <textarea rows="3" ...${attrs('events')}></textarea><//>
    <${Field} prefix=${p} name="blocks" label="Blocks (JSON, as in the template)" hint="Optional: they replace every template block they overlap on those dates" problems=${problems.blocks}>
      <textarea rows="3" ...${attrs('blocks')} placeholder='[{"id": "carols", "days": ["thu"], "start": "20:00", "end": "23:00", "source": {"playlist": "…"}}]'></textarea><//>
    <${FormError} id="override-error" error=${error} problems=${problems['']} />
    <button type="submit" class="primary" disabled=${pending}>Add override</button>
  </form>`
}

export function OverridesTab ({ channel }) {
  const [overrides, setOverrides] = useState(null)
  const [error, setError] = useState(null)
  const load = () => api(`/api/channels/${channel.id}/overrides`).then((answer) => setOverrides(answer.overrides)).catch(setError)
  useEffect(() => { load() }, [channel.id])
  async function remove (o) {
    if (!confirm(`Delete the override "${o.name}" (${o.from} – ${o.to})?`)) return
    try { await api(`/api/channels/${channel.id}/overrides/${o.id}`, { method: 'DELETE' }); load() } catch (err) { setError(err) }
  }
  // By date: the earliest first; on the same dates the later one (it wins) below.
  const sorted = [...(overrides ?? [])].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.seq - b.seq)
  return html`<section aria-labelledby="overrides-title">
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
          <td><button type="button" class="danger" onClick=${() => remove(o)}>Delete</button></td></tr>`)}</tbody>
      </table>`}
    </section>
    <section aria-labelledby="override-new-title"><h3 id="override-new-title">New override</h3><${OverrideForm} channel=${channel} onAdded=${load} /></section>`
}
