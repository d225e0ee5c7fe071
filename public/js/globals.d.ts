// What the panel's modules find on `window`: EventCalendar, loaded by a classic script in
// index.html (@event-calendar/build) and mounted by calendar.js. Only what the panel calls.

interface EventCalendarInstance {
  setOption (name: string, value: unknown): void
}

interface Window {
  EventCalendar: {
    create (element: HTMLElement, options: Record<string, unknown>): EventCalendarInstance
    destroy (calendar: EventCalendarInstance): void
  }
}

// The arguments of the EventCalendar callbacks the panel's views set (only what they read).
interface EventCalendarEvent {
  id: string
  title: string
  start: Date
  end: Date
  extendedProps: Record<string, any>
}
/** eventClick, eventDidMount, eventDrop, eventResize: `delta` and `endDelta` only for the last two. */
interface EventCalendarEventInfo {
  event: EventCalendarEvent
  el: HTMLElement
  delta: { days?: number, seconds?: number }
  endDelta: { days?: number, seconds?: number }
  revert (): void
}
interface EventCalendarDateInfo { dateStr: string }
interface EventCalendarRange { start: Date, end: Date }
