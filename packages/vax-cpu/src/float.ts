import { C, N, Z } from './alu'
import type { Cpu } from './cpu'
import { VaxException } from './exceptions'
import {
  ADD,
  CORE_D,
  CORE_F,
  CORE_G,
  coreLongwords,
  floatCore,
  MULTIPLY,
  OVERFLOW,
  POLY_UNDERFLOW,
  RESERVED,
  RESULT,
  SUBTRACT,
  UNDERFLOW,
} from './float-core'
import { PSL_FU, SCB } from './psl'

/**
 * F, D, G and H floating point (VAX SRM "Floating point instructions").
 *
 * A floating datum is a sequence of 16-bit words, the first at the lowest address: the
 * first word holds the sign (bit 15), the exponent and the fraction's most significant
 * bits; each following word continues the fraction, most significant first.
 *   F  2 words, exponent 8 bits (excess 128), 24-bit fraction
 *   D  4 words, exponent 8 bits (excess 128), 56-bit fraction
 *   G  4 words, exponent 11 bits (excess 1024), 53-bit fraction
 *   H  8 words, exponent 15 bits (excess 16384), 113-bit fraction (780 model)
 * (fraction lengths count the hidden bit, which makes the fraction 0.1f). Exponent 0
 * with sign 0 is zero (whatever the fraction); exponent 0 with sign 1 is a reserved
 * operand.
 *
 * Arithmetic is exact on integers and then rounded once: the bit below the last kept
 * bit is added to the magnitude and the rest truncated, as the SRM specifies. That
 * bigint arithmetic is the definition; the common F, D and G instructions take a fast
 * path (float-core.ts, WebAssembly on 64-bit integers) that gives the same bits.
 */

export type Format = 'F' | 'D' | 'G' | 'H'

interface Spec {
  /** Longwords in the datum. */
  readonly longwords: number
  /** Fraction bits in the first word, below the exponent. */
  readonly topBits: number
  readonly exponentMask: number
  /** Fraction bits including the hidden bit. */
  readonly precision: number
  readonly bias: number
}

const SPECS: Record<Format, Spec> = {
  F: { longwords: 1, topBits: 7, exponentMask: 0xff, precision: 24, bias: 128 },
  D: { longwords: 2, topBits: 7, exponentMask: 0xff, precision: 56, bias: 128 },
  G: { longwords: 2, topBits: 4, exponentMask: 0x7ff, precision: 53, bias: 1024 },
  H: { longwords: 4, topBits: 0, exponentMask: 0x7fff, precision: 113, bias: 16384 },
}

/** A value as sign * mantissa * 2^exponent (mantissa 0 for zero). */
export interface Value {
  readonly negative: boolean
  readonly mantissa: bigint
  readonly exponent: number
}

export const ZERO: Value = { negative: false, mantissa: 0n, exponent: 0 }

/** A longword's two words as one 32-bit number, its first (lower-address) word high. */
const swapped = (v: number) => ((v & 0xffff) * 0x10000 + (v >>> 16)) >>> 0

function reservedOperand(): never {
  throw new VaxException(SCB.RESERVED_OPERAND, 'fault')
}

function arithmeticFault(code: number): never {
  throw new VaxException(SCB.ARITHMETIC, 'fault', [code])
}

/** Floating overflow fault, floating underflow fault (SRM arithmetic exception codes). */
const FLOATING_OVERFLOW = 8
const FLOATING_UNDERFLOW = 10

/**
 * Decodes a floating value from its longwords (l0 at the lowest address; the ones a
 * format does not use are ignored). A reserved operand faults.
 */
export function unpack(format: Format, l0: number, l1 = 0, l2 = 0, l3 = 0): Value {
  const spec = SPECS[format]
  const negative = (l0 & 0x8000) !== 0
  const exp = (l0 >>> spec.topBits) & spec.exponentMask
  if (exp === 0) {
    if (negative) reservedOperand()
    return ZERO
  }
  const topMask = (1 << spec.topBits) - 1
  let fraction = BigInt((l0 & topMask) * 0x10000 + (l0 >>> 16))
  if (spec.longwords >= 2) fraction = (fraction << 32n) | BigInt(swapped(l1))
  if (spec.longwords === 4)
    fraction = (((fraction << 32n) | BigInt(swapped(l2))) << 32n) | BigInt(swapped(l3))
  const p = spec.precision
  return {
    negative,
    mantissa: (1n << BigInt(p - 1)) | fraction,
    exponent: exp - spec.bias - p,
  }
}

