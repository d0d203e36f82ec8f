import { describe, expect, it } from 'vitest'
import { Cpu, KA655 } from './cpu'
import { PhysicalMemory } from './memory'

/**
 * Condition codes of the integer add, subtract, compare, increment, decrement and
 * negate instructions at the byte, word and longword boundaries, without SIMH (VAX SRM
 * "Integer arithmetic instructions"; the VAX Architecture Reference Manual's operation
 * boxes):
 *
 * - ADD, INC, ADWC, ADAWI: N = result < 0, Z = result = 0, V = signed overflow,
 *   C = carry out of the most significant bit.
 * - SUB, DEC, SBWC, MNEG (0 - src): N, Z, V as above, C = borrow into the most
 *   significant bit (the minuend is unsigned-less than what is taken from it).
 * - CMP src1, src2: N = src1 < src2 signed, Z = equal, V = 0, C = src1 < src2 unsigned.
 *
 * Each row gives the operands and the expected result and NZVC literally, written from
 * those rules: `pos` is the largest positive value of the size, `sign` the most negative
 * (only the sign bit), `max` all ones.
 */
const CODE = 0x1000
const STACK = 0x8000
const R0 = 0x50
const R1 = 0x51
const R2 = 0x52

interface Size {
  readonly name: 'B' | 'W' | 'L'
  /** Opcode of ADDx2 (the integer row: +1 ADDx3, +2 SUBx2, +3 SUBx3, +0xE MNEGx). */
  readonly integerRow: number
  readonly cmp: number
  readonly inc: number
  readonly dec: number
  readonly mask: number
}

const SIZES: readonly Size[] = [
  { name: 'B', integerRow: 0x80, cmp: 0x91, inc: 0x96, dec: 0x97, mask: 0xff },
  { name: 'W', integerRow: 0xa0, cmp: 0xb1, inc: 0xb6, dec: 0xb7, mask: 0xffff },
  { name: 'L', integerRow: 0xc0, cmp: 0xd1, inc: 0xd6, dec: 0xd7, mask: 0xffffffff },
]

interface Values {
  readonly pos: number
  readonly sign: number
  readonly max: number
}

const values = (mask: number): Values => {
  const sign = Math.floor(mask / 2) + 1
  return { pos: sign - 1, sign, max: mask }
}

/** "NZVC" letters present in `text` as the PSL's condition-code bits. */
function cc(text: string): number {
  return (
    (text.includes('N') ? 8 : 0) |
    (text.includes('Z') ? 4 : 0) |
    (text.includes('V') ? 2 : 0) |
    (text.includes('C') ? 1 : 0)
  )
}

/** The condition codes as letters, for readable failures. */
function letters(bits: number): string {
  return ['N', 'Z', 'V', 'C'].filter((_, k) => bits & (8 >> k)).join('') || '-'
}

/** Bits of the registers that a byte or word result must leave alone. */
const FILL = 0x5a5a5a5a

/**
 * Runs one instruction with R0 and R1 loaded (their bits above the operand size set to
 * a pattern) and the condition codes set to `before`; returns the registers and codes.
 */
function execute(code: number[], r0: number, r1: number, before = 0) {
  const memory = new PhysicalMemory(0x10000)
  memory.load(CODE, Uint8Array.from(code))
  const cpu = new Cpu(memory, KA655)
  cpu.reset(CODE)
  cpu.r[14] = STACK
  cpu.r[0] = r0
  cpu.r[1] = r1
  cpu.r[2] = FILL
  cpu.cc = before
  cpu.run(1)
  expect(cpu.pc, 'the instruction completed without an exception').toBe(CODE + code.length)
  const u = (n: number) => (cpu.r[n] as number) >>> 0
  return { r0: u(0), r2: u(2), cc: letters(cpu.cc) }
}

/** `value` in the low bits of FILL, as a byte or word register operand holds it. */
function inRegister(value: number, mask: number): number {
  return mask === 0xffffffff ? value >>> 0 : ((FILL & ~mask) | value) >>> 0
}

type Row = (v: Values) => readonly [number, number, number, string]

/** ADD: [addend, sum] -> [sum + addend, NZVC]. */
const ADD_ROWS: readonly Row[] = [
  ({ pos, sign }) => [1, pos, sign, 'NV'],
  ({ max }) => [1, max, 0, 'ZC'],
  ({ sign }) => [sign, sign, 0, 'ZVC'],
  ({ max }) => [max, max, max - 1, 'NC'],
  ({ max, sign, pos }) => [max, sign, pos, 'VC'],
  ({ pos, max }) => [pos, pos, max - 1, 'NV'],
  ({ max }) => [0, max, max, 'N'],
  ({ max }) => [1, max - 1, max, 'N'],
  ({ sign, pos, max }) => [sign, pos, max, 'N'],
  ({ pos }) => [1, pos - 1, pos, ''],
  () => [0, 0, 0, 'Z'],
]

