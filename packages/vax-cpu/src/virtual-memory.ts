import { VaxException } from './exceptions'
import type { PhysicalMemory } from './memory'
import { type AddressTranslator, PHYSICAL_MASK } from './model'
import { PSL_CUR_SHIFT, RESET_PSL, SCB } from './psl'

/**
 * The processor's view of memory: virtual reads and writes in the current access mode
 * (PSL<CUR>), through the address translator when MAPEN is set, and physical reads and
 * writes, with I/O space behind RAM and a machine check for nonexistent memory.
 *
 * Recent translations are kept in a small cache per access kind, keyed by page and mode
 * and dropped whenever the translator's TB is invalidated. An access that spans two
 * pages checks both before any byte moves: the first with its own address, the second
 * with va + size as the fault's address (the architecture only asks for an address in
 * the faulting page; this is the one SIMH reports).
 */
export class VirtualMemory {
  readonly memory: PhysicalMemory
  /** The PSL without the condition codes. */
  psl = RESET_PSL
  /** True when memory management is on (MAPEN). */
  mapen = false
  translator: AddressTranslator | undefined
  /**
   * The translation cache: 256 entries by page number, each four longwords (the tag and
   * frame for reads, then for writes); a tag is (vpn << 2) | mode, -1 when empty.
   */
  private readonly tlb = new Int32Array(1024).fill(-1)
  private cacheGeneration = -1
  /**
   * One byte per 16-byte line of RAM, 1 where translated code was made from the line
   * (see translate.ts; empty while translation is off). A store there sets
   * `codeWritten`.
   */
  codeLines: Uint8Array = new Uint8Array(0)
  /**
   * Set when I/O space was read or written (a device may have asked for an interrupt,
   * scheduled an event or moved memory): a translated block stops before its next
   * instruction and the run loop looks at the machine again.
   */
  attention = false
  /**
   * Set when a store reached a line holding translated code: the running block checks
   * its own bytes before its next instruction, and stops if they changed.
   */
  codeWritten = false

  constructor(memory: PhysicalMemory) {
    this.memory = memory
  }

  /** The physical address of `va` for a read or write in the current mode. */
  toPhysical(va: number, write: boolean): number {
    if (!this.mapen) return va & PHYSICAL_MASK
    const pa = this.cached(va, write ? 2 : 0)
    return pa >= 0 ? pa : this.translateMiss(va, write)
  }

  /**
   * @internal The physical address of `va` when it can be had without translating: with
   * memory management off, or from the cache (a read or write entry of the current mode);
   * else -1. Nothing changes: no fault, no TB fill. The translator uses it to look at
   * memory (a guess it checks at run time).
   */
  peekPhysical(va: number): number {
    if (!this.mapen) return va & PHYSICAL_MASK
    const pa = this.cached(va, 0)
    return pa >= 0 ? pa : this.cached(va, 2)
  }

  /**
   * The cache's physical address for `va` in the current mode, from its read (`kind` 0)
   * or write (2) entry, or -1. Kept small so that V8 puts it in line in every access.
   */
  private cached(va: number, kind: number): number {
    const vpn = va >>> 9
    const k = ((vpn & 255) << 2) | kind
    const tlb = this.tlb
    if (
      tlb[k] === ((vpn << 2) | ((this.psl >>> PSL_CUR_SHIFT) & 3)) &&
      this.cacheGeneration === this.translatorGeneration()
    )
      return (tlb[k + 1] as number) | (va & 0x1ff)
    return -1
  }

  /** The translator's generation (-2 without one: then nothing is cached). */
  private translatorGeneration(): number {
    const translator = this.translator
    return translator === undefined ? -2 : translator.generation
  }

  /** toPhysical when the cache does not hold the page: the translator, then the cache. */
  private translateMiss(va: number, write: boolean): number {
    const translator = this.translator
    if (translator === undefined) return va & PHYSICAL_MASK
    if (translator.generation !== this.cacheGeneration)
      this.flushTranslationCache(translator.generation)
    const mode = (this.psl >>> PSL_CUR_SHIFT) & 3
    const vpn = va >>> 9
    const k = ((vpn & 255) << 2) | (write ? 2 : 0)
    const pa = translator.translate(va >>> 0, write, mode)
    this.tlb[k] = (vpn << 2) | mode
    this.tlb[k + 1] = pa & ~0x1ff
    return pa
  }

  private flushTranslationCache(generation: number): void {
    this.tlb.fill(-1)
    this.cacheGeneration = generation
  }

  /** True when [va, va + size) crosses a page boundary with translation on. */
  private crossesPage(va: number, size: number): boolean {
    return this.mapen && (va & 0x1ff) > 0x200 - size
  }

  read8(va: number): number {
    return this.load8(va, false)
  }

  read16(va: number): number {
    return this.load16(va, false)
  }

  read32(va: number): number {
    return this.load32(va, false)
  }

  /** Reads with write intent (a modify operand, a queue header): faults as a write would. */
  readModify8(va: number): number {
    return this.load8(va, true)
  }

  readModify16(va: number): number {
    return this.load16(va, true)
  }

  readModify32(va: number): number {
    return this.load32(va, true)
  }

