import { Cpu, IPR, PhysicalMemory, SCB, VaxException } from '@vax/cpu'
import { describe, expect, it } from 'vitest'
import {
  FAULT_LENGTH,
  FAULT_PTE_REFERENCE,
  FAULT_WRITE,
  MemoryManagement,
  PTE_M,
  PTE_V,
} from './mmu'
import { PROTECTION_NAMES } from './protection'

/**
 * VAX memory management (SRM "Memory management"; book ch. 14 for how VMS uses it).
 * System page table at physical 0x10000 mapping S0 one to one; the P0 page table in
 * system space at 0x80002000; the P1 page table at 0x80003000 (biased by P1BR).
 */
const SPT = 0x10000
const P0_TABLE = 0x2000
const P1_TABLE = 0x3000

function setup() {
  const memory = new PhysicalMemory(1 << 20)
  const view = new DataView(memory.bytes.buffer)
  const cpu = new Cpu(memory)
  const mmu = MemoryManagement.attach(cpu)
  cpu.ipr[IPR.SBR] = SPT
  cpu.ipr[IPR.SLR] = 64
  for (let k = 0; k < 64; k++) view.setUint32(SPT + 4 * k, (PTE_V | (4 << 27) | k) >>> 0, true) // UW, identity
  cpu.ipr[IPR.P0BR] = 0x80000000 + P0_TABLE
  cpu.ipr[IPR.P0LR] = 16
  cpu.ipr[IPR.P1BR] = (0x80000000 + P1_TABLE - 4 * 0x1ffff0) | 0
  cpu.ipr[IPR.P1LR] = 0x1ffff0
  const p0 = (page: number, pte: number) => view.setUint32(P0_TABLE + 4 * page, pte >>> 0, true)
  const p1 = (page: number, pte: number) =>
    view.setUint32(P1_TABLE + 4 * (page - 0x1ffff0), pte >>> 0, true)
  const fault = (f: () => unknown): { vector: number; params: readonly number[] } | undefined => {
    try {
      f()
      return undefined
    } catch (e) {
      if (e instanceof VaxException) return { vector: e.vector, params: e.params }
      throw e
    }
  }
  return { cpu, mmu, view, p0, p1, fault }
}

/** Who may read and write under a protection code, from its name (SRM naming: xW, xR, xRyW). */
function expectedAccess(name: string, mode: number): { read: boolean; write: boolean } {
  const rank = (c: string) => 'KESU'.indexOf(c)
  if (name === 'NA' || name === 'RESERVED') return { read: false, write: false }
  const m = /^([KESU])([RW])(?:([KESU])W)?$/.exec(name) as RegExpExecArray
  const first = rank(m[1] as string)
  if (m[2] === 'W') return { read: mode <= first, write: mode <= first }
  const writer = m[3] === undefined ? -1 : rank(m[3])
  return { read: mode <= first, write: mode <= writer }
}

describe('protection codes (SRM Table "Protection codes")', () => {
  for (const [code, name] of PROTECTION_NAMES.entries()) {
    it(`${code} ${name}: each mode reads and writes exactly as the code says`, () => {
      const { mmu, p0, fault } = setup()
      p0(1, PTE_V | (code << 27) | 0x40)
      for (let mode = 0; mode < 4; mode++) {
        const want = expectedAccess(name, mode)
        for (const write of [false, true]) {
          mmu.invalidateAll()
          const f = fault(() => mmu.translate(0x200, write, mode))
          if (write ? want.write : want.read)
            expect(f, `${name} mode ${mode} write ${write}`).toBeUndefined()
          else
            expect(f).toEqual({
              vector: SCB.ACCESS_VIOLATION,
              params: [0x200, write ? FAULT_WRITE : 0],
            })
        }
      }
    })
  }
})

