// A seeded generator, so the same seed gives the same schedule (SPEC §5).
// cyrb128 spreads any seed text over 128 bits; sfc32 is a small, fast generator
// that passes PractRand, far more than a shuffle of a playlist asks of it.

function cyrb128 (text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0]
}

/** Uniform floats in [0, 1) from a seed. */
export function seededRandom (seed: string): () => number {
  let [a, b, c, d] = cyrb128(seed)
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 15; i++) next() // let the state mix before the first draw
  return next
}

/** Fisher–Yates, in place: every permutation equally likely for a uniform `random`. */
export function shuffleInPlace<T> (items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const held = items[i]
    items[i] = items[j]
    items[j] = held
  }
  return items
}

/** A seeded permutation of `items` (a copy): the first order of a shuffle, the auto-fill's and the fillers'. */
export const seededShuffle = <T>(items: readonly T[], seed: string): T[] => shuffleInPlace([...items], seededRandom(seed))
