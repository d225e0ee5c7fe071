// The contract's limits and defaults as plain values, with no imports: the contract's resource
// files build their schemas from them, and worker code reads them from here without loading
// TypeBox or the schemas (test/worker-imports.test.ts), so each is written once, at the floor.

/** A build covers at most this many local days (SPEC §11). */
export const MAX_BUILD_DAYS = 93

/** The template's day names, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** What one op of an edit does (SPEC §12). */
export const EDIT_OPS = ['add', 'update', 'delete'] as const
export type EditOpKind = typeof EDIT_OPS[number]

/** Ops in one bulk edit. */
export const MAX_EDIT_OPS = 5000
/** History entries one answer holds: the newest page by default (an entry holds whole rows), at most the scan undo reads. */
export const HISTORY_PAGE = 100
export const HISTORY_MAX = 1000
/** An entry changing more events than this keeps them compressed and lists none of them in the history (counts only). */
export const HISTORY_LISTED_ROWS = 10_000

/** The most events one page of a read answers (SPEC §12), and a dry run's events. */
export const MAX_PAGE = 5_000
/** The most programmes a dry run answers in brief (`programmes: true`): a 93-day preview of a dense channel whole. */
export const MAX_PREVIEW_PROGRAMMES = 20_000
/** A schedule read without a range or cursor answers its first this many events. */
export const SCHEDULE_FIRST_PAGE = 1_000
/** A channel read without a range or cursor answers now → now + this many days. */
export const CHANNEL_DEFAULT_DAYS = 7

/** A build's freeze_hours: at most the longest build's range. */
export const MAX_FREEZE_HOURS = MAX_BUILD_DAYS * 24

/** The cooldown replays are counted against when a request, a template or a stored schedule names none (SPEC §5, §11). */
export const DEFAULT_COOLDOWN_HOURS = 48
/** The longest cooldown a request may name: a leap year. */
export const MAX_COOLDOWN_HOURS = 24 * 366

/** A block's breaks: at most one every this many minutes of content, each at most this many seconds. */
export const BREAK_EVERY_MAX_MINUTES = 720
export const BREAK_MAX_SECONDS = 3600

/** One auto-fill covers at most this many hours (31 days). */
export const MAX_FILL_HOURS = 31 * 24
/** An auto-fill's fixed slots: at most a day long (minutes). */
export const MAX_SLOT_MINUTES = 24 * 60
/** An auto-fill answer's decisions: at most this many at once (the rest are paged). */
export const MAX_DECISIONS = 500

/**
 * What a block does with the time after its items (SPEC §11, §15): pad with filler (the
 * block's, else the channel's default), leave a gap, or cut the last item.
 */
export const BLOCK_FILLS = ['pad', 'gap', 'cut'] as const
export const DEFAULT_BLOCK_FILL: typeof BLOCK_FILLS[number] = 'pad'
/**
 * What a sequential block does after the last item of its source (SPEC §15): start again
 * (warned SERIES_WRAPPED), stop (the rest takes the fill rule), or air the last again.
 */
export const AT_END_MODES = ['loop', 'stop', 'repeat_last'] as const
export const DEFAULT_AT_END: typeof AT_END_MODES[number] = 'loop'
/** Where a block's breaks go (SPEC §15): inside programmes, only between them, or at the chapter marks of the media. */
export const BREAK_PLACES = ['within', 'between', 'chapters'] as const
export const DEFAULT_BREAK_PLACE: typeof BREAK_PLACES[number] = 'within'
/** No break this close (minutes) to a programme's start or end unless a block says otherwise (SPEC §15). */
export const DEFAULT_BREAK_MIN_GAP_MINUTES = 5
/** What an override's blocks replace (SPEC §15): the template blocks they touch, whole, or only the hours they cover. */
export const OVERRIDE_REPLACES = ['blocks', 'hours'] as const
export const DEFAULT_OVERRIDE_REPLACE: typeof OVERRIDE_REPLACES[number] = 'blocks'
/** How a block fills the time before a fixed event that cuts into it (SPEC §15): pad with filler, or the best-fitting items of its source. */
export const BEFORE_FIXED_MODES = ['pad', 'best_fit'] as const
export const DEFAULT_BEFORE_FIXED: typeof BEFORE_FIXED_MODES[number] = 'pad'
/** A stretch left to the default filler because of an override longer than this (minutes) is warned LEFT_TO_FILLER (SPEC §15). */
export const LEFT_TO_FILLER_MINUTES = 5

/** The orders a block airs its source in (SPEC §11), and the one it airs in when it names none. */
export const BLOCK_ORDERS = ['shuffle', 'sequential', 'random'] as const
export const DEFAULT_BLOCK_ORDER: typeof BLOCK_ORDERS[number] = 'shuffle'

