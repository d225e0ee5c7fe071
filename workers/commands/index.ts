import type { CommandDefinition } from './command.js'
import type { DocumentAnswer } from '../document-stream.js'

type Loader = () => Promise<{ default: CommandDefinition }>

// Loaded on demand: a process runs one command and should load nothing else.
// Not annotated: the API's runCli reads each command's answer type from this table
// (CommandResult); an annotation would widen them to unknown. commandTable checks the shape.
const commands = {
  info: () => import('./info.js'),
  migrate: () => import('./migrate.js'),
  'import-schedule': () => import('./import-schedule.js'),
  'list-schedules': () => import('./list-schedules.js'),
  'get-schedule': () => import('./get-schedule.js'),
  'get-timeline': () => import('./timeline-events.js'),
  'export-schedule': () => import('./export-schedule.js'),
  'delete-schedule': () => import('./delete-schedule.js').then((m) => ({ default: m.deleteSchedule })),
  'delete-all-schedules': () => import('./delete-schedule.js').then((m) => ({ default: m.deleteAllSchedules })),
  'import-playlist': () => import('./playlists.js').then((m) => ({ default: m.importPlaylist })),
  'list-playlists': () => import('./playlists.js').then((m) => ({ default: m.listPlaylists })),
  'get-playlist': () => import('./playlists.js').then((m) => ({ default: m.getPlaylist })),
  'export-playlist': () => import('./playlists.js').then((m) => ({ default: m.exportPlaylist })),
  'delete-playlist': () => import('./playlists.js').then((m) => ({ default: m.deletePlaylist })),
  'replace-playlist': () => import('./playlists.js').then((m) => ({ default: m.replacePlaylist })),
  'set-playlist': () => import('./playlists.js').then((m) => ({ default: m.setPlaylist })),
  'set-playlist-guide': () => import('./playlists.js').then((m) => ({ default: m.setPlaylist })),
  'auto-fill': () => import('./auto-fill.js'),
  'fill-decisions': () => import('./fill-decisions.js'),
  'list-channels': () => import('./channels.js').then((m) => ({ default: m.listChannels })),
  'create-channel': () => import('./channels.js').then((m) => ({ default: m.createChannel })),
  'get-channel': () => import('./channels.js').then((m) => ({ default: m.getChannel })),
  'channel-programmes': () => import('./channel-programmes.js'),
  'update-channel': () => import('./channels.js').then((m) => ({ default: m.updateChannel })),
  'delete-channel': () => import('./channels.js').then((m) => ({ default: m.deleteChannel })),
  'get-template': () => import('./channels.js').then((m) => ({ default: m.getTemplate })),
  'put-template': () => import('./channels.js').then((m) => ({ default: m.putTemplate })),
  'list-overrides': () => import('./channels.js').then((m) => ({ default: m.listOverrides })),
  'add-override': () => import('./channels.js').then((m) => ({ default: m.addOverride })),
  'patch-override': () => import('./channels.js').then((m) => ({ default: m.patchOverride })),
  'delete-override': () => import('./channels.js').then((m) => ({ default: m.deleteOverride })),
  'channel-events': () => import('./channels.js').then((m) => ({ default: m.channelEvents })),
  'place-schedule': () => import('./channels.js').then((m) => ({ default: m.placeSchedule })),
  'build-channel': () => import('./channels-build.js'),
  'roll-channel': () => import('./roll-channel.js'),
  'rolling-channels': () => import('./roll-channel.js').then((m) => ({ default: m.rollingChannels })),
  'on-air-plan': () => import('./on-air-plan.js'),
  'edit-events': () => import('./edit-events.js').then((m) => ({ default: m.editEvents })),
  'edit-programme': () => import('./edit-events.js').then((m) => ({ default: m.editProgramme })),
  'edit-history': () => import('./edit-events.js').then((m) => ({ default: m.editHistory })),
  'undo-edit': () => import('./edit-events.js').then((m) => ({ default: m.undoEdit })),
  'revert-edits': () => import('./edit-events.js').then((m) => ({ default: m.revertEdits })),
  'export-channel': () => import('./channels-export.js').then((m) => ({ default: m.exportChannel })),
  'export-guide': () => import('./channels-export.js').then((m) => ({ default: m.exportGuide })),
  'export-channel-list': () => import('./channels-export.js').then((m) => ({ default: m.exportChannelList })),
  'check-alarms': () => import('./alarms.js').then((m) => ({ default: m.checkAlarms })),
  'alarm-notices-sent': () => import('./alarms.js').then((m) => ({ default: m.alarmNoticesSent })),
  'list-alarms': () => import('./alarms.js').then((m) => ({ default: m.listAlarms })),
  'check-missing-media': () => import('./missing-media.js').then((m) => ({ default: m.checkMissingMedia })),
  'create-feed-token': () => import('./feed-tokens.js').then((m) => ({ default: m.createFeedToken })),
  'list-feed-tokens': () => import('./feed-tokens.js').then((m) => ({ default: m.listFeedTokens })),
  'delete-feed-token': () => import('./feed-tokens.js').then((m) => ({ default: m.deleteFeedToken })),
  'touch-feed-token': () => import('./feed-tokens.js').then((m) => ({ default: m.touchFeedToken })),
  'hdhr-lineup': () => import('./feed-tokens.js').then((m) => ({ default: m.hdhrLineupCommand })),
  'rename-key': () => import('./key-names.js').then((m) => ({ default: m.renameKey })),
  'get-publish': () => import('./publish.js').then((m) => ({ default: m.getPublish })),
  'put-publish': () => import('./publish.js').then((m) => ({ default: m.putPublish })),
  'publish-retry': () => import('./publish.js').then((m) => ({ default: m.publishRetry })),
  'publish-status': () => import('./publish.js').then((m) => ({ default: m.publishStatus })),
  'create-library': () => import('./libraries.js').then((m) => ({ default: m.createLibrary })),
  'list-libraries': () => import('./libraries.js').then((m) => ({ default: m.listLibraries })),
  'get-library': () => import('./libraries.js').then((m) => ({ default: m.getLibrary })),
  'delete-library': () => import('./libraries.js').then((m) => ({ default: m.deleteLibrary })),
  'list-media-items': () => import('./libraries.js').then((m) => ({ default: m.listMediaItems })),
  'list-collections': () => import('./libraries.js').then((m) => ({ default: m.listCollections })),
  'start-scan': () => import('./scans.js').then((m) => ({ default: m.startScan })),
  'scan-step': () => import('./scans.js').then((m) => ({ default: m.scanStep })),
  'get-scan': () => import('./scans.js').then((m) => ({ default: m.getScan })),
  'cancel-scan': () => import('./scans.js').then((m) => ({ default: m.cancelScan })),
  'fail-scan': () => import('./scans.js').then((m) => ({ default: m.failScan })),
  'running-scans': () => import('./scans.js').then((m) => ({ default: m.runningScans })),
  'start-due-scans': () => import('./scans.js').then((m) => ({ default: m.startDueScans })),
  'scan-library': () => import('./scans.js').then((m) => ({ default: m.scanLibrary }))
}

