import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'
import type { KeyIdentity, Keyring } from './api-keys.js'

/** Who made a request, as its log lines name it: the key's digest id and name (never the key) and its role. */
export interface Caller { key_id: string | null, key_name?: string, role: KeyIdentity['role'] | 'anonymous' | 'unknown-key' }

/**
 * The caller behind a request. plugins/auth.ts has identified it on routes that need a role;
 * on open routes (queue-stats, the test routes) the key given, if any, is identified here.
 */
export function callerOf (request: Pick<FastifyRequest, 'headers'> & { identity?: KeyIdentity | null }, keyring: Keyring): Caller {
  // A feed's identity (its token's, plugins/auth.ts) is on the request; a key's is found by its header.
  const identity = request.identity ?? keyring.identifyRequest(request)
  if (identity !== null) return { key_id: identity.id, key_name: identity.name, role: identity.role }
  return { key_id: null, role: request.headers.authorization === undefined ? 'anonymous' : 'unknown-key' }
}

/** A request's outcome as a log level: a refusal is worth a look (warn), a failure of ours is an error. */
export const levelForStatus = (status: number): 'info' | 'warn' | 'error' => status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info'

/**
 * Fastify's request logging with one change: the "request completed" line names the caller
 * and is written at the level of its status (Fastify writes every one at info). The route's
 * own log level still applies, so health polls stay out of the log unless they fail.
 */
export class RequestLogController extends LogController {
  constructor (private readonly keyring: Keyring) {
    super()
  }

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    const fields = { res: reply, responseTime: reply.elapsedTime, ...callerOf(request, this.keyring) }
    // An error here is the response itself failing (a stream cut part-way), whatever its status said.
    if (error != null) reply.log.error({ ...fields, err: error }, 'request errored')
    else reply.log[levelForStatus(reply.statusCode)](fields, 'request completed')
  }
}
