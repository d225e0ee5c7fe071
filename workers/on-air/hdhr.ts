import type { Channel } from '../../contract/channels.js'
import type { HdhrDiscover, HdhrLineupEntry, HdhrLineupStatus } from '../../contract/on-air.js'
import { exportableMediaUrl } from '../media-url.js'
import { escapeXmlText, oneLineText, XML_DECLARATION } from '../schedule/export/xml-escape.js'
import { nodeCrypto } from '../storage/feed-token-hash.js'

// HDHomeRun tuner emulation (SPEC §17): the answers SiliconDust's HTTP API gives, which Plex,
// Jellyfin and Emby read to add a tuner: discover.json (what the device is, where its lineup
// is), lineup.json (its channels and their streams), lineup_status.json (no scan running: the
// lineup is what it is) and device.xml (the UPnP device description). Each feed token is its
// own device: its id comes from the token's record, so it stays the same across restarts and
// instances, and two tokens added to one Plex are two tuners rather than one that moves.

/** What the tuner says it is. Plex knows SiliconDust's models, so the emulators (ErsatzTV, Tunarr) say they are one. */
export const HDHR_DEVICE = {
  FriendlyName: 'ScheduleFlow',
  Manufacturer: 'Silicondust',
  ModelNumber: 'HDTC-2US',
  FirmwareName: 'hdhomeruntc_atsc',
  FirmwareVersion: '20200101',
  DeviceAuth: 'scheduleflow'
} as const

/** How many streams a client may open at once: Plex schedules recordings against it. */
export const HDHR_TUNER_COUNT = 4

/** The device's id: 8 hex digits of a hash of the feed token's record id (never of the token). */
export const hdhrDeviceId = (feedTokenId: string): string =>
  nodeCrypto().createHash('sha256').update(`hdhr:${feedTokenId}`).digest('hex').slice(0, 8).toUpperCase()

/** discover.json, for the device whose files are under `baseUrl` (absolute, no trailing slash). */
export const hdhrDiscover = (baseUrl: string, deviceId: string): HdhrDiscover => ({
  ...HDHR_DEVICE,
  DeviceID: deviceId,
  BaseURL: baseUrl,
  LineupURL: `${baseUrl}/lineup.json`,
  TunerCount: HDHR_TUNER_COUNT
})

/** lineup.json: the channels with a stream (a tuner cannot tune the others), by number as the list orders them. */
export const hdhrLineup = (channels: readonly Channel[]): HdhrLineupEntry[] => channels.flatMap((c) => {
  const url = exportableMediaUrl(c.stream_url)
  return url === null ? [] : [{ GuideNumber: c.number, GuideName: c.name, URL: url }]
})

/** lineup_status.json: never scanning; the lineup comes from the channels, not from a scan. */
export const HDHR_LINEUP_STATUS: HdhrLineupStatus = { ScanInProgress: 0, ScanPossible: 0, Source: 'Cable', SourceList: ['Cable'] }

/** device.xml: the UPnP device description (UPnP Device Architecture 1.0) Plex reads from a tuner. */
export function hdhrDeviceXml (baseUrl: string, deviceId: string): string {
  const text = (value: string): string => escapeXmlText(oneLineText(value))
  return [
    XML_DECLARATION,
    '<root xmlns="urn:schemas-upnp-org:device-1-0">',
    '  <specVersion><major>1</major><minor>0</minor></specVersion>',
    `  <URLBase>${text(baseUrl)}</URLBase>`,
    '  <device>',
    '    <deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>',
    `    <friendlyName>${text(HDHR_DEVICE.FriendlyName)}</friendlyName>`,
    `    <manufacturer>${text(HDHR_DEVICE.Manufacturer)}</manufacturer>`,
    `    <modelName>${text(HDHR_DEVICE.ModelNumber)}</modelName>`,
    `    <modelNumber>${text(HDHR_DEVICE.ModelNumber)}</modelNumber>`,
    `    <serialNumber>${text(deviceId)}</serialNumber>`,
    `    <UDN>uuid:${text(deviceUuid(deviceId))}</UDN>`,
    '  </device>',
    '</root>',
    ''
  ].join('\n')
}

/** A UPnP UDN is a UUID: the device id fills its first group, the rest is fixed, so it is as stable as the id. */
const deviceUuid = (deviceId: string): string => `${deviceId.toLowerCase()}-5c4e-4f10-8d1a-536368656475`
