import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../workers/project.js'
import { tempDir } from './helpers.js'

// The layers the README draws (contract ← workers ← lib ← plugins ← routes ← app) and no import
// loops, checked by dependency-cruiser with the rules in .dependency-cruiser.cjs. `npm test` runs
// it on the sources (`npm run deps`); this file shows that the check holds today and that it
// fails on a planted back-import or loop, so a rule that stopped matching would be noticed.

const depcruise = join(projectRoot, 'node_modules', '.bin', 'depcruise')
const SOURCES = ['contract', 'workers', 'lib', 'plugins', 'routes', 'app.ts', 'server.ts']

function cruise (root: string, sources = SOURCES) {
  const run = spawnSync(depcruise, ['--config', join(projectRoot, '.dependency-cruiser.cjs'), '--output-type', 'err', ...sources],
    { cwd: root, encoding: 'utf8' })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

/** A small tree in the project's shape, with the given files (path → source). */
function plantedTree (t: Test, files: Record<string, string>): string {
  const root = tempDir(t)
  cpSync(join(projectRoot, 'tsconfig.json'), join(root, 'tsconfig.json'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

t.test('the sources keep to their layers and have no import loop', async (t) => {
  const { status, output } = cruise(projectRoot)
  t.equal(status, 0, output)
})

t.test('a contract module importing a worker is refused, naming the rule', async (t) => {
  const root = plantedTree(t, {
    'contract/limits.ts': "import { projectRoot } from '../workers/project.js'\nexport const ROOT = projectRoot\n",
    'workers/project.ts': 'export const projectRoot = "/"\n'
  })
  const { status, output } = cruise(root, ['contract', 'workers'])
  t.not(status, 0)
  t.match(output, /contract-is-the-floor/)
  t.match(output, /no-contract-to-higher-layer/)
})

t.test('a worker importing lib/ or a route importing app.ts is refused', async (t) => {
  const root = plantedTree(t, {
    'workers/cli.ts': "import { config } from '../lib/config.js'\nexport const c = config\n",
    'lib/config.ts': 'export const config = 1\n',
    'routes/health.ts': "import { buildApp } from '../app.js'\nexport const b = buildApp\n",
    'app.ts': 'export const buildApp = 1\n'
  })
  const { status, output } = cruise(root, ['workers', 'lib', 'routes', 'app.ts'])
  t.not(status, 0)
  t.match(output, /no-workers-to-higher-layer/)
  t.match(output, /no-routes-to-higher-layer/)
})

t.test('an import loop inside one layer is refused', async (t) => {
  const root = plantedTree(t, {
    'lib/a.ts': "import { b } from './b.js'\nexport const a = () => b\n",
    'lib/b.ts': "import { a } from './a.js'\nexport const b = () => a\n"
  })
  const { status, output } = cruise(root, ['lib'])
  t.not(status, 0)
  t.match(output, /no-circular/)
})
