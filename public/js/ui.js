// Small DOM helpers: elements built without innerHTML (no markup injection, no inline styles under the CSP).

export function h (tag, props = {}, ...children) {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value)
    else if (name === 'class') el.className = value
    else if (name === 'dataset') Object.assign(el.dataset, value)
    else if (name === 'style') Object.assign(el.style, value) // CSSOM, which the CSP allows
    else if (name === 'value' || name === 'checked') el[name] = value
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child))
  }
  return el
}

export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' })
const dayYearLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })

export const fmtDateTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '–')
export const fmtDay = (date) => dayLabel.format(date)
/** A day with its year: the heading of a view, where an old or far-off schedule must not pass for this year's. */
export const fmtDayYear = (date) => dayYearLabel.format(date)

/** A date's local YYYY-MM-DD: the value of an input type=date and of a view's `date=` in the address. */
export const isoDay = (date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`

/**
 * "1 event", "2 events", "1,200 events": every count the panel prints goes through here.
 * `many` is for words whose plural is not the word and an s ("1 match", "2 matches").
 */
export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`

export function fmtDuration (seconds) {
  if (seconds === null || seconds === undefined) return 'unknown'
  const s = Math.round(seconds)
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60]
  return hms[0] > 0 ? `${hms[0]}:${String(hms[1]).padStart(2, '0')}:${String(hms[2]).padStart(2, '0')}` : `${hms[1]}:${String(hms[2]).padStart(2, '0')}`
}

export const loading = (what) => h('p', { class: 'state loading', role: 'status', 'aria-busy': 'true' }, `Loading ${what}…`)
export const empty = (text, ...more) => h('div', { class: 'state empty' }, h('p', {}, text), ...more)

/** The API's message and the request id, so the matching log line can be found. */
export function errorBox (err, what = 'That') {
  return h('div', { class: 'state error', role: 'alert' },
    h('p', {}, h('strong', {}, `${what} failed: `), err.message),
    (err.errors ?? []).length > 0 && h('ul', { class: 'problems' }, err.errors.slice(0, 100).map((p) => h('li', {}, describeProblem(p)))),
    h('p', { class: 'meta' }, `code ${err.code ?? 'ERROR'}`, err.status ? ` · HTTP ${err.status}` : '', err.requestId ? ' · request id ' : '', err.requestId ? h('code', { class: 'request-id' }, err.requestId) : ''))
}

/** A problem as a person reads it: the API's message names its event (1-based, title, time); the index is 0-based, so it is shown 1-based only when the message does not name the event. */
export function describeProblem (p) {
  const named = typeof p.message === 'string' && p.message.startsWith('event ')
  const where = [!named && p.index !== undefined ? `event ${p.index + 1}` : '', !named ? p.field ?? '' : '', p.line !== undefined ? `line ${p.line}, column ${p.column ?? 0}` : ''].filter(Boolean).join(' · ')
  return where ? (named ? `${p.message} (${where})` : `${where}: ${p.message}`) : p.message
}

/** A table row's cells, each named by its column: a phone shows the name beside the value (style.css). `numeric`: indexes of number columns. */
export const cells = (values, columns, numeric = []) => values.map((value, i) => h('td', { class: numeric.includes(i) ? 'num' : undefined, dataset: { label: columns[i] } }, value))

export function replace (container, ...children) {
  container.replaceChildren(...children.flat().filter(Boolean))
}
