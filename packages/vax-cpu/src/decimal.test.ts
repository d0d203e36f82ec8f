import { describe, expect, it } from 'vitest'
import { Cpu, VAX780 } from './cpu'
import { VaxException } from './exceptions'
import { PhysicalMemory } from './memory'
import { PSL_FPD, SCB } from './psl'

/**
 * Packed decimal on the 780 model (VAX SRM "Decimal string instructions"). Programs are
 * hand-assembled; the differential tests against SIMH's vax780 cover random cases.
 * Operands: lengths are short literals, strings are (R1), (R2), (R3).
 */
const CODE = 0x1000
const HANDLERS = 0x800
const STACK = 0x8000
const A = 0x2000
const B = 0x2010
const D = 0x2020

function run(code: number[], strings: Record<number, number[]>, psw = 0) {
  const memory = new PhysicalMemory(0x10000)
  const view = new DataView(memory.bytes.buffer)
  for (let k = 0; k < 0x80; k++) view.setUint32(4 * k, HANDLERS + 4 * k, true)
  memory.load(CODE, Uint8Array.from([...code, 0x00])) // ... HALT
  for (const [address, bytes] of Object.entries(strings))
    memory.load(Number(address), Uint8Array.from(bytes))
  const cpu = new Cpu(memory, VAX780)
  cpu.reset(CODE)
  cpu.r[14] = STACK
  cpu.r[1] = A
  cpu.r[2] = B
  cpu.r[3] = D
  cpu.psl |= psw
  cpu.run(10)
  const bytes = (address: number, n: number) =>
    Array.from(memory.bytes.subarray(address, address + n))
  return { cpu, bytes, top: () => view.getUint32(cpu.r[14] as number, true) }
}

const ARITHMETIC_TRAP = HANDLERS + SCB.ARITHMETIC + 1
const N = 8
const Z = 4
const V = 2

