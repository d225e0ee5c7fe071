// When a pooled process is replaced: a policy the pool asks after each answer (as piscina
// asks its balancer which worker takes a task), swappable through ProcessPoolOptions.retirement.

/** What the pool knows of a process that has just answered. */
export interface ServingProcess {
  /** Operations it has answered, this one included. */
  served: number
  /** Its own operation limit: the pool's maxTasks, less a jitter for processes started together (process-pool.ts, taskLimit). */
  taskLimit: number
  /** Its peak memory, as its answer gave it. */
  rssBytes: number
}

export interface RetirementLimits {
  maxTasks: number
  maxRssBytes: number
}

/**
 * How many more operations the process may serve: 0 retires it now; a small number lets the
 * pool start its successor ahead, so the successor is ready when it leaves (SPEC §7: one
 * process above the pool size at most); Infinity when no end is foreseen. An internal error
 * or a drain retires a process whatever the policy says.
 */
export type RetirementPolicy = (process: ServingProcess, limits: RetirementLimits) => number

/** The default: after its operation limit, or at once when its memory has passed maxRssBytes. */
export const retireAfterTasksOrMemory: RetirementPolicy = ({ served, taskLimit, rssBytes }, { maxRssBytes }) =>
  rssBytes > maxRssBytes ? 0 : Math.max(0, taskLimit - served)
