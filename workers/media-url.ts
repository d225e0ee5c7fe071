// What a video URL may be, wherever one comes in (schedule events, M3U items, auto-fill
// links) and wherever one goes out (the exporters). A URL is written into line-oriented
// documents (M3U) and handed to players and playout engines, so it may not carry a line
// break or a control character (a line break splits an M3U entry), may not start with `#`
// (in M3U that is a directive), and may only name a scheme a player fetches media with:
// `javascript:`, `data:` and the like are refused rather than exported as given.

export const MEDIA_URL_SCHEMES = ['http', 'https', 'rtmp', 'rtsp', 'udp', 'srt', 'file'] as const
/** The body fields that hold a media URL: this rule applies to them (it names a control character itself), not the text rule. */
export const MEDIA_URL_FIELDS: readonly string[] = ['url', 'video_url', 'stream_url']

// C0 and C1 controls, DEL, and Unicode's line and paragraph separators.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/
const CONTROLS = new RegExp(CONTROL.source, 'g')
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/
// `C:\clips\a.mp4` or `C:/clips/a.mp4`: a Windows path (CasparCG and ffplayout run there), not a scheme.
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/

export const MEDIA_URL_RULE = `${MEDIA_URL_SCHEMES.join(', ')} or a relative path, one line, not starting with #`

/** Why `url` is not a media URL, or null when it is one. `url` is taken as given (trim it first). */
export function mediaUrlProblem (url: string): string | null {
  if (url === '') return 'is empty'
  const control = CONTROL.exec(url)
  if (control !== null) return `holds a control character or line break (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`
  if (url.startsWith('#')) return 'starts with #'
  const scheme = SCHEME.exec(url)?.[1].toLowerCase()
  if (scheme !== undefined && !WINDOWS_DRIVE.test(url) && !(MEDIA_URL_SCHEMES as readonly string[]).includes(scheme)) return `has the scheme "${scheme.slice(0, 20)}:"`
  return null
}

/** The message for a refused URL: what is wrong with it and what is accepted. */
export const mediaUrlMessage = (field: string, url: string, problem: string): string =>
  `${field} "${url.slice(0, 60).replace(CONTROLS, '?')}" ${problem}: a media URL is ${MEDIA_URL_RULE}`

/** For the exporters: a stored URL as it may be written out, or null when it is not a media URL (stored by an earlier version). */
export const exportableMediaUrl = (url: string | null): string | null =>
  url === null || mediaUrlProblem(url.trim()) !== null ? null : url.trim()
