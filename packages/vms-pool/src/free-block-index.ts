/** Most free blocks one run holds; a full run splits in two when a block joins it. */
const RUN = 32
/** Two neighbouring runs that hold no more than this together are merged into one. */
const MERGE = RUN / 2

/**
 * An index of the free blocks of one variable-length list, in granules (16 bytes).
 *
 * The free blocks, in address order, are cut into short sorted runs of at most 32
 * (start, size) pairs kept in typed arrays; each run records its first start and a
 * bound on its largest size. It answers the questions EXE$ALLOCATE and EXE$DEALLOCATE
 * ask of the address-ordered free list (book 3.1.2) without walking it:
 *
 * - first fit: skip every run whose bound is too small, then scan one run (a scan that
 *   finds the bound stale tightens it and goes on);
 * - where an address falls among the free blocks (for merging and for relinking the
 *   list that lives in pool memory): a binary search over the runs' first starts, then
 *   one within a run.
 *
 * Its cost follows the number of free blocks, not the size of the region, so a short
 * free list costs little more than walking it would, and a long one far less.
 *
 * A cursor stands on one free block (or past the last): `firstFit` and `locate` place
 * it, `here`/`size`/`before`/`beforeSize` read around it, and `remove`, `insert`,
 * `replace` and `back` change the blocks at it, so that one search serves a whole
 * allocation or deallocation.
 */
export class FreeBlockIndex {
  /** Run storage: slot s holds its pairs at [s * RUN, s * RUN + length). */
  private starts = new Int32Array(4 * RUN)
  private sizes = new Int32Array(4 * RUN)
  /**
   * Per run, in address order: its storage slot, length, first start, and a bound on
   * its largest size (never below it; `firstFit` tightens a bound it finds stale).
   */
  private slots = new Int32Array(4)
  private lengths = new Int32Array(4)
  private firsts = new Int32Array(4)
  private maxima = new Int32Array(4)
  private runs = 0
  /** Storage slots in use or on `spare`; grows by doubling. */
  private slotsMade = 0
  private readonly spare: number[] = []
  /**
   * The cursor: index `pos` of run `run`. It is past the last block only as
   * (last run, its length), or (0, 0) when there are no runs.
   */
  private run = 0
  private pos = 0

  /** Size in granules of the largest free block. */
  largest(): number {
    let max = 0
    for (let r = 0; r < this.runs; r++) {
      this.recomputeMaximum(r)
      max = Math.max(max, this.maxima[r] as number)
    }
    return max
  }

  /** Size in granules of the free block starting at `granule`, or 0. */
  sizeAt(granule: number): number {
    return this.locate(granule) === granule ? this.size() : 0
  }

  /** The start of the nearest free block below `granule` (strictly), or -1. */
  previous(granule: number): number {
    this.locate(granule)
    return this.before()
  }

  /**
   * Places the cursor on the lowest-addressed free block of at least `size` granules
   * and returns its start, or returns -1 (cursor unchanged) when none is large enough.
   */
  firstFit(size: number): number {
    const maxima = this.maxima
    for (let r = 0; r < this.runs; r++) {
      if ((maxima[r] as number) < size) continue
      const sizes = this.sizes
      const base = (this.slots[r] as number) * RUN
      const end = base + (this.lengths[r] as number)
      let i = base
      while (i < end && (sizes[i] as number) < size) i++
      if (i === end) {
        // The run's bound was stale (its largest block shrank or left): tighten it.
        this.recomputeMaximum(r)
        continue
      }
      this.run = r
      this.pos = i - base
      return this.starts[i] as number
    }
    return -1
  }

