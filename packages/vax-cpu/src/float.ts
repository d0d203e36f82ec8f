import { C, N, Z } from './alu'
import type { Cpu } from './cpu'
import { VaxException } from './exceptions'
import { PSL_FU, SCB } from './psl'

/**
 * F, D and G floating point (VAX SRM "Floating point instructions").
 *
 * Layouts, as the longwords read from memory (bit 15 is the sign, the exponent follows
 * it, then the fraction from its most significant bits; the fraction continues in the
 * high word, then in the next longword's low and high words):
 *   F  lo: sign, exp<14:7> (excess 128), fraction 22:16; hi word: fraction 15:0
 *   D  like F, with 32 more fraction bits in the second longword (55 bits)
 *   G  lo: sign, exp<14:4> (excess 1024), fraction 51:48; then 48 fraction bits
 * The hidden bit makes the fraction 0.1f. Exponent 0 with sign 0 is zero (whatever the
 * fraction); exponent 0 with sign 1 is a reserved operand.
 *
 * Arithmetic is exact on integers and then rounded once: the bit below the last kept
 * bit is added to the magnitude and the rest truncated, as the SRM specifies.
 */

type Format = 'F' | 'D' | 'G'

interface Spec {
  /** Fraction bits including the hidden bit. */
  readonly precision: number
  readonly bias: number
  readonly maxExponent: number
}

const SPECS: Record<Format, Spec> = {
  F: { precision: 24, bias: 128, maxExponent: 255 },
  D: { precision: 56, bias: 128, maxExponent: 255 },
  G: { precision: 53, bias: 1024, maxExponent: 2047 },
}

/** A value as sign * mantissa * 2^exponent (mantissa 0 for zero). */
interface Value {
  readonly negative: boolean
  readonly mantissa: bigint
  readonly exponent: number
}

const ZERO: Value = { negative: false, mantissa: 0n, exponent: 0 }

const low16 = (v: number) => BigInt(v & 0xffff)
const high16 = (v: number) => BigInt((v >>> 16) & 0xffff)

function reservedOperand(): never {
  throw new VaxException(SCB.RESERVED_OPERAND, 'fault')
}

function arithmeticFault(code: number): never {
  throw new VaxException(SCB.ARITHMETIC, 'fault', [code])
}

/** Decodes a floating value (lo = first longword, hi = second, for D and G). */
export function unpack(format: Format, lo: number, hi: number): Value {
  const negative = (lo & 0x8000) !== 0
  if (format === 'G') {
    const exp = (lo >>> 4) & 0x7ff
    if (exp === 0) {
      if (negative) reservedOperand()
      return ZERO
    }
    const fraction =
      (BigInt(lo & 0xf) << 48n) | (high16(lo) << 32n) | (low16(hi) << 16n) | high16(hi)
    return { negative, mantissa: (1n << 52n) | fraction, exponent: exp - 1024 - 53 }
  }
  const exp = (lo >>> 7) & 0xff
  if (exp === 0) {
    if (negative) reservedOperand()
    return ZERO
  }
  if (format === 'F') {
    const fraction = (BigInt(lo & 0x7f) << 16n) | high16(lo)
    return { negative, mantissa: (1n << 23n) | fraction, exponent: exp - 128 - 24 }
  }
  const fraction =
    (BigInt(lo & 0x7f) << 48n) | (high16(lo) << 32n) | (low16(hi) << 16n) | high16(hi)
  return { negative, mantissa: (1n << 55n) | fraction, exponent: exp - 128 - 56 }
}

function bitLength(v: bigint): number {
  return v.toString(2).length
}

/**
 * Rounds and encodes a value: [lo, hi]. Overflow is a floating overflow fault;
 * underflow is a floating underflow fault when PSW<FU> is set, otherwise zero.
 */
