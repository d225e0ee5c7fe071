import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../lib/http-errors.js'
import { requestOwner } from '../lib/api-keys.js'
import type { RunCliOptions } from '../plugins/process-pool.js'
import type { CommandName, CommandResult } from '../workers/commands/index.js'
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_RULE, REPLAYED_FIELD } from '../workers/commands/idempotency.js'

// The Idempotency-Key header of writes (issue 8 item 13): the worker stores the key with the
// write and answers a repeat with the first answer; here the header is checked, handed to
// the worker, and a replay or a lost answer is said to the client.

/** The worker options for the request's Idempotency-Key, scoped to the caller's key id; none without the header. */
export function idempotencyArgs (request: FastifyRequest): string[] {
  const key = request.headers['idempotency-key']
  if (key === undefined) return []
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new HttpError('BAD_REQUEST', `the Idempotency-Key header must be ${IDEMPOTENCY_KEY_RULE}, given once`, [{ field: 'Idempotency-Key', message: `not ${IDEMPOTENCY_KEY_RULE}` }])
  }
  // `--name=value`: a value that starts with '-' stays a value.
  return [`--idempotency-key=${key}`, `--idempotency-owner=${requestOwner(request.identity, request.ip)}`]
}

/**
 * A write's 502 or 504 (or a 500 after its commit) says what the pool knows: the process began
 * its commit (`may_be_stored`, SPEC §12: how to find out), or it stopped before it (nothing
 * stored: the write is safe to repeat).
 */
function lostAnswer (err: HttpError, withKey: boolean): HttpError {
  const hint = err.mayBeStored === undefined
    ? 'nothing was stored (the process stopped before it committed): the request can be repeated'
    : withKey
      ? 'the write may have been stored: repeat the request with the same Idempotency-Key to learn whether it was (a stored write answers its first result, with Idempotent-Replayed: true)'
      : 'the write may have been stored: check before repeating it, or send an Idempotency-Key header so that a repeat is safe'
  return new HttpError(err.code, `${err.message}; ${hint}`, err.errors, err.headers, err.mayBeStored)
}

const isLostAnswer = (err: unknown): err is HttpError =>
  err instanceof HttpError && (err.statusCode === 502 || err.statusCode === 504 || (err.statusCode === 500 && err.mayBeStored !== undefined))

/**
 * Runs a write command (import, auto-fill, delete, edits, undo, revert) with the request's Idempotency-Key.
 * A replay answers the first result with `Idempotent-Replayed: true`.
 */
export async function runWrite<C extends CommandName> (request: FastifyRequest, reply: FastifyReply, command: C, args: string[], options: Omit<RunCliOptions, 'request'> = {}): Promise<CommandResult<C>> {
  const keyArgs = idempotencyArgs(request)
  let result: CommandResult<C>
  try {
    result = await request.server.runCli(command, [...keyArgs, ...args], { ...options, request })
  } catch (err) {
    throw isLostAnswer(err) ? lostAnswer(err, keyArgs.length > 0) : err
  }
  if (typeof result === 'object' && result !== null && REPLAYED_FIELD in result) {
    delete (result as Record<string, unknown>)[REPLAYED_FIELD]
    reply.header('idempotent-replayed', 'true')
  }
  return result
}
