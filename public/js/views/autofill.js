import { api } from '../api.js'
import { renderTimeline } from '../timeline.js'
import { h, errorBox, replace, zone } from '../ui.js'
import { explainProblem } from './autofill-errors.js'

/**
 * `URL | title | seconds | category`, one link a line; only the URL is required. Each link
 * keeps its line, so a refusal names the line the person wrote; seconds that are not a
 * number are refused here (JSON would send them as null, an unknown duration).
 */
function parseLinks (text) {
  const links = []
  const lines = []
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
  return { links, problems, lineOf: (index) => lines[index] ?? index + 1 }
}

/** A fresh Idempotency-Key per fill: a repeat of one request (a double submit, a retry) stores one schedule. */
const idempotencyKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')

const field = (name, label, input, hint) => h('div', { class: 'field', dataset: { field: name } },
  h('label', { for: `fill-${name}` }, label), input, hint && h('small', {}, hint), h('p', { class: 'field-error', id: `fill-${name}-error`, role: 'alert' }))

/** The auto-fill form: every option of SPEC §5, the stats and the resulting timeline. `?playlist_id=` preselects a playlist. */
export function autofillView (main, _ids, params = new URLSearchParams()) {
  const input = (name, props) => h('input', { id: `fill-${name}`, name, 'aria-describedby': `fill-${name}-error`, ...props })
  const playlistSelect = h('select', { id: 'fill-playlist_id', name: 'playlist_id', 'aria-describedby': 'fill-playlist_id-error' }, h('option', { value: '' }, '— pasted links below —'))
  const now = new Date(Date.now() + 3_600_000)
  const startDefault = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}T${String(now.getHours()).padStart(2, '0')}:00`
  const submit = h('button', { type: 'submit', class: 'primary', id: 'fill-submit' }, 'Fill')
  const form = h('form', { id: 'autofill-form', novalidate: true },
    field('playlist_id', 'Playlist', playlistSelect),
    field('links', 'Links', h('textarea', { id: 'fill-links', name: 'links', rows: 5, 'aria-describedby': 'fill-links-error', placeholder: 'https://cdn.example/video.mp4 | Title | 1800 | Category' }), 'One per line: URL | title | seconds | category (only the URL is needed). Used when no playlist is chosen.'),
    h('div', { class: 'form-grid' },
      field('start_time', 'Start', input('start_time', { type: 'datetime-local', value: startDefault, required: true })),
      field('timezone', 'Time zone', input('timezone', { type: 'text', value: zone })),
      field('duration_hours', 'Length (hours)', input('duration_hours', { type: 'number', min: 1, max: 744, step: 'any', value: 24 }), 'Up to 744 (31 days)'),
      // Back to back by default: fixed slots cut long items and pad short ones (said in the answer).
      field('slot_mode', 'Slots', h('select', { id: 'fill-slot_mode', name: 'slot_mode' }, h('option', { value: 'real' }, 'Back to back, real durations'), h('option', { value: 'slots' }, 'Fixed slots (cuts or pads items)'))),
      field('slot_minutes', 'Slot length (minutes)', input('slot_minutes', { type: 'number', min: 1, max: 1440, value: 30 }), 'Fixed slots only'),
      field('cooldown_hours', 'Cooldown (hours)', input('cooldown_hours', { type: 'number', min: 0, step: 'any', value: 48 })),
      field('when_exhausted', 'When every link is in cooldown', h('select', { id: 'fill-when_exhausted', name: 'when_exhausted', 'aria-describedby': 'fill-when_exhausted-error' }, h('option', { value: 'least_recent' }, 'Air the least recently played'), h('option', { value: 'gap' }, 'Leave a gap'))),
      field('seed', 'Seed', input('seed', { type: 'text', placeholder: 'random' }), 'The same seed gives the same schedule'),
      field('name', 'Schedule name', input('name', { type: 'text', placeholder: 'automatic' }))),
    h('div', { class: 'checks' },
      h('label', {}, input('shuffle', { type: 'checkbox', checked: true }), ' Shuffle'),
      h('label', {}, input('dry_run', { type: 'checkbox' }), ' Preview only (store nothing)')),
    h('p', { class: 'field-error', id: 'form-error', role: 'alert' }),
    submit)
  const result = h('div', { id: 'autofill-result', 'aria-live': 'polite' })

  const slotMode = form.querySelector('#fill-slot_mode')
  const syncSlots = () => { form.elements.slot_minutes.disabled = slotMode.value !== 'slots' }
  slotMode.addEventListener('change', syncSlots)

  /** Shows each problem next to its field in the form's words; answers how many found a field. */
  function showProblems (problems, lineOf) {
    let placed = 0
    for (const problem of problems) {
      const { name, text } = explainProblem(problem, lineOf)
      const slot = form.querySelector(name === null ? '#form-error' : `#fill-${name}-error`) ?? form.querySelector('#form-error')
      slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text
      if (name !== null) form.elements[name]?.setAttribute('aria-invalid', 'true')
      placed++
    }
    form.querySelector('[aria-invalid]')?.focus()
    return placed
  }

  let pending = false
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    if (pending) return // a second click or Enter while the first fill runs
    for (const el of form.querySelectorAll('.field-error')) el.textContent = ''
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid')
    const v = (name) => form.elements[name].value.trim()
    const pasted = parseLinks(form.elements.links.value)
    const body = {
      start_time: v('start_time') || undefined,
      timezone: v('timezone') || zone,
      duration_hours: v('duration_hours') === '' ? undefined : Number(v('duration_hours')),
      cooldown_hours: v('cooldown_hours') === '' ? undefined : Number(v('cooldown_hours')),
      when_exhausted: v('when_exhausted'),
      shuffle: form.elements.shuffle.checked,
      dry_run: form.elements.dry_run.checked,
      ...(slotMode.value === 'slots' && { slot_minutes: v('slot_minutes') === '' ? undefined : Number(v('slot_minutes')) }),
      ...(v('seed') && { seed: v('seed') }),
      ...(v('name') && { name: v('name') }),
      ...(v('playlist_id') ? { playlist_id: v('playlist_id') } : { links: pasted.links })
    }
    if (slotMode.value === 'slots' && v('slot_minutes') === '') return showProblems([{ field: 'slot_minutes', message: 'required' }], pasted.lineOf)
    if (!v('playlist_id') && pasted.problems.length > 0) return showProblems(pasted.problems, pasted.lineOf)
    pending = true
    submit.disabled = true
    replace(result, h('p', { class: 'state loading', role: 'status' }, 'Filling…'))
    try {
      const answer = await api('/api/schedules/auto-fill', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey() } })
      showAnswer(answer, body)
    } catch (err) {
      replace(result)
      if (err.status !== 400 || err.errors.length === 0 || showProblems(err.errors, pasted.lineOf) === 0) replace(result, errorBox(err, 'The fill'))
    } finally {
      pending = false
      submit.disabled = false
    }
  })

  function showAnswer (answer, body) {
    const s = answer.stats
    const decisions = h('ol', { id: 'autofill-decisions' }, answer.decisions.map((d) => h('li', {}, d)))
    const more = h('p', { class: 'meta', id: 'autofill-decisions-more' })
    let next = answer.decisions_offset + answer.decisions.length
    const showMore = () => {
      const left = answer.decisions_total - next
      replace(more, left <= 0
        ? `All ${answer.decisions_total} decisions shown.`
        : [`${left} more not shown. `, h('button', { type: 'button', onclick: loadMore }, 'Show more')])
    }
    // A stored fill's log is read back page by page; a preview is repeated with its seed and the next offset.
    async function loadMore () {
      replace(more, 'Loading…')
      try {
        const page = answer.dry_run
          ? await api('/api/schedules/auto-fill', { method: 'POST', body: { ...body, seed: s.seed, decisions_offset: next } })
          : await api(`/api/schedules/${answer.schedule.id}/decisions?offset=${next}`)
        decisions.append(...page.decisions.map((d) => h('li', {}, d)))
        next += page.decisions.length
        showMore()
      } catch (err) {
        replace(more, errorBox(err, 'Loading decisions'))
      }
    }
    showMore()
    replace(result,
      h('h3', {}, answer.dry_run ? `Preview (nothing stored): ${answer.schedule.name}` : h('a', { href: `#/schedules/${answer.schedule.id}` }, `Stored: ${answer.schedule.name}`)),
      answer.warnings.length > 0 && h('aside', { class: 'warnings', id: 'autofill-warnings', 'aria-label': 'Warnings' }, h('ul', {}, answer.warnings.map((w) => h('li', { dataset: { kind: w.kind } }, w.message)))),
      h('dl', { class: 'figures', id: 'autofill-stats' },
        [['Slots', s.slots_total], ['Filled', s.slots_filled], ['Gaps', s.gaps], ['Videos used', s.unique_items_used], ['Cooldown overrides', s.cooldown_overrides], ['Items cut', s.items_cut], ['Items padded', s.items_padded], ['Seed', s.seed]]
          .map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', { dataset: { stat: label } }, String(value))))),
      answer.events.length > 0 && renderTimeline({
        events: answer.events,
        view: 'week',
        anchor: new Date(answer.events[0].start),
        // Aired inside its cooldown: drawn as a cooldown replay is in a stored schedule, and named an override.
        marks: (event) => (event.cooldown_override ? ['cooldown', 'override'] : [])
      }),
      h('details', {}, h('summary', {}, `Decisions (${answer.decisions_total}), times in ${body.timezone}`), decisions, more))
  }

  main.append(h('h2', {}, 'Auto-fill'), h('p', { class: 'meta' }, `Times in ${zone} unless you name another zone.`), form, result)
  syncSlots()
  const wanted = params.get('playlist_id')
  api('/api/playlists').then(({ playlists }) => {
    for (const p of playlists) playlistSelect.append(h('option', { value: p.id }, `${p.name} (${p.item_count} items)`))
    if (wanted === null) return
    playlistSelect.value = wanted
    if (playlistSelect.value === wanted) return
    playlistSelect.value = ''
    form.querySelector('#fill-playlist_id-error').textContent = 'That playlist no longer exists. Choose another one, or paste links.'
  }).catch((err) => form.before(errorBox(err, 'Listing playlists')))
}