export function pack(cpu: Cpu, format: Format, value: Value): [number, number] {
  if (value.mantissa === 0n) return [0, 0]
  const spec = SPECS[format]
  let mantissa = value.mantissa
  let exponent = value.exponent
  const n = bitLength(mantissa)
  if (n > spec.precision) {
    const shift = n - spec.precision
    mantissa = (mantissa + (1n << BigInt(shift - 1))) >> BigInt(shift)
    exponent += shift
    if (bitLength(mantissa) > spec.precision) {
      mantissa >>= 1n
      exponent += 1
    }
  } else if (n < spec.precision) {
    mantissa <<= BigInt(spec.precision - n)
    exponent -= spec.precision - n
  }
  const biased = exponent + spec.precision + spec.bias
  if (biased > spec.maxExponent) arithmeticFault(8)
  if (biased < 1) {
    if (cpu.psl & PSL_FU) arithmeticFault(10)
    return [0, 0]
  }
  const sign = value.negative ? 0x8000 : 0
  const fraction = mantissa & ((1n << BigInt(spec.precision - 1)) - 1n)
  const word = (shift: bigint) => Number((fraction >> shift) & 0xffffn)
  if (format === 'F') {
    const lo = sign | (biased << 7) | Number(fraction >> 16n) | (word(0n) << 16)
    return [lo | 0, 0]
  }
  if (format === 'D') {
    const lo = sign | (biased << 7) | Number(fraction >> 48n) | (word(32n) << 16)
    return [lo | 0, word(16n) | (word(0n) << 16) | 0]
  }
  const lo = sign | (biased << 4) | Number(fraction >> 48n) | (word(32n) << 16)
  return [lo | 0, word(16n) | (word(0n) << 16) | 0]
}

function add(a: Value, b: Value): Value {
  if (a.mantissa === 0n) return b
  if (b.mantissa === 0n) return a
  const exponent = Math.min(a.exponent, b.exponent)
  const ma = a.mantissa << BigInt(a.exponent - exponent)
  const mb = b.mantissa << BigInt(b.exponent - exponent)
  const sum = (a.negative ? -ma : ma) + (b.negative ? -mb : mb)
  if (sum === 0n) return ZERO
  return { negative: sum < 0n, mantissa: sum < 0n ? -sum : sum, exponent }
}

function negate(a: Value): Value {
  return a.mantissa === 0n ? a : { ...a, negative: !a.negative }
}

function multiply(a: Value, b: Value): Value {
  if (a.mantissa === 0n || b.mantissa === 0n) return ZERO
  return {
    negative: a.negative !== b.negative,
    mantissa: a.mantissa * b.mantissa,
    exponent: a.exponent + b.exponent,
  }
}

/** dividend / divisor with enough quotient bits that one rounding is exact. */
function divide(dividend: Value, divisor: Value): Value {
  if (divisor.mantissa === 0n) arithmeticFault(9)
  if (dividend.mantissa === 0n) return ZERO
  const extra = 64
  const quotient = (dividend.mantissa << BigInt(extra)) / divisor.mantissa
  return {
    negative: dividend.negative !== divisor.negative,
    mantissa: quotient,
    exponent: dividend.exponent - divisor.exponent - extra,
  }
}

function compareValues(a: Value, b: Value): number {
  const d = add(a, negate(b))
  return d.mantissa === 0n ? 0 : d.negative ? -1 : 1
}

function fromInteger(v: number): Value {
  if (v === 0) return ZERO
  return { negative: v < 0, mantissa: BigInt(Math.abs(v)), exponent: 0 }
}

/** The integer part, truncated (or rounded half away from zero), as a bigint. */
function toInteger(a: Value, round: boolean): bigint {
  if (a.mantissa === 0n) return 0n
  let magnitude: bigint
  if (a.exponent >= 0) magnitude = a.mantissa << BigInt(a.exponent)
  else {
    const shift = BigInt(-a.exponent)
    magnitude = round ? (a.mantissa + (1n << (shift - 1n))) >> shift : a.mantissa >> shift
  }
  return a.negative ? -magnitude : magnitude
}

/** N and Z of an encoded result (exponent 0 is zero). */
function resultCc(format: Format, lo: number): number {
  const exp = format === 'G' ? (lo >>> 4) & 0x7ff : (lo >>> 7) & 0xff
  if (exp === 0) return Z
  return lo & 0x8000 ? N : 0
}

