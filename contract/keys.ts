import { Type, type Static } from '@sinclair/typebox'
import { KEY_NAME_MAX, KEY_SOURCES, NOT_BLANK, ROLES } from './limits.js'

// ── API keys' names (SPEC §17: PATCH /api/keys/:id) ────────────────────────────────────

export const KeyRenameSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: KEY_NAME_MAX, pattern: NOT_BLANK, description: 'what history, 412 messages and the log call the key from now on (trimmed; one line)' })
}, { additionalProperties: false })
export type KeyRename = Static<typeof KeyRenameSchema>

export const ApiKeySchema = Type.Object({
  id: Type.String({ description: 'a digest of the key (key-<10 hex>), safe to quote; never the key' }),
  name: Type.String(),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  source: Type.Union(KEY_SOURCES.map((s) => Type.Literal(s)), { description: 'stored: the admin key made at first start (renamable); environment: from SCHEDULEFLOW_API_KEYS (its configured name)' })
})
export type ApiKey = Static<typeof ApiKeySchema>

export const ApiKeyListSchema = Type.Object({ keys: Type.Array(ApiKeySchema) })
export type ApiKeyList = Static<typeof ApiKeyListSchema>

/** A stored key's name as the database keeps it (what the rename-key command answers). */
export interface StoredKeyName { key_id: string, name: string }
