import { type AllocationResult, type BlockType, INSFMEM } from './allocation'
import { PoolConfigError } from './errors'
import { PAGE_SIZE } from './lookaside-list'
import { PoolMemory } from './memory'
import type { VariableRegionStatistics } from './statistics'
import { VariablePool } from './variable-pool'

/** Smallest P0 allocation region EXE$ALOP1IMAG creates (book 3.4): 16 pages. */
export const P0_REGION_MIN_PAGES = 16

/** $EXPREG for the P0 region: returns the new pages' base address and bytes, or undefined. */
export type ExpandRegion = (pages: number) => { base: number; bytes: Uint8Array } | undefined

export interface ProcessAllocationRegionOptions {
  /** P1 virtual address of the region (CTL$GQ_ALLOCREG's pool). */
  readonly base: number
  /** SYSBOOT CTLPAGES: pages in the P1 pool. */
  readonly CTLPAGES: number
  /** SYSBOOT CTLIMGLIM: pages of P1 use beyond which image data goes to P0. */
  readonly CTLIMGLIM: number
  /** Creates P0 space for image-specific data; absent = the image was linked NOP0BUFS. */
  readonly expandRegion?: ExpandRegion
  readonly memory?: Uint8Array
  readonly poison?: number
}

/**
 * The process allocation region (book 3.4): a P1 pool that lives as long as the
 * process, and an optional P0 pool for image-specific data that goes at image rundown.
 *
 * - EXE$ALOP1PROC (`allocateProcess`) always uses the P1 pool.
 * - EXE$ALOP1IMAG (`allocateImage`) uses P1 until its use would pass CTLIMGLIM pages,
 *   then a P0 region of at least 16 pages made with $EXPREG; with NOP0BUFS (no
 *   `expandRegion`) that is `SS$_INSFMEM`.
 * - EXE$DEAP1 (`deallocate`) finds the pool by the address.
 */
export class ProcessAllocationRegion {
  readonly p1: VariablePool
  private p0: VariablePool | undefined
  private readonly imageLimit: number
  private readonly expandRegion: ExpandRegion | undefined
  private readonly poison: number | undefined

  constructor(options: ProcessAllocationRegionOptions) {
    const { base, CTLPAGES, CTLIMGLIM } = options
    if (!Number.isSafeInteger(CTLPAGES) || CTLPAGES < 1)
      throw new PoolConfigError('CTLPAGES', 'must be at least 1')
    if (!Number.isSafeInteger(CTLIMGLIM) || CTLIMGLIM < 0)
      throw new PoolConfigError('CTLIMGLIM', 'must be 0 or more')
    if (base === 0 || base % PAGE_SIZE !== 0)
      throw new PoolConfigError('base', 'must be a non-zero, page-aligned address')
    const size = CTLPAGES * PAGE_SIZE
    if (options.memory !== undefined && options.memory.length !== size) {
      throw new PoolConfigError('memory', `must be exactly ${size} bytes`)
    }
    this.poison = options.poison
    this.p1 = new VariablePool(new PoolMemory(base, options.memory ?? size), {
      name: 'P1 allocation region',
      start: base,
      initialSize: size,
      maximumSize: size,
      poison: options.poison,
    })
    this.imageLimit = CTLIMGLIM * PAGE_SIZE
    this.expandRegion = options.expandRegion
  }

  /** The P0 pool while an image has one (CTL$GQ_P0ALLOC non-zero). */
  get p0Pool(): VariablePool | undefined {
    return this.p0
  }

  /** EXE$ALOP1PROC: from the P1 pool, for data that must survive image rundown. */
  allocateProcess(size: number, blockType: BlockType = {}): AllocationResult {
    return this.p1.allocate(size, blockType)
  }

  /** EXE$ALOP1IMAG: image-specific data, P1 below CTLIMGLIM, else the P0 pool. */
  allocateImage(size: number, blockType: BlockType = {}): AllocationResult {
    if (this.p1.inUseBytes + size <= this.imageLimit) {
      const result = this.p1.allocate(size, blockType)
      if (result.status === 1) return result
    }
    const p0 = this.p0 ?? this.createP0(size)
    return p0 === undefined ? INSFMEM : p0.allocate(size, blockType)
  }

  /** EXE$DEAP1: returns a block to the P0 or P1 pool, whichever holds the address. */
  deallocate(address: number, size?: number): void {
    const p0 = this.p0
    if (p0?.list.holds(address, 1)) p0.deallocate(address, size)
    else this.p1.deallocate(address, size)
  }

  /** Image rundown: the P0 pool and everything in it are deleted. */
  runDownImage(): void {
    this.p0 = undefined
  }

  statistics(): { p1: VariableRegionStatistics; p0?: VariableRegionStatistics } {
    const p1 = this.p1.statistics()
    return this.p0 === undefined ? { p1 } : { p1, p0: this.p0.statistics() }
  }

  private createP0(size: number): VariablePool | undefined {
    if (this.expandRegion === undefined) return undefined
    const pages = Math.max(P0_REGION_MIN_PAGES, Math.ceil(size / PAGE_SIZE))
    const region = this.expandRegion(pages)
    if (region === undefined || region.bytes.length < pages * PAGE_SIZE) return undefined
    const bytes = pages * PAGE_SIZE
    this.p0 = new VariablePool(new PoolMemory(region.base, region.bytes), {
      name: 'P0 allocation region',
      start: region.base,
      initialSize: bytes,
      maximumSize: bytes,
      poison: this.poison,
    })
    return this.p0
  }
}
