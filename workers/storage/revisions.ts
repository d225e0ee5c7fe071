// The change counters of migration 3 (issue 10 item 3), read by the API for its ETags. This
// module loads nothing: the API imports it without any storage code.

/** The SQLite file in the data dir. */
export const DB_FILE_NAME = 'scheduleflow.db'

/** Raised by every write to any schedule: the list and the export of all schedules. */
export const SCHEDULES_SCOPE = 'schedules'
/** Raised by every write to any channel (migration 7): the channel list, the all-channel guide. */
export const CHANNELS_SCOPE = 'channels'
/** Raised by every write to this one channel, its template, overrides and built events; gone when it is deleted. */
export const channelScope = (id: string): string => `channel:${id}`
/** Raised by every write to any playlist: the list of playlists. */
export const PLAYLISTS_SCOPE = 'playlists'
/** Raised by every write to this one schedule; gone when it is deleted. */
export const scheduleScope = (id: string): string => `schedule:${id}`
/** Raised by every write to this one playlist; gone when it is deleted. */
export const playlistScope = (id: string): string => `playlist:${id}`

export const SELECT_REVISION = 'SELECT revision FROM revisions WHERE scope = ?'

/** The alarms open now (SPEC §17, migration 14): health's `alarms`. */
export const SELECT_OPEN_ALARMS = 'SELECT count(*) AS n FROM alarms'

/**
 * The schedule or channel a scope's answers belong to, whose `revision` (SPEC §12) their ETag
 * carries for If-Match; undefined for the other scopes (lists, playlists).
 */
export function editTargetScope (scope: string): { kind: 'schedule' | 'channel', id: string } | undefined {
  const match = /^(schedule|channel):(.+)$/.exec(scope)
  return match === null ? undefined : { kind: match[1] as 'schedule' | 'channel', id: match[2] }
}

/**
 * The revision an edit's If-Match is compared with: the row's own `revision`, which the edit
 * commands check and raise. Not the scope's counter above, which moves with every UPDATE of
 * the row (a channel deleted sets its schedules' channel_ref) and counted before migration 8.
 */
export const SELECT_EDIT_REVISION = {
  schedule: 'SELECT revision FROM schedules WHERE id = ?',
  channel: 'SELECT revision FROM channels WHERE id = ?'
} as const