/** SUB: [subtrahend, minuend] -> [minuend - subtrahend, NZVC]. */
const SUB_ROWS: readonly Row[] = [
  ({ max }) => [1, 0, max, 'NC'],
  ({ sign, pos }) => [1, sign, pos, 'V'],
  ({ max, pos, sign }) => [max, pos, sign, 'NVC'],
  ({ sign, pos, max }) => [sign, pos, max, 'NVC'],
  ({ pos, sign }) => [pos, sign, 1, 'V'],
  ({ pos, max, sign }) => [pos, max, sign, 'N'],
  ({ max }) => [max, 0, 1, 'C'],
  ({ max }) => [max, max, 0, 'Z'],
  ({ sign }) => [0, sign, sign, 'N'],
  () => [1, 1, 0, 'Z'],
  ({ pos }) => [1, pos, pos - 1, ''],
]

/** CMP: [src1, src2] -> NZVC (V set beforehand must be cleared). */
const CMP_ROWS: readonly ((v: Values) => readonly [number, number, string])[] = [
  ({ pos, sign }) => [pos, sign, 'C'],
  ({ sign, pos }) => [sign, pos, 'N'],
  ({ max }) => [max, 0, 'N'],
  ({ max }) => [0, max, 'C'],
  ({ max }) => [1, max, 'C'],
  ({ max }) => [max - 1, max, 'NC'],
  ({ max }) => [max, max - 1, ''],
  ({ sign }) => [sign, sign, 'Z'],
  () => [0, 1, 'NC'],
]

/** INC: operand -> [operand + 1, NZVC]; DEC: operand -> [operand - 1, NZVC]. */
const INC_ROWS: readonly ((v: Values) => readonly [number, number, string])[] = [
  ({ pos, sign }) => [pos, sign, 'NV'],
  ({ max }) => [max, 0, 'ZC'],
  ({ max }) => [max - 1, max, 'N'],
  ({ sign }) => [sign, sign + 1, 'N'],
  () => [0, 1, ''],
]
const DEC_ROWS: readonly ((v: Values) => readonly [number, number, string])[] = [
  ({ sign, pos }) => [sign, pos, 'V'],
  ({ max }) => [0, max, 'NC'],
  () => [1, 0, 'Z'],
  ({ max }) => [max, max - 1, 'N'],
  ({ pos }) => [pos, pos - 1, ''],
]

