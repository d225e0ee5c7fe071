// @fastify/rate-limit's own stores, required by path (the package types only its options).
declare module '@fastify/rate-limit/store/*' {
  type Callback = (err: Error | null, result?: { current: number, ttl: number }) => void
  interface Store {
    incr: (key: string, cb: Callback, timeWindow: number, max: number) => void
  }
  const Store: {
    new (continueExceeding: boolean, exponentialBackoff: boolean, ...rest: unknown[]): Store
  }
  export default Store
}
