import { api } from '../api.js'
import { renderTimeline } from '../timeline.js'
import { h, errorBox, replace, zone } from '../ui.js'

/** `URL | title | seconds | category`, one link a line; only the URL is required. */
function parseLinks (text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [url, title, seconds, category] = line.split('|').map((s) => s.trim())
    return { url, ...(title && { title }), ...(seconds && { duration: Number(seconds) }), ...(category && { category }) }
  })
}

const field = (name, label, input, hint) => h('div', { class: 'field', dataset: { field: name } },
  h('label', { for: `fill-${name}` }, label), input, hint && h('small', {}, hint), h('p', { class: 'field-error', id: `fill-${name}-error`, role: 'alert' }))

/** The auto-fill form: every option of SPEC §5, the stats and the resulting timeline. */
export function autofillView (main) {
  const input = (name, props) => h('input', { id: `fill-${name}`, name, 'aria-describedby': `fill-${name}-error`, ...props })
  const playlistSelect = h('select', { id: 'fill-playlist_id', name: 'playlist_id', 'aria-describedby': 'fill-playlist_id-error' }, h('option', { value: '' }, '— pasted links below —'))
  const now = new Date(Date.now() + 3_600_000)
  const startDefault = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}T${String(now.getHours()).padStart(2, '0')}:00`
  const form = h('form', { id: 'autofill-form', novalidate: true },
    field('playlist_id', 'Playlist', playlistSelect),
    field('links', 'Links', h('textarea', { id: 'fill-links', name: 'links', rows: 5, 'aria-describedby': 'fill-links-error', placeholder: 'https://cdn.example/video.mp4 | Title | 1800 | Category' }), 'One per line: URL | title | seconds | category (only the URL is needed). Used when no playlist is chosen.'),
    h('div', { class: 'form-grid' },
      field('start_time', 'Start', input('start_time', { type: 'datetime-local', value: startDefault, required: true })),
      field('timezone', 'Time zone', input('timezone', { type: 'text', value: zone })),
      field('duration_hours', 'Length (hours)', input('duration_hours', { type: 'number', min: 1, max: 744, step: 'any', value: 24 }), 'Up to 744 (31 days)'),
      field('slot_mode', 'Slots', h('select', { id: 'fill-slot_mode', name: 'slot_mode' }, h('option', { value: 'slots' }, 'Fixed slots'), h('option', { value: 'real' }, 'Back to back, real durations'))),
      field('slot_minutes', 'Slot length (minutes)', input('slot_minutes', { type: 'number', min: 1, max: 1440, value: 30 })),
      field('cooldown_hours', 'Cooldown (hours)', input('cooldown_hours', { type: 'number', min: 0, step: 'any', value: 48 })),
      field('when_exhausted', 'When every link is in cooldown', h('select', { id: 'fill-when_exhausted', name: 'when_exhausted', 'aria-describedby': 'fill-when_exhausted-error' }, h('option', { value: 'least_recent' }, 'Air the least recently played'), h('option', { value: 'gap' }, 'Leave a gap'))),
      field('seed', 'Seed', input('seed', { type: 'text', placeholder: 'random' }), 'The same seed gives the same schedule'),
      field('name', 'Schedule name', input('name', { type: 'text', placeholder: 'automatic' }))),
    h('div', { class: 'checks' },
      h('label', {}, input('shuffle', { type: 'checkbox', checked: true }), ' Shuffle'),
      h('label', {}, input('dry_run', { type: 'checkbox' }), ' Preview only (store nothing)')),
    h('p', { class: 'field-error', id: 'form-error', role: 'alert' }),
    h('button', { type: 'submit', class: 'primary' }, 'Fill'))
  const result = h('div', { id: 'autofill-result', 'aria-live': 'polite' })

  const slotMode = form.querySelector('#fill-slot_mode')
  const syncSlots = () => { form.querySelector('[data-field="slot_minutes"]').hidden = slotMode.value !== 'slots' }
  slotMode.addEventListener('change', syncSlots)

  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    for (const el of form.querySelectorAll('.field-error')) el.textContent = ''
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid')
    const v = (name) => form.elements[name].value.trim()
    const body = {
      start_time: v('start_time'),
      timezone: v('timezone') || 'UTC',
      duration_hours: v('duration_hours') === '' ? undefined : Number(v('duration_hours')),
      cooldown_hours: v('cooldown_hours') === '' ? undefined : Number(v('cooldown_hours')),
      when_exhausted: v('when_exhausted'),
      shuffle: form.elements.shuffle.checked,
      dry_run: form.elements.dry_run.checked,
      ...(slotMode.value === 'slots' && v('slot_minutes') !== '' && { slot_minutes: Number(v('slot_minutes')) }),
      ...(v('seed') && { seed: v('seed') }),
      ...(v('name') && { name: v('name') }),
      ...(v('playlist_id') ? { playlist_id: v('playlist_id') } : { links: parseLinks(form.elements.links.value) })
    }
    replace(result, h('p', { class: 'state loading', role: 'status' }, 'Filling…'))
    try {
      const answer = await api('/api/schedules/auto-fill', { method: 'POST', body })
      const s = answer.stats
      replace(result,
        h('h3', {}, answer.dry_run ? 'Preview (nothing stored)' : h('a', { href: `#/schedules/${answer.schedule.id}` }, `Stored: ${answer.schedule.name}`)),
        h('dl', { class: 'figures', id: 'autofill-stats' },
          [['Slots', s.slots_total], ['Filled', s.slots_filled], ['Gaps', s.gaps], ['Videos used', s.unique_items_used], ['Cooldown overrides', s.cooldown_overrides], ['Seed', s.seed]]
            .map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', { dataset: { stat: label } }, String(value))))),
        answer.events.length > 0 && renderTimeline({ events: answer.events, view: 'week', anchor: new Date(answer.events[0].start) }),
        h('details', {}, h('summary', {}, `Decisions (${answer.decisions_total})`), h('ol', {}, answer.decisions.map((d) => h('li', {}, d)))))
    } catch (err) {
      replace(result)
      let placed = 0
      for (const problem of err.errors ?? []) {
        const name = String(problem.field ?? '').split(/[./]/)[0]
        const slot = form.querySelector(`#fill-${name}-error`)
        if (slot === null) continue
        slot.textContent = problem.message
        form.elements[name]?.setAttribute('aria-invalid', 'true')
        placed++
      }
      if (placed === 0 || err.status !== 400) replace(result, errorBox(err, 'The fill'))
      else form.querySelector('[aria-invalid]')?.focus()
    }
  })

  main.append(h('h2', {}, 'Auto-fill'), h('p', { class: 'meta' }, `Times in ${zone} unless you name another zone.`), form, result)
  syncSlots()
  api('/api/playlists').then(({ playlists }) => {
    for (const p of playlists) playlistSelect.append(h('option', { value: p.id }, `${p.name} (${p.item_count} items)`))
  }).catch((err) => form.before(errorBox(err, 'Listing playlists')))
}
