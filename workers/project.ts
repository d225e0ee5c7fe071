import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Sources run from the checkout (tests) and compiled code from dist/, so paths are
// found from the project root rather than from this file's own location.
function findRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + import.meta.url)
    dir = parent
  }
  return dir
}

export const projectRoot = findRoot()

/** The bundled CLI (scripts/bundle-worker.mjs) every pooled operation runs, and `m3upro` by hand: no TypeScript loader on that path. */
export const cliEntry = join(projectRoot, 'dist', 'bundle', 'cli.js')

export function projectVersion (): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version
}
