export {
  type Allocation,
  type AllocationFailure,
  type AllocationResult,
  type BlockType,
  HEADER_SIZE_OFFSET,
  HEADER_SUBTYPE_OFFSET,
  HEADER_TYPE_OFFSET,
} from './allocation'
export { PoolConfigError, type PoolIntegrityCode, PoolIntegrityError } from './errors'
export { LookasideList, type LookasideListOptions, PAGE_SIZE } from './lookaside-list'
export { PoolMemory } from './memory'
export {
  NonpagedPool,
  type NonpagedPoolLayout,
  type NonpagedPoolOptions,
  type PhysicalPageSource,
} from './nonpaged-pool'
export { PagedPool, type PagedPoolOptions } from './paged-pool'
export {
  DEFAULT_NONPAGED_PARAMETERS,
  IRP_SIZE,
  type LookasideSizes,
  LRP_HEADER,
  lookasideSizes,
  type NonpagedPoolParameters,
  resolveNonpagedParameters,
} from './parameters'
export {
  type ExpandRegion,
  P0_REGION_MIN_PAGES,
  ProcessAllocationRegion,
  type ProcessAllocationRegionOptions,
} from './process-region'
export {
  formatNonpagedPoolStatistics,
  formatVariableRegion,
  type LookasideStatistics,
  type NonpagedPoolStatistics,
  type PoolCounters,
  type VariableRegionStatistics,
} from './statistics'
export {
  type FreeBlock,
  GRANULE,
  VariableLengthList,
  type VariableLengthListOptions,
} from './variable-list'
export { VariablePool } from './variable-pool'
