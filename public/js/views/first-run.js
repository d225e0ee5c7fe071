// @ts-check
// The first-run path (issue 27): an empty install leads its operator from "no channel" to "on
// air" in five steps, each derived from what the API answers (nothing is kept in the browser,
// so a step another operator did is ticked too): a channel exists, a playlist or a media
// library exists, a channel's template has blocks, a channel is built (built_until), something
// airs now. The On-air page shows the checklist until the first build; the Build tab and the
// guide say the next step where they would otherwise show nothing.
import { api } from '../api.js'
import { html, useEffect, useState } from '../preact.js'

/** @typedef {import('../../../contract/on-air.js').NowAll} NowAll */
/** @typedef {import('../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../contract/api.js').TemplateAnswer} TemplateAnswer */

/**
 * What the steps after "a channel" need beyond GET /api/now: whether any media exists, and the
 * channel to lay out (the first whose template has blocks, else the first). Read again when the
 * answer of /api/now changes (a poll answers a new object only when the plan changed); not at
 * all once something airs (`wanted` false): the checklist is not shown then.
 * @param {NowAll} answer @param {boolean} wanted
 * @returns {{ media: boolean, blocks: boolean, channelId: string | null } | null} null while read
 */
function usePath (answer, wanted) {
  const [found, setFound] = useState(/** @type {{ media: boolean, blocks: boolean, channelId: string | null } | null} */ (null))
  useEffect(() => {
    if (!wanted) return
    let stopped = false
    const ids = answer.channels.map((c) => c.channel.id)
    const count = (/** @type {string} */ path, /** @type {string} */ key) => api(path).then((a) => a[key].length, () => 0)
    // Templates read one at a time and only until one has blocks: an install on this path has few channels.
    const withBlocks = async () => {
      for (const id of ids) {
        const blocks = await api(`/api/channels/${id}/template`).then((/** @type {TemplateAnswer} */ a) => a.template.blocks.length, () => 0)
        if (blocks > 0) return id
      }
      return null
    }
    Promise.all([count('/api/playlists', 'playlists'), count('/api/libraries', 'libraries'), withBlocks()]).then(([playlists, libraries, laidOut]) => {
      if (!stopped) setFound({ media: playlists + libraries > 0, blocks: laidOut !== null, channelId: laidOut ?? ids[0] ?? null })
    })
    return () => { stopped = true }
  }, [answer, wanted])
  return found
}

/**
 * The checklist on the On-air page while nothing airs and no channel was ever built: a first
 * run. An install with builds that has nothing on air now (every build ended, or starts later)
 * is not on its first run: one line says why the cards are empty, and the cards say the rest.
 * Nothing once something airs. `#on-air-empty` is the one-line "no channels" state.
 * @param {{ answer: NowAll }} props
 */
export function FirstRun ({ answer }) {
  const onAir = answer.channels.some((c) => c.now !== null)
  const built = answer.channels.some((c) => c.built_until !== null)
  const path = usePath(answer, !onAir && !built)
  if (onAir) return null
  if (built) return html`<div class="state empty" id="off-air-all"><p>Nothing airs now on any channel: no stored build covers this moment. Build from today on a channel's Build tab; each card below says how far its channel is built.</p></div>`
  const hasChannel = answer.channels.length > 0
  // While the templates are read, the links lead to the first channel: never to a page that is not one.
  const channelId = path?.channelId ?? answer.channels[0]?.channel.id
  /** A tab of the channel to lay out, or the channel list while there is none. @param {string} tab */
  const channelTab = (tab) => (channelId === undefined ? '#/channels' : `#/channels/${channelId}?tab=${tab}`)
  // The last two steps are never done here: the checklist goes with the first build.
  /** @type {Array<{ step: string, done: boolean, todo: unknown, detail: string }>} */
  const steps = [
    { step: 'channel', done: hasChannel, todo: html`<a href="#/channels">Create a channel</a>`, detail: 'A number, a name and a time zone are enough.' },
    { step: 'media', done: path?.media ?? false, todo: html`Add media: <a href="#/playlists">import a playlist</a> (an M3U file) or <a href="#/media">add a media library</a> (a folder of video files)`, detail: 'What the channel airs.' },
    { step: 'template', done: path?.blocks ?? false, todo: html`<a href=${channelTab('template')}>Lay out a week</a> on the channel's Template tab`, detail: 'Blocks of days and hours, each airing a playlist or a collection.' },
    { step: 'build', done: false, todo: html`<a href=${channelTab('build')}>Build it</a> on the Build tab`, detail: 'Preview the coming week, then store the build.' },
    { step: 'on-air', done: false, todo: html`See it on air here and in the <a href="#/guide">guide</a>`, detail: 'Once a build covers now.' }
  ]
  const done = steps.filter((s) => s.done).length
  return html`${!hasChannel && html`<div class="state empty" id="on-air-empty"><p>No channels yet. <a href="#/channels">Create a channel</a>, then follow the steps below to put it on air.</p></div>`}
    <section class="first-run" id="first-run" aria-labelledby="first-run-title" aria-busy=${path === null ? 'true' : 'false'}>
      <h3 id="first-run-title">Get a channel on air</h3>
      <p class="meta" id="first-run-count">${done} of ${steps.length} steps done. Schedules and Auto-fill (under Documents) are optional: a channel does not need them.</p>
      <ol class="first-run-steps">${steps.map((s) => html`<li data-step=${s.step} data-done=${String(s.done)}>
        <span class="step-state">${s.done ? 'Done: ' : 'To do: '}</span><span class="step-todo">${s.todo}</span> <span class="meta step-detail">${s.detail}</span></li>`)}</ol>
    </section>`
}

/**
 * The Build tab's next step while the channel has nothing built: lay out the week first when
 * its template is empty, else preview and store.
 * @param {{ channel: Channel }} props
 */
export function BuildNextStep ({ channel }) {
  const [blocks, setBlocks] = useState(/** @type {number | null} */ (null))
  useEffect(() => { api(`/api/channels/${channel.id}/template`).then((/** @type {TemplateAnswer} */ a) => setBlocks(a.template.blocks.length), () => setBlocks(null)) }, [channel.id])
  if (channel.built_until !== null || blocks === null) return null
  return html`<div class="state empty" id="build-next">${blocks === 0
    ? html`<p>This channel's week has no blocks yet: a build would air only its default filler. <a href=${`#/channels/${channel.id}?tab=template`}>Lay out the week</a> first.</p>`
    : html`<p>Nothing is built yet. Preview the coming week below, then store the build: it shows on the <a href="#/">On-air</a> page and in the guide.</p>`}</div>`
}

/**
 * The guide's next step when channels exist but none is built: their rows would be empty.
 * @param {{ channels: Channel[] }} props
 */
export function GuideNextStep ({ channels }) {
  if (channels.length === 0 || channels.some((c) => c.built_until !== null)) return null
  const first = channels[0]
  return html`<div class="state empty" id="guide-next"><p>Nothing is built yet, so the guide has nothing to show. <a href=${`#/channels/${first.id}?tab=build`}>Build ${first.name}</a> on its Build tab (its week laid out on the Template tab first).</p></div>`
}