  private load8(va: number, write: boolean): number {
    const pa = this.toPhysical(va, write)
    const mem = this.memory
    if (pa < mem.bytes.length) return mem.bytes[pa] as number
    return this.readIo(pa, 1)
  }

  private load16(va: number, write: boolean): number {
    if (this.crossesPage(va, 2)) {
      this.checkBothPages(va, 2, write)
      return this.load8(va, write) | (this.load8(va + 1, write) << 8)
    }
    const pa = this.toPhysical(va, write)
    const mem = this.memory
    if (pa + 2 <= mem.bytes.length) return mem.view.getUint16(pa, true)
    return this.readIo(pa, 2)
  }

  private load32(va: number, write: boolean): number {
    if (this.crossesPage(va, 4)) {
      this.checkBothPages(va, 4, write)
      let value = 0
      for (let k = 0; k < 4; k++) value |= this.load8(va + k, write) << (8 * k)
      return value
    }
    const pa = this.toPhysical(va, write)
    const mem = this.memory
    if (pa + 4 <= mem.bytes.length) return mem.view.getInt32(pa, true)
    return this.readIo(pa, 4) | 0
  }

  write8(va: number, value: number): void {
    const pa = this.toPhysical(va, true)
    const mem = this.memory
    if (pa < mem.bytes.length) {
      if (this.codeLines[pa >>> 4] === 1) this.codeWritten = true
      mem.bytes[pa] = value
    } else this.writeIo(pa, 1, value & 0xff)
  }

  write16(va: number, value: number): void {
    if (this.crossesPage(va, 2)) {
      this.writeSplit(va, value, 2)
      return
    }
    const pa = this.toPhysical(va, true)
    const mem = this.memory
    if (pa + 2 <= mem.bytes.length) {
      this.noteStore(pa, 1)
      mem.view.setUint16(pa, value & 0xffff, true)
    } else this.writeIo(pa, 2, value & 0xffff)
  }

  write32(va: number, value: number): void {
    if (this.crossesPage(va, 4)) {
      this.writeSplit(va, value, 4)
      return
    }
    const pa = this.toPhysical(va, true)
    const mem = this.memory
    if (pa + 4 <= mem.bytes.length) {
      this.noteStore(pa, 3)
      mem.view.setInt32(pa, value, true)
    } else this.writeIo(pa, 4, value)
  }

  /**
   * @internal The physical address of [va, va + length) when it lies in one page of RAM
   * (or anywhere in RAM with translation off), checked as one access to `va` would be
   * (faulting as it would); -1 when it does not, and the caller then uses the accessors
   * one by one. For a write, the store is noted as the accessors note it. Lets CALLx,
   * RET, PUSHR and POPR move a frame at once.
   */
  span(va: number, length: number, write: boolean): number {
    if (this.mapen && va >>> 9 !== (va + length - 1) >>> 9) return -1
    const pa = this.toPhysical(va, write)
    if (pa + length > this.memory.bytes.length) return -1
    if (write) {
      const lines = this.codeLines
      for (let k = pa >>> 4; k <= (pa + length - 1) >>> 4; k++)
        if (lines[k] === 1) this.codeWritten = true
    }
    return pa
  }

  /** A store to [pa, pa + last] (last < 16): attention when it reaches translated code. */
  private noteStore(pa: number, last: number): void {
    const lines = this.codeLines
    if (lines[pa >>> 4] === 1 || lines[(pa + last) >>> 4] === 1) this.codeWritten = true
  }

  private checkBothPages(va: number, size: number, write: boolean): void {
    this.toPhysical(va, write)
    this.toPhysical(va + size, write)
  }

  /** A write that spans two pages: both are checked before either is written. */
  private writeSplit(va: number, value: number, size: number): void {
    this.checkBothPages(va, size, true)
    for (let i = 0; i < size; i++) this.write8(va + i, value >>> (8 * i))
  }

  /** Reads a physical longword (SCB vectors, PCB): no translation. */
  readPhysical32(pa: number): number {
    pa &= PHYSICAL_MASK
    const mem = this.memory
    if (pa + 4 <= mem.bytes.length) return mem.view.getInt32(pa, true)
    return this.readIo(pa, 4) | 0
  }

  writePhysical32(pa: number, value: number): void {
    pa &= PHYSICAL_MASK
    const mem = this.memory
    if (pa + 4 <= mem.bytes.length) {
      this.noteStore(pa, 3)
      mem.view.setInt32(pa, value, true)
    } else this.writeIo(pa, 4, value)
  }

  protected readIo(pa: number, size: number): number {
    this.attention = true
    const value = this.memory.io?.read(pa, size)
    if (value === undefined) this.machineCheck(pa)
    return value
  }

  private writeIo(pa: number, size: number, value: number): void {
    this.attention = true
    if (this.memory.io?.write(pa, size, value) !== true) this.machineCheck(pa)
  }

  /** Nonexistent memory: a machine check abort (vector 04). */
  machineCheck(pa: number): never {
    // KA655-style frame: byte count, code (0x80: read/write to nonexistent memory),
    // the address, internal state.
    throw new VaxException(SCB.MACHINE_CHECK, 'fault', [0x0c, 0x80, pa | 0, 0])
  }
}
