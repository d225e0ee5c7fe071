import fp from 'fastify-plugin'

// Stored API keys' names (SPEC §17) live in the database, so every instance calls a key alike:
// the instance that takes a PATCH /api/keys/:id renames its keyring at once (routes/keys.ts);
// each instance reads the names once it is ready (after the process pool's migrate) and again on
// every on-air tick (SCHEDULEFLOW_ON_AIR_TICK_MS), one small query on the API's own storage link,
// no worker. With no stored key (every key from SCHEDULEFLOW_API_KEYS) nothing is read.

export default fp(async (fastify) => {
  if (!fastify.keyring.list().some((key) => key.source === 'stored')) return
  const refresh = async (): Promise<{ names: number | null }> => {
    const names = await fastify.storage.keyNames()
    if (names !== undefined) fastify.keyring.useStoredNames(names)
    return { names: names?.length ?? null }
  }
  fastify.addHook('onReady', async () => { await refresh() })
  fastify.onAir.addStep({ name: 'key-names', leaderOnly: false, run: refresh })
}, { name: 'key-names', dependencies: ['auth', 'storage', 'process-pool', 'on-air'] })
