// Apart from coverage.ts so the API imports the step without the planner: routes/channels.ts
// hashes it into the ETag of the answers that carry coverage.

/**
 * Channel answers read coverage (built_until, gaps) from the start of the current step, not from
 * the very millisecond: an answer kept by its ETag stays true for its step, and a gap is listed
 * from at most this long ago.
 */
export const COVERAGE_STEP_MS = 5 * 60_000

/** The start of the step `now` falls in. */
export const coverageStep = (now: number): number => Math.floor(now / COVERAGE_STEP_MS) * COVERAGE_STEP_MS