describe('translation and faults', () => {
  it('maps P0, P1 and S0 pages to their frames', () => {
    const { mmu, p0, p1 } = setup()
    p0(3, PTE_V | (4 << 27) | 0x77)
    p1(0x1ffff5, PTE_V | (4 << 27) | 0x55)
    expect(mmu.translate(3 * 512 + 17, false, 3)).toBe(0x77 * 512 + 17)
    expect(mmu.translate(0x40000000 + 0x1ffff5 * 512 + 9, false, 3)).toBe(0x55 * 512 + 9)
    expect(mmu.translate(0x80000000 + 5 * 512 + 1, false, 0)).toBe(5 * 512 + 1)
  })

  it('length violations: P0 at or above P0LR, P1 below P1LR, S0 beyond SLR, and S1', () => {
    const { mmu, fault } = setup()
    const length = (va: number) => ({
      vector: SCB.ACCESS_VIOLATION,
      params: [va | 0, FAULT_LENGTH],
    })
    expect(fault(() => mmu.translate(16 * 512, false, 0))).toEqual(length(16 * 512))
    expect(fault(() => mmu.translate(0x40000000 + 0x1fffef * 512, false, 0))).toEqual(
      length(0x40000000 + 0x1fffef * 512),
    )
    expect(fault(() => mmu.translate(0x80000000 + 64 * 512, false, 0))).toEqual(
      length(0x80000000 + 64 * 512),
    )
    expect(fault(() => mmu.translate(0xc0000000, false, 0))).toEqual(length(0xc0000000))
  })

  it('an invalid page is translation-not-valid if accessible, an access violation if not', () => {
    const { mmu, p0, fault } = setup()
    p0(2, (4 << 27) | 0x40) // UW, not valid
    p0(4, (2 << 27) | 0x40) // KW, not valid
    expect(fault(() => mmu.translate(2 * 512, true, 3))).toEqual({
      vector: SCB.TRANSLATION_NOT_VALID,
      params: [1024, FAULT_WRITE],
    })
    expect(fault(() => mmu.translate(4 * 512, false, 3))).toEqual({
      vector: SCB.ACCESS_VIOLATION,
      params: [2048, 0],
    })
  })

  it('a process page table page that is not valid is a fault on the PTE reference', () => {
    const { mmu, view, fault } = setup()
    view.setUint32(SPT + 4 * (P0_TABLE >> 9), (4 << 27) | (P0_TABLE >> 9), true) // SPTE not valid
    expect(fault(() => mmu.translate(0x200, false, 0))).toEqual({
      vector: SCB.TRANSLATION_NOT_VALID,
      params: [0x200, FAULT_PTE_REFERENCE],
    })
    // PROBE does not check the page's own valid bit, but still faults on the page table.
    expect(fault(() => mmu.probe(0x200, false, 0))?.vector).toBe(SCB.TRANSLATION_NOT_VALID)
  })

  it('a write sets the modify bit in the PTE; a read does not', () => {
    const { mmu, view, p0 } = setup()
    p0(5, PTE_V | (4 << 27) | 0x60)
    mmu.translate(5 * 512, false, 3)
    expect(view.getUint32(P0_TABLE + 20, true) & PTE_M).toBe(0)
    mmu.translate(5 * 512 + 4, true, 3)
    expect(view.getUint32(P0_TABLE + 20, true) & PTE_M).toBe(PTE_M)
  })
})