describe('packed decimal arithmetic (SRM, VAX-11/780)', () => {
  it('ADDP4 adds a negative to a positive string in place; R0-R3 are 0 and the addresses', () => {
    // ADDP4 #3,(R1),#3,(R2): +123 (12 3C) + -456 (45 6D) = -333 (33 3D)
    const { cpu, bytes } = run([0x20, 3, 0x61, 3, 0x62], { [A]: [0x45, 0x6d], [B]: [0x12, 0x3c] })
    expect(bytes(B, 2)).toEqual([0x33, 0x3d])
    expect(cpu.cc).toBe(N)
    expect(Array.from(cpu.r.subarray(0, 4))).toEqual([0, A, 0, B])
  })

  it('a sum that does not fit is stored truncated with V, and PSW<DV> takes the decimal overflow trap', () => {
    // ADDP6 #3,(R1),#3,(R2),#3,(R3): 999 + 1 = 1000, three digits kept: 000, positive
    const { cpu, bytes, top } = run(
      [0x21, 3, 0x61, 3, 0x62, 3, 0x63],
      { [A]: [0x99, 0x9c], [B]: [0x00, 0x1c] },
      0x80,
    )
    expect(bytes(D, 2)).toEqual([0x00, 0x0c])
    expect(cpu.pc).toBe(ARITHMETIC_TRAP)
    const quiet = run([0x21, 3, 0x61, 3, 0x62, 3, 0x63], { [A]: [0x99, 0x9c], [B]: [0x00, 0x1c] })
    expect(quiet.cpu.cc).toBe(Z | V) // without PSW<DV>: V only
    expect(top()).toBe(6) // decimal overflow
    expect(Array.from(cpu.r.subarray(0, 6))).toEqual([0, A, 0, B, 0, D])
  })

  it('MULP and DIVP give the product and the truncated quotient with the sign of the signs', () => {
    // MULP #3,(R1),#2,(R2),#5,(R3): -125 * 12 = -1500 (01 50 0D)
    const product = run([0x25, 3, 0x61, 2, 0x62, 5, 0x63], {
      [A]: [0x12, 0x5d],
      [B]: [0x01, 0x2c],
    })
    expect(product.bytes(D, 3)).toEqual([0x01, 0x50, 0x0d])
    expect(product.cpu.cc).toBe(N)
    // DIVP #1,(R1),#3,(R2),#3,(R3): 100 / -7 = -14 (01 4D)
    const quotient = run([0x27, 1, 0x61, 3, 0x62, 3, 0x63], { [A]: [0x7d], [B]: [0x10, 0x0c] })
    expect(quotient.bytes(D, 2)).toEqual([0x01, 0x4d])
  })

  it('DIVP by zero takes the divide-by-zero trap and writes nothing', () => {
    const { cpu, bytes, top } = run([0x27, 1, 0x61, 3, 0x62, 3, 0x63], {
      [A]: [0x0c],
      [B]: [0x10, 0x0c],
      [D]: [0xaa, 0xaa],
    })
    expect(cpu.pc).toBe(ARITHMETIC_TRAP)
    expect(top()).toBe(4) // floating or decimal divide by zero
    expect(bytes(D, 2)).toEqual([0xaa, 0xaa])
    expect(cpu.r[1]).toBe(A)
  })

  it('CMPP4 compares values: -0 equals +0, and a shorter string can be greater', () => {
    // CMPP4 #1,(R1),#3,(R2): -0 (0D) against +000 (00 0C)
    expect(run([0x37, 1, 0x61, 3, 0x62], { [A]: [0x0d], [B]: [0x00, 0x0c] }).cpu.cc).toBe(Z)
    // 5 against -123
    expect(run([0x37, 1, 0x61, 3, 0x62], { [A]: [0x5c], [B]: [0x12, 0x3d] }).cpu.cc).toBe(0)
  })

  it('ASHP right adds the round digit to the most significant digit shifted out', () => {
    // ASHP #-2,#5,(R1),#round,#5,(R3) on 12345: 4 + 5 = 9 keeps 123, 4 + 6 rounds to 124
    const shift = (round: number) =>
      run([0xf8, 0x8f, 0xfe, 5, 0x61, round, 5, 0x63], { [A]: [0x12, 0x34, 0x5c] }).bytes(D, 3)
    expect(shift(5)).toEqual([0x00, 0x12, 0x3c])
    expect(shift(6)).toEqual([0x00, 0x12, 0x4c])
  })

  it('CVTPL: a value beyond a longword sets V and, with PSW<IV>, the integer overflow trap', () => {
    // CVTPL #10,(R1),R4 with 9999999999 (09 99 99 99 99 9C)
    const { cpu, top } = run(
      [0x36, 10, 0x61, 0x54],
      { [A]: [0x09, 0x99, 0x99, 0x99, 0x99, 0x9c] },
      0x20,
    )
    expect(cpu.pc).toBe(ARITHMETIC_TRAP)
    expect(top()).toBe(1)
    expect(cpu.r[4]).toBe((9999999999 % 2 ** 32) | 0)
    expect(Array.from(cpu.r.subarray(0, 4))).toEqual([0, A, 0, 0])
  })

  it('CVTLP writes the longword as a packed string, -2147483648 included', () => {
    // CVTLP #^X80000000 (immediate),#10,(R3)
    const { bytes, cpu } = run([0xf9, 0x8f, 0, 0, 0, 0x80, 10, 0x63], {})
    expect(bytes(D, 6)).toEqual([0x02, 0x14, 0x74, 0x83, 0x64, 0x8d])
    expect(cpu.cc).toBe(N)
  })

  it('a length over 31 is a reserved operand fault, with nothing changed', () => {
    const { cpu, bytes } = run([0x20, 32, 0x61, 3, 0x62], { [A]: [0x1c], [B]: [0x00, 0x1c] })
    expect(cpu.pc).toBe(HANDLERS + SCB.RESERVED_OPERAND + 1)
    expect(bytes(B, 2)).toEqual([0x00, 0x1c])
    expect(cpu.r[1]).toBe(A)
  })

  it('CVTSP and CVTPS convert between leading-separate numeric strings and packed', () => {
    const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))
    // CVTSP #3,(R1),#3,(R3): "-123" -> 12 3D
    const sp = run([0x09, 3, 0x61, 3, 0x63], { [A]: ascii('-123') })
    expect(sp.bytes(D, 2)).toEqual([0x12, 0x3d])
    expect(sp.cpu.cc).toBe(N)
    // CVTPS #3,(R1),#5,(R3): -123 -> "-00123"
    const ps = run([0x08, 3, 0x61, 5, 0x63], { [A]: [0x12, 0x3d] })
    expect(String.fromCharCode(...ps.bytes(D, 6))).toBe('-00123')
    expect(Array.from(ps.cpu.r.subarray(0, 4))).toEqual([0, A, 0, D])
    // A digit that is not one is a reserved operand, with nothing written.
    const bad = run([0x09, 3, 0x61, 3, 0x63], { [A]: ascii('+1x3'), [D]: [0xaa] })
    expect(bad.cpu.pc).toBe(HANDLERS + SCB.RESERVED_OPERAND + 1)
    expect(bad.bytes(D, 1)).toEqual([0xaa])
  })

  describe('EDITPC (SRM "Edit instruction")', () => {
    const P = 0x2030
    // EDITPC #5,(R1),@#P,(R3)
    const editpc = (source: number[], pattern: number[]) =>
      run([0x38, 5, 0x61, 0x9f, P & 0xff, P >> 8, 0, 0, 0x63], { [A]: source, [P]: pattern })
    const text = (bytes: number[]) => String.fromCharCode(...bytes)

    it('EO$FLOAT puts the sign before the first nonzero digit; R0-R5 as the SRM gives them', () => {
      const { cpu, bytes } = editpc([0x00, 0x12, 0x3d], [0xa5, 0x00]) // -123 as 5 digits
      expect(text(bytes(D, 6))).toBe('  -123')
      expect(cpu.cc).toBe(N | 1) // negative, significance
      expect(Array.from(cpu.r.subarray(0, 6))).toEqual([5, A, 0, P + 1, 0, D + 6])
    })

    it('a zero source: EO$MOVE stores fill, EO$BLANK_ZERO blanks, N is cleared and Z set', () => {
      const { cpu, bytes } = editpc([0x00, 0x00, 0x0d], [0x40, 0x2a, 0x95, 0x45, 0x05, 0x00])
      expect(text(bytes(D, 5))).toBe('*****')
      expect(cpu.cc).toBe(Z)
    })

    it('Z says whether the source is zero, even for a digit floated after EO$SET_SIGNIF', () => {
      // SIMH 3.8.1 keeps Z here; the SRM defines Z as "source string is zero".
      const { cpu, bytes } = editpc([0x00, 0x00, 0x1c], [0x03, 0xa5, 0x00])
      expect(text(bytes(D, 5))).toBe('00001')
      expect(cpu.cc & Z).toBe(0)
    })

    it('a source left over at EO$END is a reserved operand; R0-R5 as before, PSL<FPD> clear', () => {
      const { cpu, top } = editpc([0x00, 0x00, 0x1c], [0x92, 0x00])
      expect(cpu.pc).toBe(HANDLERS + SCB.RESERVED_OPERAND + 1)
      expect(Array.from(cpu.r.subarray(0, 6))).toEqual([0, A, B, D, 0, 0])
      cpu.r[14] = (cpu.r[14] as number) + 4 // the saved PC; the saved PSL is above it
      expect(top() & PSL_FPD).toBe(0)
    })

    /**
     * SRM "EDITPC", notes: the instruction is interruptible. Memory management is on with
     * an identity map whose page 5200-53FF is not valid the first time it is touched; the
     * handler (ADDL2 #8,SP; REI) returns at once, and EDITPC resumes with PSL<FPD> from
     * the state it saved. -12345 edited by LOAD_FILL '*', MOVE 3, INSERT ',', FLOAT 2,
     * STORE_SIGN into 51FC: the FLOAT's first character is the first byte of the page.
     */
    function pagedEditpc(faulting: boolean) {
      const memory = new PhysicalMemory(0x10000)
      const view = new DataView(memory.bytes.buffer)
      for (let k = 0; k < 0x80; k++) view.setUint32(4 * k, HANDLERS + 4 * k, true)
      view.setUint32(SCB.TRANSLATION_NOT_VALID, 0x900, true)
      memory.load(0x900, Uint8Array.from([0xc0, 0x08, 0x5e, 0x02])) // ADDL2 #8,SP ; REI
      const dst = 0x51fc
      // EDITPC #5,@#A,@#P,@#dst ; HALT
      const address = (a: number) => [0x9f, a & 0xff, a >> 8, 0, 0]
      memory.load(
        CODE,
        Uint8Array.from([0x38, 5, ...address(A), ...address(P), ...address(dst), 0]),
      )
      memory.load(A, Uint8Array.from([0x12, 0x34, 0x5d]))
      memory.load(P, Uint8Array.from([0x40, 0x2a, 0x93, 0x44, 0x2c, 0xa2, 0x04, 0x00]))
      const faults: number[] = []
      let generation = 0
      const cpu = new Cpu(memory, VAX780)
      cpu.translator = {
        translate(va: number) {
          if (faulting && va >>> 9 === 0x5200 >>> 9 && faults.length === 0) {
            faults.push(va)
            throw new VaxException(SCB.TRANSLATION_NOT_VALID, 'fault', [1, va])
          }
          return va
        },
        probe: () => true,
        invalidateAll: () => generation++,
        invalidateSingle: () => generation++,
        invalidateProcess: () => generation++,
        check: () => false,
        get generation() {
          return generation
        },
      }
      cpu.reset(CODE)
      cpu.mapen = true
      cpu.r[14] = STACK
      const result = cpu.run(20)
      return {
        result,
        faults,
        registers: Array.from(cpu.r.subarray(0, 6)),
        cc: cpu.cc,
        psl: cpu.fullPsl,
        text: String.fromCharCode(...memory.bytes.subarray(dst, dst + 7)),
        savedPsl: view.getUint32(STACK - 4, true),
      }
    }

    it('a fault on a page boundary in the destination resumes with PSL<FPD>: the same result', () => {
      const plain = pagedEditpc(false)
      const paged = pagedEditpc(true)
      expect(plain.faults).toEqual([])
      expect(paged.faults).toEqual([0x5200])
      expect(paged.savedPsl & PSL_FPD).toBe(PSL_FPD) // the state was saved in the frame
      expect(plain.text).toBe('123,45-')
      expect(paged.text).toBe(plain.text)
      expect(paged.registers).toEqual(plain.registers)
      expect(paged.registers).toEqual([5, A, 0, P + 7, 0, 0x51fc + 7])
      expect(paged.cc).toBe(plain.cc)
      expect(paged.psl & PSL_FPD).toBe(0)
      expect(paged.result.reason).toBe('HALT')
    })
  })
})
