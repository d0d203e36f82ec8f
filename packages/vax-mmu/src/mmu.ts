import {
  type AddressTranslator,
  type Cpu,
  IPR,
  type PhysicalMemory,
  SCB,
  VaxException,
} from '@vax/cpu'
import { READ_MODES, WRITE_MODES } from './protection'

/** PTE fields (VAX SRM "Page table entry"). */
export const PTE_V = 0x80000000
export const PTE_PROT_SHIFT = 27
export const PTE_M = 0x04000000
export const PTE_PFN = 0x001fffff

/** Reason mask pushed with an access-control-violation or translation-not-valid fault. */
export const FAULT_LENGTH = 1
export const FAULT_PTE_REFERENCE = 2
export const FAULT_WRITE = 4

export const PAGE_SHIFT = 9
const PAGE_MASK = 0x1ff
const TB_SIZE = 4096

/** Why a translation failed (SCB vector and reason mask), before it becomes an exception. */
interface Failure {
  vector: number
  reason: number
}

/**
 * VAX memory management: P0, P1 and S0 address regions mapped through page tables, the
 * sixteen protection codes, the modify bit, and a translation buffer.
 *
 * The base and length registers (SBR, SLR, P0BR, P0LR, P1BR, P1LR) are read from the
 * CPU's processor registers, so MTPR and LDPCTX change them directly; as on the real
 * machine, software must invalidate the TB (TBIA, TBIS, or LDPCTX for process space)
 * after changing a mapping.
 *
 * - S0 (80000000-BFFFFFFF): the system page table is at physical SBR, SLR entries long.
 * - P0 (0-3FFFFFFF): P0BR is a system virtual address; P0LR entries, growing up.
 * - P1 (40000000-7FFFFFFF): P1BR is a system virtual address; pages below P1LR are
 *   out of bounds (P1 grows down).
 * - S1 (C0000000-FFFFFFFF) is reserved: any reference is a length violation.
 */
export class MemoryManagement implements AddressTranslator {
  private readonly memory: PhysicalMemory
  private readonly ipr: Int32Array
  // The translation buffer: direct mapped by virtual page number.
  private readonly tag = new Int32Array(TB_SIZE).fill(-1)
  private readonly frame = new Int32Array(TB_SIZE)
  private readonly readModes = new Uint8Array(TB_SIZE)
  private readonly writeModes = new Uint8Array(TB_SIZE)
  private readonly modified = new Uint8Array(TB_SIZE)
  private readonly pteAddress = new Float64Array(TB_SIZE)
  /** Translation buffer misses since creation (for statistics and benchmarks). */
  misses = 0
  /** Incremented by every invalidation, so caches of translations know to drop them. */
  generation = 0

  constructor(memory: PhysicalMemory, processorRegisters: Int32Array) {
    this.memory = memory
    this.ipr = processorRegisters
  }

  /** Creates the memory management unit for a CPU and connects it (MAPEN then turns it on). */
  static attach(cpu: Cpu): MemoryManagement {
    const mmu = new MemoryManagement(cpu.memory, cpu.ipr)
    cpu.translator = mmu
    return mmu
  }

  translate(va: number, write: boolean, mode: number): number {
    const vpn = va >>> PAGE_SHIFT
    const i = vpn & (TB_SIZE - 1)
    if (this.tag[i] !== vpn) this.fill(va, i, write, mode)
    const allowed = write ? this.writeModes[i] : this.readModes[i]
    if (!(((allowed as number) >> mode) & 1)) {
      throw this.exception(va, { vector: SCB.ACCESS_VIOLATION, reason: 0 }, write)
    }
    if (write && !this.modified[i]) this.setModified(i)
    return ((this.frame[i] as number) | (va & PAGE_MASK)) >>> 0
  }

  /**
   * PROBE's question: may `mode` read (or write) `va`? The valid bit is not checked; a
   * length violation is "no". A process page table that is itself not valid is a
   * translation-not-valid fault, as on the real machine.
   */
  probe(va: number, write: boolean, mode: number): boolean {
    const pte = this.pageTableEntry(va)
    if (typeof pte !== 'number') {
      if (pte.vector === SCB.TRANSLATION_NOT_VALID) throw this.exception(va, pte, write)
      return false
    }
    const code = (pte >>> PTE_PROT_SHIFT) & 15
    const allowed = write ? WRITE_MODES[code] : READ_MODES[code]
    return (((allowed as number) >> mode) & 1) === 1
  }

  invalidateAll(): void {
    this.tag.fill(-1)
    this.generation++
  }

  invalidateSingle(va: number): void {
    const vpn = va >>> PAGE_SHIFT
    const i = vpn & (TB_SIZE - 1)
    if (this.tag[i] === vpn) this.tag[i] = -1
    this.generation++
  }