/** Blocks in a template or an override; fixed events in an override (SPEC §11). */
export const MAX_BLOCKS = 500
export const MAX_FIXED_EVENTS = 1000
/** A channel number such as 7 or 7.1 (the contract's ChannelNumberSchema; an XMLTV reader picks its candidates with it). */
export const CHANNEL_NUMBER_PATTERN = '^\\d{1,5}(\\.\\d{1,3})?$'

/** A text that must say something: not empty and not only spaces (a schema's `pattern`; the worker answers "must not be blank"). */
export const NOT_BLANK = '\\S'

/** What a programme is (SPEC §14): one airing of an item, a fixed or live event, a stretch of default filler. */
export const PROGRAMME_KINDS = ['item', 'fixed', 'filler'] as const
/** What a segment is inside its programme: a part of the item between breaks, a break, the pad after it. */
export const SEGMENT_ROLES = ['part', 'break', 'pad'] as const
/** How a source shows in the guide (SPEC §14): its own entries, joined to the programme before it, or none. */
export const GUIDE_MODES = ['own', 'meld', 'hide'] as const
/** A stretch of default filler longer than this many minutes is one guide entry of its own (channel field, SPEC §14). */
export const DEFAULT_FILLER_GUIDE_MINUTES = 15
export const MAX_FILLER_GUIDE_MINUTES = 24 * 60
/** No guide entry is shorter than this unless its source asked for `own` (SPEC §14). */
export const MIN_GUIDE_ENTRY_MS = 60_000
/** What a history entry records (SPEC §14). */
/** The history kinds that are builds: by hand, and the scheduler's (SPEC §17); "the last build" is the newest of either. */
export const BUILD_HISTORY_KINDS = ['build', 'rolling_build'] as const
export const HISTORY_KINDS = ['edit', 'build', 'rolling_build', 'template', 'override', 'channel', 'playlist', 'undo', 'revert'] as const

/** The channel fields a settings change names (PATCH /api/channels/:id): those it changed, nothing else. */
export const CHANNEL_SETTING_FIELDS = [
  'number', 'name', 'timezone', 'xmltv_id', 'logo', 'group', 'stream_url', 'default_filler', 'default_filler_guide', 'filler_guide_minutes', 'filler_title',
  'build_ahead_days', 'rebuild_freeze_hours', 'alarm_hours'
] as const
/** `POST …/revert {"to": LAST_BUILD}`: the state right after the newest build (SPEC §14). */
export const LAST_BUILD = 'last_build'
/** The CLI's word for null (the default rule): set-playlist <id> --guide own|meld|hide|default, --cooldown-hours N|default. */
export const DEFAULT_GUIDE_WORD = 'default'

// ── On air (SPEC §17) ───────────────────────────────────────────────────────────────────

/** How many local days ahead the service keeps a channel built (0: no rolling build). */
export const DEFAULT_BUILD_AHEAD_DAYS = 7
export const MAX_BUILD_AHEAD_DAYS = MAX_BUILD_DAYS
/** A rolling rebuild after a template, override or source change keeps what starts before now + this. */
export const DEFAULT_REBUILD_FREEZE_HOURS = 24
/** A channel with less than this many hours built ahead of now raises a `coverage` alarm. */
export const DEFAULT_ALARM_HOURS = 24
export const MAX_ALARM_HOURS = MAX_BUILD_DAYS * 24
/** A channel answer's `gaps` look this far ahead of now. */
export const GAPS_AHEAD_HOURS = 48
/** A gap starting within this many hours of now raises a `gap` alarm (not one left on purpose by fill: gap). */
export const GAP_ALARM_HOURS = 24
/** Shorter empty stretches are not gaps (rounding between clips). */
export const MIN_GAP_SECONDS = 1
/** A now answer's `next`: always the following this many programmes. */
export const NEXT_PROGRAMMES = 3
/** How often each instance's on-air scheduler ticks (rolling builds, publish retries, alarms, the now plan). */
export const DEFAULT_ON_AIR_TICK_MS = 60_000

/** What an alarm is about (SPEC §17). */
export const ALARM_KINDS = ['coverage', 'gap', 'dead_air', 'missing_media', 'build_failed', 'publish_failed'] as const
export type AlarmKind = typeof ALARM_KINDS[number]

/** The playout engines a channel publishes files for (SPEC §17). */
export const PUBLISH_KINDS = ['ersatztv', 'ffplayout'] as const
export type PublishKind = typeof PUBLISH_KINDS[number]
/** Publish targets one channel may have. */
export const MAX_PUBLISH_TARGETS = 8
/** Published files of days that ended more than this many days ago are pruned. */
export const DEFAULT_PUBLISH_RETENTION_DAYS = 2

