// What a built event keeps of its item beyond the events table's columns (SPEC §16): the
// year a film names, for XMLTV's <date>. It lives in the events' `tags` column (a JSON list of
// text, a schedule's keywords) as `year:1999`: a channel's built events have no other tags, so
// no column is added for one number, and a hand edit or an undo keeps it with the row.

const YEAR_TAG = 'year:'

/** The tags column of a built event: its year's tag, or none. */
export const tagsOf = (year: number | null | undefined): string[] => year == null || !Number.isInteger(year) ? [] : [`${YEAR_TAG}${year}`]

/** The year an event's tags name, or null. */
export function yearOf (tags: readonly string[]): number | null {
  for (const tag of tags) {
    if (!tag.startsWith(YEAR_TAG)) continue
    const year = Number(tag.slice(YEAR_TAG.length))
    if (Number.isInteger(year)) return year
  }
  return null
}