// Commands that exist only to test the pool (hang, crash, flood...). They are
// not in the table unless the configuration enables them.
const testCommands = {
  'test:sleep': () => import('./test-commands.js').then((m) => ({ default: m.sleep })),
  'test:hang': () => import('./test-commands.js').then((m) => ({ default: m.hang })),
  'test:crash': () => import('./test-commands.js').then((m) => ({ default: m.crash })),
  'test:flood': () => import('./test-commands.js').then((m) => ({ default: m.flood })),
  'test:echo': () => import('./test-commands.js').then((m) => ({ default: m.echo })),
  'test:allocate': () => import('./test-commands.js').then((m) => ({ default: m.allocate })),
  'test:fail': () => import('./test-commands.js').then((m) => ({ default: m.fail })),
  'test:spin': () => import('./test-commands.js').then((m) => ({ default: m.spin })),
  'test:document': () => import('./test-document.js').then((m) => ({ default: m.testDocument }))
}

type CommandTable = typeof commands & typeof testCommands

/** Every command the API may run (the test:* ones answer UNKNOWN_COMMAND unless enabled). */
export type CommandName = keyof CommandTable
export type TestCommandName = keyof typeof testCommands

/** A command's answer, as its definition declares it (contract/api.ts for the API's answers). */
export type CommandResult<C extends CommandName> = Awaited<ReturnType<Awaited<ReturnType<CommandTable[C]>>['default']['run']>>

export function commandTable (env: NodeJS.ProcessEnv = process.env): Record<string, Loader> {
  return env.SCHEDULEFLOW_TEST_COMMANDS === 'true' ? { ...commands, ...testCommands } : commands
}

/**
 * The commands whose answer is a document (DocumentAnswer), which `stream: true` may ask for:
 * read from each command's answer type, so a new export command is one with no second list.
 */
export type DocumentCommand = { [C in CommandName]: AnswersDocument<CommandResult<C>> extends true ? C : never }[CommandName]
/** A command that never answers (test:hang, test:crash…) answers no document. */
type AnswersDocument<R> = [R] extends [never] ? false : R extends DocumentAnswer ? true : false
