// @ts-check
import { api, ApiError } from '../api.js'
import { html, render, useEffect, useState } from '../preact.js'
import { ErrorBox, Head, fmtDateTime } from '../ui.js'

/** @typedef {import('@sinclair/typebox').Static<typeof import('../../../contract/api.js').HealthSchema>} Health */
/** @typedef {import('@sinclair/typebox').Static<typeof import('../../../contract/api.js').QueueStatsSchema>} QueueStats */

const REFRESH_MS = 2000
/** How many refused or failed operations the API lists (lib/process-pool.ts RECENT_ERRORS). */
const RECENT_LISTED = 20
const ERROR_COLUMNS = ['When', 'Operation', 'Status', 'Code', 'Message', 'Request id']

/** @param {number} ms */
function duration (ms) {
  const s = Math.floor(ms / 1000)
  /** @type {[number, string][]} */
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'min'], [s % 60, 's']]
  return parts.filter(([n], i) => n > 0 || i === 3).slice(0, 2).map(([n, u]) => `${n} ${u}`).join(' ')
}

/** @param {number | null} v */
const ms = (v) => (v === null ? '–' : `${Math.round(v)} ms`)
/** @param {{ label: string, value: string, id: string }} props */
const Figure = ({ label, value, id }) => html`<div><dt>${label}</dt><dd id=${id}>${value}</dd></div>`

/**
 * A degraded service answers /api/health with 503 and the same body, which is what the
 * dashboard shows (the body's reasons, its pool and storage), not the error around it.
 * @returns {Promise<Health>}
 */
const readHealth = () => api('/api/health').catch((e) => (e instanceof ApiError && e.status === 503 ? /** @type {Health} */ (e.body) : Promise.reject(e)))

/** @param {{ health: Health, stats: QueueStats }} props */
function Status ({ health, stats }) {
  const hp = health.process_pool
  return html`<p id="status" class=${`badge ${health.status ?? 'degraded'}`} role="status">${health.status === 'healthy' ? 'healthy' : `degraded: ${(health.reasons ?? []).join(', ')}`}</p>
    <section aria-labelledby="pool-title"><h3 id="pool-title">Process pool</h3>
      <dl class="figures">
        <${Figure} label="Running" value=${`${stats.active} / ${stats.max_concurrency}`} id="pool-active" />
        <${Figure} label="Queued" value=${`${stats.queued} / ${stats.max_queue}`} id="pool-queued" />
        <${Figure} label="Utilization" value=${`${hp?.utilization_percent ?? 0} %`} id="pool-utilization" />
        <${Figure} label="Started ahead" value=${String(stats.idle)} id="pool-idle" />
      </dl>
      <meter min="0" max="100" value=${hp?.utilization_percent ?? 0} aria-label="pool utilization"></meter>
    </section>
    <section aria-labelledby="ops-title"><h3 id="ops-title">Operations</h3>
      <dl class="figures">
        <${Figure} label="Succeeded" value=${String(stats.totals.succeeded)} id="ops-succeeded" />
        <${Figure} label="Refused input (4xx)" value=${String(stats.totals.refused)} id="ops-refused" />
        <${Figure} label="Failed (5xx)" value=${String(stats.totals.failed)} id="ops-failed" />
        <${Figure} label="of which timeouts" value=${String(stats.totals.timeouts)} id="ops-timeouts" />
        <${Figure} label="Refused (queue full)" value=${String(stats.totals.rejected)} id="ops-rejected" />
        <${Figure} label="Latency p50 / p95 / p99" value=${`${ms(stats.latency_ms.p50)} / ${ms(stats.latency_ms.p95)} / ${ms(stats.latency_ms.p99)}`} id="ops-latency" />
        <${Figure} label="Up for" value=${duration(health.uptime_ms ?? 0)} id="service-uptime" />
        <${Figure} label="Storage" value=${`${health.storage?.kind ?? '?'} ${health.storage?.ok ? '(ok)' : '(failing)'}`} id="service-storage" />
      </dl>
    </section>
    <section aria-labelledby="errors-title"><h3 id="errors-title">Refused and failed operations</h3>
      <p id="errors-scope">${`Operations refused for their input (4xx) and operations that failed (5xx) since the service started: ${stats.totals.refused + stats.totals.failed}. The last ${RECENT_LISTED} are listed, newest first.`}</p>
      ${stats.recent_errors.length === 0
        ? html`<p class="state empty">No operation refused or failed since the service started.</p>`
        : html`<table id="recent-errors"><${Head} columns=${ERROR_COLUMNS} />
          <tbody>${stats.recent_errors.map((e) => html`<tr><td>${fmtDateTime(e.time)}</td><td>${e.command}</td><td>${String(e.status)}</td><td>${e.code}</td><td>${e.message}</td><td><code>${e.request_id}</code></td></tr>`)}</tbody>
        </table>`}
    </section>`
}

/** #/system: health, pool load and queue, recent errors; polled while the view is open (the panel's home until issue 25 made it On air). */
function Dashboard () {
  const [state, setState] = useState(/** @type {{ health: Health, stats: QueueStats } | { error: ApiError } | null} */ (null))
  useEffect(() => {
    let stopped = false
    const refresh = () => Promise.all([readHealth(), api('/api/queue-stats')])
      .then(([health, stats]) => ({ health, stats }), (error) => ({ error }))
      .then((next) => { if (!stopped) setState(next) })
    refresh()
    const timer = setInterval(refresh, REFRESH_MS)
    return () => { stopped = true; clearInterval(timer) }
  }, [])
  return html`<h2>System</h2>
    <div id="dashboard-body">
      ${state === null && html`<p class="state loading" role="status">Loading the service status…</p>`}
      ${state !== null && 'error' in state && html`<${ErrorBox} error=${state.error} what="Reading the service status" />`}
      ${state !== null && 'health' in state && html`<${Status} health=${state.health} stats=${state.stats} />`}
    </div>`
}

/** @param {Element} main */
export function dashboardView (main) {
  render(html`<${Dashboard} />`, main)
  return () => render(null, main)
}
