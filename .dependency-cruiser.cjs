// The layers the README draws, lowest first: contract ← workers ← lib ← plugins ← routes ← app.
// A module imports from its own layer or a lower one, never up, and no import goes round in a
// loop. `npm test` runs this (`npm run deps`); a planted back-import fails it.
const LAYERS = ['contract', 'workers', 'lib', 'plugins', 'routes', 'app']
const pathOf = { app: '^(app|server)\\.ts$' }
const layerPath = (layer) => pathOf[layer] ?? `^${layer}/`

/** One rule per layer: it may not reach any layer above it. */
const upwardRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `no-${layer}-to-higher-layer`,
  comment: `${layer}/ imports only from itself and the layers below it (${LAYERS.slice(0, index).join(', ') || 'none'})`,
  severity: 'error',
  from: { path: layerPath(layer) },
  to: { path: LAYERS.slice(index + 1).map(layerPath) }
}))

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import loop: move the shared piece to the module it belongs to',
      severity: 'error',
      from: {},
      to: { circular: true }
    },
    {
      name: 'contract-is-the-floor',
      comment: 'contract/ imports nothing of the project above it (only its own files and npm packages)',
      severity: 'error',
      from: { path: '^contract/' },
      to: { path: '^(?!contract/)', dependencyTypesNot: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'core'] }
    },
    {
      name: 'panel-apart',
      comment: 'the panel (public/) is static files: server code never imports it, it imports only itself',
      severity: 'error',
      from: { path: '^(?!public/)' },
      to: { path: '^public/' }
    },
    ...upwardRules
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] }
  }
}
