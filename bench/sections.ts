import { benchPool } from './pool.js'
import { benchSchedules } from './schedules.js'
import { benchAutoFill } from './autofill.js'
import { benchPanel } from './panel.js'
import { benchFairness } from './fairness.js'
import { benchLeanPath } from './lean-path.js'
import { benchStreamedExports } from './streamed-exports.js'
import { benchScaleOut } from './scale-out.js'
import { benchChannels } from './channels.js'
import { benchEditing } from './editing.js'
import { benchPaging } from './paging.js'
import { benchGuide } from './guide.js'
import { benchProgramming } from './programming.js'
import { benchRolling } from './rolling.js'
import { benchOnAir } from './on-air.js'
import { benchMedia } from './media.js'
import { benchPreview } from './preview.js'
import { benchStart } from './start.js'

/** The bench's sections by name, in the order `npm run bench` runs them. */
export const sections: Record<string, () => Promise<void>> = {
  'streamed-exports': benchStreamedExports,
  pool: benchPool,
  'lean-path': benchLeanPath,
  schedules: benchSchedules,
  autofill: benchAutoFill,
  panel: benchPanel,
  fairness: benchFairness,
  'scale-out': benchScaleOut,
  channels: benchChannels,
  editing: benchEditing,
  paging: benchPaging,
  guide: benchGuide,
  programming: benchProgramming,
  rolling: benchRolling,
  'on-air': benchOnAir,
  media: benchMedia,
  preview: benchPreview,
  start: benchStart
}
