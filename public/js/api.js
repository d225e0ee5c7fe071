// @ts-check
// Every call the panel makes goes through here: the key, the error shape, the key prompt.

const KEY_STORAGE = 'scheduleflow.apiKey'

export const getKey = () => localStorage.getItem(KEY_STORAGE)
/** @param {string | null} key */
export const setKey = (key) => (key ? localStorage.setItem(KEY_STORAGE, key) : localStorage.removeItem(KEY_STORAGE))

/** @typedef {import('../../contract/api.js').ErrorBody} ErrorBody */
/** @typedef {import('../../contract/api.js').ProblemDetail} ProblemDetail */

/** The API's `{status:"error", code, message, request_id, errors?}`, with the HTTP status. */
export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status, 0 when the service did not answer
   * @param {{ message?: string, code?: string, request_id?: string, errors?: ProblemDetail[] }} body the answer (the panel's own code when there is none)
   * @param {string | null} [requestId] the x-request-id header, for an answer with no body
   */
  constructor (status, body, requestId) {
    super(body.message ?? `the service answered ${status}`)
    this.status = status
    this.code = body.code ?? 'ERROR'
    this.requestId = body.request_id ?? requestId
    /** @type {ProblemDetail[]} */
    this.errors = body.errors ?? []
    /** The answer as sent: a 503 from /api/health is a health report, not an error body. */
    this.body = /** @type {unknown} */ (body)
  }
}

/**
 * A fresh Idempotency-Key (routes/idempotency.ts): 32 hex digits. getRandomValues, not
 * randomUUID, which browsers give only to secure contexts (a panel on a LAN address is not one).
 */
export const newIdempotencyKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')

/** @type {(err: ApiError) => void} */
let onAuthProblem = () => {}
/**
 * Called with the ApiError of a 401 or 403, so the panel can ask for a key.
 * @param {(err: ApiError) => void} handler
 */
export const whenAuthFails = (handler) => { onAuthProblem = handler }

/**
 * @typedef {object} CallOptions
 * @property {string} [method]
 * @property {unknown} [body] JSON unless a Blob or a string
 * @property {Record<string, string>} [headers]
 * @property {boolean} [raw] answer the Response rather than its JSON (a 304 to a conditional read included)
 */

/**
 * One call; the answer's JSON (any: each view names the contract type it reads), or the
 * Response itself with `raw`.
 * @param {string} path
 * @param {CallOptions} [options]
 * @returns {Promise<any>}
 */
export async function api (path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  /** @type {Record<string, string>} */
  const sent = { ...headers }
  const key = getKey()
  if (key) sent.authorization = `Bearer ${key}`
  let payload = /** @type {BodyInit | undefined} */ (body)
  if (body !== undefined && !(body instanceof Blob) && typeof body !== 'string') {
    sent['content-type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(path, { method, headers: sent, body: payload })
  } catch {
    throw new ApiError(0, { code: 'UNREACHABLE', message: 'The service did not answer. Is it running?' })
  }
  if (!res.ok && !(raw && res.status === 304)) {
    /** @type {Partial<ErrorBody>} */
    let data = {}
    try { data = await res.json() } catch { /* not JSON: keep the status */ }
    const err = new ApiError(res.status, data, res.headers.get('x-request-id'))
    if (res.status === 401 || res.status === 403) onAuthProblem(err)
    throw err
  }
  return raw ? res : res.json()
}

/**
 * Fetches a document with the key and hands it to the browser as a download.
 * @param {string} path
 * @returns {Promise<string>} the file's name
 */
export async function download (path) {
  /** @type {Response} */
  const res = await api(path, { raw: true })
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download'
  const url = URL.createObjectURL(await res.blob())
  const link = Object.assign(document.createElement('a'), { href: url, download: name })
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return name
}

/**
 * An edit of a schedule's or a channel's events (SPEC §12): sent with `If-Match: "<revision>"`,
 * so an edit made on an old view of the timeline is refused (412) rather than written over
 * another editor's. Answers carry the new `revision`.
 * @param {string} path
 * @param {number | null | undefined} revision
 * @param {{ method?: string, body?: unknown }} [options]
 */
export const edit = (path, revision, { method = 'POST', body } = {}) =>
  api(path, { method, body, headers: revision === null || revision === undefined ? {} : { 'if-match': `"${revision}"` } })

/**
 * Who wrote since, from a 412's message ("this schedule was changed by NAME (ROLE) at TIME: …"):
 * { name, role, at }, or null when a build or an import moved the revision on.
 * @param {unknown} err
 */
export function staleBy (err) {
  const match = /changed by (.+) \(([^)]+)\) at (\S+): it is at revision/.exec(err instanceof Error ? err.message : '')
  return match === null ? null : { name: match[1], role: match[2], at: match[3] }
}
