// @ts-check
// The media libraries' collections (SPEC §16) as a block's source: `{ collection: id }`, the id
// `<library>:<kind>:<key>` (workers/media/collection-id.ts), so a block names one without a read.
import { COLLECTION_KINDS } from '../contract/limits.js'
import { api } from './api.js'
import { useEffect, useState } from './preact.js'

/** @typedef {import('../../contract/media.js').Library} Library */
/** @typedef {import('../../contract/media.js').Collection} Collection */

/**
 * "Show: Nature Walks", "Folder: films/1970s", "Genre: Drama" from a collection id (and its
 * name when known: a folder at the root is named "(root)").
 * @param {string} id @param {string} [name]
 */
export function collectionLabel (id, name) {
  const [, kind = '', ...key] = id.split(':')
  const word = /** @type {readonly string[]} */ (COLLECTION_KINDS).includes(kind) ? kind : 'collection'
  return `${word[0].toUpperCase()}${word.slice(1)}: ${name ?? (key.join(':') || '(root)')}`
}

/**
 * Every library with its collections, for a source picker: null until read; [] when there are
 * none or they cannot be read (the picker says to scan a library). Read only once `wanted` (the
 * picker is shown): a form that never offers a collection costs no request.
 * @param {boolean} wanted
 * @returns {Array<{ library: Library, collections: Collection[] }> | null}
 */
export function useCollections (wanted) {
  const [found, setFound] = useState(/** @type {Array<{ library: Library, collections: Collection[] }> | null} */ (null))
  useEffect(() => {
    if (!wanted || found !== null) return
    let stopped = false
    api('/api/libraries')
      .then((/** @type {{ libraries: Library[] }} */ answer) => Promise.all(answer.libraries.map(async (library) =>
        ({ library, collections: /** @type {Collection[]} */ ((await api(`/api/libraries/${encodeURIComponent(library.id)}/collections`)).collections) }))))
      .then((list) => { if (!stopped) setFound(list.filter((l) => l.collections.length > 0)) }, () => { if (!stopped) setFound([]) })
    return () => { stopped = true }
  }, [wanted])
  return found
}
