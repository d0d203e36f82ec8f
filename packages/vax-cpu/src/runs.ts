import type { Cpu } from './cpu'
import { PSL_CUR_SHIFT } from './psl'

const PAGE = 0x200
const ENTRIES = 4

/**
 * Runs of virtual addresses that map to consecutive physical addresses, for the string
 * instructions: with them a long MOVC moves each run in one piece instead of a page at
 * a time.
 *
 * A run is found by translating each of its pages (through Cpu.toPhysical, so with the
 * same checks and faults, and the modify bit set for a write, as the accesses
 * themselves). The last few runs found are remembered, like a translation buffer whose
 * entries span many pages, and are forgotten whenever the translation buffer is
 * invalidated or the access mode is not the one they were found for. A run checked for
 * writing also serves reads: in every VAX protection code, a mode that may write a page
 * may read it.
 */
export class PhysicalRuns {
  /** The physical address found by the last `after` (of `va`) or `before` (of `end`). */
  pa = 0
  private readonly cpu: Cpu
  private readonly start = new Float64Array(ENTRIES)
  private readonly end = new Float64Array(ENTRIES)
  private readonly physical = new Float64Array(ENTRIES)
  private readonly mode = new Int8Array(ENTRIES).fill(-1)
  private readonly writable = new Uint8Array(ENTRIES)
  private next = 0
  private generation = -1

  constructor(cpu: Cpu) {
    this.cpu = cpu
  }

  /**
   * How many bytes from `va` (at most `length`, at least one) are accessible and map to
   * consecutive physical addresses; `pa` is then the translation of `va`. Throws the
   * fault of a page on the way that is not accessible. With translation off, the rest of
   * the page.
   */
  after(va: number, length: number, write: boolean): number {
    const cpu = this.cpu
    va >>>= 0
    if (!cpu.mapen) {
      this.pa = cpu.toPhysical(va, write)
      return Math.min(length, PAGE - (va & 0x1ff))
    }
    const k = this.find(va, va + 1, write)
    if (k >= 0) {
      const start = this.start[k] as number
      this.pa = (this.physical[k] as number) + (va - start)
      return Math.min(length, (this.end[k] as number) - va)
    }
    const pa = cpu.toPhysical(va, write)
    let n = PAGE - (va & 0x1ff)
    while (n < length && cpu.toPhysical(va + n, write) === pa + n) n += PAGE
    n = Math.min(n, length)
    this.remember(va, va + n, pa, write)
    this.pa = pa
    return n
  }

  /**
   * The same below `end` (exclusive): how many bytes before it are accessible and map to
   * consecutive physical addresses; `pa` is then one past the translation of `end` - 1.
   */
  before(end: number, length: number, write: boolean): number {
    const cpu = this.cpu
    end >>>= 0
    const used = ((end - 1) & 0x1ff) + 1
    if (!cpu.mapen) {
      this.pa = cpu.toPhysical(end - 1, write) + 1
      return Math.min(length, used)
    }
    const k = this.find(end - 1, end, write)
    if (k >= 0) {
      const start = this.start[k] as number
      this.pa = (this.physical[k] as number) + (end - start)
      return Math.min(length, end - start)
    }
    const pa = cpu.toPhysical(end - 1, write) + 1
    let n = used
    while (n < length && cpu.toPhysical(end - n - 1, write) === pa - n - 1) n += PAGE
    n = Math.min(n, length)
    this.remember(end - n, end, pa - n, write)
    this.pa = pa
    return n
  }

  /** The entry whose run holds [from, to) for this access in the current mode, or -1. */
  private find(from: number, to: number, write: boolean): number {
    const generation = this.cpu.translator?.generation ?? 0
    if (generation !== this.generation) {
      this.mode.fill(-1)
      this.generation = generation
    }
    const mode = (this.cpu.psl >>> PSL_CUR_SHIFT) & 3
    for (let k = 0; k < ENTRIES; k++) {
      if (
        this.mode[k] === mode &&
        (this.start[k] as number) <= from &&
        to <= (this.end[k] as number) &&
        (!write || this.writable[k] === 1)
      )
        return k
    }
    return -1
  }

  private remember(start: number, end: number, pa: number, write: boolean): void {
    const k = this.next
    this.next = (k + 1) % ENTRIES
    this.start[k] = start
    this.end[k] = end
    this.physical[k] = pa
    this.mode[k] = (this.cpu.psl >>> PSL_CUR_SHIFT) & 3
    this.writable[k] = write ? 1 : 0
  }
}