describe('translation buffer (TBIA, TBIS, TBCHK, LDPCTX)', () => {
  it('keeps a translation until it is invalidated, as software must do after changing a PTE', () => {
    const { mmu, p0 } = setup()
    p0(1, PTE_V | (4 << 27) | 0x40)
    expect(mmu.translate(0x200, false, 0)).toBe(0x40 * 512)
    p0(1, PTE_V | (4 << 27) | 0x41)
    expect(mmu.translate(0x200, false, 0)).toBe(0x40 * 512) // stale until TBIS
    expect(mmu.check(0x200)).toBe(true)
    mmu.invalidateSingle(0x3ff)
    expect(mmu.check(0x200)).toBe(false)
    expect(mmu.translate(0x200, false, 0)).toBe(0x41 * 512)
  })

  it('process invalidation (LDPCTX) keeps system translations', () => {
    const { mmu, p0 } = setup()
    p0(1, PTE_V | (4 << 27) | 0x40)
    mmu.translate(0x200, false, 0)
    mmu.translate(0x80000400, false, 0)
    mmu.invalidateProcess()
    expect(mmu.check(0x200)).toBe(false)
    expect(mmu.check(0x80000400)).toBe(true)
    mmu.invalidateAll()
    expect(mmu.check(0x80000400)).toBe(false)
  })

  it('MTPR to TBCHK sets V when the buffer holds the address (through the CPU)', () => {
    const { cpu, mmu } = setup()
    mmu.translate(0x80000400, false, 0)
    cpu.cc = 0
    cpu.writeProcessorRegister(IPR.TBCHK, 0x80000404)
    expect(cpu.cc & 2).toBe(2)
  })
})

/**
 * MOVC3 moves runs of physically consecutive pages in one piece and remembers the runs
 * it has checked (@vax/cpu PhysicalRuns). What it remembers must never outlive the
 * translations it came from: a TB invalidation, another access mode, or a write to a
 * run that was only checked for reading must all be translated and checked afresh.
 */
describe('MOVC3 over runs of pages', () => {
  const SCB_BASE = 0x9000
  const HANDLER = 0x80006000
  const MOVC3 = [0x28, 0x56, 0x67, 0x68] // MOVC3 R6,(R7),(R8)

  function machine(protection: number) {
    const m = setup()
    const { cpu, view, p0 } = m
    p0(0, PTE_V | (4 << 27) | 0x30) // the code
    for (let k = 1; k <= 8; k++) p0(k, PTE_V | (protection << 27) | (0x3f + k)) // frames 0x40-0x47
    for (const [k, b] of MOVC3.entries()) view.setUint8(0x30 * 512 + k, b)
    for (let k = 0; k < 0x80; k++) view.setUint32(SCB_BASE + 4 * k, HANDLER, true)
    cpu.ipr[IPR.SCBB] = SCB_BASE
    cpu.stack[0] = 0x80007000
    cpu.r[14] = 0x80007000
    cpu.mapen = true
    /** Runs the MOVC3 once in `mode`; returns the access violation's parameters, or undefined. */
    const movc3 = (length: number, src: number, dst: number, mode = 0) => {
      cpu.fullPsl = ((mode << 24) | (mode << 22)) >>> 0
      if (mode !== 0) cpu.r[14] = 0x7000 // user stack page never touched: the fault switches stacks
      cpu.pc = 0
      cpu.r.set([length, src, dst], 6)
      cpu.run(1)
      if (cpu.pc === 4) return undefined
      expect(cpu.pc >>> 0).toBe(HANDLER)
      const sp = cpu.r[14] as number
      return { reason: cpu.read32(sp), va: cpu.read32(sp + 4) } // the frame's top two longwords
    }
    const frame = (k: number) => (0x3f + k) * 512
    return { ...m, movc3, frame }
  }

  it('after TBIS of a page in the middle of a copied run, the copy follows the new PTE', () => {
    const { cpu, view, p0, movc3, frame } = machine(4)
    view.setUint32(frame(2) + 0x100, 0x11111111, true)
    expect(movc3(0x800, 0x200, 0xa00)).toBeUndefined() // pages 1-4 to pages 5-8
    expect(view.getUint32(frame(6) + 0x100, true)).toBe(0x11111111)
    p0(6, PTE_V | (4 << 27) | 0x60) // remap page 6 to frame 0x60
    cpu.writeProcessorRegister(IPR.TBIS, 6 * 512)
    view.setUint32(frame(2) + 0x100, 0x22222222, true)
    expect(movc3(0x800, 0x200, 0xa00)).toBeUndefined()
    expect(view.getUint32(0x60 * 512 + 0x100, true)).toBe(0x22222222)
    expect(view.getUint32(frame(6) + 0x100, true)).toBe(0x11111111)
  })

  it('pages read in kernel mode are checked again for a user-mode copy (KW: access violation)', () => {
    const { movc3 } = machine(2) // KW
    expect(movc3(0x400, 0x200, 0xa00, 0)).toBeUndefined()
    // src < dst, so the copy runs backward: its first access reads the last source longword.
    expect(movc3(0x400, 0x200, 0xa00, 3)).toEqual({ reason: 0, va: 0x5fc })
  })

  it('a run checked for reading is checked again before it is written (KR: access violation)', () => {
    const { cpu, p0, movc3 } = machine(4)
    p0(1, PTE_V | (3 << 27) | 0x40) // KR
    p0(2, PTE_V | (3 << 27) | 0x41)
    cpu.writeProcessorRegister(IPR.TBIA, 0)
    expect(movc3(0x400, 0x200, 0xa00)).toBeUndefined() // reads pages 1-2
    // Writing them (forward: the first access writes the first destination byte) faults.
    expect(movc3(0x400, 0xa00, 0x200)).toEqual({ reason: FAULT_WRITE, va: 0x200 })
  })
})

