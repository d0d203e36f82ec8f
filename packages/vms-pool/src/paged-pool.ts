import type { AllocationResult, BlockType } from './allocation'
import { PoolConfigError } from './errors'
import { PAGE_SIZE } from './lookaside-list'
import { PoolMemory } from './memory'
import type { VariableRegionStatistics } from './statistics'
import { VariablePool } from './variable-pool'

export interface PagedPoolOptions {
  /** SYSBOOT PAGEDYN: bytes of paged pool, rounded down to pages. Default 512 KiB. */
  readonly PAGEDYN?: number
  /** System virtual address of the pool (MMG$GL_PAGEDYN). Default 0x80400000. */
  readonly base?: number
  /** Bytes to hold the pool (PAGEDYN rounded down to pages); a new buffer if absent. */
  readonly memory?: Uint8Array
  readonly poison?: number
  /** SCH$RAVAIL for RSN$_PGDYNMEM, called after each deallocation. */
  readonly onResourceAvailable?: () => void
}

/**
 * Paged dynamic memory (book 3.3): one variable-length list of PAGEDYN bytes, created
 * whole at initialization and never expanded. EXE$ALOPAGED returns `SS$_INSFMEM` when
 * no block fits; EXE$DEAPAGED returns a block and declares the resource available.
 *
 * VMS serializes it with the mutex EXE$GL_PGDYNMTX; callers here are single-threaded.
 */
export class PagedPool {
  readonly pool: VariablePool
  readonly memory: PoolMemory
  private readonly onResourceAvailable: (() => void) | undefined

  constructor(options: PagedPoolOptions = {}) {
    const size = Math.floor((options.PAGEDYN ?? 512 * 1024) / PAGE_SIZE) * PAGE_SIZE
    const base = options.base ?? 0x80400000
    if (!Number.isSafeInteger(size) || size < PAGE_SIZE) {
      throw new PoolConfigError('PAGEDYN', 'must be at least one page (512 bytes)')
    }
    if (base === 0 || base % PAGE_SIZE !== 0) {
      throw new PoolConfigError('base', 'must be a non-zero, page-aligned address')
    }
    if (options.memory !== undefined && options.memory.length !== size) {
      throw new PoolConfigError('memory', `must be exactly ${size} bytes`)
    }
    this.memory = new PoolMemory(base, options.memory ?? size)
    this.pool = new VariablePool(this.memory, {
      name: 'paged',
      start: base,
      initialSize: size,
      maximumSize: size,
      poison: options.poison,
    })
    this.onResourceAvailable = options.onResourceAvailable
  }

  /** EXE$ALOPAGED. */
  allocate(size: number, blockType: BlockType = {}): AllocationResult {
    return this.pool.allocate(size, blockType)
  }

  /** EXE$DEAPAGED; the size comes from the header unless given. */
  deallocate(address: number, size?: number): void {
    this.pool.deallocate(address, size)
    this.onResourceAvailable?.()
  }

  statistics(): VariableRegionStatistics {
    return this.pool.statistics()
  }
}
