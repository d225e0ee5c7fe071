import type { ProblemDetail } from '../../contract/common.js'
import { CommandError } from '../../contract/command-error.js'
import type { BlockSource } from './types.js'

/** A source a body names (a playlist, a group of one, a collection), checked against the store by the command. */
export interface SourceReference { field: string, source: BlockSource }

/** The problems found in a body, each named by its field, and the sources it names. */
export class Problems {
  readonly list: ProblemDetail[] = []
  readonly references: SourceReference[] = []
  add (field: string, message: string): void { this.list.push({ field, message }) }
  /** Whether a problem is named at `field` or inside it (`blocks.2` covers `blocks.2.end`). */
  at (field: string): boolean { return this.list.some((p) => p.field === field || p.field?.startsWith(`${field}.`) === true) }
  /** Throws VALIDATION_FAILED naming every problem, if there is one. */
  refuse (what: string): void {
    if (this.list.length === 0) return
    const first = this.list[0]
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : ''
    throw new CommandError('VALIDATION_FAILED', `${what}: ${first.field}: ${first.message}${more}`, this.list)
  }
}
