// @ts-check
// The side form of one block (SPEC §11), of the template or of an override: every field of
// BlockSchema, each refusal next to the field it names (`blocks.3.source.playlist`, `blocks.3.end`).
import { html, useEffect, useRef, useState } from '../preact.js'
import {
  AT_END_MODES, BEFORE_FIXED_MODES, BLOCK_FILLS, BLOCK_ORDERS, BREAK_EVERY_MAX_MINUTES, BREAK_MAX_SECONDS, BREAK_PLACES, DEFAULT_AT_END, DEFAULT_BEFORE_FIXED,
  DEFAULT_BLOCK_FILL, DEFAULT_BLOCK_ORDER, DEFAULT_BREAK_MIN_GAP_MINUTES, DEFAULT_BREAK_PLACE, WEEKDAYS
} from '../../contract/limits.js'
import { WEEKDAY_NAMES } from '../calendar.js'
import { collectionLabel, useCollections } from '../collections.js'
import { Field, FormError, fieldPath } from './field-errors.js'

/** @typedef {import('../../../contract/api.js').Block} Block */
/** @typedef {import('../../../contract/api.js').ProblemDetail} ProblemDetail */
/** @typedef {import('../../../contract/api.js').PlaylistSummary} PlaylistSummary */
/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('./field-errors.js').Grouped} Grouped */
/**
 * The side form's values: every field as its input holds it.
 * @typedef {{ id: string, title: string, days: Block['days'], start: string, end: string, kind: 'item' | 'playlist' | 'collection',
 *   playlist: string, group: string, collection: string, assume_seconds: string,
 *   item_url: string, item_title: string, item_duration: string, order: NonNullable<Block['order']>, fill: Block['fill'], filler: string,
 *   at_end: NonNullable<Block['at_end']>, before_fixed: NonNullable<Block['before_fixed']>,
 *   cooldown_hours: string, breaks: boolean, breaks_every: string, breaks_max: string, breaks_filler: string,
 *   breaks_at: NonNullable<NonNullable<Block['breaks']>['at']>, breaks_gap: string, bumper_in: string, bumper_out: string }} BlockValues
 */

/** A block's path in the template (after `blocks.N.`) to the form field that shows it. */
const FIELD_OF = Object.fromEntries([
  ...['id', 'title', 'days', 'start', 'end', 'order', 'fill', 'filler', 'cooldown_hours', 'source', 'assume_seconds', 'at_end', 'before_fixed'].map((name) => [name, name]),
  ['source.playlist', 'playlist'], ['source.collection', 'collection'], ['source.group', 'group'], ['source.item', 'item_url'], ['source.item.url', 'item_url'], ['source.item.title', 'item_title'], ['source.item.duration', 'item_duration'],
  ['breaks', 'breaks_every'], ['breaks.every_minutes', 'breaks_every'], ['breaks.max_seconds', 'breaks_max'], ['breaks.filler', 'breaks_filler'],
  ['breaks.at', 'breaks_at'], ['breaks.min_gap_minutes', 'breaks_gap'], ['breaks.bumper_in', 'bumper_in'], ['breaks.bumper_out', 'bumper_out']
])
/** @typedef {typeof BLOCK_ORDERS[number]} Order */
/** @typedef {typeof BLOCK_FILLS[number]} Fill */
/** @typedef {typeof AT_END_MODES[number]} AtEnd */
/** @typedef {typeof BEFORE_FIXED_MODES[number]} BeforeFixed */
/** @typedef {typeof BREAK_PLACES[number]} BreakPlace */
/**
 * The values of BlockSchema's enums come from the contract, in its order (the API's default
 * first); what each does in words is the panel's: [the form's option, the template table's
 * short words]. Keyed by the contract's values, so one the contract gains without words here
 * fails `tsc -p public`.
 * @type {Record<Order, [string, string]>}
 */
