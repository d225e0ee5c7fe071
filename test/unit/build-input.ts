import type { BuildInput } from '../../workers/channels/types.js'

/** What a builder test names of a build's input; the rest is a first build: nothing stored, kept or carried, never frozen. */
type Named = Pick<BuildInput, 'channel' | 'template' | 'overrides' | 'from' | 'to' | 'seed' | 'sources'>

/** A build's input for the pure builder's tests (a fixed `now` and build id: the same input, the same events). */
export const buildInput = (named: Named, more: Partial<BuildInput> = {}): BuildInput => ({
  now: Date.parse('2026-01-01T00:00:00Z'),
  freezeMs: 0,
  buildId: 'b1',
  kept: [],
  plays: new Map(),
  sequential: new Map(),
  ...named,
  ...more
})
