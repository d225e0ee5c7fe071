import { existsSync } from 'node:fs'
import { setTimeout as sleepMs } from 'node:timers/promises'
import type { DocumentAnswer } from '../document-stream.js'
import type { CommandDefinition } from './command.js'

// A document written in parts, for the streaming tests; only reachable when
// SCHEDULEFLOW_TEST_COMMANDS=true (see commands/index.ts).

/** The text of part `i` of `--part-bytes` characters: the same on every run, with a pair of surrogates in it. */
export function testDocumentPart (i: number, chars: number): string {
  const head = `part ${i} é 🎬 `
  return (head + 'x'.repeat(Math.max(0, chars - head.length - 1))).slice(0, chars - 1) + '\n'
}

export const testDocument: CommandDefinition<DocumentAnswer> = {
  summary: 'a document of --parts parts; after the first, waits until the file --gate exists',
  options: { parts: { type: 'string', default: '4' }, 'part-bytes': { type: 'string', default: '100000' }, gate: { type: 'string' } },
  run ({ options }) {
    const parts = Number(options.parts)
    const chars = Number(options['part-bytes'])
    const gate = options.gate as string | undefined
    async function * body (): AsyncGenerator<string> {
      for (let i = 0; i < parts; i++) {
        yield testDocumentPart(i, chars)
        // The rest is written only once the test has seen the first part arrive.
        if (gate === undefined) continue
        while (!existsSync(gate)) await sleepMs(20)
      }
    }
    return { content_type: 'text/plain; charset=utf-8', filename: 'test.txt', body: body() }
  }
}
