import type { PlaylistItem as AnsweredItem } from '../../contract/api.js'

/**
 * One entry of a playlist (SPEC §1): the API's item (contract/api.ts: title, url as written,
 * duration in seconds or null when unknown, group-title or #EXTGRP, the other #EXTINF
 * attributes as tvg), and what only the export needs.
 */
export interface PlaylistItem extends AnsweredItem {
  /** Other directive lines of the entry (`#EXTVLCOPT:…`, `#EXTGRP:…`, …), kept verbatim for the export. */
  directives: string[]
}

export interface ParsedPlaylist {
  /** Attributes of the `#EXTM3U` line (url-tvg, x-tvg-url, …). */
  attributes: Record<string, string>
  items: PlaylistItem[]
  warnings: string[]
}
