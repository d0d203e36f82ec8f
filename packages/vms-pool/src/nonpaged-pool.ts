import {
  type AllocationResult,
  allocated,
  type BlockType,
  INSFMEM,
  writeHeader,
} from './allocation'
import { PoolConfigError } from './errors'
import { LookasideList, PAGE_SIZE } from './lookaside-list'
import { PoolMemory } from './memory'
import {
  type LookasideSizes,
  lookasideSizes,
  type NonpagedPoolParameters,
  resolveNonpagedParameters,
} from './parameters'
import type { LookasideStatistics, NonpagedPoolStatistics } from './statistics'
import { VariablePool } from './variable-pool'

/**
 * Where expansion gets physical pages. EXE$EXTENDPOOL first checks that a page can be
 * taken without leaving the system short (book 3.2.4); return false to refuse.
 */
export interface PhysicalPageSource {
  allocatePages(count: number): boolean
}

export interface NonpagedPoolOptions {
  /** SYSBOOT parameters; missing ones take DEFAULT_NONPAGED_PARAMETERS. */
  readonly parameters?: Partial<NonpagedPoolParameters>
  /** System virtual address of the start of pool (MMG$GL_NPAGEDYN); page aligned. Default 0x80100000. */
  readonly base?: number
  /** Bytes to hold the pool (length `NonpagedPool.requiredBytes(parameters)`); a new buffer if absent. */
  readonly memory?: Uint8Array
  /** Fill free pool with this byte and check it on reallocation (POOLCHECK). */
  readonly poison?: number
  /** Physical memory for expansion; unlimited when absent. */
  readonly pages?: PhysicalPageSource
  /**
   * Called when pool is returned or expanded: SCH$RAVAIL for RSN$_NPDYNMEM, so that a
   * scheduler can make processes in resource wait computable.
   */
  readonly onResourceAvailable?: () => void
}

/** Addresses that divide the regions (Figure 3-6), lowest first. */
export interface NonpagedPoolLayout {
  /** MMG$GL_NPAGEDYN: start of the variable-length region. */
  readonly variable: number
  /** IOC$GL_LRPSPLIT: start of the LRP list. */
  readonly lrpSplit: number
  /** EXE$GL_SPLITADR: start of the IRP list. */
  readonly irpSplit: number
  /** IOC$GL_SRPSPLIT: start of the SRP list. */
  readonly srpSplit: number
  /** First byte past the SRP region. */
  readonly end: number
}

function layoutFor(
  base: number,
  p: NonpagedPoolParameters,
  sizes: LookasideSizes,
): NonpagedPoolLayout {
  const lrpSplit = base + p.NPAGEVIR
  const irpSplit = lrpSplit + LookasideList.regionSize(sizes.lrpSize, p.LRPCOUNTV)
  const srpSplit = irpSplit + LookasideList.regionSize(sizes.irpSize, p.IRPCOUNTV)
  const end = srpSplit + LookasideList.regionSize(sizes.srpSize, p.SRPCOUNTV)
  return { variable: base, lrpSplit, irpSplit, srpSplit, end }
}

/**
 * Nonpaged dynamic memory (book 3.2): a variable-length region and the SRP, IRP and
 * LRP lookaside lists, laid out as in Figure 3-6, each reserved at its maximum size
 * and expanded a page at a time from its initial size.
 *
 * `allocate` is EXE$ALONONPAGED (a lookaside list when the size falls in its range,
 * Figure 3-7, else first fit); `deallocate` is EXE$DEANONPAGED (the region is found by
 * comparing the address with the split addresses). Running out of pool is the status
 * `SS$_INSFMEM`, never an exception; misuse (double free, foreign address, wrong size)
 * throws PoolIntegrityError and changes nothing.
 */
export class NonpagedPool {
  readonly parameters: NonpagedPoolParameters
  readonly sizes: LookasideSizes
  readonly layout: NonpagedPoolLayout
  readonly memory: PoolMemory
  readonly variable: VariablePool
  readonly srp: LookasideList
  readonly irp: LookasideList
  readonly lrp: LookasideList
  private readonly pages: PhysicalPageSource | undefined
  private readonly onResourceAvailable: (() => void) | undefined
  private allocations = 0
  private deallocations = 0
  private failures = 0
  private expansionPages = 0