  /** Drops the process-space (P0, P1) entries: LDPCTX does this. */
  invalidateProcess(): void {
    for (let i = 0; i < TB_SIZE; i++)
      if ((this.tag[i] as number) >= 0 && (this.tag[i] as number) >>> 21 < 2) this.tag[i] = -1
    this.generation++
  }

  check(va: number): boolean {
    const vpn = va >>> PAGE_SHIFT
    return this.tag[vpn & (TB_SIZE - 1)] === vpn
  }

  private exception(va: number, failure: Failure, write: boolean): VaxException {
    return new VaxException(failure.vector, 'fault', [
      va | 0,
      failure.reason | (write ? FAULT_WRITE : 0),
    ])
  }

  /**
   * Loads the TB entry for `va` from the page tables, or throws the fault: a length
   * violation first, then protection (no access is a violation even when the page is
   * not valid), then validity.
   */
  private fill(va: number, i: number, write: boolean, mode: number): void {
    this.misses++
    const pte = this.pageTableEntry(va)
    if (typeof pte !== 'number') throw this.exception(va, pte, write)
    const code = (pte >>> PTE_PROT_SHIFT) & 15
    if (!(pte & PTE_V)) {
      const allowed = (write ? WRITE_MODES[code] : READ_MODES[code]) as number
      const vector = (allowed >> mode) & 1 ? SCB.TRANSLATION_NOT_VALID : SCB.ACCESS_VIOLATION
      throw this.exception(va, { vector, reason: 0 }, write)
    }
    this.tag[i] = va >>> PAGE_SHIFT
    this.frame[i] = (pte & PTE_PFN) << PAGE_SHIFT
    this.readModes[i] = READ_MODES[code] as number
    this.writeModes[i] = WRITE_MODES[code] as number
    this.modified[i] = pte & PTE_M ? 1 : 0
    this.pteAddress[i] = this.lastPteAddress
  }

  private lastPteAddress = 0

  /** The PTE for `va` (and its physical address in lastPteAddress), or a failure. */
  private pageTableEntry(va: number): number | Failure {
    const region = va >>> 30
    const vpn = (va >>> PAGE_SHIFT) & 0x1fffff
    const ipr = this.ipr
    if (region === 2) {
      if (vpn >= (ipr[IPR.SLR] as number))
        return { vector: SCB.ACCESS_VIOLATION, reason: FAULT_LENGTH }
      return this.readPte((((ipr[IPR.SBR] as number) >>> 0) + vpn * 4) >>> 0)
    }
    if (region === 3) return { vector: SCB.ACCESS_VIOLATION, reason: FAULT_LENGTH }
    let pteVa: number
    if (region === 0) {
      if (vpn >= (ipr[IPR.P0LR] as number))
        return { vector: SCB.ACCESS_VIOLATION, reason: FAULT_LENGTH }
      pteVa = (((ipr[IPR.P0BR] as number) >>> 0) + vpn * 4) >>> 0
    } else {
      if (vpn < (ipr[IPR.P1LR] as number))
        return { vector: SCB.ACCESS_VIOLATION, reason: FAULT_LENGTH }
      pteVa = (((ipr[IPR.P1BR] as number) >>> 0) + vpn * 4) >>> 0
    }
    // The process PTE lives in system space: translate its address through the SPT.
    const svpn = (pteVa >>> PAGE_SHIFT) & 0x1fffff
    if (pteVa >>> 30 !== 2 || svpn >= (ipr[IPR.SLR] as number)) {
      return { vector: SCB.ACCESS_VIOLATION, reason: FAULT_LENGTH | FAULT_PTE_REFERENCE }
    }
    const spte = this.readPte((((ipr[IPR.SBR] as number) >>> 0) + svpn * 4) >>> 0)
    if (typeof spte !== 'number') return spte
    if (!(spte & PTE_V)) return { vector: SCB.TRANSLATION_NOT_VALID, reason: FAULT_PTE_REFERENCE }
    return this.readPte((((spte & PTE_PFN) << PAGE_SHIFT) | (pteVa & PAGE_MASK)) >>> 0)
  }

  private readPte(pa: number): number | Failure {
    const bytes = this.memory.bytes
    this.lastPteAddress = pa
    if (pa + 4 <= bytes.length) return this.memory.view.getInt32(pa, true)
    throw new VaxException(SCB.MACHINE_CHECK, 'fault', [0x0c, 0x80, pa | 0, 0])
  }

  private setModified(i: number): void {
    const pa = this.pteAddress[i] as number
    const view = this.memory.view
    if (pa + 4 <= this.memory.bytes.length) view.setInt32(pa, view.getInt32(pa, true) | PTE_M, true)
    this.modified[i] = 1
  }
}