/** Bits in a positive bigint. */
function bitLength(v: bigint): number {
  if (v < 0x100000000n) return 32 - Math.clz32(Number(v))
  const hex = v.toString(16)
  return 4 * (hex.length - 1) + 32 - Math.clz32(Number.parseInt(hex.charAt(0), 16))
}

/** The outcome of rounding a value to a format: its longwords, or why it has none. */
type Rounded = number[] | 'overflow' | 'underflow'

/**
 * Rounds a value to the format's precision (SRM: add the bit below the last kept one,
 * truncate); the result's mantissa has exactly `precision` bits (or is 0).
 */
function roundValue(format: Format, value: Value): Value | 'overflow' | 'underflow' {
  if (value.mantissa === 0n) return ZERO
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
  if (biased > spec.exponentMask) return 'overflow'
  if (biased < 1) return 'underflow'
  return { negative: value.negative, mantissa, exponent }
}

/** Encodes a value already rounded by roundValue. */
function encode(format: Format, value: Value): number[] {
  const spec = SPECS[format]
  const out = new Array<number>(spec.longwords).fill(0)
  if (value.mantissa === 0n) return out
  const biased = value.exponent + spec.precision + spec.bias
  const fraction = value.mantissa & ((1n << BigInt(spec.precision - 1)) - 1n)
  for (let k = 0; k < spec.longwords; k++) {
    const chunk = Number((fraction >> BigInt(32 * (spec.longwords - 1 - k))) & 0xffffffffn)
    out[k] = (chunk >>> 16) | ((chunk & 0xffff) << 16) | 0
  }
  const sign = value.negative ? 0x8000 : 0
  out[0] = (out[0] as number) | sign | (biased << spec.topBits) | 0
  return out
}

/** Rounds and encodes a value. */
function round(format: Format, value: Value): Rounded {
  const rounded = roundValue(format, value)
  return typeof rounded === 'string' ? rounded : encode(format, rounded)
}

/**
 * Rounds and encodes a value. Overflow is a floating overflow fault; underflow is a
 * floating underflow fault when PSW<FU> is set, otherwise zero.
 */