  /** Bytes of memory a pool with these parameters occupies at its maximum size. */
  static requiredBytes(parameters: Partial<NonpagedPoolParameters> = {}): number {
    const p = resolveNonpagedParameters(parameters)
    const layout = layoutFor(0, p, lookasideSizes(p))
    return layout.end
  }

  constructor(options: NonpagedPoolOptions = {}) {
    const p = resolveNonpagedParameters(options.parameters)
    const base = options.base ?? 0x80100000
    if (base === 0 || base % PAGE_SIZE !== 0) {
      throw new PoolConfigError('base', 'must be a non-zero, page-aligned address')
    }
    this.parameters = p
    this.sizes = lookasideSizes(p)
    this.layout = layoutFor(base, p, this.sizes)
    const length = this.layout.end - base
    if (options.memory !== undefined && options.memory.length !== length) {
      throw new PoolConfigError('memory', `must be exactly ${length} bytes for these parameters`)
    }
    this.memory = new PoolMemory(base, options.memory ?? length)
    const poison = options.poison
    this.variable = new VariablePool(this.memory, {
      name: 'nonpaged',
      start: base,
      initialSize: p.NPAGEDYN,
      maximumSize: p.NPAGEVIR,
      poison,
    })
    const list = (name: string, start: number, packetSize: number, count: number, countV: number) =>
      new LookasideList(this.memory, {
        name,
        start,
        packetSize,
        initialCount: count,
        maximumCount: countV,
        poison,
      })
    this.lrp = list('LRP', this.layout.lrpSplit, this.sizes.lrpSize, p.LRPCOUNT, p.LRPCOUNTV)
    this.irp = list('IRP', this.layout.irpSplit, this.sizes.irpSize, p.IRPCOUNT, p.IRPCOUNTV)
    this.srp = list('SRP', this.layout.srpSplit, this.sizes.srpSize, p.SRPCOUNT, p.SRPCOUNTV)
    this.pages = options.pages
    this.onResourceAvailable = options.onResourceAvailable
  }

  /**
   * The lookaside list a request of `size` bytes is served from (Figure 3-7), or
   * undefined when it must come from the variable-length list: larger than an LRP,
   * or larger than an IRP but smaller than LRPMIN.
   */
  listFor(size: number): LookasideList | undefined {
    const s = this.sizes
    if (size <= s.srpSize) return this.srp
    if (size >= s.irpMin && size <= s.irpSize) return this.irp
    if (size >= s.lrpMin && size <= s.lrpSize) return this.lrp
    return undefined
  }

  /**
   * EXE$ALONONPAGED (book 3.2.2): from the lookaside list whose range holds `size`,
   * expanding the list if it is empty; otherwise, or if the list cannot grow, first
   * fit from the variable-length list, expanding that region if needed.
   */
  allocate(size: number, blockType: BlockType = {}): AllocationResult {
    if (!(size > 0) || !Number.isInteger(size)) return this.fail()
    const list = this.listFor(size)
    if (list !== undefined) {
      let packet = list.allocate()
      if (packet < 0 && this.expandList(list)) packet = list.allocate()
      if (packet >= 0) {
        writeHeader(this.memory, packet, list.packetSize, blockType)
        this.allocations++
        return allocated(packet, list.packetSize)
      }
    }
    return this.allocateVariableRegion(size, blockType, false)
  }

  /**
   * EXE$ALONPAGVAR: always from the variable-length list, for pool that will be
   * returned piecemeal (book 3.2.2); `deallocate(address, size)` then takes any part.
   */
  allocateVariable(size: number): AllocationResult {
    if (!(size > 0) || !Number.isInteger(size)) return this.fail()
    return this.allocateVariableRegion(size, {}, true)
  }

  /** REMQUE from IOC$GL_IRPFL ($QIO's way to get an IRP); the general routine if empty. */
  allocateIrp(blockType: BlockType = {}): AllocationResult {
    return this.allocateFrom(this.irp, blockType)
  }

  /** REMQUE from IOC$GL_SRPFL ($ENQ's way to get a lock block); the general routine if empty. */
  allocateSrp(blockType: BlockType = {}): AllocationResult {
    return this.allocateFrom(this.srp, blockType)
  }