const FORMAT_OF: Record<number, Format> = {
  64: 'F',
  80: 'F',
  96: 'D',
  112: 'D',
  64832: 'G',
  64848: 'G',
}

function operand(cpu: Cpu, format: Format, i: number): Value {
  return unpack(format, cpu.val[i] as number, cpu.hi[i] as number)
}

/** Rounds, encodes and writes a result to operand i; returns the encoded longwords. */
function storeBoth(cpu: Cpu, format: Format, i: number, value: Value): [number, number] {
  const [lo, hi] = pack(cpu, format, value)
  if (format === 'F') cpu.writeLong(i, lo)
  else cpu.writeQuad(i, lo, hi)
  return [lo, hi]
}

function store(cpu: Cpu, format: Format, i: number, value: Value): number {
  return storeBoth(cpu, format, i, value)[0]
}

function storeInteger(cpu: Cpu, i: number, lg: number, value: bigint): void {
  const bits = 8 << lg
  const truncated = Number(BigInt.asIntN(bits, value))
  cpu.writeSized(i, lg, truncated)
  const limit = 1n << BigInt(bits - 1)
  cpu.cc = (truncated < 0 ? N : 0) | (truncated === 0 ? Z : 0)
  if (value >= limit || value < -limit) cpu.integerOverflow()
}

/**
 * Executes a floating-point instruction; returns false for an opcode this module does
 * not implement (POLY, H floating), which is then a reserved instruction.
 */
export function executeFloat(cpu: Cpu, opcode: number): boolean {
  const code = opcode > 0xff ? 0xfd00 | (opcode & 0xff) : opcode
  const group = code & ~0xf
  const format = FORMAT_OF[group]
  const low = code & 0xf
  if (format !== undefined && (group === 0x40 || group === 0x60 || group === 0xfd40)) {
    switch (low) {
      case 0x0: // ADD2
      case 0x1: // ADD3
      case 0x2: // SUB2
      case 0x3: {
        // SUB3
        const a = operand(cpu, format, 0)
        const b = operand(cpu, format, 1)
        const result = low < 2 ? add(b, a) : add(b, negate(a))
        cpu.cc = resultCc(format, store(cpu, format, low & 1 ? 2 : 1, result))
        return true
      }
      case 0x4: // MUL2
      case 0x5: {
        const result = multiply(operand(cpu, format, 1), operand(cpu, format, 0))
        cpu.cc = resultCc(format, store(cpu, format, low & 1 ? 2 : 1, result))
        return true
      }
      case 0x6: // DIV2 divr, quo
      case 0x7: {
        const result = divide(operand(cpu, format, 1), operand(cpu, format, 0))
        cpu.cc = resultCc(format, store(cpu, format, low & 1 ? 2 : 1, result))
        return true
      }
      case 0x8: // CVTxB
      case 0x9: // CVTxW
      case 0xa: // CVTxL
        storeInteger(cpu, 1, low - 8, toInteger(operand(cpu, format, 0), false))
        return true
      case 0xb: // CVTRxL
        storeInteger(cpu, 1, 2, toInteger(operand(cpu, format, 0), true))
        return true
      case 0xc: // CVTBx
      case 0xd: // CVTWx
      case 0xe: {
        // CVTLx
        const lg = low - 0xc
        const raw = cpu.val[0] as number
        const v = lg === 0 ? (raw << 24) >> 24 : lg === 1 ? (raw << 16) >> 16 : raw
        cpu.cc = resultCc(format, store(cpu, format, 1, fromInteger(v)))
        return true
      }
      case 0xf: {
        // ACBx limit, add, index, displ
        const limit = operand(cpu, format, 0)
        const addend = operand(cpu, format, 1)
        const [lo, hi] = storeBoth(cpu, format, 2, add(operand(cpu, format, 2), addend))
        cpu.cc = resultCc(format, lo) | (cpu.cc & C)
        const c = compareValues(unpack(format, lo, hi), limit)
        if (addend.negative ? c >= 0 : c <= 0) cpu.pc = (cpu.pc + (cpu.val[3] as number)) >>> 0
        return true
      }
    }
  }
  if (format !== undefined && (group === 0x50 || group === 0x70 || group === 0xfd50)) {
    switch (low) {
      case 0x0: {
        // MOVx
        const v = operand(cpu, format, 0)
        const lo = v.mantissa === 0n ? 0 : (cpu.val[0] as number)
        const hi = v.mantissa === 0n ? 0 : (cpu.hi[0] as number)
        if (format === 'F') cpu.writeLong(1, lo)
        else cpu.writeQuad(1, lo, hi)
        cpu.cc = resultCc(format, lo) | (cpu.cc & C)
        return true
      }
      case 0x1: // CMPx
        cpu.cc = compareCc(compareValues(operand(cpu, format, 0), operand(cpu, format, 1)))
        return true
      case 0x2: {
        // MNEGx
        const v = operand(cpu, format, 0)
        const lo = v.mantissa === 0n ? 0 : (cpu.val[0] as number) ^ 0x8000
        const hi = v.mantissa === 0n ? 0 : (cpu.hi[0] as number)
        if (format === 'F') cpu.writeLong(1, lo)
        else cpu.writeQuad(1, lo, hi)
        cpu.cc = resultCc(format, lo)
        return true
      }
      case 0x3: // TSTx
        operand(cpu, format, 0)
        cpu.cc = resultCc(format, cpu.val[0] as number)
        return true
      case 0x4:
        emod(cpu, format)
        return true
      case 0x6: {
        // CVTFD (0x56), CVTDF (0x76), CVTGF is FD33, CVTFG FD99
        const to: Format = format === 'F' ? 'D' : 'F'
        cpu.cc = resultCc(to, store(cpu, to, 1, operand(cpu, format, 0)))
        return true
      }
      default:
        return false
    }
  }
  if (code === 0xfd33 || code === 0xfd99) {
    // CVTGF, CVTFG
    const from: Format = code === 0xfd33 ? 'G' : 'F'
    const to: Format = code === 0xfd33 ? 'F' : 'G'
    cpu.cc = resultCc(to, store(cpu, to, 1, operand(cpu, from, 0)))
    return true
  }
  return false
}