const ORDER_WORDS = { shuffle: ['Shuffle (seeded, least recent first)', 'shuffle'], sequential: ['Sequential (episode after episode)', 'sequential'], random: ['Random (weighted)', 'random'] }
/** @type {Record<Fill, [string, string]>} */
const FILL_WORDS = { pad: ['Pad with filler', 'Pad'], gap: ['Leave a gap (reported)', 'Gap'], cut: ['Cut the last item at the end', 'Cut the last item'] }
/** @type {Record<AtEnd, [string, string]>} */
const AT_END_WORDS = { loop: ['Start again from the first (warned)', 'loops'], stop: ['Stop: the rest takes the "runs short" rule', 'stops at the end'], repeat_last: ['Repeat the last item', 'repeats the last'] }
/** @type {Record<BeforeFixed, [string, string]>} */
const BEFORE_FIXED_WORDS = { pad: ['Pad with filler', 'padded'], best_fit: ['Best fit: items of the source that fit', 'best fit'] }
/** @type {Record<BreakPlace, [string, string]>} */
const BREAK_PLACE_WORDS = { within: ['Inside programmes, from each one\'s start', 'inside programmes'], between: ['Only between programmes', 'between programmes'], chapters: ['At the items\' chapters (else between)', 'at chapters'] }
/**
 * The contract's values as the options of a select, each in its words.
 * @template {string} T @param {readonly T[]} values @param {Record<T, [string, string]>} words
 */
const optionsOf = (values, words) => values.map((value) => html`<option value=${value}>${words[value][0]}</option>`)

/** @param {string} rest */
export function blockFieldOf (rest) {
  if (rest === '') return null // the block as a whole (an overlap): said at the top of the form
  return FIELD_OF[rest] ?? FIELD_OF[rest.replace(/\.\d+$/, '')] ?? null
}

/**
 * The form's values from a stored block (or a new one's defaults).
 * @param {Partial<Block>} block
 * @returns {BlockValues}
 */
export function formValues (block) {
  /** @type {{ playlist?: string, group?: string, collection?: string, item?: { url: string, title: string, duration: number } }} */
  const source = block.source ?? {}
  return {
    id: block.id ?? '',
    title: block.title ?? '',
    days: block.days ?? [],
    start: block.start ?? '',
    end: block.end ?? '',
    kind: source.item ? 'item' : source.collection !== undefined ? 'collection' : 'playlist',
    playlist: source.playlist ?? '',
    group: source.group ?? '',
    collection: source.collection ?? '',
    assume_seconds: block.assume_seconds === undefined || block.assume_seconds === null ? '' : String(block.assume_seconds),
    item_url: source.item?.url ?? '',
    item_title: source.item?.title ?? '',
    item_duration: source.item?.duration === undefined ? '' : String(source.item.duration),
    order: block.order ?? DEFAULT_BLOCK_ORDER,
    fill: block.fill ?? DEFAULT_BLOCK_FILL,
    filler: block.filler ?? '',
    at_end: block.at_end ?? DEFAULT_AT_END,
    before_fixed: block.before_fixed ?? DEFAULT_BEFORE_FIXED,
    cooldown_hours: block.cooldown_hours === undefined ? '' : String(block.cooldown_hours),
    breaks: Boolean(block.breaks),
    breaks_every: String(block.breaks?.every_minutes ?? 15),
    breaks_max: String(block.breaks?.max_seconds ?? 120),
    breaks_filler: block.breaks?.filler ?? '',
    breaks_at: block.breaks?.at ?? DEFAULT_BREAK_PLACE,
    breaks_gap: block.breaks?.min_gap_minutes === undefined ? '' : String(block.breaks.min_gap_minutes),
    bumper_in: block.breaks?.bumper_in ?? '',
    bumper_out: block.breaks?.bumper_out ?? ''
  }
}

/** A fresh block id: block-1, block-2, … the first one not taken. @param {{ id: string }[]} blocks */
export function newBlockId (blocks) {
  for (let n = blocks.length + 1; ; n++) if (!blocks.some((b) => b.id === `block-${n}`)) return `block-${n}`
}

/**
 * A block's days as the block lists and the week grid say them: Monday first, three or more days
 * in a row as a range ("Mon–Fri Sun").
 * @param {Pick<Block, 'days'>} block
 */
export function blockDays (block) {
  const on = WEEKDAYS.map((d) => block.days.includes(d))
  const name = (/** @type {number} */ i) => WEEKDAY_NAMES[WEEKDAYS[i]].slice(0, 3)
  const said = []
  for (let i = 0; i < WEEKDAYS.length; i++) {
    if (!on[i]) continue
    const first = i
    while (on[i + 1]) i++
    if (i - first >= 2) said.push(`${name(first)}–${name(i)}`)
    else for (let d = first; d <= i; d++) said.push(name(d))
  }
  return said.join(' ')
}

