// Types of postgres-server.mjs, for the TypeScript tests that use it.
export declare const DIR_PREFIX: string
export declare const platformPackage: string
export interface PostgresBinaries { initdb: string, postgres: string }
export declare function findBinaries (): Promise<PostgresBinaries | { missing: string }>
export declare function sweepStale (dir?: string): Promise<string[]>
export interface TestPostgres {
  /** postgres://postgres:…@127.0.0.1:<port>/postgres */
  adminUrl: string
  /** the postmaster */
  pid: number
  /** its temporary directory */
  dir: string
  /** the binary it runs (a linked copy when nobody could not reach the package's) */
  postgres: string
  /** fast shutdown, wait for the exit, remove the directory */
  stop (): Promise<void>
}
export declare function startPostgres (binaries: PostgresBinaries): Promise<TestPostgres>
export declare const BIN_CACHE_PREFIX: string
/** The binaries as `ids` can run them: linked into `cacheRoot` (os.tmpdir()) when `ids` cannot reach them where they are. */
export declare function binariesFor (binaries: PostgresBinaries, ids: { uid?: number, gid?: number }, cacheRoot?: string): PostgresBinaries
