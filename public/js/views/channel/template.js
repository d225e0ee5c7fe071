// @ts-check
// The template tab: the week drawn as a grid (blocks by day and hour), a side form to add or
// change a block. Each save PUTs the whole template (SPEC §11), so the grid always shows what
// is stored; a refusal leaves it as it was and names the fields in the form. Blocks also move and
// resize by dragging (issue 14), or by arrow keys on a focused block (issue 27, the same moves
// through block-drag.js): the moved block is PUT the same way, and a refusal puts the block back
// where it was and says why above the grid.
import { api } from '../../api.js'
import { html, useMemo, useRef, useState, useEffect } from '../../preact.js'
import { Calendar, REFERENCE_WEEK, blockPieces, useEventFocus, useKeyMoves, weekSlot } from '../../calendar.js'
import { BlockForm, blockContent, blockDays, blockRules, formValues, newBlockId, problemsByBlock } from '../block-form.js'
import { useCollections } from '../../collections.js'
import { ApiProblem } from './data.js'
import { focusReturn } from '../../ui.js'
import { SNAP_MINUTES, keyedBlock, movedBlock, resizedBlock, sameTimes } from '../block-drag.js'

/** @typedef {import('../../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../../contract/api.js').Template} Template */
/** @typedef {import('../../../../contract/api.js').TemplateAnswer} TemplateAnswer */
/** @typedef {import('../../../../contract/api.js').PlaylistSummary} PlaylistSummary */
/** @typedef {import('../../../../contract/api.js').Weekday} Weekday */
/** @typedef {import('../../api.js').ApiError} ApiError */
/** @typedef {import('../field-errors.js').Grouped} Grouped */
/**
 * The block open in the side form: its index (null: a new one), its values, a key that remounts the form.
 * @typedef {{ index: number | null, initial: import('../block-form.js').BlockValues, key: number }} Editing
 */

/** @param {string} time */
const nextHour = (time) => `${String((Number(time.slice(0, 2)) + 1) % 24).padStart(2, '0')}:${time.slice(3, 5)}`

/** A block's days and times as its pieces in the grid say them: "Mon–Fri 08:00–09:00". @param {Template['blocks'][number]} block */
const blockWhen = (block) => `${blockDays(block)} ${block.start}–${block.end}`
/**
 * What a piece shows, which is its name too ("Morning News, Mon–Fri 08:00–09:00"): the title
 * first (a short piece still shows it), then the block's own days and times (a piece of an
 * overnight block is drawn to midnight, or from it). DOM nodes: titles are the user's text.
 * @param {EventCalendarEventInfo} info
 */
function pieceContent (info) {
  const line = Object.assign(document.createElement('span'), { className: 'block-line' })
  line.append(Object.assign(document.createElement('strong'), { textContent: info.event.title }), `, ${info.event.extendedProps.when}`)
  return { domNodes: [line] }
}
/** The id of a block's k-th piece in the grid. @param {string} blockId @param {number} k */
const pieceId = (blockId, k) => `${blockId}#${k}`
/** A piece's id back to its block's id and its place among the block's pieces. @param {string} id */
const pieceOf = (id) => ({ blockId: id.slice(0, id.lastIndexOf('#')), k: Number(id.slice(id.lastIndexOf('#') + 1)) })

/**
 * The refusal of a PUT, by the form's fields when it is about the block being edited (index), else said above it.
 * @param {ApiError} err @param {number} index
 */
function problemsFor (err, index) {
  const { blocks, said, rest } = problemsByBlock(err.errors ?? [])
  const grouped = { ...blocks[index] }
  const elsewhere = [...Object.entries(said).filter(([i]) => Number(i) !== index).flatMap(([, lines]) => lines), ...(rest[''] ?? [])]
  if (elsewhere.length > 0) grouped[''] = [...(grouped[''] ?? []), ...elsewhere]
  return grouped
}

