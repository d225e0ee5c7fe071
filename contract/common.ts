import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { ERROR_CODES, type ErrorCode } from './errors.js'

// What every resource's shapes are made of: null-able fields, the error body, a paged read's
// `next`, the success mark, the answers of deletes, the fields every event answer opens with.
// `FooSchema` is a schema, `Foo` the type of what it describes (contract/api.ts says more).

/** `type: [T, 'null']` rather than anyOf: the serializer handles it far faster on large answers. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] })

export const Success = Type.Literal('success')

// ── Errors ──────────────────────────────────────────────────────────────────────────────

export const ProblemDetailSchema = Type.Object({
  index: Type.Optional(Type.Integer({ description: 'the event or item the problem is about, from 0 (the message of a schedule event names it from 1, by title and start)' })),
  field: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  message: Type.String()
})
export type ProblemDetail = Static<typeof ProblemDetailSchema>

export const ErrorBodySchema = Type.Object({
  status: Type.Literal('error'),
  code: Type.Unsafe<ErrorCode>({ type: 'string', enum: ERROR_CODES }),
  message: Type.String(),
  request_id: Type.String(),
  errors: Type.Optional(Type.Array(ProblemDetailSchema)),
  may_be_stored: Type.Optional(Type.Literal(true, { description: 'a write whose process died, timed out or failed after it began its commit (SPEC §12): it may be stored; repeat it with the same Idempotency-Key to learn which' })),
  revision_before: Type.Optional(Nullable(Type.Integer({ description: 'with may_be_stored: the revision of the schedule or channel written before this write (a higher one now means something was stored since); null when the write names none' })))
}, { $id: 'ErrorBody', description: 'Every failure, whatever the route (SPEC §6)' })
export type ErrorBody = Static<typeof ErrorBodySchema>

/** A paged read's link to the page after it (SPEC §12). */
export const NextPageSchema = Type.Optional(Type.String({ description: 'the relative URL of the next page (same range, a cursor past this page\'s last event); absent on the last page' }))

/** What every event answer opens with, a schedule's or a channel's: its instants as ISO, its length in seconds. */
export const AiredEventFields = {
  id: Type.String(),
  title: Type.String(),
  start: Type.String(),
  end: Type.String(),
  duration: Type.Number({ description: 'seconds' }),
  video_url: Nullable(Type.String()),
  category: Nullable(Type.String()),
  description: Nullable(Type.String())
}
export const AiredEventSchema = Type.Object(AiredEventFields)
export type AiredEvent = Static<typeof AiredEventSchema>

/** delete-schedule, delete-playlist: the id deleted. */
export const DeleteAnswerSchema = Type.Object({ status: Success, deleted: Type.String({ description: 'the id deleted' }) })
export type DeleteAnswer = Static<typeof DeleteAnswerSchema>

export const DeleteAllAnswerSchema = Type.Object({ status: Success, deleted: Type.Integer({ description: 'how many schedules were deleted' }) })
export type DeleteAllAnswer = Static<typeof DeleteAllAnswerSchema>
