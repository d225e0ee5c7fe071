// @ts-check
// The feed token this browser's links use (SPEC §17). A token is shown once, when an admin makes
// it on the Feeds page; the panel keeps it here (as it keeps the API key) so the guide and
// channel-list links it draws open in a browser or an IPTV app without the API key.

const FEED_STORAGE = 'scheduleflow.feedToken'

/** @typedef {{ id: string, name: string, token: string }} SavedFeedToken */

/** @returns {SavedFeedToken | null} */
export function savedFeedToken () {
  try {
    const saved = JSON.parse(localStorage.getItem(FEED_STORAGE) ?? 'null')
    return saved && typeof saved.token === 'string' && typeof saved.id === 'string' ? saved : null
  } catch {
    return null
  }
}

/** @param {SavedFeedToken | null} token */
export const saveFeedToken = (token) => (token ? localStorage.setItem(FEED_STORAGE, JSON.stringify(token)) : localStorage.removeItem(FEED_STORAGE))

/** A feed's path under the saved token (`guide.xml`, `channels.m3u`, `hdhr/discover.json`…), or null without one. @param {string} feed */
export function feedPath (feed) {
  const saved = savedFeedToken()
  return saved ? `/feeds/${encodeURIComponent(saved.token)}/${feed}` : null
}
