// @ts-check
// A block dragged or resized in the week grid, back to the block it now says. The grid draws a
// block as pieces on the reference week (calendar.js blockPieces); EventCalendar answers a drag
// with how far the piece moved (a duration of days and seconds), which is applied to the block
// itself, so a piece of an overnight block moves the whole block the same way. An arrow key on a
// focused piece is said as the drag it stands for (keyedBlock), so the rules are these same ones.
import { WEEKDAYS } from '../../contract/limits.js'

/** @typedef {import('../../../contract/api.js').Block} Block */
/** @typedef {{ days?: number, seconds?: number }} Delta EventCalendar's duration of a drag */

const DAY = 24 * 60
/** The grid's snap, in minutes: a drag moves a block in these steps, and so does an arrow key. */
export const SNAP_MINUTES = 5

/** "08:30" → 510. */
const minutesOf = (/** @type {string} */ time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
/** 510 → "08:30", any whole number of minutes taken round the clock. */
const timeOf = (/** @type {number} */ minutes) => {
  const m = ((minutes % DAY) + DAY) % DAY
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}
/** EventCalendar's duration ({ days, seconds }) in whole minutes. */
const durationMinutes = (/** @type {Delta | undefined} */ delta) => (delta?.days ?? 0) * DAY + Math.round((delta?.seconds ?? 0) / 60)
/** A naive time of the reference week ("2024-01-03T08:30:00") as minutes from Monday 00:00, to the nearest minute. */
const weekMinutes = (/** @type {string} */ naive) => {
  // Every piece is drawn on the reference week (calendar.js blockPieces), so this matches.
  const match = /** @type {RegExpExecArray} */ (/^2024-01-0([1-7])T(\d\d):(\d\d):(\d\d)/.exec(naive))
  return (Number(match[1]) - 1) * DAY + Number(match[2]) * 60 + Number(match[3]) + Math.round(Number(match[4]) / 60)
}

/**
 * The block moved by `delta`. One day: the day moves with it (the week is circular, so Sunday
 * night dragged later lands on Monday). Several days: only the times move, on the same days.
 * @template {Pick<Block, 'days' | 'start' | 'end'>} B
 * @param {B} block
 * @param {Delta} delta
 * @returns {B}
 */
export function movedBlock (block, delta) {
  const shift = durationMinutes(delta)
  const start = minutesOf(block.start)
  const length = ((minutesOf(block.end) - start + DAY) % DAY) || DAY
  if (block.days.length !== 1) return { ...block, start: timeOf(start + shift), end: timeOf(start + shift + length) }
  const week = WEEKDAYS.indexOf(block.days[0]) * DAY + start + shift
  const day = WEEKDAYS[((Math.floor(week / DAY) % 7) + 7) % 7]
  return { ...block, days: [day], start: timeOf(week), end: timeOf(week + length) }
}

/**
 * The block with the end of its piece (`pieceEnd`, the naive end it was drawn with) moved by `delta`.
 * @template {Pick<Block, 'end'>} B
 * @param {B} block @param {string} pieceEnd @param {Delta} delta
 * @returns {B}
 */
export const resizedBlock = (block, pieceEnd, delta) => ({ ...block, end: timeOf(weekMinutes(pieceEnd) + durationMinutes(delta)) })

/** Whether a drag changed anything the template stores. @param {Pick<Block, 'days' | 'start' | 'end'>} a @param {Pick<Block, 'days' | 'start' | 'end'>} b */
export const sameTimes = (a, b) => a.start === b.start && a.end === b.end && a.days.join() === b.days.join()

/**
 * The block with its end moved by `delta`: a resize by the keyboard, whichever piece has the focus.
 * An end moved onto the start is sent as it is: the API refuses a block with no length, and says so.
 * @template {Pick<Block, 'end'>} B
 * @param {B} block @param {Delta} delta
 * @returns {B}
 */
export const endMovedBlock = (block, delta) => ({ ...block, end: timeOf(minutesOf(block.end) + durationMinutes(delta)) })

/** Arrow keys as drags: Up/Down one snap (seconds), Left/Right one day. */
const KEY_MOVES = /** @type {Record<string, Delta>} */ ({
  ArrowUp: { seconds: -SNAP_MINUTES * 60 },
  ArrowDown: { seconds: SNAP_MINUTES * 60 },
  ArrowLeft: { days: -1 },
  ArrowRight: { days: 1 }
})

/**
 * An arrow key on a block's piece as the drag it stands for, or null for a key that moves
 * nothing: Up/Down move the block a snap earlier/later, Shift+Up/Down its end (a resize);
 * Left/Right move it a day, the week round (movedBlock: a block on several days keeps its days,
 * so a day's move leaves it as it was).
 * @template {Pick<Block, 'days' | 'start' | 'end'>} B
 * @param {B} block @param {Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey'>} key
 * @returns {B | null}
 */
export function keyedBlock (block, { key, shiftKey, altKey, ctrlKey, metaKey }) {
  const delta = KEY_MOVES[key]
  if (delta === undefined || altKey || ctrlKey || metaKey) return null
  if (!shiftKey) return movedBlock(block, delta)
  return delta.seconds === undefined ? null : endMovedBlock(block, delta)
}
