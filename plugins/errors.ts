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
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST' }
}

function send (request: FastifyRequest, reply: FastifyReply, error: HttpError): FastifyReply {
  return reply.code(error.statusCode).headers(error.headers).send({
    status: 'error',
    code: error.code,
    message: error.message,
    request_id: request.id,
    ...(error.errors !== undefined && { errors: error.errors })
  })
}

/** One error shape for every failure (SPEC §6); never a stack trace or a server path. */
export default fp(async (fastify) => {
  fastify.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      if (err.statusCode >= 500) request.log.error({ code: err.code }, err.message)
      return send(request, reply, err)
    }
    if (err.validation !== undefined) {
      const errors = err.validation.map((v) => ({
        field: (v.instancePath.replace(/^\//, '').replace(/\//g, '.') || (v.params as { missingProperty?: string }).missingProperty) ?? err.validationContext ?? '',
        message: `${err.validationContext ?? 'request'}${v.instancePath} ${v.message ?? 'is invalid'}`
      }))
      return send(request, reply, new HttpError(400, 'BAD_REQUEST', errors.map((e) => e.message).join('; '), errors))
    }
    const known = CLIENT_ERRORS[err.code]
    if (known !== undefined) return send(request, reply, new HttpError(known.status, known.code, err.message))
    if (err.statusCode === 429) {
      return send(request, reply, new HttpError(429, 'RATE_LIMITED', err.message))
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      return send(request, reply, new HttpError(err.statusCode, err.code ?? 'BAD_REQUEST', err.message))
    }
    request.log.error({ err }, 'unhandled error')
    return send(request, reply, new HttpError(500, 'INTERNAL', 'internal error'))
  })

  fastify.setNotFoundHandler((request, reply) =>
    send(request, reply, new HttpError(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)))
}, { name: 'errors' })
