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
