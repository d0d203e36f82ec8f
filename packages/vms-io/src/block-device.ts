import type { BlockDevice } from '@vax-vms/block-device'

/**
 * What a disk unit is stored on: any `BlockDevice` of `@vax-vms/block-device` (memory,
 * file-backed, fault-injecting, a mirror or a serial DASD adapted to it).
 */
export type BlockDeviceLike = BlockDevice

export { BLOCK_SIZE } from '@vax-vms/block-device'
