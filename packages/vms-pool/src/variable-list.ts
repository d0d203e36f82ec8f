import { hex, PoolIntegrityError } from './errors'
import { FreeBlockIndex } from './free-block-index'
import type { PoolMemory } from './memory'

/** Allocation granularity of every variable-length pool (book 3.1.2): 16 bytes. */
export const GRANULE = 16
/** Offsets in an unused block (Figure 3-1): the address of the next unused block, then its size. */
const FREE_NEXT = 0
const FREE_SIZE = 4
/** Bytes of an unused block that hold the links; poisoning covers the rest. */
const FREE_HEADER = 8

export function roundToGranule(bytes: number): number {
  // Whole byte counts below 2 GB round with integer arithmetic; anything else exactly.
  if (bytes >= 0 && bytes <= 0x7fffff00 && (bytes | 0) === bytes) return (bytes + 15) & -16
  return Math.ceil(bytes / GRANULE) * GRANULE
}

/** One unused block as found by walking the list in pool memory. */
export interface FreeBlock {
  readonly address: number
  readonly size: number
}

export interface VariableLengthListOptions {
  /** Name used in error messages and statistics ("nonpaged", "paged", ...). */
  readonly name: string
  /** First byte of the region; must be 16-byte aligned and non-zero (0 ends the list). */
  readonly start: number
  /** Bytes usable now (NPAGEDYN for nonpaged pool). */
  readonly initialSize: number
  /** Bytes reserved for growth (NPAGEVIR); `extend` never goes past it. */
  readonly maximumSize: number
  /**
   * When set, free bytes are filled with this pattern and checked when they are
   * handed out again (like SYSGEN's POOLCHECK): a write into free pool is caught.
   */
  readonly poison?: number | undefined
}

/**
 * A variable-length pool list: EXE$ALLOCATE and EXE$DEALLOCATE (book 3.1.2).
 *
 * The unused blocks form a singly linked, address-ordered list kept inside pool memory:
 * each block's first longword is the address of the next unused block (0 ends the
 * list), the second its size. Allocation takes the first block large enough, from its
 * low end, leaving the high end on the list; deallocation puts the block back in
 * address order and merges it with an adjacent unused block on either side.
 *
 * The memory list is the truth that a dump shows; a `FreeBlockIndex` beside it finds
 * the same first-fit block without walking the list.
 */
export class VariableLengthList {
  readonly name: string
  readonly start: number
  readonly maximumSize: number
  private readonly memory: PoolMemory
  private readonly index: FreeBlockIndex
  private readonly poison: number | undefined
  private currentSize: number
  /** Listhead: address of the first unused block, 0 when none. */
  private first = 0
  private freeBytesCount = 0
  private freeBlockCount = 0

  constructor(memory: PoolMemory, options: VariableLengthListOptions) {
    const { name, start, initialSize, maximumSize } = options
    if (start === 0 || start % GRANULE !== 0) {
      throw new RangeError(`${name}: start ${hex(start)} must be non-zero and 16-byte aligned`)
    }
    if (initialSize % GRANULE !== 0 || maximumSize % GRANULE !== 0 || initialSize > maximumSize) {
      throw new RangeError(`${name}: sizes must be multiples of 16 with initial <= maximum`)
    }
    if (!memory.contains(start, maximumSize)) {
      throw new RangeError(`${name}: region does not fit in the pool memory`)
    }
    this.name = name
    this.start = start
    this.maximumSize = maximumSize
    this.memory = memory
    this.poison = options.poison
    this.index = new FreeBlockIndex()
    this.currentSize = 0
    this.extend(initialSize)
  }

  /** Bytes of the region in use as pool now (grows with `extend`). */
  get size(): number {
    return this.currentSize
  }

  get freeBytes(): number {
    return this.freeBytesCount
  }

  get freeBlocks(): number {
    return this.freeBlockCount
  }

  get largestFreeBlock(): number {
    return this.index.largest() * GRANULE
  }

  /** Address of the first unused block (the listhead's contents), 0 when none. */
  get firstFree(): number {
    return this.first
  }

  /** True when [address, address + bytes) is inside the region in use now. */
  holds(address: number, bytes: number): boolean {
    return address >= this.start && address + bytes <= this.start + this.currentSize
  }

  /**
   * EXE$ALLOCATE: first fit of `bytes` (rounded up to 16). Returns the block's
   * address, or -1 when no unused block is large enough.
   */
  allocate(bytes: number): number {
    const size = roundToGranule(bytes)
    if (size <= 0) return -1
    const granules = size / GRANULE
    const found = this.index.firstFit(granules)
    if (found < 0) return -1
    const memory = this.memory
    const address = this.start + found * GRANULE
    const index = this.index
    const blockGranules = index.size()
    const previous = index.before()
    if (this.poison !== undefined) this.checkPoison(address + FREE_HEADER, size - FREE_HEADER)
    const next = memory.readLong(address + FREE_NEXT)
    let successor = next
    if (blockGranules === granules) {
      index.remove()
      this.freeBlockCount--
    } else {
      const remainder = address + size
      const remainderGranules = blockGranules - granules
      memory.writeLong(remainder + FREE_NEXT, next)
      memory.writeLong(remainder + FREE_SIZE, remainderGranules * GRANULE)
      index.replace(found + granules, remainderGranules)
      successor = remainder
    }
    this.link(previous, successor)
    this.freeBytesCount -= size
    return address
  }

