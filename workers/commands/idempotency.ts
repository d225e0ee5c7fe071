import { createHash } from 'node:crypto'
import type { ParseArgsConfig } from 'node:util'
import { CommandError } from '../../contract/command-error.js'
import type { Store } from '../storage/store.js'
import type { OptionValues } from './command.js'

// Idempotent writes (issue 8 item 13). A write that carries an idempotency key stores the
// key, a hash of its request and its answer in the same transaction as the write, so a
// client that lost the answer (a 502 after the commit) repeats the request with the same
// key and gets the first answer, without a second copy.

/** 1–128 of [A-Za-z0-9._:-], like a request id. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/
export const IDEMPOTENCY_KEY_RULE = '1–128 characters of A–Z a–z 0–9 . _ : -'
/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000
/** Marks a replayed answer; the API takes it off and answers the header Idempotent-Replayed: true instead. */
export const REPLAYED_FIELD = 'idempotent_replayed'
/** The owner of keys given by hand, when no --idempotency-owner is. */
const CLI_OWNER = 'cli'

/** The options of every write command (declared once, spread into each command's options). */
export const idempotencyOptions = {
  'idempotency-key': { type: 'string' },
  'idempotency-owner': { type: 'string' }
} satisfies ParseArgsConfig['options']

export const IDEMPOTENCY_USAGE = '[--idempotency-key KEY [--idempotency-owner OWNER]]'

export interface Committed<T> { replayed: boolean, answer: T }

/** An answer given again: the first answer, marked so the API says it is a replay. */
export type Replayed<T> = T & { [REPLAYED_FIELD]: true }

function keyOption (options: OptionValues, name: 'idempotency-key' | 'idempotency-owner'): string | undefined {
  const value = options[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new CommandError('BAD_REQUEST', `--${name} must be ${IDEMPOTENCY_KEY_RULE}`, [{ field: name.replace('-', '_'), message: `not ${IDEMPOTENCY_KEY_RULE}` }])
  }
  return value
}

/**
 * One write command's run, done at most once per (owner, key) within IDEMPOTENCY_TTL_MS.
 * `T` is the command's answer: a stored answer is one this command gave (the request hash
 * names the command), so it is read back as a T.
 */
export class WriteOnce<T> {
  private constructor (
    private readonly command: string,
    private readonly key: { owner: string, key: string } | null,
    private readonly requestHash: string
  ) {}

  /** From the command's options; the request is the command, its other options, its positionals and its input. */
  static of<T> (command: string, options: OptionValues, positionals: string[], input: Buffer = Buffer.alloc(0)): WriteOnce<T> {
    const key = keyOption(options, 'idempotency-key')
    const owner = keyOption(options, 'idempotency-owner')
    if (key === undefined) return new WriteOnce<T>(command, null, '')
    const args = Object.entries(options).filter(([name]) => !(name in idempotencyOptions)).sort(([a], [b]) => a.localeCompare(b))
    const hash = createHash('sha256').update(JSON.stringify([command, args, positionals])).update('\n').update(input).digest('hex')
    return new WriteOnce<T>(command, { owner: owner ?? CLI_OWNER, key }, hash)
  }

  /**
   * The first answer when this request was already done under its key (marked replayed),
   * else undefined. The same key for a different request is IDEMPOTENCY_KEY_REUSED.
   * Asked before the work (a replay costs no parsing) and again inside the write lock.
   */
  async earlier (db: Store): Promise<Replayed<T> | undefined> {
    if (this.key === null) return undefined
    const record = await db.idempotency.find(this.key.owner, this.key.key, Date.now() - IDEMPOTENCY_TTL_MS)
    if (record === null) return undefined
    if (record.request_hash !== this.requestHash) {
      throw new CommandError('IDEMPOTENCY_KEY_REUSED',
        `the Idempotency-Key "${this.key.key}" was used in the last 24 h for a different request (${record.command}); use a new key for a new request`,
        [{ field: 'idempotency_key', message: 'already used for a different request' }])
    }
    return { ...(record.answer as T), [REPLAYED_FIELD]: true }
  }

  /**
   * Runs `write` in one transaction holding the write lock, with the key's record and the
   * prune of expired records. `write` gets the transaction's store and must write through it.
   */
  async commit (db: Store, write: (tx: Store) => Promise<T>): Promise<Committed<T>> {
    return (await this.commitIf(db, async () => true, write))!
  }

  /** Like commit, once `stillValid` (asked inside the lock) says what `write` was computed from is unchanged; else null and nothing written. */
  async commitIf (db: Store, stillValid: (tx: Store) => Promise<boolean>, write: (tx: Store) => Promise<T>): Promise<Committed<T> | null> {
    return db.exclusive(async (tx) => {
      // A twin request with the same key may have committed while this one computed.
      const replay = await this.earlier(tx)
      if (replay !== undefined) return { replayed: true, answer: replay }
      if (!await stillValid(tx)) return null
      const answer = await write(tx)
      const now = Date.now()
      await tx.idempotency.prune(now - IDEMPOTENCY_TTL_MS)
      if (this.key !== null) await tx.idempotency.save({ ...this.key, request_hash: this.requestHash, command: this.command, answer, created: now })
      return { replayed: false, answer }
    })
  }
}
