/** Half-open block ranges `[start, end)`, sorted and merged. */
export type Extent = readonly [start: number, end: number]

/** Sorts and merges ranges, dropping empty ones. */
export function mergeExtents(extents: Iterable<Extent>): Extent[] {
  const sorted = [...extents].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0])
  const out: [number, number][] = []
  for (const [s, e] of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}

/** The ranges covered by groups `groups` of `width` blocks, clipped to `limit`. */
export function groupExtents(groups: Iterable<number>, width: number, limit: number): Extent[] {
  return mergeExtents([...groups].map((g): Extent => [g * width, Math.min((g + 1) * width, limit)]))
}

/** The number of blocks the ranges cover. */
export function extentBlocks(extents: readonly Extent[]): number {
  return extents.reduce((n, [s, e]) => n + e - s, 0)
}

/**
 * A copy plan walked in pieces: `next(max)` gives the next piece of at most `max`
 * blocks (in block order) and advances, `position` is the block the copy has reached.
 */
export class ExtentCursor {
  private index = 0
  private at: number
  constructor(readonly extents: readonly Extent[]) {
    this.at = extents[0]?.[0] ?? 0
  }

  /** Whether every piece has been taken. */
  get done(): boolean {
    return this.index >= this.extents.length
  }

  /** The next block to copy (the end of the last range when done). */
  get position(): number {
    return this.done ? (this.extents[this.extents.length - 1]?.[1] ?? 0) : this.at
  }

  next(max: number): Extent | null {
    const extent = this.extents[this.index]
    if (extent === undefined) return null
    const start = this.at
    const end = Math.min(extent[1], start + max)
    if (end >= extent[1]) {
      this.index++
      this.at = this.extents[this.index]?.[0] ?? end
    } else this.at = end
    return [start, end]
  }
}