  /** REMQUE from IOC$GL_LRPFL; the general routine if empty. */
  allocateLrp(blockType: BlockType = {}): AllocationResult {
    return this.allocateFrom(this.lrp, blockType)
  }

  /**
   * EXE$DEANONPAGED (book 3.2.3): returns a block to the region its address lies in,
   * by comparison with IOC$GL_SRPSPLIT, EXE$GL_SPLITADR and IOC$GL_LRPSPLIT. Lookaside
   * packets go to the tail of their list; other blocks to the variable-length list,
   * whose size is taken from the header unless `size` is given.
   */
  deallocate(address: number, size?: number): void {
    const l = this.layout
    if (address >= l.srpSplit && address < l.end) this.srp.deallocate(address)
    else if (address >= l.irpSplit && address < l.end) this.irp.deallocate(address)
    else if (address >= l.lrpSplit && address < l.end) this.lrp.deallocate(address)
    else this.variable.deallocate(address, size)
    this.deallocations++
    this.onResourceAvailable?.()
  }

  /**
   * EXE$EXTENDPOOL's scan (book 3.2.4): every lookaside list that is empty and below
   * its maximum gets a page. Returns the number of pages added.
   */
  extendPool(): number {
    let added = 0
    for (const list of [this.lrp, this.irp, this.srp]) {
      if (list.freePackets === 0 && this.expandList(list)) added++
    }
    return added
  }

  statistics(): NonpagedPoolStatistics {
    return {
      srp: this.listStatistics(this.srp, 16),
      irp: this.listStatistics(this.irp, this.sizes.irpMin),
      lrp: this.listStatistics(this.lrp, this.sizes.lrpMin),
      variable: this.variable.statistics(),
      allocations: this.allocations,
      deallocations: this.deallocations,
      failures: this.failures,
      expansionPages: this.expansionPages,
    }
  }

  private allocateFrom(list: LookasideList, blockType: BlockType): AllocationResult {
    let packet = list.allocate()
    if (packet < 0 && this.expandList(list)) packet = list.allocate()
    if (packet < 0) return this.allocate(list.packetSize, blockType)
    writeHeader(this.memory, packet, list.packetSize, blockType)
    this.allocations++
    return allocated(packet, list.packetSize)
  }

  private allocateVariableRegion(
    size: number,
    blockType: BlockType,
    piecemeal: boolean,
  ): AllocationResult {
    const pool = this.variable
    const attempt = () =>
      piecemeal ? pool.allocatePiecemeal(size) : pool.allocate(size, blockType)
    let result = attempt()
    if (result.status !== 1 && this.expandVariable(size)) result = attempt()
    if (result.status !== 1) return this.fail()
    this.allocations++
    return result
  }

  /** Maps enough pages at the end of the variable region to make room for `size`. */
  private expandVariable(size: number): boolean {
    const list = this.variable.list
    const needed = Math.ceil(size / 16) * 16 - list.trailingFree()
    const pages = Math.ceil(needed / PAGE_SIZE)
    const newSize = list.size + pages * PAGE_SIZE
    if (pages <= 0 || newSize > list.maximumSize) return false
    if (this.pages !== undefined && !this.pages.allocatePages(pages)) return false
    list.extend(newSize)
    this.expansionPages += pages
    this.onResourceAvailable?.()
    return true
  }

  private expandList(list: LookasideList): boolean {
    const pages = list.pagesToExpand()
    if (pages < 0) return false
    if (pages > 0 && this.pages !== undefined && !this.pages.allocatePages(pages)) return false
    list.expand()
    this.expansionPages += pages
    this.onResourceAvailable?.()
    return true
  }

  private fail(): AllocationResult {
    this.failures++
    return INSFMEM
  }

  private listStatistics(list: LookasideList, lowerBound: number): LookasideStatistics {
    return {
      name: list.name,
      packetSize: list.packetSize,
      lowerBound,
      packets: list.packets,
      initialPackets: list.initialCount,
      maximumPackets: list.maximumCount,
      freePackets: list.freePackets,
      inUsePackets: list.packets - list.freePackets,
      currentBytes: list.currentSize,
      maximumBytes: LookasideList.regionSize(list.packetSize, list.maximumCount),
    }
  }
}
