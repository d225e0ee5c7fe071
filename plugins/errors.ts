import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../lib/http-errors.js'
import { ERROR_STATUS, type ErrorCode } from '../contract/errors.js'
import { ErrorBodySchema, type ErrorBody } from '../contract/api.js'

// Fastify's own error codes that are the caller's doing, with the code we answer (its status is the catalogue's).
const CLIENT_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_BAD_URL: 'BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG'
}

// The code for a status Fastify or a plugin answers with a code of its own; a 4xx not
// listed is answered 400 BAD_REQUEST, so a code always has its catalogue status.
const STATUS_CODES_ANSWERED: ErrorCode[] = [
  'BAD_REQUEST', 'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'NOT_ACCEPTABLE', 'REQUEST_TIMEOUT', 'LENGTH_REQUIRED', 'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG', 'UNSUPPORTED_MEDIA_TYPE', 'RANGE_NOT_SATISFIABLE', 'RATE_LIMITED', 'HEADERS_TOO_LARGE'
]
const codeForStatus = (status: number): ErrorCode => STATUS_CODES_ANSWERED.find((code) => ERROR_STATUS[code] === status) ?? 'BAD_REQUEST'

interface ValidationIssue { instancePath?: string, message?: string, params?: { missingProperty?: string } }

/** Ajv and TypeBox both report `instancePath`; only Ajv has `params`. An empty path is the whole part. */
function validationError (issues: ValidationIssue[], context: string | undefined): HttpError {
  const part = context ?? 'request'
  const errors = issues.map((v) => ({
    field: (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || v.params?.missingProperty || part,
    message: `${part}${v.instancePath ?? ''} ${v.message ?? 'is invalid'}`
  }))
  return new HttpError('BAD_REQUEST', errors.map((e) => e.message).join('; '), errors)
}

/** What every error becomes: ours as they are, the framework's by code or status, the rest a bare 500. */
function toHttpError (err: FastifyError | HttpError, request: FastifyRequest): HttpError {
  if (err instanceof HttpError) return err
  if (err.validation !== undefined) return validationError(err.validation, err.validationContext)
  const known = CLIENT_ERRORS[err.code]
  if (known !== undefined) return new HttpError(known, err.message)
  const status = err.statusCode
  if (status !== undefined && status >= 400 && status < 500) return new HttpError(codeForStatus(status), err.message)
  request.log.error({ err }, 'unhandled error')
  return new HttpError('INTERNAL', 'internal error')
}

/** The contract's error body (SPEC §6). */
export function errorBody (error: HttpError, requestId: string): ErrorBody {
  return {
    status: 'error',
    code: error.code,
    message: error.message,
    request_id: requestId,
    ...(error.errors !== undefined && { errors: error.errors }),
    ...(error.mayBeStored !== undefined && { may_be_stored: true, revision_before: error.mayBeStored.revisionBefore })
  }
}

export function sendError (request: FastifyRequest, reply: FastifyReply, error: HttpError): FastifyReply {
  if (error.statusCode >= 500) request.log.error({ code: error.code }, error.message)
  // Refused before its body was read (401, 403, 413, 429…): close the connection so a
  // client still sending is cut off, instead of reading and discarding the rest.
  const hasBody = request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined
  if (hasBody && request.raw.complete === false) reply.header('connection', 'close')
  return reply.code(error.statusCode).headers(error.headers).send(errorBody(error, request.id))
}

/**
 * Fastify's `frameworkErrors`: a URL that is not valid percent-encoding, or a path
 * parameter over its length, fails before routing; same error shape.
 */
export function frameworkErrors (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendError(request, reply, toHttpError(err, request))
}

/**
 * Fastify's `clientErrorHandler`: Node refused the request before it was one (headers too
 * large, a request not received within requestTimeout, a malformed request line). There
 * is no request id yet; a fresh one still lets the caller quote the answer.
 */
export function clientErrorHandler (err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const error = err.code === 'HPE_HEADER_OVERFLOW'
    ? new HttpError('HEADERS_TOO_LARGE', 'the request headers are too large')
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new HttpError('REQUEST_TIMEOUT', 'the request was not received in time')
      : new HttpError('BAD_REQUEST', 'the request is not valid HTTP')
  const status = error.statusCode
  const body = JSON.stringify(errorBody(error, randomUUID()))
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(err)
}

/**
 * One error shape for every failure (SPEC §6); never a stack trace or a server path.
 * Every route's OpenAPI entry lists it for 4xx and 5xx (added as each route is declared),
 * and the same schema serializes the error replies.
 */
export default fp(async (fastify) => {
  fastify.addSchema(ErrorBodySchema)
  const errorBodyRef = { $ref: `${ErrorBodySchema.$id!}#` }
  fastify.addHook('onRoute', (route) => {
    const schema = route.schema ?? {}
    // A route's own answer for a status wins (health's 503 is its Health body).
    route.schema = { ...schema, response: { '4xx': errorBodyRef, '5xx': errorBodyRef, ...(schema.response as object | undefined) } }
  })

  fastify.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    try {
      return sendError(request, reply, toHttpError(err, request))
    } catch (failure) {
      // The handler must never fail into Fastify's own shape.
      request.log.error({ err: failure }, 'error handler failed')
      return reply.code(500).send(errorBody(new HttpError('INTERNAL', 'internal error'), request.id))
    }
  })
}, { name: 'errors' })
