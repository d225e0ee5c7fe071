// `npm run build`, after tsc: bundles the compiled CLI (dist/workers/cli.js) into
// dist/bundle/, which the pool starts for every worker and `m3upro` runs by hand.
// Why: a worker's start was mostly Node finding and reading modules (Kysely alone is
// 260 files); bundled, a start costs about 0.2 s of CPU instead of 0.3, paid each time a
// worker is replaced. Commands stay in their own chunks (splitting), so a worker still
// loads only what its operation uses. Native and optional packages stay outside: the
// SQLite driver, pg, and luxon (loaded by require() only when a zone is named).
// dist/bundle/meta.json records which sources went into which chunk (test/lean-worker.test.ts).
import { rm, writeFile } from 'node:fs/promises'
import { build } from 'esbuild'

// Chunks are named by their content's hash: without a clean start every build leaves the last
// one's beside it (hundreds of files no worker loads).
await rm('dist/bundle', { recursive: true, force: true })

const result = await build({
  entryPoints: ['dist/workers/cli.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'pg', 'pg-native', 'luxon', '@ffprobe-installer/ffprobe'],
  // Bundled CommonJS code (pg's helpers, pino's) calls require(): ES output has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  metafile: true,
  // Chained to tsc's maps, so coverage (c8, in `npm test`) and stack traces name the .ts sources.
  sourcemap: true,
  logLevel: 'warning'
})
await writeFile('dist/bundle/meta.json', JSON.stringify(result.metafile))