/** MNEG: source -> [0 - source, NZVC]; C is the borrow, set for any non-zero source. */
const MNEG_ROWS: readonly ((v: Values) => readonly [number, number, string])[] = [
  ({ sign }) => [sign, sign, 'NVC'],
  ({ max }) => [1, max, 'NC'],
  () => [0, 0, 'Z'],
  ({ max }) => [max, 1, 'C'],
  ({ pos, sign }) => [pos, sign + 1, 'NC'],
]

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`

describe('integer condition codes at the size boundaries (SRM integer arithmetic)', () => {
  for (const size of SIZES) {
    const v = values(size.mask)
    const reg = (x: number) => inRegister(x, size.mask)
    const op = size.integerRow

    it(`ADD${size.name}2 and ADD${size.name}3: C is the carry out of bit ${size.mask === 0xff ? 7 : size.mask === 0xffff ? 15 : 31}, V the signed overflow`, () => {
      for (const row of ADD_ROWS) {
        const [addend, sum, result, flags] = row(v)
        const what = `${hex(sum)} + ${hex(addend)}`
        expect(execute([op, R1, R0], reg(sum), reg(addend)), what).toMatchObject({
          r0: reg(result),
          cc: letters(cc(flags)),
        })
        expect(execute([op + 1, R1, R0, R2], reg(sum), reg(addend)), what).toMatchObject({
          r2: inRegister(result, size.mask),
          cc: letters(cc(flags)),
        })
      }
    })

    it(`SUB${size.name}2 and SUB${size.name}3: C is the borrow, V the signed overflow`, () => {
      for (const row of SUB_ROWS) {
        const [subtrahend, minuend, result, flags] = row(v)
        const what = `${hex(minuend)} - ${hex(subtrahend)}`
        expect(execute([op + 2, R1, R0], reg(minuend), reg(subtrahend)), what).toMatchObject({
          r0: reg(result),
          cc: letters(cc(flags)),
        })
        expect(execute([op + 3, R1, R0, R2], reg(minuend), reg(subtrahend)), what).toMatchObject({
          r2: inRegister(result, size.mask),
          cc: letters(cc(flags)),
        })
      }
    })

    it(`CMP${size.name}: N signed less, C unsigned less, V cleared`, () => {
      for (const row of CMP_ROWS) {
        const [src1, src2, flags] = row(v)
        const what = `CMP ${hex(src1)}, ${hex(src2)}`
        expect(execute([size.cmp, R0, R1], reg(src1), reg(src2), cc('V')), what).toMatchObject({
          r0: reg(src1),
          cc: letters(cc(flags)),
        })
      }
    })

    it(`INC${size.name} and DEC${size.name}: carry and borrow at the boundaries`, () => {
      for (const row of INC_ROWS) {
        const [operand, result, flags] = row(v)
        expect(execute([size.inc, R0], reg(operand), 0), `INC ${hex(operand)}`).toMatchObject({
          r0: reg(result),
          cc: letters(cc(flags)),
        })
      }
      for (const row of DEC_ROWS) {
        const [operand, result, flags] = row(v)
        expect(execute([size.dec, R0], reg(operand), 0), `DEC ${hex(operand)}`).toMatchObject({
          r0: reg(result),
          cc: letters(cc(flags)),
        })
      }
    })

    it(`MNEG${size.name}: 0 - source, C set unless the source is 0`, () => {
      for (const row of MNEG_ROWS) {
        const [source, result, flags] = row(v)
        expect(
          execute([op + 0xe, R1, R0], reg(0), reg(source)),
          `MNEG ${hex(source)}`,
        ).toMatchObject({ r0: reg(result), cc: letters(cc(flags)) })
      }
    })
  }

  it('ADAWI (word): the same carry and overflow as ADDW2', () => {
    const v = values(0xffff)
    for (const row of ADD_ROWS) {
      const [addend, sum, result, flags] = row(v)
      expect(
        execute([0x58, R1, R0], inRegister(sum, 0xffff), addend),
        `${hex(sum)} + ${hex(addend)}`,
      ).toMatchObject({ r0: inRegister(result, 0xffff), cc: letters(cc(flags)) })
    }
  })

  it('ADWC: sum + addend + C, with the carry in and carry out', () => {
    // [addend, sum, carry in, result, NZVC]
    const rows: readonly [number, number, number, number, string][] = [
      [0, 0x7fffffff, 1, 0x80000000, 'NV'],
      [0, 0xffffffff, 1, 0, 'ZC'],
      [0xffffffff, 0xffffffff, 1, 0xffffffff, 'NC'],
      [1, 0xffffffff, 0, 0, 'ZC'],
      [0x80000000, 0x80000000, 1, 1, 'VC'],
      [0, 0xfffffffe, 1, 0xffffffff, 'N'],
      [0, 0, 1, 1, ''],
      [0, 0, 0, 0, 'Z'],
    ]
    for (const [addend, sum, carry, result, flags] of rows) {
      expect(
        execute([0xd8, R1, R0], sum, addend, carry),
        `${hex(sum)} + ${hex(addend)} + ${carry}`,
      ).toMatchObject({ r0: result, cc: letters(cc(flags)) })
    }
  })

  it('SBWC: difference - subtrahend - C, with the borrow in and borrow out', () => {
    // [subtrahend, difference, borrow in, result, NZVC]
    const rows: readonly [number, number, number, number, string][] = [
      [0, 0, 1, 0xffffffff, 'NC'],
      [0, 0x80000000, 1, 0x7fffffff, 'V'],
      [0xffffffff, 0, 1, 0, 'ZC'],
      [0, 1, 1, 0, 'Z'],
      [1, 0, 0, 0xffffffff, 'NC'],
      [0x7fffffff, 0x80000000, 0, 1, 'V'],
      [0xffffffff, 0xffffffff, 1, 0xffffffff, 'NC'],
      [0, 5, 0, 5, ''],
    ]
    for (const [subtrahend, difference, borrow, result, flags] of rows) {
      expect(
        execute([0xd9, R1, R0], difference, subtrahend, borrow),
        `${hex(difference)} - ${hex(subtrahend)} - ${borrow}`,
      ).toMatchObject({ r0: result, cc: letters(cc(flags)) })
    }
  })
})
