import { resolve } from 'node:path'
import type { PublishAnswer, PublishPut } from '../../contract/on-air.js'
import type { Store } from '../storage/store.js'
import { publishTargetAnswer, type NewPublishTarget, type StoredPublishTarget } from '../storage/publish-targets.js'
import { checkPublishPut } from '../generated/body-checks.js'
import { bodyProblems } from '../body-problems.js'
import { Problems } from '../channels/request.js'
import { isObject } from '../json.js'
import { dirProblem, prune, publishSettings } from '../on-air/publish-files.js'
import { alarmKey, dueDays, publishTarget, windowDays } from '../on-air/publish.js'
import type { CommandDefinition } from './command.js'
import { CHANNEL_OPTION, findChannel } from './channels.js'
import { jsonBody } from './json-body.js'
import { requiredId } from './options.js'

// A channel's publish targets (SPEC §17): GET and PUT /api/channels/:id/publish, the tick's
// retry and the status the metrics read. Setting targets publishes their whole window at once.

const channelId = (options: Record<string, unknown>): string => requiredId(typeof options.channel === 'string' ? [options.channel] : [], 'channel')

const answerOf = async (db: Store, id: string): Promise<PublishAnswer> => ({ targets: (await db.publishTargets.list(id)).map(publishTargetAnswer) })

export const getPublish: CommandDefinition<PublishAnswer> = {
  summary: 'a channel\'s publish targets with how their last publish went (SPEC §17)',
  usage: '--channel <id>',
  options: CHANNEL_OPTION,
  async run ({ options, store }) {
    const id = channelId(options)
    const db = await store()
    await findChannel(db, id)
    return answerOf(db, id)
  }
}

/** The body's targets, each dir resolved; VALIDATION_FAILED naming `targets.N.dir` (and every other problem) otherwise. */
function readTargets (body: unknown, roots: readonly string[]): NewPublishTarget[] {
  const p = new Problems()
  for (const problem of bodyProblems(checkPublishPut, body)) p.list.push(problem)
  const targets = isObject(body) && Array.isArray(body.targets) ? (body as PublishPut).targets : []
  const seen = new Set<string>()
  targets.forEach((t, i) => {
    const field = `targets.${i}.dir`
    if (!isObject(t) || typeof t.dir !== 'string' || p.at(field)) return
    const problem = dirProblem(t.dir, roots)
    if (problem !== null) return p.add(field, problem)
    const key = `${String(t.kind)} ${resolve(t.dir)}`
    if (seen.has(key)) p.add(field, 'the same kind and dir as an earlier target')
    seen.add(key)
  })
  p.refuse('the publish targets')
  return targets.map((t) => ({ kind: t.kind, dir: resolve(t.dir), days_ahead: t.days_ahead ?? null }))
}

export const putPublish: CommandDefinition<PublishAnswer> = {
  summary: 'replace a channel\'s publish targets ({"targets": [{"kind", "dir", "days_ahead"?}]}) and publish their days at once',
  usage: '--channel <id> [targets.json]',
  options: CHANNEL_OPTION,
  async run ({ options, readInput, store, now }) {
    const id = channelId(options)
    const settings = publishSettings()
    const { body } = await jsonBody(readInput)
    const targets = readTargets(body, settings.roots)
    const db = await store()
    const channel = await findChannel(db, id)
    const removed = await db.publishTargets.replace(id, targets)
    const at = now()
    for (const gone of removed) await db.alarms.clear(alarmKey(id, gone.dir), at)
    for (const target of await db.publishTargets.list(id)) await publishTarget(db, channel, target, windowDays(channel, target, at), at, settings)
    return answerOf(db, id)
  }
}

export interface PublishRetryAnswer { targets: number, published: number, failed: number }

const byChannel = (targets: StoredPublishTarget[]): Map<string, StoredPublishTarget[]> => {
  const map = new Map<string, StoredPublishTarget[]>()
  for (const t of targets) map.set(t.channel_id, [...map.get(t.channel_id) ?? [], t])
  return map
}

/** The tick's step (plugins/publish-retry.ts): targets with a failure still pending, and days newly inside a target's window. */
export const publishRetry: CommandDefinition<PublishRetryAnswer> = {
  summary: 'publish what is due: the files a failed publish left unwritten, and days newly inside each target\'s window',
  async run ({ store, now }) {
    const db = await store()
    const at = now()
    const settings = publishSettings()
    const answer: PublishRetryAnswer = { targets: 0, published: 0, failed: 0 }
    for (const [id, targets] of byChannel(await db.publishTargets.list())) {
      const channel = await db.channels.get(id)
      if (channel === null) continue
      for (const target of targets) {
        answer.targets++
        const days = await dueDays(db, channel, target, at)
        if (days.length === 0 && target.pending_from_ms === null) {
          // Nothing to write: old days still go, so a channel nobody rebuilds keeps no stale files
          // (a failure here is the next publish's to report).
          await prune(target.kind, target.dir, channel.timezone, at, settings.retentionDays).catch(() => 0)
          continue
        }
        const outcome = await publishTarget(db, channel, target, days, at, settings)
        answer[outcome.ok ? 'published' : 'failed']++
      }
    }
    return answer
  }
}

export interface PublishStatusTarget {
  channel_id: string
  kind: string
  dir: string
  last_published_ms: number | null
  files: number
  failing: boolean
}

/** Every target's status, for the metrics. */
export const publishStatus: CommandDefinition<{ targets: PublishStatusTarget[] }> = {
  summary: 'every channel\'s publish targets and how their last publish went (for the metrics)',
  async run ({ store }) {
    const db = await store()
    return {
      targets: (await db.publishTargets.list()).map((t) => ({
        channel_id: t.channel_id,
        kind: t.kind,
        dir: t.dir,
        last_published_ms: t.last_published_ms,
        files: t.files,
        failing: t.last_error !== null
      }))
    }
  }
}