/**
 * EMODx mulr, mulrx, muld, int, fract (SRM "EMOD"): the multiplier extended by 8 more
 * fraction bits (11 for G, the extension word's bits 15:5), times the multiplicand; the
 * product is truncated to the extended multiplier's 32 (F) or 64 (D, G) bits before it
 * is normalized. Its integer part goes to int (the low 32 bits, with V and the integer
 * overflow trap when it does not fit), and its fraction, rounded, to fract.
 */
function emod(cpu: Cpu, format: Format): void {
  const a = operand(cpu, format, 0)
  const b = operand(cpu, format, 2)
  const extension = cpu.val[1] as number
  const extensionBits = format === 'G' ? 11 : 8
  const extended =
    (a.mantissa << BigInt(extensionBits)) |
    BigInt(format === 'G' ? (extension >> 5) & 0x7ff : extension & 0xff)
  const precisionB = BigInt(SPECS[format].precision)
  let truncated: Value = ZERO
  if (a.mantissa !== 0n && b.mantissa !== 0n) {
    truncated = {
      negative: a.negative !== b.negative,
      mantissa: (extended * b.mantissa) >> precisionB,
      exponent: a.exponent - extensionBits + b.exponent + Number(precisionB),
    }
  }
  const whole = toInteger(truncated, false)
  const fraction = add(truncated, negate(fromBigInteger(whole)))
  const int = Number(BigInt.asIntN(32, whole))
  // The fraction is rounded (and may fault) before either result is written.
  const [lo, hi] = pack(cpu, format, fraction)
  cpu.writeLong(3, int)
  if (format === 'F') cpu.writeLong(4, lo)
  else cpu.writeQuad(4, lo, hi)
  cpu.cc = resultCc(format, lo)
  if (BigInt(int) !== whole) cpu.integerOverflow()
}

function fromBigInteger(v: bigint): Value {
  if (v === 0n) return ZERO
  return { negative: v < 0n, mantissa: v < 0n ? -v : v, exponent: 0 }
}

function compareCc(c: number): number {
  return c < 0 ? N : c === 0 ? Z : 0
}