/** A block's content as the block lists show it. @param {Block} block @param {PlaylistSummary[]} playlists */
export function blockContent (block, playlists) {
  const { source } = block
  if ('item' in source) return source.item.title
  // A sequential block's end rule, said when it is not the default (loop).
  const atEnd = block.order === 'sequential' && block.at_end && block.at_end !== DEFAULT_AT_END ? `, ${AT_END_WORDS[block.at_end][1]}` : ''
  const order = ORDER_WORDS[block.order ?? DEFAULT_BLOCK_ORDER][1]
  if ('collection' in source) return `${collectionLabel(source.collection)} · ${order}${atEnd}`
  const playlist = playlists.find((pl) => pl.id === source.playlist)?.name ?? source.playlist
  return `${playlist}${source.group ? ` · ${source.group}` : ''} · ${order}${atEnd}`
}

/** A filler's name: its playlist's, or its collection's label. @param {string} id @param {PlaylistSummary[]} playlists */
export const fillerName = (id, playlists) => (id.includes(':') ? collectionLabel(id) : playlists.find((pl) => pl.id === id)?.name ?? id)

/**
 * What a block does besides its content, in short words for the template table: when its
 * content runs short (and before a fixed event, when not the default), its breaks, its cooldown.
 * @param {Block} block @param {PlaylistSummary[]} playlists
 */
export function blockRules (block, playlists) {
  const fill = block.fill ?? DEFAULT_BLOCK_FILL
  const short = `${FILL_WORDS[fill][1]}${fill === 'pad' ? `: ${block.filler ? fillerName(block.filler, playlists) : 'the channel\'s default filler'}` : ''}`
  const beforeFixed = block.before_fixed && block.before_fixed !== DEFAULT_BEFORE_FIXED ? `before a fixed event: ${BEFORE_FIXED_WORDS[block.before_fixed][1]}` : ''
  const b = block.breaks
  const breaks = b
    ? [`every ${b.every_minutes} min, up to ${b.max_seconds} s of ${fillerName(b.filler, playlists)}`,
        b.at && b.at !== DEFAULT_BREAK_PLACE ? BREAK_PLACE_WORDS[b.at][1] : '',
        b.min_gap_minutes !== undefined ? `not within ${b.min_gap_minutes} min of a start or end` : '',
        b.bumper_in ? `bumper before: ${fillerName(b.bumper_in, playlists)}` : '',
        b.bumper_out ? `bumper after: ${fillerName(b.bumper_out, playlists)}` : ''].filter(Boolean).join('; ')
    : 'none'
  const cooldown = block.cooldown_hours === undefined || block.cooldown_hours === null ? 'the template\'s' : `${block.cooldown_hours} h`
  return { short, beforeFixed, breaks, cooldown }
}

/**
 * A refusal's problems (a PUT of the template, a POST of an override) sorted for the forms:
 * `blocks[N]` by the block form's fields ('' for the block as a whole), `said[N]` the same as
 * `blocks.N.end: …` lines for where that block's form is not open, and the other paths by
 * `otherField(path)` (a field of the enclosing form, or '' for the top of it) in `rest`.
 * @param {ProblemDetail[]} problems
 * @param {(path: string) => string} [otherField]
 */
export function problemsByBlock (problems, otherField = () => '') {
  /** @type {Record<number, Grouped>} */
  const blocks = {}
  /** @type {Record<number, string[]>} */
  const said = {}
  /** @type {Grouped} */
  const rest = {}
  for (const problem of problems) {
    const path = fieldPath(problem.field)
    const match = /^blocks\.(\d+)(?:\.(.*))?$/.exec(path)
    if (match !== null) {
      const index = Number(match[1])
      const name = blockFieldOf(match[2] ?? '') ?? ''
      ;((blocks[index] ??= {})[name] ??= []).push(name === '' && match[2] ? `${match[2]}: ${problem.message}` : problem.message)
      ;(said[index] ??= []).push(`${path}: ${problem.message}`)
      continue
    }
    const name = otherField(path)
    ;(rest[name] ??= []).push(name === '' && path ? `${path}: ${problem.message}` : problem.message)
  }
  return { blocks, said, rest }
}

/** The fields that name a filler: a playlist id, or a media collection's (SPEC §16). */
const FILLERS = /** @type {const} */ (['filler', 'breaks_filler', 'bumper_in', 'bumper_out'])

