// A new record id (a UUID). Through the global Web Crypto, which loads node:crypto on first
// use: importing node:crypto instead loads it, and node:stream with it, at every worker start
// (~15 ms of CPU each time a pooled worker is replaced), though lists, reads and exports
// never make an id.
export const newId = (): string => crypto.randomUUID()
