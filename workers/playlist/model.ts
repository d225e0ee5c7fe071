/** One entry of a playlist (SPEC §1). */
export interface PlaylistItem {
  title: string
  /** As written in the playlist: absolute, or relative to wherever the player loads it from. */
  url: string
  /** Seconds; null when unknown (`#EXTINF:-1`) or not given. */
  duration: number | null
  /** `group-title`, else the `#EXTGRP` before the entry. */
  group: string | null
  /** Every `key="value"` attribute of the `#EXTINF` line but group-title (tvg-id, tvg-name, tvg-logo, …). */
  tvg: Record<string, string>
  /** Other directive lines of the entry (`#EXTVLCOPT:…`, `#EXTGRP:…`, …), kept verbatim for the export. */
  directives: string[]
}

export interface ParsedPlaylist {
  /** Attributes of the `#EXTM3U` line (url-tvg, x-tvg-url, …). */
  attributes: Record<string, string>
  items: PlaylistItem[]
  warnings: string[]
}
