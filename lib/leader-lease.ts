/**
 * Which instance runs the on-air work that must happen once (rolling builds, publish retries,
 * alarm checks and their webhook): the one holding the lease. `held()` is asked at every tick;
 * it takes the lease when it is free and keeps it while this instance lives.
 */
export interface LeaderLease {
  held(): Promise<boolean>
  release(): Promise<void>
}

/** SQLite serves one instance on one machine (README "Several instances"): it always leads. */
export const soleInstance: LeaderLease = {
  held: async () => true,
  release: async () => {}
}
