/** The size of one block, in bytes. Every device here reads and writes whole blocks. */
export const BLOCK_SIZE = 512

/** Why a block-device operation failed, as the errno a Unix driver would return. */
export type BlockDeviceErrorCode =
  /** The device failed (a media or transport error, an injected fault). */
  | 'EIO'
  /** The request itself is wrong: a block range outside the device, a buffer that is not whole blocks. */
  | 'EINVAL'
  /** The device is gone or closed. */
  | 'ENXIO'

/** The one error a block device throws. `code` says which kind; nothing was transferred past `block`. */
export class BlockDeviceError extends Error {
  override readonly name = 'BlockDeviceError'
  constructor(
    readonly code: BlockDeviceErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`)
  }
}

/**
 * A disk as every storage package sees it: a fixed number of 512-byte blocks, read and
 * written in whole blocks at a block number, and a flush that makes every write before
 * it durable. Calls are synchronous, so a caller that is itself deterministic (an
 * emulated machine, a test with a seed) stays so.
 *
 * A write that returned may still be lost by a power cut until the next `flush()`
 * returns; a write that threw may have written some of its blocks (the fault-injecting
 * device shows both).
 */
export interface BlockDevice {
  /** The size of the device, in blocks. */
  readonly blocks: number
  /** Reads `buffer.length / BLOCK_SIZE` blocks starting at `block` into `buffer`. */
  read(block: number, buffer: Uint8Array): void
  /** Writes `data.length / BLOCK_SIZE` blocks starting at `block`. */
  write(block: number, data: Uint8Array): void
  /** Makes every completed write durable. */
  flush(): void
  /** Releases the device; any later call throws ENXIO. Closing twice is harmless. */
  close(): void
}

/**
 * Checks a request against a device of `blocks` blocks: `block` an integer in range, the
 * buffer a whole number of blocks that ends inside the device. Throws EINVAL otherwise.
 * Every implementation calls it first, so a bad request never changes anything.
 */
export function checkRequest(blocks: number, block: number, buffer: Uint8Array): void {
  if (!Number.isSafeInteger(block) || block < 0)
    throw new BlockDeviceError('EINVAL', `block number ${block} is not a block address`)
  if (buffer.length % BLOCK_SIZE !== 0)
    throw new BlockDeviceError(
      'EINVAL',
      `a transfer of ${buffer.length} bytes is not whole ${BLOCK_SIZE}-byte blocks`,
    )
  const count = buffer.length / BLOCK_SIZE
  if (block + count > blocks)
    throw new BlockDeviceError(
      'EINVAL',
      `blocks ${block}..${block + count - 1} pass the end of a ${blocks}-block device`,
    )
}