/** Feed tokens are this many random bytes, base64url, after this prefix (so a log reader can tell one from an API key). */
export const FEED_TOKEN_PREFIX = 'sff_'
export const FEED_TOKEN_BYTES = 24
/** The longest name a feed token may have (who it is for). */
export const FEED_TOKEN_NAME_MAX = 200

/** What an API key may do, least first (SPEC §6): lib/config.ts reads them from SCHEDULEFLOW_API_KEYS. */
export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = typeof ROLES[number]
/** The longest name an API key may be given (SPEC §17: PATCH /api/keys/:id), as long as a configured one (SCHEDULEFLOW_API_KEYS). */
export const KEY_NAME_MAX = 64
/** The name of the admin key made at first start (data/admin.key) until a person renames it. */
export const DEFAULT_ADMIN_KEY_NAME = 'admin'
/** A key's id: `key-` and the first 10 hex digits of its SHA-256 (lib/api-keys.ts), safe to log and quote. */
export const KEY_ID_PATTERN = '^key-[0-9a-f]{10}$'
/** Where a key comes from: the data dir (data/admin.key, its name in the database, renamable) or SCHEDULEFLOW_API_KEYS (its name configured there). */
export const KEY_SOURCES = ['stored', 'environment'] as const
export type KeySource = typeof KEY_SOURCES[number]

// ── The media library (SPEC §16) ─────────────────────────────────────────────────────────

/** Files due to air this far ahead are checked to exist as probed (the missing_media alarm). */
export const DEFAULT_MISSING_MEDIA_HOURS = 48
/** The leader checks those files this often (service clock), not on every on-air tick: a stat per file due. */
export const MISSING_MEDIA_CHECK_MINUTES = 5
/** A local file's probe is given this long before ffprobe is stopped and the file skipped. */
export const PROBE_TIMEOUT_MS = 15_000
/** A remote http(s) item's probe: shorter, so one slow server does not hold a scan or an import. */
export const REMOTE_PROBE_TIMEOUT_MS = 5_000
/** A remote item's stored probe is trusted this long (a day); a failed one only REMOTE_PROBE_RETRY_MS, so a server that was down is tried again soon. */
export const REMOTE_PROBE_MAX_AGE_MS = 86_400_000
export const REMOTE_PROBE_RETRY_MS = 15 * 60_000
/** One call probing remote items stops starting new probes after this long, inside the pool's task timeout; the rest are probed by the next call. */
export const REMOTE_PROBE_BUDGET_MS = 10_000
/** An .nfo sidecar longer than this (characters) is not read. */
export const NFO_MAX_CHARS = 1_000_000
/** ffprobe runs at once per worker process (the machine has 2 cores; a scan is heavy-lane work). */
export const PROBE_CONCURRENCY = 2
/** One scan task stops taking new files after this long, well inside the pool's task timeout; the job runs the next. */
export const SCAN_TASK_BUDGET_MS = 10_000
/** What a scan is doing. */
export const SCAN_STATES = ['running', 'done', 'failed', 'cancelled'] as const
export type ScanState = typeof SCAN_STATES[number]
/** What a collection gathers: a show with its seasons, a folder's files, all items of a genre. */
export const COLLECTION_KINDS = ['show', 'folder', 'genre'] as const
export type CollectionKind = typeof COLLECTION_KINDS[number]
/** The file names a scan probes (lower case, with the dot); others are counted as seen and left. */
export const MEDIA_EXTENSIONS = ['.mkv', '.mp4', '.m4v', '.mov', '.avi', '.ts', '.m2ts', '.mts', '.mpg', '.mpeg', '.webm', '.wmv', '.flv', '.ogv', '.mxf', '.mp3', '.m4a', '.aac', '.flac', '.wav', '.ogg', '.opus'] as const
/** URL schemes of live sources: they have no length and air only as fixed events. */
export const LIVE_SCHEMES = ['rtmp:', 'rtmps:', 'rtsp:', 'srt:', 'udp:', 'rtp:'] as const
/** Media libraries one service may have, and their names' longest. */
export const MAX_LIBRARIES = 100
export const LIBRARY_NAME_MAX = 200
/** A library rescans by itself at most this often (minutes); 0 or null: only when asked. */
export const MAX_RESCAN_MINUTES = 10_080
/** Skipped files one scan answer lists (the count is whole). */
export const SCAN_SKIPPED_LISTED = 500
/** A page of a library's items when the request names no limit. */
export const LIBRARY_ITEMS_PAGE = 500
/** A block's assume_seconds: the length an item with no known duration airs as. */
export const MAX_ASSUME_SECONDS = 86_400
/**
 * SPEC §5: what an auto-fill's item with no known duration runs back to back when the request
 * names no assume_seconds (a channel build assumes nothing unless its block says, SPEC §16).
 */
export const DEFAULT_ASSUME_SECONDS = 1800
