import type { FastifyInstance } from 'fastify'
import { bearer } from './helpers.js'

// What the history tests (test/history-kinds.test.ts, test/history-undo.test.ts) read and send
// through the real API.

export const operator = bearer('operator')
export const viewer = bearer('viewer')

export interface Counts { added: number, removed: number, changed: number }
export interface Who { name: string, role: string }
export interface Entry { revision: number, kind: string, summary: string, by: Who, request_id: string, undoes: number | null, counts: Counts }

export const history = async (app: FastifyInstance, url: string): Promise<Entry[]> => {
  const res = await app.inject({ url: `${url}/history`, headers: viewer })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().history
}
export const newest = async (app: FastifyInstance, url: string): Promise<Entry> => (await history(app, url))[0]
export const revisionOf = async (app: FastifyInstance, url: string): Promise<number> => (await app.inject({ url, headers: viewer })).json().channel.revision
/** The channel's events over the test's days, as the API answers them (marks and all). */
export const eventsOf = async (app: FastifyInstance, url: string): Promise<unknown[]> => {
  const res = await app.inject({ url: `${url}/events?from=2030-03-03T00:00:00Z&to=2030-03-08T00:00:00Z`, headers: viewer })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json().events
}
export const templateOf = async (app: FastifyInstance, url: string): Promise<unknown> => (await app.inject({ url: `${url}/template`, headers: viewer })).json().template
export const overridesOf = async (app: FastifyInstance, url: string): Promise<unknown> => (await app.inject({ url: `${url}/overrides`, headers: viewer })).json().overrides

export async function send (app: FastifyInstance, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const body = payload === undefined ? {} : { payload: payload as Record<string, unknown> }
  const res = await app.inject({ method, url, headers: { ...operator, ...headers }, ...body })
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}
