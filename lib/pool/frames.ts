import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ProblemDetailSchema } from '../../contract/api.js'
import { EXIT_BAD_INPUT, EXIT_INTERNAL, type AnswerFrame, type ChunkFrame, type CommittingFrame, type DocumentFrame, type ReadyFrame, type StartedFrame, type WorkerLogLine } from '../../workers/protocol.js'

// What a pooled worker writes, checked by schema where it enters the API's process: each
// frame shape of workers/protocol.ts as a TypeBox schema, compiled once. A line that is not
// JSON, or not one of these shapes, is out of protocol (the pool kills the process).

const requestId = Type.String()

const LogLineSchema = Type.Object({
  level: Type.Number(),
  time: Type.Optional(Type.Number()),
  pid: Type.Optional(Type.Number()),
  reqId: Type.Optional(Type.String()),
  msg: Type.Optional(Type.String())
})

const answerCommon = { requestId, rssBytes: Type.Number(), stderrBytes: Type.Number(), log: Type.Optional(LogLineSchema) }

/** Each frame's schema, by the field that names its kind (each frame has exactly one of them). */
const FRAME_SCHEMAS = {
  ready: Type.Object({ ready: Type.Literal(true) }),
  started: Type.Object({ requestId, started: Type.Literal(true) }),
  committing: Type.Object({ requestId, committing: Type.Literal(true), revisionBefore: Type.Optional(Type.Union([Type.Number(), Type.Null()])) }),
  document: Type.Object({ requestId, document: Type.Object({ content_type: Type.String(), filename: Type.String() }) }),
  chunk: Type.Object({ requestId, chunk: Type.String() }),
  ok: Type.Union([
    Type.Object({ ...answerCommon, ok: Type.Literal(true), result: Type.Unknown() }),
    Type.Object({ ...answerCommon, ok: Type.Literal(true), resultLine: Type.Literal(true) }),
    Type.Object({
      ...answerCommon,
      ok: Type.Literal(false),
      error: Type.Object({ code: Type.String(), message: Type.String(), errors: Type.Optional(Type.Array(ProblemDetailSchema)) }),
      exitCode: Type.Union([Type.Literal(EXIT_BAD_INPUT), Type.Literal(EXIT_INTERNAL)])
    })
  ])
}

/** The frames as the pool reads them: each tagged with its kind. */
export type ParsedFrame =
  | { kind: 'ready', frame: ReadyFrame }
  | { kind: 'started', frame: StartedFrame }
  | { kind: 'committing', frame: CommittingFrame }
  | { kind: 'document', frame: DocumentFrame }
  | { kind: 'chunk', frame: ChunkFrame }
  // resultText: the result line that followed an answer saying `resultLine` (protocol.ts), unparsed.
  | { kind: 'answer', frame: AnswerFrame, resultText?: string }

type FrameKey = keyof typeof FRAME_SCHEMAS

// The schemas say no more than the protocol's types: a shape that drifted from protocol.ts fails to compile here.
type Fits<S extends TSchema, T> = Static<S> extends T ? true : never
const fits: [
  Fits<typeof FRAME_SCHEMAS.started, StartedFrame>, Fits<typeof FRAME_SCHEMAS.document, DocumentFrame>,
  Fits<typeof FRAME_SCHEMAS.chunk, ChunkFrame>, Fits<typeof FRAME_SCHEMAS.ready, ReadyFrame>
] = [true, true, true, true]
void fits

type FrameChecks = { [K in FrameKey]: ReturnType<typeof TypeCompiler.Compile<(typeof FRAME_SCHEMAS)[K]>> }
const checks = Object.fromEntries(Object.entries(FRAME_SCHEMAS).map(([key, schema]) => [key, TypeCompiler.Compile(schema)])) as FrameChecks
const KEYS = Object.keys(FRAME_SCHEMAS) as FrameKey[]
const logLineCheck = TypeCompiler.Compile(LogLineSchema)

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** One stdout line as a frame, or undefined when it is none of the protocol's frames. */
export function parseFrame (line: string): ParsedFrame | undefined {
  const value = parseJson(line)
  if (typeof value !== 'object' || value === null) return undefined
  const key = KEYS.find((k) => k in value)
  if (key === undefined || !checks[key].Check(value)) return undefined
  if (key === 'committing') {
    const frame = value as Static<typeof FRAME_SCHEMAS.committing>
    return { kind: 'committing', frame: { ...frame, revisionBefore: frame.revisionBefore ?? null } }
  }
  return { kind: key === 'ok' ? 'answer' : key, frame: value } as ParsedFrame
}

/** One stderr line as a JSON log line (a `level` number at least), or undefined for plain text. */
export function parseLogLine (line: string): WorkerLogLine | undefined {
  const value = parseJson(line)
  return logLineCheck.Check(value) ? value as WorkerLogLine : undefined
}