  /**
   * EXE$DEALLOCATE: returns [address, address + bytes) to the list, merging it with
   * adjacent unused blocks. Throws PoolIntegrityError, changing nothing, when the
   * range is outside the region, misaligned, or overlaps space that is already free.
   */
  deallocate(address: number, bytes: number): void {
    const size = roundToGranule(bytes)
    const offset = address - this.start
    if (size <= 0 || !this.holds(address, size) || (offset | 0) !== offset || offset & 15) {
      throw new PoolIntegrityError(
        'NOT_ALLOCATED',
        this.name,
        address,
        `${size} bytes at this address are not inside the ${this.name} list's region`,
      )
    }
    const granule = offset >> 4
    const granules = size >> 4
    // The cursor goes to the first free block at or above the block; the one before
    // it is the nearest below. Both serve the overlap check and the merge.
    this.index.locate(granule)
    const overlap = this.overlapping(granule, granule + granules)
    if (overlap >= 0) {
      const detail =
        overlap === address ? 'block is already free' : `free space at ${hex(overlap)} overlaps it`
      throw new PoolIntegrityError('DOUBLE_FREE', this.name, address, detail)
    }
    this.insertFree(granule, granules)
  }

  /**
   * The address of an unused block that overlaps [address, address + bytes), or -1.
   * The range must lie inside the region.
   */
  freeOverlapping(address: number, bytes: number): number {
    const granule = Math.floor((address - this.start) / GRANULE)
    const end = Math.ceil((address + bytes - this.start) / GRANULE)
    this.index.locate(granule)
    return this.overlapping(granule, end)
  }

  /**
   * The address of a free block that overlaps granules [granule, end), or -1, with the
   * index's cursor on the first free block at or above `granule`.
   */
  private overlapping(granule: number, end: number): number {
    const index = this.index
    const below = index.before()
    if (below >= 0 && below + index.beforeSize() > granule) return this.start + below * GRANULE
    const above = index.here()
    if (above >= 0 && above < end) return this.start + above * GRANULE
    return -1
  }

  /** Bytes of the unused block that ends at the region's current end (0 if none). */
  trailingFree(): number {
    const end = this.currentSize / GRANULE
    const index = this.index
    index.locate(end)
    const last = index.before()
    const size = index.beforeSize()
    return last >= 0 && last + size === end ? size * GRANULE : 0
  }

  /**
   * Grows the region to `newSize` bytes (pool expansion, book 3.2.4): the new space is
   * put on the list as if deallocated, merging with an unused block at the old end.
   * Returns false, changing nothing, past the maximum size.
   */
  extend(newSize: number): boolean {
    if (newSize > this.maximumSize || newSize % GRANULE !== 0) return false
    if (newSize <= this.currentSize) return true
    const granule = this.currentSize / GRANULE
    const granules = (newSize - this.currentSize) / GRANULE
    this.currentSize = newSize
    this.index.locate(granule)
    this.insertFree(granule, granules)
    return true
  }

  /** Walks the unused-block list in pool memory, in address order. */
  *walk(): Generator<FreeBlock> {
    let address = this.first
    let guard = this.maximumSize / GRANULE + 1
    while (address !== 0 && guard-- > 0) {
      const size = this.memory.readLong(address + FREE_SIZE)
      yield { address, size }
      address = this.memory.readLong(address + FREE_NEXT)
    }
  }

  /**
   * Puts granules [granule, granule + granules) on the list, merging with the unused
   * blocks on either side; the index's cursor is on the first free block above it.
   */
  private insertFree(granule: number, granules: number): void {
    const memory = this.memory
    const index = this.index
    const address = this.start + granule * GRANULE
    const size = granules * GRANULE
    if (this.poison !== undefined) memory.fill(address, size, this.poison)
    const below = index.before()
    const above = index.here()
    const mergeBelow = below >= 0 && below + index.beforeSize() === granule
    const mergeAbove = above >= 0 && above === granule + granules
    const aboveAddress = above >= 0 ? this.start + above * GRANULE : 0
    const aboveGranules = index.size()
    const aboveNext = above >= 0 ? memory.readLong(aboveAddress + FREE_NEXT) : 0
    if (mergeAbove) {
      index.remove()
      this.freeBlockCount--
      if (this.poison !== undefined) memory.fill(aboveAddress, FREE_HEADER, this.poison)
    }
    if (mergeBelow) {
      const total = index.beforeSize() + granules + (mergeAbove ? aboveGranules : 0)
      const belowAddress = this.start + below * GRANULE
      index.back()
      index.replace(below, total)
      memory.writeLong(belowAddress + FREE_SIZE, total * GRANULE)
      if (mergeAbove) memory.writeLong(belowAddress + FREE_NEXT, aboveNext)
    } else {
      const total = granules + (mergeAbove ? aboveGranules : 0)
      memory.writeLong(address + FREE_NEXT, mergeAbove ? aboveNext : aboveAddress)
      memory.writeLong(address + FREE_SIZE, total * GRANULE)
      index.insert(granule, total)
      this.freeBlockCount++
      this.link(below, address)
    }
    this.freeBytesCount += size
  }

  /** Points the unused block at granule `from` (or the listhead when -1) at `to`. */
  private link(from: number, to: number): void {
    if (from < 0) this.first = to
    else this.memory.writeLong(this.start + from * GRANULE + FREE_NEXT, to)
  }

  private checkPoison(address: number, length: number): void {
    const bad = this.memory.findMismatch(address, length, this.poison as number)
    if (bad >= 0) {
      throw new PoolIntegrityError(
        'POISON_OVERWRITTEN',
        this.name,
        bad,
        'free pool was written while it was free',
      )
    }
  }
}
