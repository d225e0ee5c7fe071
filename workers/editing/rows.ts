import type { Selectable } from 'kysely'
import type { EventsTable } from '../storage/tables.js'

/** An events row as an edit works on it, whole (plan.ts; programme.ts and ripple.ts read it too). */
export type EventRow = Selectable<EventsTable>