describe('accesses that span two pages', () => {
  it('a longword write into a page it may not write faults before any byte moves, at va + 4', () => {
    const { cpu, view, p0, fault } = setup()
    p0(1, PTE_V | (4 << 27) | 0x40) // UW
    p0(2, PTE_V | (3 << 27) | 0x41) // KR
    cpu.mapen = true
    view.setUint16(0x40 * 512 + 0x1fe, 0xbeef, true)
    // The SRM asks for an address in the faulting page; va + size is the one SIMH reports.
    expect(fault(() => cpu.write32(0x3fe, 0x12345678))).toEqual({
      vector: SCB.ACCESS_VIOLATION,
      params: [0x402, FAULT_WRITE],
    })
    expect(view.getUint16(0x40 * 512 + 0x1fe, true)).toBe(0xbeef)
    expect(fault(() => cpu.read32(0x3fe))).toBeUndefined() // reading both pages is allowed
  })

  it('a word read that runs into a page with no access faults at va + 2', () => {
    const { cpu, p0, fault } = setup()
    p0(1, PTE_V | (4 << 27) | 0x40)
    p0(2, 0x41) // NA, not valid
    cpu.mapen = true
    expect(fault(() => cpu.read16(0x3ff))).toEqual({
      vector: SCB.ACCESS_VIOLATION,
      params: [0x401, 0],
    })
  })
})

/**
 * The order of the checks (SRM "Memory management": access control violation before
 * translation not valid; book ch. 14): the length check first, then protection, and
 * the valid bit only after both. A page that is not valid but whose protection forbids
 * the access is an access violation, never a page fault; a reference beyond the page
 * table is a length violation whatever the memory past the table holds.
 */
