// The API's request and answer shapes, once (SPEC §6): routes validate, serialize and
// document with these schemas; worker commands annotate their results with the Static
// types, imported with `import type` only, so TypeBox never loads in a worker and a field
// renamed on either side fails to compile. Fields are snake_case as they cross every layer.
// `FooSchema` is a schema, `Foo` the type of what it describes.
//
// One file per resource, as fastify/demo keeps src/schemas/<resource>.ts; this module only
// gathers them, so `contract/api.js` imports keep working. New code may import the resource file.

export * from './common.js'
export * from './schedules.js'
export * from './autofill.js'
export * from './playlists.js'
export * from './channels.js'
export * from './editing.js'
export * from './programmes.js'
export * from './on-air.js'
export * from './media.js'
export * from './keys.js'
export { DOCUMENT_TYPES, type ExportedDocument } from './formats.js'
export * from './status.js'
