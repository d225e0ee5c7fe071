// @ts-check
// The API names each refused field by its path in the request (`blocks.2.end`, `/number`,
// `body/from`): one spelling here, so every channel form puts a problem next to its field.
import { html } from '../preact.js'

/** @typedef {import('../../../contract/api.js').ProblemDetail} ProblemDetail */
/** @typedef {import('../api.js').ApiError} ApiError */
/** Problems by the form field they belong to ('' for the top of the form). @typedef {Record<string, string[]>} Grouped */

/** `/blocks/2/end`, `body/blocks.2.end` → `blocks.2.end`. @param {string | undefined} field */
export const fieldPath = (field) => String(field ?? '').replace(/^\/+/, '').replace(/^body[./]/, '').replace(/\//g, '.')

/**
 * Problems grouped by the form field they belong to: `fieldOf(path)` answers a field name the
 * form shows, or null; the rest go under `''` (said at the top of the form).
 * @param {ProblemDetail[]} problems
 * @param {(path: string) => string | null} fieldOf
 */
export function groupProblems (problems, fieldOf) {
  /** @type {Grouped} */
  const grouped = {}
  for (const problem of problems) {
    const name = fieldOf(fieldPath(problem.field)) ?? ''
    ;(grouped[name] ??= []).push(name === '' && problem.field ? `${fieldPath(problem.field)}: ${problem.message}` : problem.message)
  }
  return grouped
}

/** The problems of one field, under it; `id` is what the input's aria-describedby names. @param {{ id: string, problems?: string[] }} props */
export const FieldError = ({ id, problems }) => html`<p class="field-error" id=${id} role="alert">${(problems ?? []).join(' ')}</p>`

/**
 * A labelled field with its problems under it; marks the input invalid when there are any.
 * @param {{ name: string, prefix: string, label: string, hint?: string, problems?: string[], children?: unknown }} props
 */
export function Field ({ name, prefix, label, hint, problems, children }) {
  return html`<div class="field" data-field=${name}>
    <label for=${`${prefix}-${name}`}>${label}</label>
    ${children}
    ${hint && html`<small>${hint}</small>`}
    <${FieldError} id=${`${prefix}-${name}-error`} problems=${problems} />
  </div>`
}

/**
 * A refusal that named no field of the form, or a failure: the message and the request id.
 * @param {{ id: string, error: ApiError | null, problems?: string[] }} props
 */
export function FormError ({ id, error, problems }) {
  if (!error && !(problems ?? []).length) return html`<p class="field-error" id=${id} role="alert"></p>`
  return html`<div class="state error" id=${id} role="alert">
    ${error && html`<p><strong>Refused: </strong>${error.message}</p>`}
    ${problems !== undefined && problems.length > 0 && html`<ul class="problems">${problems.map((p) => html`<li>${p}</li>`)}</ul>`}
    ${error && html`<p class="meta">code ${error.code}${error.status ? ` · HTTP ${error.status}` : ''}${error.requestId ? html` · request id <code class="request-id">${error.requestId}</code>` : ''}</p>`}
  </div>`
}
