// Every error code the API answers, with its HTTP status: the one catalogue that
// lib/http-errors.ts, plugins/errors.ts and the workers' CommandError codes are typed by,
// and that the OpenAPI document lists. A new code is added here or it does not compile.
// Plain data, no TypeBox: workers import its types, and a worker loads nothing it does not run.

export const ERROR_STATUS = {
  // The caller's input (a worker's exit 2 unless listed otherwise).
  BAD_REQUEST: 400,
  BAD_ARGUMENTS: 400,
  BAD_ENCODING: 400,
  BAD_JSON: 400,
  BAD_XML: 400,
  BAD_MULTIPART: 400,
  BAD_URL: 400,
  BAD_TASK: 400,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  EMPTY_DOCUMENT: 400,
  EMPTY_PLAYLIST: 400,
  UNKNOWN_FORMAT: 400,
  UNKNOWN_COMMAND: 400,
  NO_INPUT: 400,
  CONFIRMATION_REQUIRED: 400,
  FILL_TOO_LARGE: 400,
  /** A channel build whose range and shortest item would make too many events (SPEC §11). */
  BUILD_TOO_LARGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  REQUEST_TIMEOUT: 408,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  /** Another channel has this number (SPEC §11: unique). */
  CHANNEL_NUMBER_TAKEN: 409,
  /** Another channel has this xmltv_id: guide clients would merge the two. */
  CHANNEL_XMLTV_ID_TAKEN: 409,
  /** An edit of an event that is not the target's own (an event of a schedule placed on the channel: edit it in its schedule). */
  EVENT_NOT_EDITABLE: 409,
  /** Undo or revert with no recorded write to take back, or one a later unrecorded write (a build) changed. */
  NOTHING_TO_UNDO: 409,
  /** The events an undo would restore were changed since by a write history does not record (a build). */
  EDIT_CONFLICT: 409,
  /** Another media library has this root (SPEC §16). */
  LIBRARY_ROOT_TAKEN: 409,
  /** The service has MAX_LIBRARIES media libraries already. */
  TOO_MANY_LIBRARIES: 409,
  /** PATCH /api/keys/:id of a key from SCHEDULEFLOW_API_KEYS: its name is the configured one (SPEC §17). */
  KEY_FROM_ENVIRONMENT: 409,
  /** If-Match named an older revision (SPEC §12): someone else wrote first; nothing was changed. */
  PRECONDITION_FAILED: 412,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  /** This key has as many heavy operations queued as it may. */
  TOO_MANY_QUEUED: 429,
  HEADERS_TOO_LARGE: 431,
  /** The client left while its operation was queued (nginx's 499: nobody reads it). */
  CLIENT_GONE: 499,
  INTERNAL: 500,
  WORKER_CRASHED: 502,
  /** From the load balancer (deploy/nginx): the instance died or could not be reached; a write may have been stored. */
  INSTANCE_UNREACHABLE: 502,
  OUTPUT_TOO_LARGE: 502,
  QUEUE_FULL: 503,
  SHUTTING_DOWN: 503,
  STORAGE_BUSY: 503,
  WORKER_TIMEOUT: 504,
  /** From the load balancer: the instance gave no answer in time. */
  INSTANCE_TIMEOUT: 504
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof ERROR_STATUS

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[]

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_STATUS, code)
