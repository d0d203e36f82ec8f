import { type GuestAccess, ServiceFault, SS } from '@vms/contracts'

/**
 * A GuestAccess over a byte array, for tests, examples and benchmarks: addresses from
 * `base` to `base + size`, with ranges the caller may not read or may not write (each
 * access there throws ServiceFault(SS$_ACCVIO), as PROBE would, before any byte moves).
 */
export class ByteMemory implements GuestAccess {
  readonly bytes: Uint8Array
  private readonly noRead: [number, number][] = []
  private readonly noWrite: [number, number][] = []
  /** The next free address for `place`. */
  private free: number

  constructor(
    readonly size = 0x10000,
    readonly base = 0x200,
  ) {
    this.bytes = new Uint8Array(size)
    this.free = base
  }

  /** Makes `[va, va + length)` unreadable and unwritable. */
  protect(va: number, length: number): this {
    this.noRead.push([va, va + length])
    this.noWrite.push([va, va + length])
    return this
  }

  /** Makes `[va, va + length)` read-only. */
  readOnly(va: number, length: number): this {
    this.noWrite.push([va, va + length])
    return this
  }

  private check(va: number, length: number, write: boolean): number {
    // Nothing to transfer: nothing to check (PROBE of no bytes succeeds).
    if (length === 0) return 0
    const start = va >>> 0
    const end = start + length
    const offset = start - this.base
    if (offset < 0 || end - this.base > this.size) throw new ServiceFault(SS.ACCVIO)
    for (const [low, high] of write ? this.noWrite : this.noRead)
      if (start < high && end > low) throw new ServiceFault(SS.ACCVIO)
    return offset
  }

  read(va: number, length: number): Uint8Array {
    const at = this.check(va, length, false)
    return this.bytes.slice(at, at + length)
  }

  write(va: number, data: Uint8Array): void {
    this.bytes.set(data, this.check(va, data.length, true))
  }

  read32(va: number): number {
    const b = this.read(va, 4)
    return new DataView(b.buffer).getInt32(0, true)
  }

  write32(va: number, value: number): void {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setInt32(0, value, true)
    this.write(va, b)
  }

  probeWrite(va: number, length: number): void {
    this.check(va, length, true)
  }

  descriptor(address: number): string {
    const d = this.read(address, 8)
    const view = new DataView(d.buffer)
    return String.fromCharCode(
      ...this.read(view.getUint32(4, true), Math.min(view.getUint16(0, true), 255)),
    )
  }

  /** Copies bytes into the next free space (longword aligned); returns their address. */
  place(data: Uint8Array): number {
    const address = this.free
    this.bytes.set(data, address - this.base)
    this.free = (address + data.length + 3) & ~3
    return address
  }

  /** Places a string and its descriptor (length word, class and type, address); returns the descriptor's address. */
  string(text: string): number {
    return this.buffer(
      text.length,
      Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff),
    )
  }

  /** Places a buffer of `length` bytes (zeros, or `data`) and its descriptor; the descriptor's address. */
  buffer(length: number, data: Uint8Array = new Uint8Array(length)): number {
    const pointer = this.place(data)
    const d = new Uint8Array(8)
    const view = new DataView(d.buffer)
    view.setUint16(0, length, true)
    view.setUint8(2, 14) // DSC$K_DTYPE_T
    view.setUint8(3, 1) // DSC$K_CLASS_S
    view.setUint32(4, pointer, true)
    return this.place(d)
  }

  /** Places longwords; returns the address of the first. */
  longwords(values: readonly number[]): number {
    const b = new Uint8Array(4 * values.length)
    const view = new DataView(b.buffer)
    for (const [i, v] of values.entries()) view.setUint32(4 * i, v >>> 0, true)
    return this.place(b)
  }

  /** Places a quadword (a binary time); returns its address. */
  quadword(value: bigint): number {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setBigInt64(0, BigInt.asIntN(64, value), true)
    return this.place(b)
  }

  /** Reserves `length` zero bytes; returns their address. */
  reserve(length: number): number {
    return this.place(new Uint8Array(length))
  }

  /** The text of a descriptor's buffer, `length` characters of it. */
  text(va: number, length: number): string {
    return String.fromCharCode(...this.read(va, length))
  }
}