export function pack(cpu: Cpu, format: Format, value: Value): number[] {
  const rounded = round(format, value)
  if (rounded === 'overflow') arithmeticFault(FLOATING_OVERFLOW)
  if (rounded === 'underflow') {
    if (cpu.psl & PSL_FU) arithmeticFault(FLOATING_UNDERFLOW)
    return new Array<number>(SPECS[format].longwords).fill(0)
  }
  return rounded
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

/** dividend / divisor with enough quotient bits (more than the precision) that one rounding is exact. */
function divide(format: Format, dividend: Value, divisor: Value): Value {
  if (divisor.mantissa === 0n) arithmeticFault(9)
  if (dividend.mantissa === 0n) return ZERO
  const extra = SPECS[format].precision + 8
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
function toInteger(a: Value, nearest: boolean): bigint {
  if (a.mantissa === 0n) return 0n
  let magnitude: bigint
  if (a.exponent >= 0) magnitude = a.mantissa << BigInt(a.exponent)
  else {
    const shift = BigInt(-a.exponent)
    magnitude = nearest ? (a.mantissa + (1n << (shift - 1n))) >> shift : a.mantissa >> shift
  }
  return a.negative ? -magnitude : magnitude
}

/** N and Z of an encoded result from its first longword (exponent 0 is zero). */
function resultCc(format: Format, l0: number): number {
  const spec = SPECS[format]
  if (((l0 >>> spec.topBits) & spec.exponentMask) === 0) return Z
  return l0 & 0x8000 ? N : 0
}

/** The format of a group of sixteen floating opcodes (0xFDxx for the two-byte ones). */
function formatOf(group: number): Format | undefined {
  switch (group) {
    case 0x40:
    case 0x50:
      return 'F'
    case 0x60:
    case 0x70:
      return 'D'
    case 0xfd40:
    case 0xfd50:
      return 'G'
    case 0xfd60:
    case 0xfd70:
      return 'H'
    default:
      return undefined
  }
}

/** The conversions between floating formats: opcode -> [from, to]. */
const CONVERSIONS: Record<number, readonly [Format, Format]> = {
  86: ['F', 'D'], // CVTFD
  118: ['D', 'F'], // CVTDF
  64818: ['D', 'H'], // CVTDH
  64819: ['G', 'F'], // CVTGF
  64854: ['G', 'H'], // CVTGH
  64886: ['H', 'G'], // CVTHG
  64920: ['F', 'H'], // CVTFH
  64921: ['F', 'G'], // CVTFG
  65014: ['H', 'F'], // CVTHF
  65015: ['H', 'D'], // CVTHD
}

/** Operand i's longwords as decoded (the ones its format does not use are stale). */
function raw(cpu: Cpu, i: number): number[] {
  return [cpu.val[i] as number, cpu.hi[i] as number, cpu.hi2[i] as number, cpu.hi3[i] as number]
}

function operand(cpu: Cpu, format: Format, i: number): Value {
  return unpack(
    format,
    cpu.val[i] as number,
    cpu.hi[i] as number,
    cpu.hi2[i] as number,
    cpu.hi3[i] as number,
  )
}

/** Writes encoded longwords to floating operand i. */
function writeFloat(cpu: Cpu, format: Format, i: number, l: readonly number[]): void {
  const n = SPECS[format].longwords
  if (n === 1) cpu.writeLong(i, l[0] as number)
  else if (n === 2) cpu.writeQuad(i, l[0] as number, l[1] as number)
  else cpu.writeOcta(i, l[0] as number, l[1] as number, l[2] as number, l[3] as number)
}

/** Rounds, encodes and writes a result to operand i; returns the encoded longwords. */
function store(cpu: Cpu, format: Format, i: number, value: Value): number[] {
  const l = pack(cpu, format, value)
  writeFloat(cpu, format, i, l)
  return l
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
 * not implement, which is then a reserved instruction.
 */
export function executeFloat(cpu: Cpu, opcode: number): boolean {
  const code = opcode > 0xff ? 0xfd00 | (opcode & 0xff) : opcode
  const group = code & ~0xf
  const low = code & 0xf
  const f = coreFormatOf(group)
  if (f >= 0 && coreEnabled && executeCore(cpu, f, group, low)) return true
  const format = formatOf(group)
  if (format !== undefined && (group & 0x10) === 0) {
    switch (low) {
      case 0x0: // ADD2
      case 0x1: // ADD3
      case 0x2: // SUB2
      case 0x3: {
        // SUB3
        const a = operand(cpu, format, 0)
        const b = operand(cpu, format, 1)
        const result = low < 2 ? add(b, a) : add(b, negate(a))
        cpu.cc = resultCc(format, store(cpu, format, low & 1 ? 2 : 1, result)[0] as number)
        return true
      }
      case 0x4: // MUL2
      case 0x5: {
        const result = multiply(operand(cpu, format, 1), operand(cpu, format, 0))
        cpu.cc = resultCc(format, store(cpu, format, low & 1 ? 2 : 1, result)[0] as number)
        return true
      }
      case 0x6: // DIV2 divr, quo
      case 0x7: {
        const result = divide(format, operand(cpu, format, 1), operand(cpu, format, 0))
        cpu.cc = resultCc(format, store(cpu, format, low & 1 ? 2 : 1, result)[0] as number)
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
        const value = cpu.val[0] as number
        const v = lg === 0 ? (value << 24) >> 24 : lg === 1 ? (value << 16) >> 16 : value
        cpu.cc = resultCc(format, store(cpu, format, 1, fromInteger(v))[0] as number)
        return true
      }
      default: {
        // ACBx limit, add, index, displ
        const limit = operand(cpu, format, 0)
        const addend = operand(cpu, format, 1)
        const l = store(cpu, format, 2, add(operand(cpu, format, 2), addend))
        cpu.cc = resultCc(format, l[0] as number) | (cpu.cc & C)
        const c = compareValues(unpack(format, l[0] as number, l[1], l[2], l[3]), limit)
        if (addend.negative ? c >= 0 : c <= 0) cpu.pc = (cpu.pc + (cpu.val[3] as number)) >>> 0
        return true
      }
    }
  }
  const conversion = CONVERSIONS[code]
  if (conversion !== undefined) {
    const [from, to] = conversion
    cpu.cc = resultCc(to, store(cpu, to, 1, operand(cpu, from, 0))[0] as number)
    return true
  }
  if (format === undefined) return false
  switch (low) {
    case 0x0: // MOVx
    case 0x2: {
      // MNEGx
      const v = operand(cpu, format, 0)
      const l = v.mantissa === 0n ? [0, 0, 0, 0] : raw(cpu, 0)
      if (low === 2 && v.mantissa !== 0n) l[0] = (l[0] as number) ^ 0x8000
      writeFloat(cpu, format, 1, l)
      cpu.cc = resultCc(format, l[0] as number) | (low === 0 ? cpu.cc & C : 0)
      return true
    }
    case 0x1: // CMPx
      cpu.cc = compareCc(compareValues(operand(cpu, format, 0), operand(cpu, format, 1)))
      return true
    case 0x3: // TSTx
      operand(cpu, format, 0)
      cpu.cc = resultCc(format, cpu.val[0] as number)
      return true
    case 0x4:
      emod(cpu, format)
      return true
    case 0x5:
      poly(cpu, format)
      return true
    default:
      return false
  }
}

/** EMOD's multiplier extension: bits of the extension operand, and how many. */
const EXTENSION: Record<Format, { bits: number; shift: number }> = {
  F: { bits: 8, shift: 0 },
  D: { bits: 8, shift: 0 },
  G: { bits: 11, shift: 5 },
  H: { bits: 15, shift: 1 },
}

/**
 * EMODx mulr, mulrx, muld, int, fract (SRM "EMOD"): the multiplier extended by 8 more
 * fraction bits (11 for G, the extension word's bits 15:5; 15 for H, bits 15:1), times
 * the multiplicand; the product is truncated to the extended multiplier's 32 (F), 64
 * (D, G) or 128 (H) bits before it is normalized. Its integer part goes to int (the low
 * 32 bits, with V and the integer overflow trap when it does not fit), and its
 * fraction, rounded, to fract.
 */
function emod(cpu: Cpu, format: Format): void {
  const a = operand(cpu, format, 0)
  const b = operand(cpu, format, 2)
  const { bits, shift } = EXTENSION[format]
  const extension = ((cpu.val[1] as number) >>> shift) & ((1 << bits) - 1)
  const extended = (a.mantissa << BigInt(bits)) | BigInt(extension)
  const precision = SPECS[format].precision
  let truncated: Value = ZERO
  if (a.mantissa !== 0n && b.mantissa !== 0n) {
    truncated = {
      negative: a.negative !== b.negative,
      mantissa: (extended * b.mantissa) >> BigInt(precision),
      exponent: a.exponent - bits + b.exponent + precision,
    }
  }
  const whole = toInteger(truncated, false)
  const fraction = add(truncated, negate(fromBigInteger(whole)))
  const int = Number(BigInt.asIntN(32, whole))
  // The fraction is rounded (and may fault) before either result is written.
  const l = pack(cpu, format, fraction)
  cpu.writeLong(3, int)
  writeFloat(cpu, format, 4, l)
  cpu.cc = resultCc(format, l[0] as number)
  if (BigInt(int) !== whole) cpu.integerOverflow()
}

/**
 * The product of two fractions truncated, before normalization, to `bits` bits (SRM
 * "POLY": "the precision of the product is equivalent to a floating datum having a
 * 31-bit (63-bit) fraction"): the fractions are 0.1f, their product lies in [1/4, 1),
 * and the bits below 2^-bits of it are dropped.
 */
function truncatedProduct(a: Value, b: Value, precision: number, bits: number): Value {
  if (a.mantissa === 0n || b.mantissa === 0n) return ZERO
  // a.mantissa * b.mantissa is the product of the fractions times 2^(2 * precision).
  const drop = BigInt(2 * precision - bits)
  return {
    negative: a.negative !== b.negative,
    mantissa: (a.mantissa * b.mantissa) >> drop,
    exponent: a.exponent + b.exponent + Number(drop),
  }
}

/** Bits of POLY's intermediate product (SRM "POLY", note 2). */
const POLY_PRODUCT_BITS: Record<Format, number> = { F: 31, D: 63, G: 63, H: 127 }

/**
 * POLYx arg, degree, tbladdr (SRM "POLY"): Horner's method over degree + 1
 * coefficients, the highest-order one first. Each step multiplies the partial result
 * by arg, truncating the product to 31 (F), 63 (D, G) or 127 (H) fraction bits, adds
 * the next coefficient, and rounds once; an overflow faults at once, an underflow
 * makes the partial result 0 and faults at the end when PSW<FU> is set. A degree over
 * 31 is a reserved operand. Afterwards R0 (R0-R1, R0-R3 for H) holds the result, the
 * registers up to R3 (R5 for D, G and H) are cleared, and R3 (R5 for H) points past
 * the table; a fault leaves every register as it was.
 */
function poly(cpu: Cpu, format: Format): void {
  const spec = SPECS[format]
  const arg = operand(cpu, format, 0)
  const degree = (cpu.val[1] as number) & 0xffff
  if (degree > 31) reservedOperand()
  const size = 4 * spec.longwords
  let address = (cpu.addr[2] as number) >>> 0
  const coefficient = (): Value => {
    const l = [0, 0, 0, 0]
    for (let k = 0; k < spec.longwords; k++) l[k] = cpu.read32((address + 4 * k) >>> 0)
    address = (address + size) >>> 0
    return unpack(format, l[0] as number, l[1], l[2], l[3])
  }
  // The partial result stays unpacked between steps (it is already rounded).
  let result = roundValue(format, coefficient()) as Value
  let underflow = false
  for (let i = 0; i < degree; i++) {
    const product = truncatedProduct(result, arg, spec.precision, POLY_PRODUCT_BITS[format])
    const next = roundValue(format, add(product, coefficient()))
    if (next === 'overflow') arithmeticFault(FLOATING_OVERFLOW)
    if (next === 'underflow') {
      underflow = true
      result = ZERO
    } else result = next
  }
  if (underflow && cpu.psl & PSL_FU) arithmeticFault(FLOATING_UNDERFLOW)
  const r = cpu.r
  const encoded = encode(format, result)
  for (let k = format === 'F' ? 3 : 5; k >= 0; k--) r[k] = 0
  for (let k = 0; k < spec.longwords; k++) r[k] = encoded[k] as number
  r[format === 'H' ? 5 : 3] = address | 0
  cpu.cc = resultCc(format, encoded[0] as number)
}

function fromBigInteger(v: bigint): Value {
  if (v === 0n) return ZERO
  return { negative: v < 0n, mantissa: v < 0n ? -v : v, exponent: 0 }
}

function compareCc(c: number): number {
  return c < 0 ? N : c === 0 ? Z : 0
}

let coreEnabled = true

/**
 * @internal Turns the fast path (float-core) off or on: off, every instruction takes the
 * bigint path that defines it. For the tests that prove the two agree.
 */
export function useFloatCore(on: boolean): void {
  coreEnabled = on
}

/** The fast path's format (float-core.ts numbering) of a group of sixteen opcodes; -1 for H. */
function coreFormatOf(group: number): number {
  const format = formatOf(group)
  return format === 'F' ? CORE_F : format === 'D' ? CORE_D : format === 'G' ? CORE_G : -1
}

/** A datum's exponent field (its first longword, as read): F and D 8 bits, G 11. */
const exponentField = (f: number, l0: number) =>
  f === CORE_G ? (l0 >>> 4) & 0x7ff : (l0 >>> 7) & 0xff

/** Whether a datum (its first longword) is a reserved operand: sign 1, exponent 0. */
const isReserved = (f: number, l0: number) => exponentField(f, l0) === 0 && (l0 & 0x8000) !== 0

/** Faults when operand i is a reserved operand; returns its exponent field. */
function checkOperand(cpu: Cpu, f: number, i: number): number {
  const l0 = cpu.val[i] as number
  if (isReserved(f, l0)) reservedOperand()
  return exponentField(f, l0)
}

/** @internal N and Z of a datum of format f from its first longword (exponent 0 is zero). */
export function floatCc(f: number, l0: number): number {
  if (exponentField(f, l0) === 0) return Z
  return l0 & 0x8000 ? N : 0
}

/**
 * @internal b + a, b - a or b × a (op ADD, SUBTRACT, MULTIPLY) of format f (float-core
 * numbering), data given by their longwords, as ADDx, SUBx and MULx compute it: a
 * reserved operand (a first), an overflow, or with PSW<FU> an underflow, faults; an
 * underflow otherwise gives 0. Returns the result's first longword; floatResultHigh()
 * gives the second. The translator calls it for these instructions in line.
 */
export function floatArithmetic(
  cpu: Cpu,
  f: number,
  op: number,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): number {
  if (isReserved(f, a0) || isReserved(f, b0)) reservedOperand()
  const status = floatCore.arith(f, op, a0, a1, b0, b1)
  if (status === OVERFLOW) arithmeticFault(FLOATING_OVERFLOW)
  if (status === UNDERFLOW) {
    if (cpu.psl & PSL_FU) arithmeticFault(FLOATING_UNDERFLOW)
    coreLongwords[RESULT] = 0
    coreLongwords[RESULT + 1] = 0
  }
  return coreLongwords[RESULT] as number
}

/** @internal The second longword of floatArithmetic's result (D, G). */
export const floatResultHigh = (): number => coreLongwords[RESULT + 1] as number

/** @internal CMPx's condition codes for data a and b of format f; a reserved operand faults. */
export function floatCompare(f: number, a0: number, a1: number, b0: number, b1: number): number {
  if (isReserved(f, a0) || isReserved(f, b0)) reservedOperand()
  return compareCc(compareData(f, a0, a1, b0, b1))
}

/** Writes a floatArithmetic result to operand i; returns its first longword. */
function storeCore(cpu: Cpu, f: number, i: number, l0: number): number {
  if (f === CORE_F) cpu.writeLong(i, l0)
  else cpu.writeQuad(i, l0, floatResultHigh())
  return l0
}

/** A longword's two words exchanged: the first (lower-address) word becomes the high half. */
const swapWords = (v: number) => ((v >>> 16) | (v << 16)) >>> 0

/**
 * -1, 0 or 1 as datum a is less than, equal to or greater than datum b (neither a
 * reserved operand): with their words in order of significance, data compare as sign
 * and magnitude.
 */
function compareData(f: number, a0: number, a1: number, b0: number, b1: number): number {
  const aZero = exponentField(f, a0) === 0
  const bZero = exponentField(f, b0) === 0
  if (aZero || bZero) {
    if (aZero && bZero) return 0
    return (aZero ? (b0 & 0x8000) !== 0 : (a0 & 0x8000) === 0) ? 1 : -1
  }
  const aNegative = (a0 & 0x8000) !== 0
  if (aNegative !== ((b0 & 0x8000) !== 0)) return aNegative ? -1 : 1
  let c = 0
  const ah = swapWords(a0) & 0x7fffffff
  const bh = swapWords(b0) & 0x7fffffff
  if (ah !== bh) c = ah > bh ? 1 : -1
  else if (f !== CORE_F && a1 !== b1) c = swapWords(a1) > swapWords(b1) ? 1 : -1
  return aNegative ? -c : c
}

/**
 * The fast path for F, D and G (float-core.ts): ADD, SUB, MUL, ACB, POLY, and MOV,
 * MNEG, CMP and TST on the data themselves. Returns false for the other instructions,
 * which take the bigint path.
 */
function executeCore(cpu: Cpu, f: number, group: number, low: number): boolean {
  const val = cpu.val
  const hi = cpu.hi
  if ((group & 0x10) === 0) {
    if (low <= 5) {
      // ADD2, ADD3, SUB2, SUB3, MUL2, MUL3: operand 1 op operand 0
      const op = low < 2 ? ADD : low < 4 ? SUBTRACT : MULTIPLY
      const l0 = floatArithmetic(
        cpu,
        f,
        op,
        val[0] as number,
        hi[0] as number,
        val[1] as number,
        hi[1] as number,
      )
      cpu.cc = floatCc(f, storeCore(cpu, f, low & 1 ? 2 : 1, l0))
      return true
    }
    if (low === 0xf) {
      // ACBx limit, add, index, displ
      checkOperand(cpu, f, 0)
      const addendExponent = checkOperand(cpu, f, 1)
      checkOperand(cpu, f, 2)
      const sum = floatArithmetic(
        cpu,
        f,
        ADD,
        val[1] as number,
        hi[1] as number,
        val[2] as number,
        hi[2] as number,
      )
      const l0 = storeCore(cpu, f, 2, sum)
      const l1 = floatResultHigh()
      cpu.cc = floatCc(f, l0) | (cpu.cc & C)
      const c = compareData(f, l0, l1, val[0] as number, hi[0] as number)
      const addendNegative = addendExponent !== 0 && ((val[1] as number) & 0x8000) !== 0
      if (addendNegative ? c >= 0 : c <= 0) cpu.pc = (cpu.pc + (val[3] as number)) >>> 0
      return true
    }
    return false
  }
  switch (low) {
    case 0x0: // MOVx
    case 0x2: {
      // MNEGx
      const zero = checkOperand(cpu, f, 0) === 0
      let l0 = zero ? 0 : (val[0] as number)
      const l1 = zero ? 0 : (hi[0] as number)
      if (low === 2 && !zero) l0 ^= 0x8000
      if (f === CORE_F) cpu.writeLong(1, l0)
      else cpu.writeQuad(1, l0, l1)
      cpu.cc = floatCc(f, l0) | (low === 0 ? cpu.cc & C : 0)
      return true
    }
    case 0x1: // CMPx
      cpu.cc = floatCompare(f, val[0] as number, hi[0] as number, val[1] as number, hi[1] as number)
      return true
    case 0x3: // TSTx
      checkOperand(cpu, f, 0)
      cpu.cc = floatCc(f, val[0] as number)
      return true
    case 0x5:
      floatPoly(cpu, f, val[0] as number, hi[0] as number, val[1] as number, cpu.addr[2] as number)
      return true
    default:
      return false
  }
}

/**
 * @internal POLYF, POLYD and POLYG (f) on the fast path, of argument a0:a1, degree and
 * table address as decoded: the table is read first (readPolyTable), then float-core
 * computes, and the exception the step-by-step definition (poly() above) raises first is
 * raised. The translator calls it in line.
 */
export function floatPoly(
  cpu: Cpu,
  f: number,
  a0: number,
  a1: number,
  degreeOperand: number,
  table: number,
): void {
  if (isReserved(f, a0)) reservedOperand()
  const degree = degreeOperand & 0xffff
  if (degree > 31) reservedOperand()
  const size = f === CORE_F ? 1 : 2
  const entries = Math.floor(readPolyTable(cpu, table >>> 0, size * (degree + 1)) / size)
  if (entries === 0) throw polyTableFault
  const status = floatCore.poly(f, a0, a1, entries)
  if (status === RESERVED) reservedOperand()
  if (status === OVERFLOW) arithmeticFault(FLOATING_OVERFLOW)
  if (entries <= degree) throw polyTableFault
  if (coreLongwords[POLY_UNDERFLOW] && cpu.psl & PSL_FU) arithmeticFault(FLOATING_UNDERFLOW)
  const l0 = coreLongwords[RESULT] as number
  const r = cpu.r
  r[0] = l0
  r[1] = f === CORE_F ? 0 : (coreLongwords[RESULT + 1] as number)
  r[2] = 0
  r[3] = (table + 4 * size * (degree + 1)) | 0
  if (f !== CORE_F) {
    r[4] = 0
    r[5] = 0
  }
  cpu.cc = floatCc(f, l0)
}

/** The exception readPolyTable stopped at, when it stopped early. */
let polyTableFault: unknown

/**
 * Reads `longwords` longwords of a POLY table at va into float-core's memory; returns
 * how many it read. All at once when the table lies in one page of RAM; else one by
 * one, stopping at the first that faults (kept in polyTableFault). POLY raises that
 * fault only if no step before the entry it stopped at raised another (the SRM's order:
 * each step reads its coefficient, then adds and rounds).
 */
function readPolyTable(cpu: Cpu, va: number, longwords: number): number {
  polyTableFault = undefined
  const pa = cpu.span(va, 4 * longwords, false)
  if (pa >= 0) {
    // A longword at a time: a subarray to copy from would be an object per POLY.
    const view = cpu.memory.view
    for (let k = 0; k < longwords; k++) coreLongwords[k] = view.getInt32(pa + 4 * k, true)
    return longwords
  }
  let k = 0
  try {
    for (; k < longwords; k++) coreLongwords[k] = cpu.read32((va + 4 * k) >>> 0)
  } catch (e) {
    polyTableFault = e
  }
  return k
}
