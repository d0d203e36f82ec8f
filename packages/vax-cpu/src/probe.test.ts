import { describe, expect, it } from 'vitest'
import { Cpu, KA655 } from './cpu'
import { PhysicalMemory } from './memory'
import type { AddressTranslator } from './model'

/**
 * PROBER and PROBEW mode.rb, len.rw, base.ab (VAX SRM "Privileged instructions"):
 * the access is checked for the less privileged of the mode operand and PSL<PRV>, on
 * the first and the last byte of the range; Z is set when either is NOT accessible
 * (PROBER: read; PROBEW: write), N and V are cleared, C is kept.
 *
 * The pages' protection comes from a stand-in translator, so these hold without
 * @vax/mmu; its own tests check the protection codes themselves.
 */
const CODE = 0x1000
const STACK = 0x8000
const KERNEL = 0
const USER = 3

/** May read / may write, as bit masks of access modes (bit 0 kernel ... bit 3 user). */
interface Access {
  readonly read: number
  readonly write: number
}
const UW: Access = { read: 0b1111, write: 0b1111 } // all modes read and write
const URKW: Access = { read: 0b1111, write: 0b0001 } // all read; only kernel writes
const PAGE_UW = 0x4000
const PAGE_URKW = 0x4200
const PAGE_UW_AFTER = 0x4400

/** A translator that maps one to one and answers PROBE from a table of pages. */
class ProtectedPages implements AddressTranslator {
  readonly generation = 0
  readonly asked: { va: number; write: boolean; mode: number }[] = []
  constructor(private readonly pages: ReadonlyMap<number, Access>) {}
  translate(va: number): number {
    return va
  }
  probe(va: number, write: boolean, mode: number): boolean {
    this.asked.push({ va, write, mode })
    const access = this.pages.get(va >>> 9)
    if (access === undefined) return false // outside the page tables: a length violation
    return (((write ? access.write : access.read) >> mode) & 1) === 1
  }
  invalidateAll(): void {}
  invalidateSingle(): void {}
  invalidateProcess(): void {}
  check(): boolean {
    return false
  }
}

/**
 * Runs `PROBEx #mode,#length,(R1)` with R1 = base, in kernel mode with PSL<PRV> =
 * `previous`, and the condition codes set to `before` (N Z V C = 8 4 2 1).
 */
function probe(
  write: boolean,
  operands: { mode: number; length: number; base: number },
  previous = KERNEL,
  before = 0,
) {
  const memory = new PhysicalMemory(0x10000)
  memory.load(CODE, Uint8Array.from([write ? 0x0d : 0x0c, operands.mode, operands.length, 0x61]))
  const cpu = new Cpu(memory, KA655)
  const pages = new ProtectedPages(
    new Map([
      [CODE >>> 9, UW],
      [PAGE_UW >>> 9, UW],
      [PAGE_URKW >>> 9, URKW],
      [PAGE_UW_AFTER >>> 9, UW],
    ]),
  )
  cpu.reset(CODE)
  cpu.translator = pages
  cpu.mapen = true
  cpu.fullPsl = (previous << 22) | before // kernel mode, IPL 0
  cpu.r[14] = STACK
  cpu.r[1] = operands.base
  cpu.run(1)
  expect(cpu.pc).toBe(CODE + 4)
  return { z: (cpu.cc & 4) === 4, cc: cpu.cc, asked: pages.asked }
}

describe('PROBER and PROBEW (SRM: Z set when the access is not allowed)', () => {
  it('a page user mode may read but not write: PROBEW sets Z, PROBER clears it', () => {
    const range = { mode: USER, length: 4, base: PAGE_URKW + 0x10 }
    expect(probe(true, range).z).toBe(true)
    expect(probe(false, range).z).toBe(false)
  })

  it('PROBEW asks the translator about writing, PROBER about reading, for the probe mode', () => {
    const range = { mode: USER, length: 4, base: PAGE_URKW + 0x10 }
    expect(probe(true, range).asked[0]).toEqual({ va: PAGE_URKW + 0x10, write: true, mode: USER })
    expect(probe(false, range).asked[0]).toEqual({
      va: PAGE_URKW + 0x10,
      write: false,
      mode: USER,
    })
  })

  it('a page every mode may write: PROBEW clears Z', () => {
    expect(probe(true, { mode: USER, length: 4, base: PAGE_UW }).z).toBe(false)
  })

  it('kernel may write the read-only-to-user page: PROBEW #0 clears Z', () => {
    expect(probe(true, { mode: KERNEL, length: 4, base: PAGE_URKW }).z).toBe(false)
  })

  it('the mode is the less privileged of the operand and PSL<PRV>', () => {
    // Kernel asks for kernel, but the previous mode was user: the check is for user.
    const range = { mode: KERNEL, length: 4, base: PAGE_URKW }
    expect(probe(true, range, USER).z).toBe(true)
    expect(probe(false, range, USER).z).toBe(false)
  })

  it('the last byte is checked too: a range running into a page it may not write', () => {
    // From the end of the writable page into the read-only one, and on out of it.
    const across = { mode: USER, length: 4, base: PAGE_UW + 0x1fe }
    expect(probe(true, across).z).toBe(true)
    expect(probe(true, across).asked.map((q) => q.va)).toEqual([across.base, across.base + 3])
    expect(probe(false, across).z).toBe(false)
    const out = { mode: USER, length: 4, base: PAGE_URKW + 0x1fe }
    expect(probe(true, out).z).toBe(true)
    expect(probe(false, out).z).toBe(false)
  })

  it('N and V are cleared and C is kept', () => {
    const allowed = { mode: USER, length: 4, base: PAGE_UW }
    expect(probe(true, allowed, KERNEL, 0b1111).cc).toBe(0b0001)
    expect(probe(true, allowed, KERNEL, 0b1010).cc).toBe(0)
    const refused = { mode: USER, length: 4, base: PAGE_URKW }
    expect(probe(true, refused, KERNEL, 0b1011).cc).toBe(0b0101)
  })
})