/**
 * One block of the table: its content and, in their own columns, what it does when the content
 * runs short (and before a fixed event), its breaks and its cooldown (issue 27: the table said
 * only "Cartoons · shuffle").
 * @param {{ block: Template['blocks'][number], playlists: PlaylistSummary[], onOpen: () => void }} props
 */
function BlockRow ({ block: b, playlists, onOpen }) {
  const rules = blockRules(b, playlists)
  return html`<tr data-block=${b.id}>
    <td data-label="Block"><button type="button" class="link" onClick=${onOpen}>${b.title || b.id}</button></td>
    <td data-label="Days">${blockDays(b)}</td>
    <td data-label="Time" class="block-time">${b.start}–${b.end}</td>
    <td data-label="Content" class="block-content">${blockContent(b, playlists)}</td>
    <td data-label="When short" class="block-fill">${rules.short}${rules.beforeFixed && html`<br /><span class="meta">${rules.beforeFixed}</span>`}</td>
    <td data-label="Breaks" class="block-breaks">${rules.breaks}</td>
    <td data-label="Cooldown" class="block-cooldown">${rules.cooldown}</td></tr>`
}

/**
 * The empty template's next step: lay out the week, and first add media when there is none to air.
 * @param {{ channel: Channel, playlists: PlaylistSummary[] }} props
 */
