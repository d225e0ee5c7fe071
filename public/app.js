// The dashboard: health and pool figures, polled without reloading the page.
// Plain ES module, no build step; only this service is ever contacted.

const REFRESH_MS = 2000
const $ = (id) => document.getElementById(id)

// A key handed over in the first-start link (#key=…) is kept in this browser, then
// removed from the address bar so it does not linger in history or screenshots.
const fragment = new URLSearchParams(location.hash.slice(1))
if (fragment.has('key')) {
  localStorage.setItem('scheduleflow.apiKey', fragment.get('key'))
  history.replaceState(null, '', location.pathname + location.search)
}

function duration (ms) {
  const s = Math.floor(ms / 1000)
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'min'], [s % 60, 's']]
  return parts.filter(([n], i) => n > 0 || i === 3).slice(0, 2).map(([n, u]) => `${n} ${u}`).join(' ')
}

const ms = (v) => (v === null ? '–' : `${Math.round(v)} ms`)

async function getJson (path) {
  const res = await fetch(path, { headers: { accept: 'application/json' } })
  const body = await res.json()
  return { ok: res.ok, status: res.status, body, requestId: res.headers.get('x-request-id') }
}

async function refresh () {
  try {
    const [health, stats] = await Promise.all([getJson('/api/health'), getJson('/api/queue-stats')])
    const h = health.body
    $('status').textContent = h.status === 'healthy' ? 'healthy' : `degraded: ${(h.reasons ?? []).join(', ')}`
    $('status').className = `badge ${h.status}`
    $('pool-active').textContent = `${h.process_pool.active} / ${h.process_pool.max}`
    $('pool-queued').textContent = `${h.process_pool.queued} / ${h.process_pool.max_queue}`
    $('pool-utilization').textContent = `${h.process_pool.utilization_percent} %`
    $('pool-meter').value = h.process_pool.utilization_percent
    $('service-uptime').textContent = duration(h.uptime_ms)
    $('service-storage').textContent = `${h.storage.kind} ${h.storage.ok ? '(ok)' : '(failing)'}`
    const s = stats.body
    $('pool-idle').textContent = String(s.idle)
    $('ops-succeeded').textContent = String(s.totals.succeeded)
    $('ops-errors').textContent = String(s.totals.errors)
    $('ops-timeouts').textContent = String(s.totals.timeouts)
    $('ops-rejected').textContent = String(s.totals.rejected)
    $('ops-latency').textContent = `${ms(s.latency_ms.p50)} / ${ms(s.latency_ms.p95)} / ${ms(s.latency_ms.p99)}`
    $('error').hidden = true
  } catch (err) {
    $('status').textContent = 'unreachable'
    $('status').className = 'badge down'
    $('error').textContent = `The service did not answer: ${err.message}`
    $('error').hidden = false
  }
}

refresh()
setInterval(refresh, REFRESH_MS)
