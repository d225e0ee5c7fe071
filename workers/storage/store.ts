// What the CLI commands need from a database. SQLite implements it now; a
// PostgreSQL implementation is planned behind the same interface.
export interface StoreCounts {
  schedules: number
  events: number
  playlists: number
  playlist_items: number
}

export interface Store {
  readonly kind: 'sqlite'
  readonly location: string
  schemaVersion(): number
  counts(): StoreCounts
  close(): void
}
