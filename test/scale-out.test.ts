import t from 'tap'
import { KEYS } from './helpers.js'
import { findClusterBinaries, startCluster, type Cluster } from './cluster.js'

// Many real processes (servers, workers, the CLI by hand): more than the default 120 s on a loaded machine.
t.setTimeout(300_000)

// Issue 12, SPEC §13: three instances on one database and one Redis, behind the real nginx
// running deploy/nginx/scheduleflow.conf, act as one service. Every request goes to nginx's
// port; which instance answered is read from the instances' own logs (the request id).
// With SCHEDULEFLOW_TEST_DATABASE_URL the instances share a PostgreSQL database, else one
// SQLite data dir; the checks read that database directly.

const HOUR = 3_600_000

interface Answer {
  status: number
  body: any
  replayed: boolean
}

interface Call {
  method?: string
  key?: keyof typeof KEYS | string
  body?: unknown
  contentType?: string
  idempotencyKey?: string
  requestId?: string
}

/** One request to the service (nginx). A connection that fails is status 0, never a throw. */
async function call (cluster: Cluster, path: string, { method = 'GET', key = 'operator', body, contentType = 'application/json', idempotencyKey, requestId }: Call = {}): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${key in KEYS ? KEYS[key as keyof typeof KEYS] : key}` }
  if (body !== undefined) headers['content-type'] = contentType
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey
  if (requestId !== undefined) headers['x-request-id'] = requestId
  try {
    const res = await fetch(`${cluster.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) })
    const text = await res.text()
    let parsed: unknown = text
    try { parsed = JSON.parse(text) } catch { /* nginx's own pages are HTML */ }
    return { status: res.status, body: parsed, replayed: res.headers.get('idempotent-replayed') === 'true' }
  } catch {
    return { status: 0, body: null, replayed: false }
  }
}

/** A JSON schedule of `count` one-hour events from `startMs`. */
function scheduleDoc (label: string, count: number, startMs: number): string {
  return JSON.stringify({
    schedule: Array.from({ length: count }, (_, i) => ({
      title: `${label} #${i}`,
      start: new Date(startMs + i * HOUR).toISOString(),
      end: new Date(startMs + (i + 1) * HOUR).toISOString()
    }))
  })
}

const ok = (status: number): boolean => status >= 200 && status < 300

/** How many of `items` give each key (Node 20 has no Map.groupBy). */
function countBy<T, K> (items: Iterable<T>, keyOf: (item: T) => K): Map<K, number> {
  const counts = new Map<K, number>()
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1)
  return counts
}

interface StoredState { schedules: Map<string, { name: string, eventCount: number, stored: number }>, orphans: Record<string, number> }

