import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../workers/project.js'

// Workers annotate their answers with the contract's types (contract/api.ts) but must never
// load TypeBox or the contract's schemas: every worker process would pay for it at start. The
// contract's plain modules (contract/limits.ts, contract/formats.ts, and CommandError: no imports but erased types) are the ones they may load.
// `import type` is erased by the compiler; a value import would show in the built files.

t.test('the built worker code imports neither TypeBox nor the contract\'s schemas', async (t) => {
  const dir = join(projectRoot, 'dist', 'workers')
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))
  t.ok(files.length > 20, 'the workers are built (npm run build)')
  const importPattern = /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8')
    const specifiers = [...text.matchAll(importPattern)].map((m) => m[1] ?? m[2])
    const refused = specifiers.filter((s) => /typebox|(^|\/)contract\/(?!(limits|command-error|formats)\.js$)/.test(s))
    t.same(refused, [], `${file} loads no TypeBox and no contract module but its plain limits`)
  }
})

t.test('the contract\'s plain modules import nothing (the floor: workers may load them at no cost)', async (t) => {
  for (const file of ['limits.js', 'command-error.js', 'formats.js']) {
    const text = readFileSync(join(projectRoot, 'dist', 'contract', file), 'utf8')
    // Statements only: its comments speak of import formats.
    t.notMatch(text, /^\s*import\b|^\s*export\b[^;]*\bfrom\b|\bimport\(|\brequire\(/m, `contract/${file} has no imports`)
  }
})