describe('fault order: length, then protection, then valid', () => {
  it('every code, mode and access on a page that is not valid: ACCVIO unless allowed, then TNV', () => {
    const { mmu, p0, fault } = setup()
    for (const [code, name] of PROTECTION_NAMES.entries()) {
      p0(1, (code << 27) | 0x40) // V = 0
      for (let mode = 0; mode < 4; mode++) {
        const want = expectedAccess(name, mode)
        for (const write of [false, true]) {
          mmu.invalidateAll()
          const allowed = write ? want.write : want.read
          expect(
            fault(() => mmu.translate(0x204, write, mode)),
            `${name} mode ${mode} write ${write}`,
          ).toEqual({
            vector: allowed ? SCB.TRANSLATION_NOT_VALID : SCB.ACCESS_VIOLATION,
            params: [0x204, write ? FAULT_WRITE : 0],
          })
        }
      }
    }
  })

  it('a write to a page that is not valid and only readable is an access violation (UR, ERKW)', () => {
    const { mmu, p0, fault } = setup()
    p0(2, (15 << 27) | 0x40) // UR, not valid
    p0(3, (6 << 27) | 0x41) // ERKW, not valid
    expect(fault(() => mmu.translate(2 * 512, true, 3))).toEqual({
      vector: SCB.ACCESS_VIOLATION,
      params: [1024, FAULT_WRITE],
    })
    expect(fault(() => mmu.translate(3 * 512 + 8, true, 1))).toEqual({
      vector: SCB.ACCESS_VIOLATION,
      params: [3 * 512 + 8, FAULT_WRITE],
    })
    // Reading them is allowed, so the page's invalidity is what faults.
    expect(fault(() => mmu.translate(2 * 512, false, 3))?.vector).toBe(SCB.TRANSLATION_NOT_VALID)
    expect(fault(() => mmu.translate(3 * 512, false, 1))?.vector).toBe(SCB.TRANSLATION_NOT_VALID)
  })

  it('a length violation beats an entry past the table that is invalid or forbids the access', () => {
    const { mmu, view, p0, p1, fault } = setup()
    const length = (va: number, write: boolean) => ({
      vector: SCB.ACCESS_VIOLATION,
      params: [va | 0, FAULT_LENGTH | (write ? FAULT_WRITE : 0)],
    })
    // P0 page 16 (= P0LR) and P1 page 0x1fffef (below P1LR): accessible, not valid.
    p0(16, (4 << 27) | 0x40)
    p1(0x1fffef, (4 << 27) | 0x40)
    // S0 page 64 (= SLR): valid but no access.
    view.setUint32(SPT + 4 * 64, (PTE_V | 0x40) >>> 0, true)
    for (const write of [false, true]) {
      expect(fault(() => mmu.translate(16 * 512, write, 3))).toEqual(length(16 * 512, write))
      const p1va = 0x40000000 + 0x1fffef * 512
      expect(fault(() => mmu.translate(p1va, write, 3))).toEqual(length(p1va, write))
      expect(fault(() => mmu.translate(0x80008000, write, 3))).toEqual(length(0x80008000, write))
    }
  })

  it('a process page table outside the system page table: length violation on the PTE reference', () => {
    const { cpu, mmu, fault } = setup()
    cpu.ipr[IPR.P0BR] = 0x80000000 + 64 * 512 // the P0 table would start at SLR
    for (const write of [false, true]) {
      mmu.invalidateAll()
      expect(fault(() => mmu.translate(0x200, write, 0))).toEqual({
        vector: SCB.ACCESS_VIOLATION,
        params: [0x200, FAULT_LENGTH | FAULT_PTE_REFERENCE | (write ? FAULT_WRITE : 0)],
      })
    }
  })

  it('a write through a process page table page that is not valid: TNV with PTE reference and write', () => {
    const { mmu, view, fault } = setup()
    view.setUint32(SPT + 4 * (P0_TABLE >> 9), (4 << 27) | (P0_TABLE >> 9), true) // SPTE not valid
    expect(fault(() => mmu.translate(0x200, true, 3))).toEqual({
      vector: SCB.TRANSLATION_NOT_VALID,
      params: [0x200, FAULT_PTE_REFERENCE | FAULT_WRITE],
    })
  })
})

