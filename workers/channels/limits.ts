// The channel limits the API's schemas and the worker's checks share: plain values with no
// imports, so the contract takes them from here and worker code never loads the contract.

/** A build covers at most this many local days (SPEC §11). */
export const MAX_BUILD_DAYS = 93

/** The template's day names, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