/**
 * The collections as options, a group per library; `chosen` kept as an option when it is not among them (a library removed).
 * @param {ReturnType<typeof useCollections>} collections @param {string} chosen
 */
export function collectionOptions (collections, chosen) {
  const known = (collections ?? []).some((l) => l.collections.some((c) => c.id === chosen))
  return html`${(collections ?? []).map(({ library, collections: list }) => html`<optgroup label=${`Media: ${library.name}`}>
      ${list.map((c) => html`<option value=${c.id}>${collectionLabel(c.id, c.name)} (${c.items} items)</option>`)}</optgroup>`)}
    ${chosen.includes(':') && !known && html`<option value=${chosen}>${collectionLabel(chosen)}${collections === null ? '' : ' (not found)'}</option>`}`
}

/** @param {string} text */
const number = (text) => (text.trim() === '' ? undefined : Number(text))

/**
 * The values as a block of the template: what the API checks (nothing is refused here, so
 * an empty number goes as undefined and the API names the field).
 * @param {BlockValues} v
 * @returns {Block}
 */
export function blockOf (v) {
  return /** @type {Block} */ ({
    id: v.id.trim(),
    days: v.days,
    start: v.start,
    end: v.end,
    ...(v.title.trim() && { title: v.title.trim() }),
    source: sourceOf(v),
    ...(v.kind !== 'item' && { order: v.order }), // one fixed item has no order to keep
    ...(v.kind !== 'item' && number(v.assume_seconds) !== undefined && { assume_seconds: number(v.assume_seconds) }),
    // The two rules below are sent only where they apply and when not the API's default: a block saved unchanged stays as stored.
    ...(v.kind !== 'item' && v.order === 'sequential' && v.at_end !== DEFAULT_AT_END && { at_end: v.at_end }),
    fill: v.fill,
    ...(v.kind !== 'item' && v.before_fixed !== DEFAULT_BEFORE_FIXED && { before_fixed: v.before_fixed }),
    ...(v.filler && { filler: v.filler }),
    ...(number(v.cooldown_hours) !== undefined && { cooldown_hours: number(v.cooldown_hours) }),
    ...(v.breaks && { breaks: breaksOf(v) })
  })
}

/** @param {BlockValues} v @returns {Block['source']} */
function sourceOf (v) {
  if (v.kind === 'item') return { item: { url: v.item_url.trim(), title: v.item_title.trim(), duration: /** @type {number} */ (number(v.item_duration)) } }
  if (v.kind === 'collection') return { collection: v.collection }
  return { playlist: v.playlist, ...(v.group.trim() && { group: v.group.trim() }) }
}

/** The block's breaks (SPEC §15): an empty gap or bumper is left out (the defaults). @param {BlockValues} v */
const breaksOf = (v) => ({
  every_minutes: number(v.breaks_every),
  max_seconds: number(v.breaks_max),
  filler: v.breaks_filler,
  at: v.breaks_at,
  ...(number(v.breaks_gap) !== undefined && { min_gap_minutes: number(v.breaks_gap) }),
  ...(v.bumper_in && { bumper_in: v.bumper_in }),
  ...(v.bumper_out && { bumper_out: v.bumper_out })
})

/**
 * `initial`: the block's form values; `problems`: by form field ('' for the block as a whole);
 * `onSave(block)` keeps it (the template stores it at once, an override with itself),
 * `onDelete` (an existing block) drops it. `prefix` names the form's element ids.
 * @param {{ initial: BlockValues, isNew: boolean, playlists: PlaylistSummary[], problems: Grouped, error: ApiError | null, pending: boolean,
 *   onSave: (block: Block) => void, onDelete?: () => void, onCancel: () => void, prefix?: string }} props
 */