/** Rows per schedule as stored, and rows that belong to nothing: the same SQL on both databases. */
async function storedState (cluster: Cluster): Promise<StoredState> {
  const rows = await cluster.storage.query<{ id: string, name: string, event_count: number | string, stored: number | string }>(
    'SELECT s.id, s.name, s.event_count, count(e.id) AS stored FROM schedules s LEFT JOIN events e ON e.schedule_id = s.id GROUP BY s.id, s.name, s.event_count')
  const schedules = new Map(rows.map((r) => [r.id, { name: r.name, eventCount: Number(r.event_count), stored: Number(r.stored) }]))
  const orphans: Record<string, number> = {}
  for (const [table, parent, column, key] of [['events', 'schedules', 'schedule_id', 'id'], ['playlist_items', 'playlists', 'playlist_id', 'id'], ['fill_decisions', 'schedules', 'schedule_id', 'id']]) {
    const [{ n }] = await cluster.storage.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table} c WHERE NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.${key} = c.${column})`)
    orphans[table] = Number(n)
  }
  return { schedules, orphans }
}

const bins = findClusterBinaries()
if ('missing' in bins) {
  t.comment(bins.missing)
  t.plan(0, bins.missing)
} else {
  t.test('three instances behind nginx act as one service', async (t) => {
    const cluster = await startCluster(t, bins, {
      env: {
        // Nothing but what is tested here refuses a request: many writes from one key at once.
        SCHEDULEFLOW_RATE_LIMIT_MAX: '100000',
        SCHEDULEFLOW_MAX_QUEUED_PER_KEY: '1000',
        SCHEDULEFLOW_MAX_QUEUE: '1000',
        SCHEDULEFLOW_POOL_SIZE: '3',
        SCHEDULEFLOW_POOL_PRESPAWN: '1'
      }
    })
    const health = (await call(cluster, '/api/health')).body
    t.equal(health.storage.kind, cluster.storage.kind, `the instances store in ${cluster.storage.kind}, where the checks read`)

    await t.test('30 imports at once are spread over the instances and none is lost', async (t) => {
      const sent = Array.from({ length: 30 }, (_, i) => ({ name: `burst-${i}`, events: 3 + i }))
      const answers = await Promise.all(sent.map(({ name, events }, i) =>
        call(cluster, `/api/schedules/import?name=${name}`, { method: 'POST', body: scheduleDoc(name, events, Date.UTC(2026, 0, 1 + i)), requestId: `burst-${i}` })))
      t.same(answers.map((a) => a.status), Array(30).fill(201), 'all 30 are stored (201)')

      const servers = await Promise.all(sent.map((_, i) => cluster.servedBy(`burst-${i}`)))
      t.ok(servers.every((s) => s.length === 1), 'each was served by one instance, as its log says')
      const perInstance = countBy(servers, ([id]) => id)
      t.equal(perInstance.size, cluster.instances.length, `every instance served some (${[...perInstance].map(([id, n]) => `${id}: ${n}`).join(', ')})`)

      const list = await call(cluster, '/api/schedules', { key: 'viewer' })
      const listed = (list.body.schedules as { name: string, event_count: number }[]).filter((s) => s.name.startsWith('burst-'))
      t.same(listed.map((s) => [s.name, s.event_count]).sort(), sent.map((s) => [s.name, s.events]).sort(), 'the list names each once, with its event count')
      const { schedules } = await storedState(cluster)
      for (const [i, answer] of answers.entries()) {
        t.match(schedules.get(answer.body.schedule_id), { name: sent[i].name, eventCount: sent[i].events, stored: sent[i].events }, `${sent[i].name}: every event stored`)
      }
    })

    await t.test('a body past nginx\'s limit is refused by nginx in the API\'s error shape', async (t) => {
      // client_max_body_size leaves room above SCHEDULEFLOW_MAX_UPLOAD_BYTES (50 MiB) for
      // multipart framing; past it nginx answers without asking an instance.
      const res = await fetch(`${cluster.url}/api/schedules/import`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.operator}`, 'content-type': 'application/json', 'x-request-id': 'too-large' }, body: Buffer.alloc(52 * 1024 * 1024, 32) })
      t.equal(res.status, 413)
      t.same(await res.json(), { status: 'error', code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than this server accepts (50 MiB)', request_id: 'too-large' })
      t.same(await cluster.servedBy('too-large', 0), [], 'no instance was asked')
    })

    await t.test('two fills racing on two instances over overlapping weeks keep each other\'s cooldown', async (t) => {
      const m3u = ['#EXTM3U', ...Array.from({ length: 300 }, (_, i) => [`#EXTINF:900,Clip ${i}`, `https://cdn.example/clip${i}.mp4`]).flat()].join('\n')
      const playlist = await call(cluster, '/api/playlists/import?name=clips', { method: 'POST', body: m3u, contentType: 'audio/x-mpegurl' })
      t.equal(playlist.status, 201)
      const cooldownHours = 48
      const fill = (start: number, seed: string): Record<string, unknown> =>
        ({ playlist_id: playlist.body.playlist.id, start_time: new Date(start).toISOString(), duration_hours: 168, cooldown_hours: cooldownHours, when_exhausted: 'gap', seed })

      const stored: string[] = []
      for (const round of [1, 2, 3]) {
        // Week A and week B, three days later: four days in common.
        const weekA = Date.UTC(2027, round * 2, 1)
        const [a, b] = await Promise.all([fill(weekA, `${round}-a`), fill(weekA + 72 * HOUR, `${round}-b`)].map((body, n) =>
          call(cluster, '/api/schedules/auto-fill', { method: 'POST', body, requestId: `fill-${round}-${n}` })))
        t.same([a.status, b.status], [201, 201], `round ${round}: both fills stored`)
        const [[onA], [onB]] = await Promise.all([cluster.servedBy(`fill-${round}-0`), cluster.servedBy(`fill-${round}-1`)])
        t.not(onA, onB, `round ${round}: they ran on two instances (${onA}, ${onB})`)
        stored.push(a.body.schedule.id, b.body.schedule.id)
      }

      // What is stored, read back through the service, not what the fills answered.
      const plays: { url: string, start: number }[] = []
      for (const id of stored) {
        const one = await call(cluster, `/api/schedules/${id}`, { key: 'viewer' })
        t.equal(one.status, 200)
        for (const e of one.body.events as { video_url: string, start: string }[]) plays.push({ url: e.video_url, start: Date.parse(e.start) })
      }
      plays.sort((x, y) => x.url.localeCompare(y.url) || x.start - y.start)
      const replays = plays.filter((p, i) => i > 0 && p.url === plays[i - 1].url && p.start - plays[i - 1].start < cooldownHours * HOUR)
      t.ok(plays.length > 2 * 672, `${plays.length} plays stored by six fills`)
      t.equal(replays.length, 0, 'no clip airs twice within 48 h across both schedules of any round', { found: replays.slice(0, 5) })
    })

    await t.test('an instance SIGKILLed in the middle of 300 operations: what was answered 2xx is stored whole, nothing half-written', async (t) => {
      // Schedules for the deletes to remove.
      const made = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        call(cluster, `/api/schedules/import?name=doomed-${i}`, { method: 'POST', body: scheduleDoc(`doomed-${i}`, 5, Date.UTC(2028, 0, 1 + i)) })))
      t.same(made.map((m) => m.status), Array(30).fill(201), '30 schedules to delete')
      const doomed = made.map((m) => m.body.schedule_id as string)

      interface Operation { kind: 'import' | 'fill' | 'delete' | 'read', path: string, call: Call, events?: number, answer?: Answer }
      const operations: Operation[] = Array.from({ length: 300 }, (_, i): Operation => {
        const slot = i % 10
        if (slot < 5) {
          // One in ten imports without an Idempotency-Key: it must not be stored twice either.
          const keyed = i % 50 !== 1
          const events = 1 + (i * 7) % 40
          return { kind: 'import', path: `/api/schedules/import?name=storm-${i}`, events, call: { method: 'POST', body: scheduleDoc(`storm-${i}`, events, Date.UTC(2030, 0, 1 + i)), ...(keyed && { idempotencyKey: `storm-${i}` }) } }
        }
        if (slot < 7) {
          const links = Array.from({ length: 4 }, (_, k) => ({ url: `https://cdn.example/storm-${i}-${k}.mp4`, duration: 1800 }))
          return { kind: 'fill', path: '/api/schedules/auto-fill', call: { method: 'POST', body: { links, start_time: new Date(Date.UTC(2032, 0, 1 + i)).toISOString(), duration_hours: 6, cooldown_hours: 0, seed: `storm-${i}` }, idempotencyKey: `storm-${i}` } }
        }
        if (slot === 7) return { kind: 'delete', path: `/api/schedules/${doomed[(i - 7) / 10]}`, call: { method: 'DELETE', key: 'admin', idempotencyKey: `storm-${i}` } }
        return { kind: 'read', path: slot === 8 ? '/api/schedules' : `/api/schedules/${doomed[Math.floor(i / 10)]}`, call: { key: 'viewer' } }
      })

      // Ten clients at once. Once a third of the operations are answered, an instance busy
      // with a request is SIGKILLed: a POST that hangs in its worker, so it has one for sure.
      let answered = 0
      let killed = ''
      let hangAnswer: Answer | undefined
      const killOne = async (): Promise<void> => {
        const hang = call(cluster, '/api/_test/hang', { method: 'POST', body: {}, requestId: 'storm-hang' })
        const [holder] = await cluster.servedBy('storm-hang', 20_000)
        const instance = cluster.instances.find((i) => i.id === holder)
        if (instance === undefined) throw new Error('no instance logged the request it was to hold when killed')
        killed = holder
        await instance.kill()
        hangAnswer = await hang
      }
      let killing: Promise<void> | undefined
      let next = 0
      await Promise.all(Array.from({ length: 10 }, async () => {
        while (next < operations.length) {
          const op = operations[next++]
          op.answer = await call(cluster, op.path, op.call)
          if (++answered === 100) killing = killOne()
        }
      }))
      await killing
      t.ok(killed !== '', `${killed} was SIGKILLed after 100 of 300 operations were answered`)

      // The POST its instance held when it died was not sent to another one: nginx answers 502.
      t.equal(hangAnswer?.status, 502, 'the request the killed instance held gets 502 from nginx')
      t.match(hangAnswer?.body, { status: 'error', code: 'INSTANCE_UNREACHABLE', message: /Idempotency-Key/, request_id: 'storm-hang' }, 'in the API\'s error shape, saying how to retry')
      t.same(await cluster.servedBy('storm-hang', 0), [killed], 'and no other instance ever received it (a POST is never retried)')
      const port = new URL(cluster.instances.find((i) => i.id === killed)!.url).port
      t.match(cluster.accessLog(), new RegExp(`request_id=storm-hang upstream=127\\.0\\.0\\.1:${port} upstream_status=502 `), 'nginx\'s log names that one instance only')
      const resent = cluster.accessLog().split('\n').filter((line) => /upstream=\S+, /.test(line))
      t.comment(`requests nginx sent on to another instance: ${resent.length} (${resent.map((line) => /"(\w+) /.exec(line)?.[1]).join(', ')})`)

      t.comment(`answers: ${[...countBy(operations, (op) => `${op.kind} ${op.answer!.status}`)].map(([what, n]) => `${what} × ${n}`).join(', ')}`)
      // nginx sends GET and DELETE on to another instance when theirs died under them; a
      // DELETE the dead one had done is replayed from its Idempotency-Key, so it is a 200 too.
      const byKind = (kind: Operation['kind']): Operation[] => operations.filter((op) => op.kind === kind)
      t.same(byKind('delete').filter((op) => op.answer!.status !== 200), [], 'every delete answered 200')
      t.same(byKind('read').filter((op) => op.answer!.status !== 200 && !(op.answer!.status === 404 && op.path !== '/api/schedules')), [], 'every read answered (200, or 404 for a schedule deleted meanwhile)')
      const failed = [...byKind('import'), ...byKind('fill')].filter((op) => !ok(op.answer!.status))
      t.same(failed.filter((op) => op.answer!.status !== 502), [], 'the only writes not answered 2xx are POSTs the killed instance held (502 from nginx)')

      // A client whose write got no answer sends it again with its Idempotency-Key: the
      // stored result if the dead instance had stored it, else it is stored now.
      for (const op of failed.filter((o) => o.call.idempotencyKey !== undefined)) {
        const again = await call(cluster, op.path, op.call)
        t.ok(ok(again.status), `${op.call.idempotencyKey} sent again: ${again.status}${again.replayed ? ' (replayed: the dead instance had stored it)' : ''}`)
        op.answer = again
      }

      const { schedules, orphans } = await storedState(cluster)
      t.same(orphans, { events: 0, playlist_items: 0, fill_decisions: 0 }, 'no rows belonging to nothing')
      t.same([...schedules.values()].filter((s) => s.stored !== s.eventCount), [], 'no schedule has fewer (or more) events than its event_count')
      const copiesOf = countBy(schedules.values(), (s) => s.name)
      for (const [i, op] of operations.entries()) {
        const answer = op.answer!
        if (op.kind === 'import') {
          const copies = copiesOf.get(`storm-${i}`) ?? 0
          if (ok(answer.status)) {
            t.match(schedules.get(answer.body.schedule_id), { stored: op.events }, `import ${i} (answered ${answer.status}): stored with all ${op.events} events`)
            t.equal(copies, 1, `import ${i}: stored once`)
          } else {
            t.ok(copies <= 1, `import ${i} without a key (answered ${answer.status}): never stored twice`)
          }
        } else if (op.kind === 'fill') {
          t.match(schedules.get(answer.body.schedule.id), { stored: answer.body.schedule.event_count }, `fill ${i}: stored with its ${answer.body.schedule.event_count} events`)
        } else if (op.kind === 'delete' && answer.status === 200) {
          t.notOk(schedules.has(answer.body.deleted), `delete ${i}: gone`)
        }
      }
      const list = await call(cluster, '/api/schedules', { key: 'viewer' })
      t.equal(list.body.count, schedules.size, 'the list through the surviving instances counts what is stored')
    })
  })

  t.test('a key\'s rate limit is counted across the instances, and Redis stopping stops nothing', async (t) => {
    const extraKeys = ['rl-a', 'rl-b', 'rl-c', 'rl-down'].map((name) => `viewer:${name}-key-0123456789abcdef`)
    const cluster = await startCluster(t, bins, {
      env: {
        SCHEDULEFLOW_RATE_LIMIT_MAX: '10',
        SCHEDULEFLOW_POOL_PRESPAWN: '0',
        SCHEDULEFLOW_API_KEYS: [...Object.entries(KEYS).map(([role, key]) => `${role}:${key}`), ...extraKeys].join(',')
      }
    })
    const shared = async (): Promise<boolean> => (await Promise.all(cluster.instances.map(async (i) => (await (await fetch(`${i.url}/api/health`)).json()).rate_limits.counted))).every((c) => c === 'shared')
    t.ok(await shared(), 'every instance counts in Redis')

    // Three keys, 11 requests each, one after another: nginx turns round the instances, so
    // each key's 11th lands on another instance.
    const refusedOn: string[] = []
    for (const name of ['rl-a', 'rl-b', 'rl-c']) {
      const statuses: number[] = []
      for (let n = 0; n < 11; n++) statuses.push((await call(cluster, '/api/auth', { key: `${name}-key-0123456789abcdef`, requestId: `${name}-${n}` })).status)
      t.same(statuses, [...Array(10).fill(200), 429], `${name}: 10 answered, the 11th refused`)
      const servers = new Set((await Promise.all(statuses.map((_, n) => cluster.servedBy(`${name}-${n}`)))).flat())
      t.equal(servers.size, cluster.instances.length, `${name}: its 11 requests were spread over all instances`)
      refusedOn.push(...await cluster.servedBy(`${name}-10`))
    }
    t.equal(new Set(refusedOn).size, cluster.instances.length, `the 429 came from each instance in turn (${refusedOn.join(', ')})`)

    await cluster.redis.kill()
    const key = 'rl-down-key-0123456789abcdef'
    const statuses: number[] = []
    for (let n = 0; n < 9; n++) statuses.push((await call(cluster, '/api/auth', { key })).status)
    t.same(statuses, Array(9).fill(200), 'Redis stopped: requests are still answered')
    const counted = await Promise.all(cluster.instances.map(async (i) => (await (await fetch(`${i.url}/api/health`)).json()).rate_limits))
    t.same(counted, Array(cluster.instances.length).fill({ counted: 'per-instance', redis: { ok: false } }), 'each instance says it counts alone, Redis not answering')
    const imported = await call(cluster, '/api/schedules/import?name=without-redis', { method: 'POST', body: scheduleDoc('without-redis', 3, Date.UTC(2029, 0, 1)) })
    t.equal(imported.status, 201, 'and writes still succeed')
  })
}