  /**
   * Places the cursor on the first free block starting at or above `granule` and
   * returns its start, or -1 (cursor past the last block) when none does.
   */
  locate(granule: number): number {
    const runs = this.runs
    if (runs === 0) {
      this.run = 0
      this.pos = 0
      return -1
    }
    // The last run whose first block starts at or below `granule` (run 0 when none does).
    const firsts = this.firsts
    let lo = 0
    let hi = runs - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((firsts[mid] as number) <= granule) lo = mid
      else hi = mid - 1
    }
    const run = lo
    const starts = this.starts
    const base = (this.slots[run] as number) * RUN
    lo = 0
    hi = this.lengths[run] as number
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((starts[base + mid] as number) < granule) lo = mid + 1
      else hi = mid
    }
    this.run = run
    this.pos = lo
    this.settle()
    return this.here()
  }

  /** Start of the block at the cursor, or -1 past the last. */
  here(): number {
    const run = this.run
    if (run >= this.runs || this.pos >= (this.lengths[run] as number)) return -1
    return this.starts[(this.slots[run] as number) * RUN + this.pos] as number
  }

  /** Size in granules of the block at the cursor, or 0 past the last. */
  size(): number {
    const run = this.run
    if (run >= this.runs || this.pos >= (this.lengths[run] as number)) return 0
    return this.sizes[(this.slots[run] as number) * RUN + this.pos] as number
  }

  /** Start of the block before the cursor, or -1 when the cursor is on the first. */
  before(): number {
    const at = this.beforeAt()
    return at < 0 ? -1 : (this.starts[at] as number)
  }

  /** Size in granules of the block before the cursor, or 0 when there is none. */
  beforeSize(): number {
    const at = this.beforeAt()
    return at < 0 ? 0 : (this.sizes[at] as number)
  }

  /** Moves the cursor to the block before it (which must exist). */
  back(): void {
    if (this.pos > 0) this.pos--
    else if (this.run > 0) {
      this.run--
      this.pos = (this.lengths[this.run] as number) - 1
    }
  }

  /**
   * Makes the block at the cursor start at `granule` with `size` granules. The order
   * of blocks must not change: `granule` lies between the starts of its neighbours.
   */
  replace(granule: number, size: number): void {
    const r = this.run
    const at = (this.slots[r] as number) * RUN + this.pos
    this.starts[at] = granule
    this.sizes[at] = size
    if (this.pos === 0) this.firsts[r] = granule
    if (size > (this.maxima[r] as number)) this.maxima[r] = size
  }

  /**
   * Inserts a block just before the cursor (it must fall between the block before the
   * cursor and the block at it) and places the cursor on it.
   */
  insert(granule: number, size: number): void {
    if (this.runs === 0) {
      this.addRun(0)
      this.run = 0
      this.pos = 0
    }
    let r = this.run
    let pos = this.pos
    if (this.lengths[r] === RUN) {
      this.split(r)
      if (pos > RUN / 2) {
        r++
        pos -= RUN / 2
      }
    }
    const base = (this.slots[r] as number) * RUN
    const length = this.lengths[r] as number
    const starts = this.starts
    const sizes = this.sizes
    for (let i = base + length; i > base + pos; i--) {
      starts[i] = starts[i - 1] as number
      sizes[i] = sizes[i - 1] as number
    }
    starts[base + pos] = granule
    sizes[base + pos] = size
    this.lengths[r] = length + 1
    if (pos === 0) this.firsts[r] = granule
    if (size > (this.maxima[r] as number)) this.maxima[r] = size
    this.run = r
    this.pos = pos
  }

  /** Removes the block at the cursor; the cursor moves to the block after it. */
  remove(): void {
    const r = this.run
    const pos = this.pos
    const base = (this.slots[r] as number) * RUN
    const length = (this.lengths[r] as number) - 1
    const starts = this.starts
    const sizes = this.sizes
    for (let i = base + pos; i < base + length; i++) {
      starts[i] = starts[i + 1] as number
      sizes[i] = sizes[i + 1] as number
    }
    this.lengths[r] = length
    if (length === 0) {
      this.dropRun(r)
      if (r < this.runs) this.pos = 0
      else if (r > 0) {
        this.run = r - 1
        this.pos = this.lengths[r - 1] as number
      } else this.pos = 0
      return
    }
    if (pos === 0) this.firsts[r] = starts[base] as number
    if (r + 1 < this.runs && length + (this.lengths[r + 1] as number) <= MERGE) this.join(r)
    else if (r > 0 && length + (this.lengths[r - 1] as number) <= MERGE) this.join(r - 1)
    this.settle()
  }

  /** Keeps the cursor off the end of a run that is not the last. */
  private settle(): void {
    if (this.pos === this.lengths[this.run] && this.run + 1 < this.runs) {
      this.run++
      this.pos = 0
    }
  }

  /** Index into `starts`/`sizes` of the block before the cursor, or -1. */
  private beforeAt(): number {
    if (this.pos > 0) return (this.slots[this.run] as number) * RUN + this.pos - 1
    const r = this.run - 1
    if (r < 0) return -1
    return (this.slots[r] as number) * RUN + (this.lengths[r] as number) - 1
  }

  private recomputeMaximum(r: number): void {
    const base = (this.slots[r] as number) * RUN
    const end = base + (this.lengths[r] as number)
    let max = 0
    for (let i = base; i < end; i++) max = Math.max(max, this.sizes[i] as number)
    this.maxima[r] = max
  }

  /** Splits full run `r`: its upper half becomes run r + 1. */
  private split(r: number): void {
    this.addRun(r + 1)
    const from = (this.slots[r] as number) * RUN + RUN / 2
    const to = (this.slots[r + 1] as number) * RUN
    this.starts.copyWithin(to, from, from + RUN / 2)
    this.sizes.copyWithin(to, from, from + RUN / 2)
    this.lengths[r] = RUN / 2
    this.lengths[r + 1] = RUN / 2
    this.firsts[r + 1] = this.starts[to] as number
    this.recomputeMaximum(r)
    this.recomputeMaximum(r + 1)
  }

  /** Appends run r + 1 to run r and drops it, keeping the cursor on its block. */
  private join(r: number): void {
    const length = this.lengths[r] as number
    const to = (this.slots[r] as number) * RUN + length
    const from = (this.slots[r + 1] as number) * RUN
    const moved = this.lengths[r + 1] as number
    this.starts.copyWithin(to, from, from + moved)
    this.sizes.copyWithin(to, from, from + moved)
    this.lengths[r] = length + moved
    this.maxima[r] = Math.max(this.maxima[r] as number, this.maxima[r + 1] as number)
    this.dropRun(r + 1)
    if (this.run === r + 1) {
      this.run = r
      this.pos += length
    } else if (this.run > r + 1) this.run--
  }

  /** Opens an empty run at order position `r`, taking a storage slot. */
  private addRun(r: number): void {
    let slot = this.spare.pop()
    if (slot === undefined) {
      if (this.slotsMade === this.slots.length) this.grow()
      slot = this.slotsMade++
    }
    const count = this.runs
    this.slots.copyWithin(r + 1, r, count)
    this.lengths.copyWithin(r + 1, r, count)
    this.firsts.copyWithin(r + 1, r, count)
    this.maxima.copyWithin(r + 1, r, count)
    this.slots[r] = slot
    this.lengths[r] = 0
    this.maxima[r] = 0
    this.runs = count + 1
  }

  /** Closes run `r`, returning its storage slot (the caller fixes the cursor). */
  private dropRun(r: number): void {
    this.spare.push(this.slots[r] as number)
    const count = this.runs
    this.slots.copyWithin(r, r + 1, count)
    this.lengths.copyWithin(r, r + 1, count)
    this.firsts.copyWithin(r, r + 1, count)
    this.maxima.copyWithin(r, r + 1, count)
    this.runs = count - 1
  }

  /** Doubles the number of storage slots (and of runs the order arrays can hold). */
  private grow(): void {
    const capacity = this.slots.length * 2
    const widen = (old: Int32Array, length: number) => {
      const wider = new Int32Array(length)
      wider.set(old)
      return wider
    }
    this.starts = widen(this.starts, capacity * RUN)
    this.sizes = widen(this.sizes, capacity * RUN)
    this.slots = widen(this.slots, capacity)
    this.lengths = widen(this.lengths, capacity)
    this.firsts = widen(this.firsts, capacity)
    this.maxima = widen(this.maxima, capacity)
  }
}