export function BlockForm ({ initial, isNew, playlists, problems, error, pending, onSave, onDelete, onCancel, prefix = 'block' }) {
  const [v, setV] = useState(initial)
  // Fillers may be collections too (an id with ':'): they are read once a picker could offer them.
  const [wantCollections, setWantCollections] = useState(FILLERS.some((name) => String(initial[name]).includes(':')))
  const collections = useCollections(wantCollections || v.kind === 'collection')
  const form = useRef(/** @type {HTMLFormElement | null} */ (null))
  // A refusal shows where it is: the form scrolls within its column, and its top may be out of sight.
  useEffect(() => {
    const first = form.current?.querySelector(`#${prefix}-error:not(:empty), [aria-invalid="true"]`)
    first?.scrollIntoView({ block: 'nearest' })
    if (first instanceof HTMLElement && first.matches('input, select')) first.focus()
  }, [problems, error])
  /** @param {keyof BlockValues} name */
  const set = (name) => (/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => setV({ ...v, [name]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value })
  const toggleDay = (/** @type {Block['days'][number]} */ day) => setV({
    ...v,
    days: v.days.includes(day) ? v.days.filter((d) => d !== day) : WEEKDAYS.filter((d) => d === day || v.days.includes(d))
  })
  const p = prefix
  const attrs = (/** @type {string} */ name) => ({ id: `${p}-${name}`, name, 'aria-describedby': `${p}-${name}-error`, 'aria-invalid': problems[name] ? 'true' : undefined })
  const input = (/** @type {keyof BlockValues} */ name, props = {}) => html`<input ...${attrs(name)} value=${v[name]} onInput=${set(name)} ...${props} />`
  // A filler: a playlist, or a media collection (offered once the picker is focused: no read for a form that never needs them).
  const fillerSelect = (/** @type {typeof FILLERS[number]} */ name, /** @type {string} */ none) => html`<select ...${attrs(name)} value=${v[name]} onChange=${set(name)}
    onFocus=${() => setWantCollections(true)}>
    <option value="">${none}</option>
    <optgroup label="Playlists">${playlists.map((pl) => html`<option value=${pl.id}>${pl.name} (${pl.item_count} items)</option>`)}</optgroup>
    ${collectionOptions(collections, v[name])}</select>`
  /** @param {string} name @param {string} label @param {unknown} control @param {string} [hint] */
  const field = (name, label, control, hint) => html`<${Field} prefix=${p} name=${name} label=${label} hint=${hint} problems=${problems[name]}>${control}<//>`

  return html`<form id=${`${p}-form`} class="side-form" ref=${form} novalidate aria-labelledby=${`${p}-form-title`} onSubmit=${(/** @type {SubmitEvent} */ e) => { e.preventDefault(); onSave(blockOf(v)) }}>
    <h3 id=${`${p}-form-title`}>${isNew ? 'New block' : `Block ${initial.id}`}</h3>
    <${FormError} id=${`${p}-error`} error=${error} problems=${problems['']} />
    ${field('id', 'Id', input('id', { required: true }), 'Unique in the template; a sequential order follows it across builds')}
    ${field('title', 'Guide title', input('title'), 'Optional: one guide entry for the whole block')}
    <fieldset class="field days" data-field="days" aria-describedby=${`${p}-days-error`}>
      <legend>Days</legend>
      ${WEEKDAYS.map((day) => html`<label><input type="checkbox" name="days" value=${day} checked=${v.days.includes(day)} onChange=${() => toggleDay(day)} /> ${WEEKDAY_NAMES[day].slice(0, 3)}</label>`)}
      <p class="field-error" id=${`${p}-days-error`} role="alert">${(problems.days ?? []).join(' ')}</p>
    </fieldset>
    <div class="form-pair">
      ${field('start', 'Start', input('start', { type: 'time', required: true }))}
      ${field('end', 'End', input('end', { type: 'time', required: true }), 'At or before the start: runs past midnight')}
    </div>
    <fieldset class="field" data-field="source">
      <legend>Content</legend>
      <label><input type="radio" name="kind" value="playlist" checked=${v.kind === 'playlist'} onChange=${set('kind')} /> From a playlist</label>
      <label><input type="radio" name="kind" value="collection" checked=${v.kind === 'collection'} onChange=${set('kind')} /> From a media collection</label>
      <label><input type="radio" name="kind" value="item" checked=${v.kind === 'item'} onChange=${set('kind')} /> One fixed item</label>
      <p class="field-error" id=${`${p}-source-error`} role="alert">${(problems.source ?? []).join(' ')}</p>
    </fieldset>
    ${v.kind === 'collection' && field('collection', 'Collection', html`<select ...${attrs('collection')} value=${v.collection} onChange=${set('collection')}>
      <option value="">${collections === null ? 'Loading the collections…' : collections.length === 0 ? '— no collections: scan a media library —' : '— choose —'}</option>
      ${collectionOptions(collections, v.collection)}
    </select>`, 'Read at each build: files added to the library since air too')}
    ${v.kind !== 'item' && html`
      ${v.kind === 'playlist' && field('playlist', 'Playlist', html`<select ...${attrs('playlist')} value=${v.playlist} onChange=${set('playlist')}>
        <option value="">— choose —</option>${playlists.map((pl) => html`<option value=${pl.id}>${pl.name} (${pl.item_count} items)</option>`)}</select>`)}
      ${v.kind === 'playlist' && field('group', 'Group', input('group'), 'Only the items of this group-title (optional)')}
      ${field('order', 'Order', html`<select ...${attrs('order')} value=${v.order} onChange=${set('order')}>${optionsOf(BLOCK_ORDERS, ORDER_WORDS)}</select>`)}
      ${v.order === 'sequential' && field('at_end', 'After the last item', html`<select ...${attrs('at_end')} value=${v.at_end} onChange=${set('at_end')}>${optionsOf(AT_END_MODES, AT_END_WORDS)}</select>`,
        'When a sequential series has aired to its end')}
      ${field('assume_seconds', 'Unknown lengths air as (seconds)', input('assume_seconds', { type: 'number', min: 1, step: 'any', placeholder: 'skip them' }), 'An item with no known duration is skipped (UNKNOWN_DURATION) unless this is set')}`}
    ${v.kind === 'item' && html`
      ${field('item_url', 'Video address', input('item_url', { inputmode: 'url', spellcheck: false, placeholder: '/srv/media/show.mp4 or https://…' }))}
      ${field('item_title', 'Title', input('item_title'))}
      ${field('item_duration', 'Seconds', input('item_duration', { type: 'number', min: 1 }))}`}
    ${field('fill', 'When the content runs short', html`<select ...${attrs('fill')} value=${v.fill} onChange=${set('fill')}>
      ${optionsOf(BLOCK_FILLS, FILL_WORDS)}</select>`)}
    ${v.fill === 'pad' && field('filler', 'Filler', fillerSelect('filler', '— the channel\'s default filler —'))}
    ${v.kind !== 'item' && field('before_fixed', 'Before a fixed event', html`<select ...${attrs('before_fixed')} value=${v.before_fixed} onChange=${set('before_fixed')}>${optionsOf(BEFORE_FIXED_MODES, BEFORE_FIXED_WORDS)}</select>`,
      'The time left before a fixed or live event that cuts into the block')}
    ${field('cooldown_hours', 'Cooldown (hours)', input('cooldown_hours', { type: 'number', min: 0, step: 'any', placeholder: 'the template\'s' }))}
    <label class="check"><input type="checkbox" id=${`${p}-breaks`} name="breaks" checked=${v.breaks} onChange=${set('breaks')} /> Breaks</label>
    ${v.breaks && html`<div class="form-pair">
      ${field('breaks_every', 'Every (minutes of content)', input('breaks_every', { type: 'number', min: 1, max: BREAK_EVERY_MAX_MINUTES }))}
      ${field('breaks_max', 'Up to (seconds)', input('breaks_max', { type: 'number', min: 1, max: BREAK_MAX_SECONDS }))}
    </div>${field('breaks_filler', 'Break filler', fillerSelect('breaks_filler', '— choose —'))}
    <div class="form-pair">
      ${field('breaks_at', 'Where', html`<select ...${attrs('breaks_at')} value=${v.breaks_at} onChange=${set('breaks_at')}>
        ${optionsOf(BREAK_PLACES, BREAK_PLACE_WORDS)}</select>`)}
      ${field('breaks_gap', 'Not within (minutes)', input('breaks_gap', { type: 'number', min: 0, max: BREAK_EVERY_MAX_MINUTES, placeholder: String(DEFAULT_BREAK_MIN_GAP_MINUTES) }), 'of a programme\'s start or end')}
    </div>
    <div class="form-pair">
      ${field('bumper_in', 'Bumper before', fillerSelect('bumper_in', '— none —'))}
      ${field('bumper_out', 'Bumper after', fillerSelect('bumper_out', '— none —'))}
    </div>`}
    <div class="toolbar">
      <button type="submit" class="primary" disabled=${pending}>${isNew ? 'Add block' : 'Save block'}</button>
      ${!isNew && html`<button type="button" class="danger" disabled=${pending} onClick=${onDelete}>Delete block</button>`}
      <button type="button" onClick=${onCancel}>Close</button>
    </div>
  </form>`
}