describe('PROBEW asks for write access, PROBER for read (SRM PROBEx)', () => {
  it('the MMU answers a write probe from the write rights and ignores the valid bit', () => {
    const { mmu, p0 } = setup()
    p0(1, PTE_V | (14 << 27) | 0x40) // URKW
    p0(2, (14 << 27) | 0x41) // URKW, not valid
    for (const va of [0x200, 0x400]) {
      expect(mmu.probe(va, false, 3)).toBe(true)
      expect(mmu.probe(va, true, 3)).toBe(false)
      expect(mmu.probe(va, true, 0)).toBe(true)
    }
    expect(mmu.probe(16 * 512, false, 0)).toBe(false) // past P0LR
  })

  it('PROBEW in user mode on a page user may read but not write sets Z; PROBER clears it', () => {
    const { cpu, view, p0 } = setup()
    p0(0, PTE_V | (4 << 27) | 0x30) // the code
    p0(1, PTE_V | (14 << 27) | 0x40) // URKW
    // PROBEW #3,#4,@#200 ; PROBER #3,#4,@#200
    const code = [
      0x0d, 0x03, 0x04, 0x9f, 0x00, 0x02, 0, 0, 0x0c, 0x03, 0x04, 0x9f, 0x00, 0x02, 0, 0,
    ]
    for (const [k, b] of code.entries()) view.setUint8(0x30 * 512 + k, b)
    cpu.mapen = true
    cpu.fullPsl = ((3 << 24) | (3 << 22) | 0b1111) >>> 0 // user mode, all condition codes set
    cpu.pc = 0
    cpu.run(1)
    expect(cpu.pc).toBe(8)
    expect(cpu.cc).toBe(0b0101) // Z: not writable; N, V cleared; C kept
    cpu.run(1)
    expect(cpu.pc).toBe(16)
    expect(cpu.cc).toBe(0b0001) // readable: Z clear
  })
})

describe('a memory management fault taken by the CPU (SCB 0x20 / 0x24, frame: reason, va, PC, PSL)', () => {
  const SCB_BASE = 0x9000
  const HANDLERS = 0x80005000

  /** Runs one instruction in user mode; returns the vector taken and the frame. */
  function user(code: number[], page2: number) {
    const { cpu, view, p0 } = setup()
    p0(0, PTE_V | (4 << 27) | 0x30) // the code, UW
    p0(2, page2)
    for (const [k, b] of code.entries()) view.setUint8(0x30 * 512 + k, b)
    for (let k = 0; k < 0x80; k++) view.setUint32(SCB_BASE + 4 * k, HANDLERS + 4 * k, true)
    cpu.ipr[IPR.SCBB] = SCB_BASE
    cpu.stack[0] = 0x80007000
    cpu.mapen = true
    const psl = ((3 << 24) | (3 << 22)) >>> 0
    cpu.fullPsl = psl
    cpu.r[14] = 0x7000
    cpu.pc = 0
    cpu.run(1)
    const sp = cpu.r[14] as number
    const frame = [0, 4, 8, 12].map((offset) => cpu.read32(sp + offset) >>> 0)
    return { vector: (cpu.pc >>> 0) - HANDLERS, frame, psl, sp: sp >>> 0 }
  }

  const MOVL_TO_PAGE_2 = [0xd0, 0x01, 0x9f, 0x08, 0x04, 0x00, 0x00] // MOVL #1,@#408
  const MOVL_FROM_PAGE_2 = [0xd0, 0x9f, 0x08, 0x04, 0x00, 0x00, 0x50] // MOVL @#408,R0

  it('a write to a page that is not valid and user may only read: ACCVIO, not TNV', () => {
    const taken = user(MOVL_TO_PAGE_2, (15 << 27) | 0x40) // UR, V = 0
    expect(taken.vector).toBe(SCB.ACCESS_VIOLATION)
    expect(taken.frame).toEqual([FAULT_WRITE, 0x408, 0, taken.psl])
    expect(taken.sp).toBe(0x80007000 - 16)
  })

  it('the same write to a page user may write but that is not valid: TNV', () => {
    const taken = user(MOVL_TO_PAGE_2, (4 << 27) | 0x40) // UW, V = 0
    expect(taken.vector).toBe(SCB.TRANSLATION_NOT_VALID)
    expect(taken.frame).toEqual([FAULT_WRITE, 0x408, 0, taken.psl])
  })

  it('a read of a page that is not valid and kernel-only: ACCVIO with no write bit', () => {
    const taken = user(MOVL_FROM_PAGE_2, (2 << 27) | 0x40) // KW, V = 0
    expect(taken.vector).toBe(SCB.ACCESS_VIOLATION)
    expect(taken.frame).toEqual([0, 0x408, 0, taken.psl])
  })
})
