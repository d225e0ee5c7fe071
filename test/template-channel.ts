import type { Test } from 'tap'
import { serverClient, type ServerClient } from './server-client.js'

// A channel in Europe/London whose week template holds `blocks`, made through the API, for the
// panel's week-grid tests (drag, keyboard): the call to read what the API stored afterwards.

type TemplateBlock = { id: string, days: string[], start: string, end: string }

export interface TemplateChannel<B extends TemplateBlock> {
  call: ServerClient['call']
  channelId: string
  /** The block `id` as the API stores it now. */
  stored(id: string): Promise<B | undefined>
}

export async function templateChannel<B extends TemplateBlock> (t: Test, url: string, key: string, name: string, blocks: B[]): Promise<TemplateChannel<B>> {
  const { call } = serverClient(t, url, key)
  const created = await call('/api/channels', { method: 'POST', body: JSON.stringify({ number: '9', name, timezone: 'Europe/London' }) })
  t.equal(created.status, 201)
  const channelId: string = (await created.json()).channel.id
  t.equal((await call(`/api/channels/${channelId}/template`, { method: 'PUT', body: JSON.stringify({ blocks }) })).status, 200)
  const stored = async (id: string): Promise<B | undefined> => ((await (await call(`/api/channels/${channelId}/template`)).json()).template.blocks as B[]).find((b) => b.id === id)
  return { call, channelId, stored }
}
