/**
 * The bytes a pool lives in, addressed by virtual address.
 *
 * On VMS the pools are ranges of system (or P1) virtual space; here they are a byte
 * arena with a base address, so exhaustion, fragmentation and the links that VMS keeps
 * inside free blocks behave exactly as they would in memory. An assembled system can
 * hand in a view of the VAX's own memory so that the pool's contents are visible to
 * VAX code and to a dump.
 */
export class PoolMemory {
  readonly base: number
  readonly bytes: Uint8Array
  private readonly view: DataView

  /**
   * @param base virtual address of `bytes[0]`
   * @param bytesOrLength an existing buffer to use, or the length of a new zeroed one
   */
  constructor(base: number, bytesOrLength: Uint8Array | number) {
    this.base = base >>> 0
    this.bytes = typeof bytesOrLength === 'number' ? new Uint8Array(bytesOrLength) : bytesOrLength
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength)
  }

  get end(): number {
    return this.base + this.bytes.length
  }

  /** True when [address, address + length) lies inside this memory. */
  contains(address: number, length: number): boolean {
    return address >= this.base && length >= 0 && address + length <= this.end
  }

  readLong(address: number): number {
    return this.view.getUint32(address - this.base, true)
  }

  writeLong(address: number, value: number): void {
    this.view.setUint32(address - this.base, value >>> 0, true)
  }

  readWord(address: number): number {
    return this.view.getUint16(address - this.base, true)
  }

  writeWord(address: number, value: number): void {
    this.view.setUint16(address - this.base, value & 0xffff, true)
  }

  readByte(address: number): number {
    return this.bytes[address - this.base] ?? 0
  }

  writeByte(address: number, value: number): void {
    this.bytes[address - this.base] = value & 0xff
  }

  fill(address: number, length: number, value: number): void {
    const offset = address - this.base
    this.bytes.fill(value & 0xff, offset, offset + length)
  }

  /** Index of the first byte in [address, address + length) that is not `value`, or -1. */
  findMismatch(address: number, length: number, value: number): number {
    const offset = address - this.base
    const bytes = this.bytes
    for (let i = offset; i < offset + length; i++) {
      if (bytes[i] !== value) return this.base + i
    }
    return -1
  }
}
