import { type Cpu, VaxException } from '@vax/cpu'
import type { MemoryManagement } from '@vax/mmu'
import { type GuestAccess, ServiceFault, SS, type Status } from '@vms/contracts'
import { PAGE } from './machine'

export { ServiceFault }

/**
 * The executive's access to the memory of the process on the CPU, checked as PROBE
 * checks it (book 9.4): every byte must be accessible in the caller's mode and mapped,
 * or the access throws ServiceFault(SS$_ACCVIO). Writes probe every page first, so a
 * bad address changes nothing.
 */
export class GuestMemory {
  constructor(
    private readonly cpu: Cpu,
    private readonly mmu: MemoryManagement,
  ) {}

  read(va: number, length: number, mode: number): Uint8Array {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; ) {
      const address = (va + i) >>> 0
      const pa = this.physical(address, false, mode)
      const n = Math.min(length - i, PAGE - (address & (PAGE - 1)))
      out.set(this.cpu.memory.bytes.subarray(pa, pa + n), i)
      i += n
    }
    return out
  }

  write(va: number, data: Uint8Array, mode: number): void {
    const pages: number[] = []
    for (let i = 0; i < data.length; ) {
      const address = (va + i) >>> 0
      pages.push(this.physical(address, true, mode))
      i += Math.min(data.length - i, PAGE - (address & (PAGE - 1)))
    }
    for (let i = 0, k = 0; i < data.length; k++) {
      const address = (va + i) >>> 0
      const n = Math.min(data.length - i, PAGE - (address & (PAGE - 1)))
      const pa = pages[k] as number
      // Page tables live in system pages no user mode may write, so the TB stays valid.
      this.cpu.memory.bytes.set(data.subarray(i, i + n), pa)
      i += n
    }
  }

  /** `read`, with the status instead of an exception. */
  tryRead(va: number, length: number, mode: number): Uint8Array | Status {
    try {
      return this.read(va, length, mode)
    } catch (error) {
      if (error instanceof ServiceFault) return error.status
      throw error
    }
  }

  /** May `mode` read (write) all `length` bytes at `va`? */
  probe(va: number, length: number, write: boolean, mode: number): boolean {
    try {
      for (let i = 0; i < length; ) {
        const address = (va + i) >>> 0
        this.physical(address, write, mode)
        i += Math.min(length - i, PAGE - (address & (PAGE - 1)))
      }
      return true
    } catch (error) {
      if (error instanceof ServiceFault) return false
      throw error
    }
  }

  /**
   * Checks that `mode` may write all `length` bytes at `va`, as PROBEW does, without
   * writing them: ServiceFault(SS$_ACCVIO) otherwise. A service probes its output
   * arguments with this first and writes them only when it succeeds (book 20.1 step 25,
   * 18.4 step 1), so a failing call leaves the caller's memory as it was.
   */
  probeWrite(va: number, length: number, mode: number): void {
    if (!this.probe(va, length, true, mode)) throw new ServiceFault(SS.ACCVIO)
  }

  read32(va: number, mode: number): number {
    const address = va >>> 0
    // Within one page (the usual case) the longword is read in place, with no copy.
    if ((address & (PAGE - 1)) <= PAGE - 4)
      return this.cpu.memory.view.getInt32(this.physical(address, false, mode), true)
    const b = this.read(va, 4, mode)
    return new DataView(b.buffer).getInt32(0, true)
  }

  write32(va: number, value: number, mode: number): void {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setInt32(0, value, true)
    this.write(va, b, mode)
  }

  /** Longwords in order, written as one checked block. */
  writeLongwords(va: number, values: readonly number[], mode: number): void {
    const b = new Uint8Array(4 * values.length)
    const view = new DataView(b.buffer)
    for (const [i, v] of values.entries()) view.setUint32(4 * i, v >>> 0, true)
    this.write(va, b, mode)
  }

  private readonly byMode: GuestAccess[] = []

  /** This memory as a service of access mode `mode` sees it (one object per mode). */
  forMode(mode: number): GuestAccess {
    const made = this.byMode[mode]
    if (made !== undefined) return made
    const access: GuestAccess = {
      read: (va, length) => this.read(va, length, mode),
      write: (va, data) => this.write(va, data, mode),
      read32: (va) => this.read32(va, mode),
      write32: (va, value) => this.write32(va, value, mode),
      probeWrite: (va, length) => this.probeWrite(va, length, mode),
      descriptor: (address) => this.descriptor(address, mode),
    }
    this.byMode[mode] = access
    return access
  }

  /** A string descriptor (length word, pointer at +4); at most 255 characters are read. */
  descriptor(address: number, mode: number): string {
    const length = this.read(address, 2, mode)
    const n = (length[0] as number) | ((length[1] as number) << 8)
    const pointer = this.read32(address + 4, mode)
    return String.fromCharCode(...this.read(pointer, Math.min(n, 255), mode))
  }

  private physical(va: number, write: boolean, mode: number): number {
    if (!this.mmu.probe(va, write, mode)) throw new ServiceFault(SS.ACCVIO)
    try {
      return this.mmu.translate(va, write, 0)
    } catch (error) {
      if (error instanceof VaxException) throw new ServiceFault(SS.ACCVIO)
      throw error
    }
  }
}
