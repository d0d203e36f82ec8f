import {
  type AllocationResult,
  allocated,
  type BlockType,
  HEADER_SIZE_OFFSET,
  HEADER_TYPE_OFFSET,
  INSFMEM,
  writeHeader,
} from './allocation'
import { hex, PoolIntegrityError } from './errors'
import type { PoolMemory } from './memory'
import type { VariableRegionStatistics } from './statistics'
import { roundToGranule, VariableLengthList, type VariableLengthListOptions } from './variable-list'

interface LiveBlock {
  size: number
  /** Allocated for piecemeal deallocation (EXE$ALONPAGVAR): no header, may be returned in parts. */
  readonly piecemeal: boolean
}

/**
 * A variable-length pool with its integrity checks: the list of EXE$ALLOCATE and
 * EXE$DEALLOCATE plus a ledger of every block handed out, so that a double free, a
 * free of an address the pool never gave, or a size that does not match (in the
 * call or in the block's header) is refused before anything changes.
 *
 * Used for the variable region of nonpaged pool, for paged pool and for the process
 * allocation regions.
 */
export class VariablePool {
  readonly list: VariableLengthList
  private readonly memory: PoolMemory
  private readonly initialSize: number
  private readonly live = new Map<number, LiveBlock>()
  /** Starts of live piecemeal blocks; searched when an address is not a block start. */
  private readonly piecemeal = new Set<number>()

  constructor(memory: PoolMemory, options: VariableLengthListOptions) {
    this.memory = memory
    this.list = new VariableLengthList(memory, options)
    this.initialSize = options.initialSize
  }

  get name(): string {
    return this.list.name
  }

  /**
   * The blocks handed out and not yet returned, in address order, each with the type
   * and subtype of its standard header (bytes 10 and 11; 0 for a piecemeal block, which
   * has none): what a pool map draws.
   */
  liveBlocks(): { address: number; size: number; type: number; subtype: number }[] {
    return [...this.live]
      .sort((a, b) => a[0] - b[0])
      .map(([address, block]) => ({
        address,
        size: block.size,
        type: block.piecemeal ? 0 : this.memory.readByte(address + HEADER_TYPE_OFFSET),
        subtype: block.piecemeal ? 0 : this.memory.readByte(address + HEADER_TYPE_OFFSET + 1),
      }))
  }

  /** Bytes in blocks handed out and not yet returned. */
  get inUseBytes(): number {
    return this.list.size - this.list.freeBytes
  }

  /**
   * Allocates `size` bytes rounded up to 16, first fit, and writes the standard header
   * (size word at offset 8, type and subtype bytes at 10 and 11).
   */
  allocate(size: number, blockType: BlockType = {}): AllocationResult {
    if (!(size > 0) || !Number.isInteger(size)) return INSFMEM
    const address = this.list.allocate(size)
    if (address < 0) return INSFMEM
    const rounded = roundToGranule(size)
    this.live.set(address, { size: rounded, piecemeal: false })
    writeHeader(this.memory, address, rounded, blockType)
    return allocated(address, rounded)
  }

  /**
   * Allocates a block that may later be returned in pieces (EXE$ALONPAGVAR's use):
   * no header is written, and `deallocate` accepts any 16-byte aligned part of it.
   */
  allocatePiecemeal(size: number): AllocationResult {
    if (!(size > 0) || !Number.isInteger(size)) return INSFMEM
    const address = this.list.allocate(size)
    if (address < 0) return INSFMEM
    const rounded = roundToGranule(size)
    this.live.set(address, { size: rounded, piecemeal: true })
    this.piecemeal.add(address)
    return allocated(address, rounded)
  }

  /**
   * Returns a block. Without `size`, the size is taken from the block's header (as
   * EXE$DEANONPAGED does). Throws PoolIntegrityError, changing nothing, for a double
   * free, an address never handed out, or a size that differs from the allocation.
   */
  deallocate(address: number, size?: number): void {
    const block = this.live.get(address)
    if (block !== undefined && !block.piecemeal) {
      const headerSize = this.memory.readWord(address + HEADER_SIZE_OFFSET)
      if (block.size <= 0xffff && headerSize !== block.size) {
        throw new PoolIntegrityError(
          'SIZE_MISMATCH',
          this.name,
          address,
          `header size ${headerSize} differs from the ${block.size} bytes allocated`,
        )
      }
      if (size !== undefined && roundToGranule(size) !== block.size) {
        throw new PoolIntegrityError(
          'SIZE_MISMATCH',
          this.name,
          address,
          `deallocation of ${size} bytes, but ${block.size} were allocated`,
        )
      }
      this.list.deallocate(address, block.size)
      this.live.delete(address)
      return
    }
    const container = this.piecemealContaining(address)
    if (container === undefined) {
      this.refuseUnknown(address, size)
    }
    this.deallocatePart(container, address, size)
  }

  /** Live blocks handed out, in no particular order (for inspectors). */
  *blocks(): Generator<{ address: number; size: number }> {
    for (const [address, block] of this.live) yield { address, size: block.size }
  }

  statistics(): VariableRegionStatistics {
    let smallest = 0
    let small = 0
    for (const block of this.list.walk()) {
      if (smallest === 0 || block.size < smallest) smallest = block.size
      if (block.size <= 32) small++
    }
    const free = this.list.freeBytes
    const largest = this.list.largestFreeBlock
    return {
      name: this.name,
      currentBytes: this.list.size,
      initialBytes: this.initialSize,
      maximumBytes: this.list.maximumSize,
      freeBytes: free,
      inUseBytes: this.inUseBytes,
      largestFreeBlock: largest,
      smallestFreeBlock: smallest,
      freeBlocks: this.list.freeBlocks,
      freeBlocksUpTo32Bytes: small,
      liveBlocks: this.live.size,
      fragmentation: free === 0 ? 0 : 1 - largest / free,
    }
  }

  private piecemealContaining(address: number): number | undefined {
    for (const start of this.piecemeal) {
      const block = this.live.get(start)
      if (block !== undefined && address >= start && address < start + block.size) return start
    }
    return undefined
  }

  private deallocatePart(start: number, address: number, size: number | undefined): void {
    const block = this.live.get(start) as LiveBlock
    const end = start + block.size
    if (size === undefined || !(size > 0) || address % 16 !== 0) {
      throw new PoolIntegrityError(
        'SIZE_MISMATCH',
        this.name,
        address,
        'a part of a piecemeal block needs an explicit size and a 16-byte aligned address',
      )
    }
    const partEnd = address + roundToGranule(size)
    if (partEnd > end) {
      throw new PoolIntegrityError(
        'SIZE_MISMATCH',
        this.name,
        address,
        `${size} bytes run past the end of the block allocated at ${hex(start)}`,
      )
    }
    this.list.deallocate(address, partEnd - address)
    this.live.delete(start)
    this.piecemeal.delete(start)
    if (address > start) {
      this.live.set(start, { size: address - start, piecemeal: true })
      this.piecemeal.add(start)
    }
    if (partEnd < end) {
      this.live.set(partEnd, { size: end - partEnd, piecemeal: true })
      this.piecemeal.add(partEnd)
    }
  }

  private refuseUnknown(address: number, size: number | undefined): never {
    const bytes = roundToGranule(size ?? 16)
    if (this.list.holds(address, bytes) && this.list.freeOverlapping(address, bytes) >= 0) {
      throw new PoolIntegrityError('DOUBLE_FREE', this.name, address, 'block is already free')
    }
    throw new PoolIntegrityError(
      'NOT_ALLOCATED',
      this.name,
      address,
      'this address was not handed out by the pool',
    )
  }
}
