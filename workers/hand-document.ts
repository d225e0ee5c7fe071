// A document command run by hand (`m3upro export-schedule <id> --format xmltv > guide.xml`)
// writes the document itself, never the pool's protocol: to stdout, or to `--output FILE`.
// Either gets the whole document or nothing: stdout is written only once the body is whole,
// and a file is written beside its target under a temporary name, then renamed over it.

import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { bodyChunks, wholeBody, type DocumentAnswer } from './document-stream.js'
import { CommandError } from '../contract/command-error.js'

export async function writeHandDocument (doc: DocumentAnswer, output: string | undefined): Promise<void> {
  if (output === undefined) {
    const text = await wholeBody(doc.body)
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err == null ? resolve() : reject(err))))
    return
  }
  const temporary = join(dirname(output), `.${basename(output)}.${process.pid}.part`)
  try {
    await pipeline(Readable.from(bodyChunks(doc.body)), createWriteStream(temporary, { flags: 'wx' }))
    await rename(temporary, output)
  } catch (err) {
    await rm(temporary, { force: true })
    const code = (err as NodeJS.ErrnoException).code
    // The file system refusing the path is the caller's input; anything else is ours.
    if (typeof code === 'string') throw new CommandError('BAD_ARGUMENTS', `cannot write --output ${output}: ${code}; nothing was written`)
    throw err
  }
}
