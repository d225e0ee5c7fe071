// Whether dist/ is the build of the sources as they are now, decided without building: the
// build's last step (`node scripts/build-stamp.mjs`) writes a digest of every input's path,
// size and mtime to dist/build-stamp; `npm start` (scripts/start.mjs) builds again only
// when the digest of the tree now differs, or there is no stamp (no build yet). A stat of a
// few hundred files: a few milliseconds, where a build is a minute on a small machine.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectRoot = fileURLToPath(new URL('..', import.meta.url))

/**
 * What tsc, the body-check generator and the bundler read (tsconfig.json's include, their
 * scripts, the package's manifest). public/ is served as it is, never built. The generated
 * workers/generated/ is an output of the build (from contract/), rewritten by every build.
 */
export const BUILD_INPUTS = ['types', 'server.ts', 'app.ts', 'contract', 'lib', 'plugins', 'routes', 'workers', 'bench',
  'tsconfig.json', 'package.json', 'scripts/generate-body-checks.mjs', 'scripts/bundle-worker.mjs']
const SKIPPED = new Set(['workers/generated'])

export const STAMP_FILE = join('dist', 'build-stamp')

/** Every input file under `root` with its size and mtime, one line each, in a fixed order. */
export function inputListing (root = projectRoot, inputs = BUILD_INPUTS) {
  const lines = []
  const visit = (path) => {
    const rel = relative(root, path).split('\\').join('/')
    if (SKIPPED.has(rel)) return
    let stats
    try {
      stats = statSync(path)
    } catch {
      lines.push(`${rel} missing`)
      return
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry))
    } else {
      lines.push(`${rel} ${stats.size} ${stats.mtimeMs}`)
    }
  }
  for (const input of inputs) visit(join(root, input))
  return lines.join('\n')
}

/** The digest a build of the tree as it is now would write. */
export const sourceStamp = (root = projectRoot, inputs = BUILD_INPUTS) => createHash('sha256').update(inputListing(root, inputs)).digest('hex')

/** Why `root` needs a build before it starts, or null when dist/ is the build of its sources now. */
export function staleReason (root = projectRoot, inputs = BUILD_INPUTS) {
  let stamped
  try {
    stamped = readFileSync(join(root, STAMP_FILE), 'utf8').trim()
  } catch {
    return 'no build yet'
  }
  return stamped === sourceStamp(root, inputs) ? null : 'sources changed since the last build'
}

/** Notes that dist/ is the build of the sources as they are now. */
export function writeStamp (root = projectRoot, inputs = BUILD_INPUTS) {
  writeFileSync(join(root, STAMP_FILE), sourceStamp(root, inputs) + '\n')
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) writeStamp()
