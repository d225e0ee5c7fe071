import { Readable } from 'node:stream'
import type { DocumentFrame } from '../../workers/protocol.js'
import type { StreamedDocument, Task } from './types.js'
import type { WorkerProcess } from './worker-process.js'

// The streamed-body bridge: a document's ChunkFrames, read off the worker's stdout, become
// the body its caller reads, with the worker paused while the caller does not read.

/** A streamed task's document has begun: its caller gets it now, and reads the body as it comes. */
export function openDocumentBody (proc: WorkerProcess, task: Task, document: DocumentFrame['document'], stillServing: () => boolean): void {
  let ended = false
  const body = new Readable({
    read: () => { if (stillServing()) proc.resumeOutput() }
  })
  body.once('end', () => { ended = true })
  body.once('close', () => {
    if (ended) return
    // The reader went away (a client gone) or the body was cut: the worker is read on, its rest dropped.
    task.bodyDropped = true
    if (stillServing()) proc.resumeOutput()
  })
  task.body = body
  task.resolve({ content_type: document.content_type, filename: document.filename, body } satisfies StreamedDocument)
}

/** A piece of the body: past the body's high-water mark the worker's stdout is paused (the worker then waits on its pipe) until the reader asks for more. */
export function pushChunk (proc: WorkerProcess, task: Task, chunk: string): void {
  if (task.bodyDropped === true || task.body === undefined) return
  if (!task.body.push(Buffer.from(chunk, 'utf8'))) proc.pauseOutput()
}
