import type { ExportEvent, ExportSchedule } from './types.js'

export interface AiredEvent {
  schedule: ExportSchedule
  event: ExportEvent
}

/**
 * Every event of the given schedules by start time. Each schedule's events are already in
 * order; the sort is stable, so equal starts keep schedule order.
 */
export function inAirOrder (schedules: ExportSchedule[]): AiredEvent[] {
  const aired = schedules.flatMap((schedule) => schedule.events.map((event) => ({ schedule, event })))
  return schedules.length > 1 ? aired.sort((a, b) => a.event.start - b.event.start) : aired
}
