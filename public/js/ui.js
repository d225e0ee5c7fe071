// @ts-check
// What every view shares: formatting, and the states a view shows (loading, empty, failed) as
// Preact components. No innerHTML anywhere (no markup injection) and no inline styles (CSP).
import { html } from './preact.js'

/** @typedef {import('./api.js').ApiError} ApiError */
/** @typedef {import('../../contract/api.js').ProblemDetail} ProblemDetail */

export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' })
const dayYearLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })

/**
 * An instant, with its seconds when it has any: a 40-s promo reads "00:00 – 00:00:40", not "00:00 – 00:00" (issue 27).
 * @param {string | number | Date | null | undefined} iso an instant (ISO, epoch ms or a Date); none is a dash
 */
export const fmtDateTime = (iso) => {
  if (!iso) return '–'
  const date = new Date(iso)
  return (date.getSeconds() === 0 ? dateTime : dateTimeSeconds).format(date)
}
/** @param {Date} date */
export const fmtDay = (date) => dayLabel.format(date)
/** A day with its year: the heading of a view, where an old or far-off schedule must not pass for this year's. @param {Date} date */
export const fmtDayYear = (date) => dayYearLabel.format(date)

/** A date's local YYYY-MM-DD: the value of an input type=date and of a view's `date=` in the address. @param {Date} date */
export const isoDay = (date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`

/**
 * A view's state kept in the address (`#/guide?date=…`): a reload or a shared link opens the
 * same day. Replaced in place: no history entry, no hashchange (the view is not drawn again).
 * @param {string} name @param {string} value
 */
export function keepInAddress (name, value) {
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?')
  const params = new URLSearchParams(search)
  if (params.get(name) === value) return
  params.set(name, value)
  history.replaceState(null, '', `${location.pathname}${location.search}#${path}?${params}`)
}

/**
 * "1 event", "2 events", "1,200 events": every count the panel prints goes through here.
 * `many` is for words whose plural is not the word and an s ("1 match", "2 matches").
 * @param {number} n @param {string} one @param {string} [many]
 */
export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`

/** @param {number | null | undefined} seconds */
export function fmtDuration (seconds) {
  if (seconds === null || seconds === undefined) return 'unknown'
  const s = Math.round(seconds)
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60]
  return hms[0] > 0 ? `${hms[0]}:${String(hms[1]).padStart(2, '0')}:${String(hms[2]).padStart(2, '0')}` : `${hms[1]}:${String(hms[2]).padStart(2, '0')}`
}

/** @param {{ what: string }} props */
export const Loading = ({ what }) => html`<p class="state loading" role="status" aria-busy="true">Loading ${what}…</p>`

/** @param {{ text: string, children?: unknown }} props */
export const Empty = ({ text, children }) => html`<div class="state empty"><p>${text}</p>${children}</div>`

/**
 * The API's message and the request id, so the matching log line can be found.
 * @param {{ error: ApiError, what?: string }} props
 */
export function ErrorBox ({ error, what = 'That' }) {
  return html`<div class="state error" role="alert">
    <p><strong>${what} failed: </strong>${error.message}</p>
    ${(error.errors ?? []).length > 0 && html`<ul class="problems">${error.errors.slice(0, 100).map((p) => html`<li>${describeProblem(p)}</li>`)}</ul>`}
    <p class="meta">code ${error.code ?? 'ERROR'}${error.status ? ` · HTTP ${error.status}` : ''}${error.requestId ? ' · request id ' : ''}${error.requestId ? html`<code class="request-id">${error.requestId}</code>` : ''}</p>
  </div>`
}

/**
 * A problem as a person reads it: the API's message names its event (1-based, title, time); the index is 0-based, so it is shown 1-based only when
 * the message does not name the event.
 * @param {ProblemDetail} p
 */
export function describeProblem (p) {
  const named = typeof p.message === 'string' && p.message.startsWith('event ')
  const where = [!named && p.index !== undefined ? `event ${p.index + 1}` : '', !named ? p.field ?? '' : '', p.line !== undefined ? `line ${p.line}, column ${p.column ?? 0}` : ''].filter(Boolean).join(' · ')
  return where ? (named ? `${p.message} (${where})` : `${where}: ${p.message}`) : p.message
}

/**
 * A table row's cells, each named by its column: a phone shows the name beside the value (style.css). `numeric`: indexes of number columns.
 * @param {unknown[]} values
 * @param {string[]} columns
 * @param {number[]} [numeric]
 */
export const cells = (values, columns, numeric = []) => values.map((value, i) => html`<td class=${numeric.includes(i) ? 'num' : undefined} data-label=${columns[i]}>${value}</td>`)

/** @param {{ columns: string[] }} props A table's head row. */
export const Head = ({ columns }) => html`<thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>`

/**
 * Where the focus goes once a side form closes (saved, cancelled, deleted): back to the control
 * that opened it when that is still on the page, else to the first of `fallbacks` found; never
 * left on <body>, where a keyboard user would start again from the top (issue 27). Call it when
 * the form opens; call what it answers when it closes.
 * @returns {(...fallbacks: string[]) => void}
 */
export function focusReturn () {
  const opener = document.activeElement
  return (...fallbacks) => requestAnimationFrame(() => {
    const back = opener instanceof HTMLElement && opener !== document.body && opener.isConnected && !opener.matches(':disabled') ? opener : null
    const target = back ?? fallbacks.map((s) => document.querySelector(s)).find((el) => el instanceof HTMLElement)
    if (target instanceof HTMLElement) target.focus()
  })
}
