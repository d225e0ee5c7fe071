import { api } from '../api.js'
import { h, errorBox, fmtDateTime, replace } from '../ui.js'

const REFRESH_MS = 2000
/** How many refused or failed operations the API lists (lib/process-pool.ts RECENT_ERRORS). */
const RECENT_LISTED = 20

function duration (ms) {
  const s = Math.floor(ms / 1000)
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'min'], [s % 60, 's']]
  return parts.filter(([n], i) => n > 0 || i === 3).slice(0, 2).map(([n, u]) => `${n} ${u}`).join(' ')
}

const ms = (v) => (v === null ? '–' : `${Math.round(v)} ms`)
const figure = (label, value, id) => h('div', {}, h('dt', {}, label), h('dd', { id }, value))

/** Health, pool load and queue, recent errors; polled while the view is open. */
export function dashboardView (main) {
  main.append(h('h2', {}, 'Dashboard'), h('div', { id: 'dashboard-body' }))
  const body = main.querySelector('#dashboard-body')
  let stopped = false
  async function refresh () {
    try {
      const [health, stats] = await Promise.all([api('/api/health').catch((e) => (e.status === 503 ? e : Promise.reject(e))), api('/api/queue-stats')])
      if (stopped) return
      const hp = health.process_pool ?? {}
      replace(body,
        h('p', { id: 'status', class: `badge ${health.status ?? 'degraded'}`, role: 'status' }, health.status === 'healthy' ? 'healthy' : `degraded: ${(health.reasons ?? [health.message]).join(', ')}`),
        h('section', { 'aria-labelledby': 'pool-title' }, h('h3', { id: 'pool-title' }, 'Process pool'),
          h('dl', { class: 'figures' },
            figure('Running', `${stats.active} / ${stats.max_concurrency}`, 'pool-active'),
            figure('Queued', `${stats.queued} / ${stats.max_queue}`, 'pool-queued'),
            figure('Utilization', `${hp.utilization_percent ?? 0} %`, 'pool-utilization'),
            figure('Started ahead', String(stats.idle), 'pool-idle')),
          h('meter', { min: 0, max: 100, value: hp.utilization_percent ?? 0, 'aria-label': 'pool utilization' })),
        h('section', { 'aria-labelledby': 'ops-title' }, h('h3', { id: 'ops-title' }, 'Operations'),
          h('dl', { class: 'figures' },
            figure('Succeeded', String(stats.totals.succeeded), 'ops-succeeded'),
            figure('Refused input (4xx)', String(stats.totals.refused), 'ops-refused'),
            figure('Failed (5xx)', String(stats.totals.failed), 'ops-failed'),
            figure('of which timeouts', String(stats.totals.timeouts), 'ops-timeouts'),
            figure('Refused (queue full)', String(stats.totals.rejected), 'ops-rejected'),
            figure('Latency p50 / p95 / p99', `${ms(stats.latency_ms.p50)} / ${ms(stats.latency_ms.p95)} / ${ms(stats.latency_ms.p99)}`, 'ops-latency'),
            figure('Up for', duration(health.uptime_ms ?? 0), 'service-uptime'),
            figure('Storage', `${health.storage?.kind ?? '?'} ${health.storage?.ok ? '(ok)' : '(failing)'}`, 'service-storage'))),
        h('section', { 'aria-labelledby': 'errors-title' }, h('h3', { id: 'errors-title' }, 'Refused and failed operations'),
          h('p', { id: 'errors-scope' }, `Operations refused for their input (4xx) and operations that failed (5xx) since the service started: ${stats.totals.refused + stats.totals.failed}. The last ${RECENT_LISTED} are listed, newest first.`),
          stats.recent_errors.length === 0
            ? h('p', { class: 'state empty' }, 'No operation refused or failed since the service started.')
            : h('table', { id: 'recent-errors' },
              h('thead', {}, h('tr', {}, ['When', 'Operation', 'Status', 'Code', 'Message', 'Request id'].map((c) => h('th', { scope: 'col' }, c)))),
              h('tbody', {}, stats.recent_errors.map((e) => h('tr', {}, h('td', {}, fmtDateTime(e.time)), h('td', {}, e.command), h('td', {}, String(e.status)), h('td', {}, e.code), h('td', {}, e.message), h('td', {}, h('code', {}, e.request_id))))))))
    } catch (err) {
      if (!stopped) replace(body, errorBox(err, 'Reading the service status'))
    }
  }
  body.append(h('p', { class: 'state loading', role: 'status' }, 'Loading the service status…'))
  refresh()
  const timer = setInterval(refresh, REFRESH_MS)
  return () => { stopped = true; clearInterval(timer) }
}
