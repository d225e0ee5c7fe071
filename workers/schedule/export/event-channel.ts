import type { ScheduleEvent } from '../model.js'

/** The event's XMLTV channel id, or null when it has none (an empty id counts as none). */
export const eventChannel = (e: ScheduleEvent): string | null => (e.channel === null || e.channel === '' ? null : e.channel)
