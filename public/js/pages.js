// @ts-check
// Paged reads (SPEC §12): events come a page at a time (at most 5,000), each answer naming the
// next page's URL in `next` until the last. The panel's views follow it, so a range with more
// than a page of events (a dense channel's busy day, a packed week) is drawn whole.
import { api } from './api.js'

/** Every page of `path`, in order: the answers themselves. @param {string} path @returns {Promise<any[]>} */
export async function allPages (path) {
  const pages = []
  for (let next = path; next;) {
    const page = await api(next)
    pages.push(page)
    next = page.next
  }
  return pages
}

/** A paged read of `{ …, events: [...] }`: the first answer with the events of every page. @param {string} path @returns {Promise<any>} */
export async function withAllEvents (path) {
  const [first, ...rest] = await allPages(path)
  return rest.length === 0 ? first : { ...first, events: first.events.concat(...rest.map((p) => p.events)), next: undefined }
}

/** A paged `fields=timeline` read: the first answer with the columns of every page joined. @param {string} path @returns {Promise<any>} */
export async function withAllColumns (path) {
  const [first, ...rest] = await allPages(path)
  if (rest.length === 0) return first
  const events = { ...first.events }
  for (const key of Object.keys(events)) {
    if (Array.isArray(events[key])) events[key] = events[key].concat(...rest.map((p) => p.events[key]))
  }
  events.count = rest.reduce((n, p) => n + p.events.count, first.events.count)
  return { ...first, events, next: undefined }
}
