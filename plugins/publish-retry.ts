import fp from 'fastify-plugin'

// The on-air tick's publish step (SPEC §17): through the pool, on the leader only (two
// instances would write the same files), it retries each target a failure left files unwritten
// on, and publishes the days that came inside a target's window since it last published.
export default fp(async (fastify) => {
  fastify.onAir.addStep({
    name: 'publish-retry',
    leaderOnly: true,
    run: async () => fastify.runCli('publish-retry', [])
  })
}, { name: 'publish-retry', dependencies: ['on-air', 'process-pool'] })
