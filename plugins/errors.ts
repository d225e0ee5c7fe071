import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../lib/http-errors.js'

// Fastify's own error codes that are the caller's doing, with the code we answer.
const CLIENT_ERRORS: Record<string, { status: number, code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 400, code: 'BAD_REQUEST' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST' },
  FST_ERR_BAD_URL: { status: 400, code: 'BAD_URL' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'URI_TOO_LONG' }
}

// Codes for the statuses Fastify or its plugins answer with a code of their own.
const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'RANGE_NOT_SATISFIABLE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE'
}

interface ValidationIssue { instancePath?: string, message?: string, params?: { missingProperty?: string } }

/** Ajv and TypeBox both report `instancePath`; only Ajv has `params`. An empty path is the whole part. */
function validationError (issues: ValidationIssue[], context: string | undefined): HttpError {
  const part = context ?? 'request'
  const errors = issues.map((v) => ({
    field: (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || v.params?.missingProperty || part,
    message: `${part}${v.instancePath ?? ''} ${v.message ?? 'is invalid'}`
  }))
  return new HttpError(400, 'BAD_REQUEST', errors.map((e) => e.message).join('; '), errors)
}

/** What every error becomes: ours as they are, the framework's by code or status, the rest a bare 500. */
function toHttpError (err: FastifyError | HttpError, request: FastifyRequest): HttpError {
  if (err instanceof HttpError) return err
  if (err.validation !== undefined) return validationError(err.validation, err.validationContext)
  const known = CLIENT_ERRORS[err.code]
  if (known !== undefined) return new HttpError(known.status, known.code, err.message)
  const status = err.statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    return new HttpError(status, CODE_BY_STATUS[status] ?? 'BAD_REQUEST', err.message)
  }
  request.log.error({ err }, 'unhandled error')
  return new HttpError(500, 'INTERNAL', 'internal error')
}

/** The contract's error body (SPEC §6). */
export function errorBody (error: HttpError, requestId: string): Record<string, unknown> {
  return {
    status: 'error',
    code: error.code,
    message: error.message,
    request_id: requestId,
    ...(error.errors !== undefined && { errors: error.errors })
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
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const message = status === 431
    ? 'the request headers are too large'
    : status === 408 ? 'the request was not received in time' : 'the request is not valid HTTP'
  const body = JSON.stringify(errorBody(new HttpError(status, CODE_BY_STATUS[status], message), randomUUID()))
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy(err)
}

/** One error shape for every failure (SPEC §6); never a stack trace or a server path. */
export default fp(async (fastify) => {
  fastify.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    try {
      return sendError(request, reply, toHttpError(err, request))
    } catch (failure) {
      // The handler must never fail into Fastify's own shape.
      request.log.error({ err: failure }, 'error handler failed')
      return reply.code(500).send(errorBody(new HttpError(500, 'INTERNAL', 'internal error'), request.id))
    }
  })
}, { name: 'errors' })
