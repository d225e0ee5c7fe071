import type { ParseArgsConfig } from 'node:util'
import type { WorkerLog } from '../log.js'
import type { Store } from '../storage/store.js'

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>

export interface CommandContext {
  options: OptionValues
  positionals: string[]
  /** The operation's document: stdin, or the file named by the first positional when run by hand. */
  readInput(): Promise<Buffer>
  /** Opened on first use, so commands that need no database pay nothing for it. */
  store(): Promise<Store>
  log: WorkerLog
  /** The request this operation serves (through the API), or a `cli-…` id of its own by hand. */
  requestId: string
  /** The service's now, ms: this machine's clock, moved as the API's is (TaskHeader.clockOffsetMs). */
  now(): number
}

/**
 * One m3upro command. `Result` is its answer's type, from contract/api.ts for the answers
 * the API sends on: the API's runCli is typed by it (commands/index.ts), so a field renamed
 * in a command or in the contract fails to compile.
 */
export interface CommandDefinition<Result = unknown> {
  summary: string
  usage?: string
  options?: ParseArgsConfig['options']
  /** Answers a document (DocumentAnswer): by hand, m3upro writes the document itself, to stdout or `--output FILE`. */
  answersDocument?: true
  run(ctx: CommandContext): Promise<Result> | Result
}
