/**
 * Physical memory and I/O space as the CPU sees them.
 *
 * RAM is a byte array from physical address 0. Addresses past it go to the optional
 * I/O space (the KA655's registers, ROM, devices); an access nobody answers is
 * nonexistent memory, which the CPU turns into a machine check.
 */
export interface IoSpace {
  /** The value at `address` (`size` 1, 2 or 4 bytes), or undefined if nothing is there. */
  read(address: number, size: number): number | undefined
  /** Stores a value; false if nothing is there. */
  write(address: number, size: number, value: number): boolean
}

export class PhysicalMemory {
  readonly bytes: Uint8Array
  readonly view: DataView
  io: IoSpace | undefined

  constructor(size: number, io?: IoSpace) {
    if (!Number.isInteger(size) || size <= 0 || size > 512 * 1024 * 1024) {
      throw new RangeError(`memory size must be 1 byte to 512 MiB, not ${size}`)
    }
    this.bytes = new Uint8Array(size)
    this.view = new DataView(this.bytes.buffer)
    this.io = io
  }

  get size(): number {
    return this.bytes.length
  }

  /** Copies `data` into memory at `address`; throws RangeError if it does not fit. */
  load(address: number, data: Uint8Array): void {
    if (address < 0 || address + data.length > this.bytes.length) {
      throw new RangeError(
        `${data.length} bytes at 0x${address.toString(16)} do not fit in ${this.bytes.length} bytes of memory`,
      )
    }
    this.bytes.set(data, address)
  }
}
