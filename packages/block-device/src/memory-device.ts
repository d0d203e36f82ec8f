import { BLOCK_SIZE, type BlockDevice, BlockDeviceError, checkRequest } from './block-device'

/** A block device held in memory: every write is durable at once, `flush()` does nothing. */
export class MemoryBlockDevice implements BlockDevice {
  readonly blocks: number
  private readonly bytes: Uint8Array
  private closed = false

  constructor(blocks: number) {
    if (!Number.isSafeInteger(blocks) || blocks < 0)
      throw new BlockDeviceError('EINVAL', `a device of ${blocks} blocks`)
    this.blocks = blocks
    this.bytes = new Uint8Array(blocks * BLOCK_SIZE)
  }

  read(block: number, buffer: Uint8Array): void {
    this.checkOpen()
    checkRequest(this.blocks, block, buffer)
    buffer.set(this.bytes.subarray(block * BLOCK_SIZE, block * BLOCK_SIZE + buffer.length))
  }

  write(block: number, data: Uint8Array): void {
    this.checkOpen()
    checkRequest(this.blocks, block, data)
    this.bytes.set(data, block * BLOCK_SIZE)
  }

  flush(): void {
    this.checkOpen()
  }

  close(): void {
    this.closed = true
  }

  private checkOpen(): void {
    if (this.closed) throw new BlockDeviceError('ENXIO', 'the device is closed')
  }
}