function NoBlocks ({ channel, playlists }) {
  // Collections are read only when there is no playlist: whether there is anything to air at all.
  const collections = useCollections(playlists.length === 0)
  const nothing = playlists.length === 0 && collections !== null && collections.length === 0
  return html`<div class="state empty" id="template-empty">
    ${nothing && html`<p id="template-no-media">There is nothing to air yet: <a href="#/playlists">import a playlist</a> or <a href="#/media">add a media library</a> first.</p>`}
    <p>No blocks yet. Click an hour in the grid below, or Add block, to lay out the week: a block airs a playlist or a media collection on the days and hours you choose, and what no block covers airs the default filler. Then <a href=${`#/channels/${channel.id}?tab=build`}>build it</a> on the Build tab.</p>
  </div>`
}

/** @param {{ channel: Channel, playlists: PlaylistSummary[] }} props */
export function TemplateTab ({ channel, playlists }) {
  const [template, setTemplate] = useState(/** @type {Template | null} */ (null))
  const [loadError, setLoadError] = useState(/** @type {ApiError | null} */ (null))
  const [editing, setEditing] = useState(/** @type {Editing | null} */ (null))
  const [problems, setProblems] = useState(/** @type {Grouped} */ ({}))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [pending, setPending] = useState(false)
  const [dragError, setDragError] = useState(/** @type {ApiError | null} */ (null))
  const focus = useEventFocus(template, onKeyDown) // the piece an arrow key moved keeps the focus when drawn again
  const keyMoves = useKeyMoves()
  useEffect(() => { api(`/api/channels/${channel.id}/template`).then((/** @type {TemplateAnswer} */ answer) => setTemplate(answer.template)).catch(setLoadError) }, [channel.id])

  const blocks = template?.blocks ?? []
  /** @param {number | null} index @param {Editing['initial']} initial */
  const open = (index, initial) => {
    if (editing === null) back.current = focusReturn()
    setProblems({}); setError(null); setEditing({ index, initial, key: Math.random() })
  }
  // The form closed: the focus goes back to what opened it, else to the block's row (-1: gone).
  const back = useRef(/** @type {((...fallbacks: string[]) => void) | null} */ (null))
  const close = (/** @type {number} */ index) => {
    setEditing(null)
    back.current?.(...(index >= 0 ? [`#block-list tbody tr:nth-child(${index + 1}) button`] : []), '#add-block')
    back.current = null
  }
  const openNew = (/** @type {Weekday} */ day = 'mon', start = '08:00') => open(null, formValues({ id: newBlockId(blocks), days: [day], start, end: nextHour(start) }))

  /** @param {Template['blocks']} nextBlocks @param {number} index */
  async function store (nextBlocks, index) {
    setPending(true)
    setProblems({})
    setError(null)
    try {
      /** @type {TemplateAnswer} */
      const answer = await api(`/api/channels/${channel.id}/template`, { method: 'PUT', body: { ...template, blocks: nextBlocks } })
      setTemplate(answer.template)
      close(index)
    } catch (err) {
      const grouped = problemsFor(err, index)
      setProblems(grouped)
      setError(Object.keys(grouped).length === 0 ? err : null)
    } finally {
      setPending(false)
    }
  }
  /** @param {Template['blocks'][number]} block */
  const save = (block) => editing?.index == null
    ? store([...blocks, block], blocks.length)
    : store(
      blocks.map((b, i) => (i === editing.index ? block : b)),
      editing.index
    )
  const remove = () => store(blocks.filter((_, i) => i !== editing?.index), -1)

  /**
   * A block moved in the grid, by a drag or a key: PUT at once; refused, it stays where it was
   * (`revert` puts a dragged piece back) and the refusal is said above the grid.
   * Answers the template stored, or null when refused.
   * @param {number} index @param {Template['blocks'][number]} block @param {() => void} revert
   * @param {Template | null} [base] the template the move is made on (a held key's: the one the last move stored)
   * @returns {Promise<Template | null>}
   */
  async function moved (index, block, revert, base = template) {
    if (base === null || sameTimes(block, base.blocks[index])) return base
    setDragError(null)
    try {
      /** @type {TemplateAnswer} */
      const answer = await api(`/api/channels/${channel.id}/template`, { method: 'PUT', body: { ...base, blocks: base.blocks.map((b, i) => (i === index ? block : b)) } })
      setTemplate(answer.template)
      if (editing?.index === index) open(index, formValues(answer.template.blocks[index]))
      return answer.template
    } catch (err) {
      focus.after(null) // nothing is drawn again: the focus never left
      revert()
      setDragError(err)
      return null
    }
  }
  /**
   * A drag or a resize: the piece's move applied to its block (a mouse edit: the focus stays where it is).
   * @param {EventCalendarEventInfo} info @param {(block: Template['blocks'][number]) => Template['blocks'][number]} changed
   */
  const dragged = (info, changed) => {
    const index = info.event.extendedProps.index
    focus.after(null)
    moved(index, changed(blocks[index]), info.revert)
  }

  /** An arrow key on a focused piece: the drag it stands for (keyedBlock); the focus stays on the piece, drawn again. */
  async function onKeyDown (/** @type {KeyboardEvent} */ e) {
    const id = focus.target(e)
    if (id === null) return
    const { blockId, k } = pieceOf(id)
    const index = blocks.findIndex((b) => b.id === blockId)
    const block = index < 0 ? null : keyedBlock(blocks[index], e)
    if (block === null) return
    e.preventDefault() // the key is the block's, not the grid's scroll
    if (keyMoves.busy(blockId, e) || sameTimes(block, blocks[index])) return // nothing to store, nothing drawn again to follow
    await keyMoves.run(blockId, () => keyMove(index, k, block, template), (stored, keys) => {
      const landed = stored.blocks[index]
      if (landed === undefined) return null
      const next = keys.reduce((b, key) => keyedBlock(b, key) ?? b, landed)
      return sameTimes(next, landed) ? null : () => keyMove(index, k, next, stored)
    })
  }
  /**
   * Stores a key's move made on `base`; the focus stays on the piece, drawn again.
   * @param {number} index @param {number} k the piece that has the focus @param {Template['blocks'][number]} block @param {Template | null} base
   */
  function keyMove (index, k, block, base) {
    focus.after(pieceId(block.id, Math.min(k, blockPieces(block).length - 1))) // an overnight block made a day block has one piece fewer
    return moved(index, block, () => {}, base)
  }

  const options = useMemo(() => ({
    view: 'timeGridWeek',
    date: REFERENCE_WEEK,
    timeZone: 'UTC', // naive times float: the block's own HH:MM, whatever the browser's zone
    firstDay: 1,
    headerToolbar: { start: '', center: '', end: '' },
    allDaySlot: false,
    dayHeaderFormat: { weekday: 'long' },
    slotDuration: '01:00',
    scrollTime: '06:00:00',
    editable: true,
    snapDuration: { minutes: SNAP_MINUTES },
    events: blocks.flatMap((block, index) => blockPieces(block).map((piece, k) => ({
      id: pieceId(block.id, k),
      ...piece,
      title: block.title || block.id,
      classNames: ['block', editing?.index === index ? 'editing' : ''].filter(Boolean),
      extendedProps: { index, end: piece.end, when: blockWhen(block) }
    }))),
    eventContent: pieceContent,
    // A piece is a button (it has eventClick: Enter and Space open the form) named by what it
    // shows (WCAG 2.5.3); the keys are said once, in the hint, as its description.
    eventDidMount: (/** @type {EventCalendarEventInfo} */ info) => {
      focus.mounted(info)
      info.el.setAttribute('aria-label', `${info.event.title}, ${info.event.extendedProps.when}`)
      info.el.setAttribute('aria-describedby', 'week-keys')
    },
    dateClick: (/** @type {EventCalendarDateInfo} */ info) => { const slot = weekSlot(info.dateStr); if (slot) openNew(slot.day, slot.time) },
    eventClick: (/** @type {EventCalendarEventInfo} */ info) => { const index = info.event.extendedProps.index; open(index, formValues(blocks[index])) },
    eventDrop: (/** @type {EventCalendarEventInfo} */ info) => dragged(info, (block) => movedBlock(block, info.delta)),
    eventResize: (/** @type {EventCalendarEventInfo} */ info) => dragged(info, (block) => resizedBlock(block, info.event.extendedProps.end, info.endDelta))
  }), [template, editing])

  if (loadError) return html`<${ApiProblem} error=${loadError} what="Reading the template" />`
  if (template === null) return html`<p class="state loading" role="status">Loading the template…</p>`
  return html`<div class="template-layout">
    <section aria-labelledby="week-title">
      <h3 id="week-title">Week template</h3>
      <p class="meta">Click an empty hour to add a block there, or a block to change it. Drag a block to move it, or its lower edge to change its end (in ${SNAP_MINUTES}-minute steps): a block on one day moves to the day it is dropped on, a block on several days keeps its days and only its times move. <span id="week-keys">With a block focused (Tab to it): Enter opens it, Up and Down arrows move it ${SNAP_MINUTES} minutes, Shift+Up and Shift+Down move its end, Left and Right move a block on one day to the day before or after (a block on several days keeps its days: Left and Right do nothing).</span> Times are ${channel.timezone} wall times.</p>
      ${dragError && html`<div id="drag-error"><${ApiProblem} error=${dragError} what="Moving the block" /></div>`}
      <div class="toolbar"><button type="button" id="add-block" onClick=${() => openNew()}>Add block</button></div>
      ${blocks.length === 0 && html`<${NoBlocks} channel=${channel} playlists=${playlists} />`}
      <div ref=${focus.host} onKeyDown=${onKeyDown}><${Calendar} id="week-grid" label="Week template" options=${options} /></div>
      <table class="list" id="block-list">
        <caption>${blocks.length === 0 ? 'No blocks yet: the week airs the default filler.' : `${blocks.length} block${blocks.length === 1 ? '' : 's'}`}</caption>
        <thead><tr><th scope="col">Block</th><th scope="col">Days</th><th scope="col">Time</th><th scope="col">Content</th><th scope="col">When short</th><th scope="col">Breaks</th><th scope="col">Cooldown</th></tr></thead>
        <tbody>${blocks.map((b, i) => html`<${BlockRow} block=${b} playlists=${playlists} onOpen=${() => open(i, formValues(b))} />`)}</tbody>
      </table>
    </section>
    ${editing && html`<aside class="beside"><section><${BlockForm} key=${editing.key} initial=${editing.initial} isNew=${editing.index === null} playlists=${playlists}
      problems=${problems} error=${error} pending=${pending} onSave=${save} onDelete=${remove} onCancel=${() => close(editing.index ?? -1)} /></section></aside>`}
  </div>`
}
