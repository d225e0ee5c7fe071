import type { Test } from 'tap'

// The API of a running server (helpers.startServer) as a browser test sets its channel up: one
// key, JSON by default, and playlists imported from M3U text.

export interface ServerClient {
  call(path: string, init?: RequestInit): Promise<Response>
  /** Imports an M3U playlist named `name`; its id. */
  playlist(name: string, body: string): Promise<string>
}

export function serverClient (t: Test, url: string, key: string): ServerClient {
  const call = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } })
  const playlist = async (name: string, body: string): Promise<string> => {
    const res = await call(`/api/playlists/import?name=${name}`, { method: 'POST', body, headers: { 'content-type': 'audio/x-mpegurl' } })
    t.equal(res.status, 201, `playlist ${name}`)
    return (await res.json()).playlist.id
  }
  return { call, playlist }
}
