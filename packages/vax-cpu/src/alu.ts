/**
 * Integer arithmetic with the VAX condition codes. Byte and word operands arrive
 * zero-extended (0..0xFF, 0..0xFFFF), longwords as signed 32-bit integers. Each
 * function leaves the condition codes in `flags.cc` and returns the result.
 */
export const N = 8
export const Z = 4
export const V = 2
export const C = 1

const MASK = [0xff, 0xffff] as const
const SIGN = [0x80, 0x8000] as const

/** Result flags shared by the ALU helpers (read by the caller right after a call). */
export const flags = { cc: 0 }

/** Sign-extends a byte (lg 0) or word (lg 1) value. */
export function sext(value: number, lg: number): number {
  return lg === 0 ? (value << 24) >> 24 : lg === 1 ? (value << 16) >> 16 : value | 0
}

/** N and Z of a result of size lg (0 byte, 1 word, 2 long). */
export function nz(value: number, lg: number): number {
  if (lg >= 2) return (value < 0 ? N : 0) | (value === 0 ? Z : 0)
  const m = value & (MASK[lg as 0 | 1] as number)
  return (m & (SIGN[lg as 0 | 1] as number) ? N : 0) | (m === 0 ? Z : 0)
}

/** a + b + carry; C is the unsigned carry out, V the signed overflow. */
export function add(a: number, b: number, carry: number, lg: number): number {
  if (lg >= 2) {
    const r = (a + b + carry) | 0
    const t = a + b + carry
    flags.cc =
      nz(r, 2) |
      (t > 0x7fffffff || t < -0x80000000 ? V : 0) |
      ((a >>> 0) + (b >>> 0) + carry > 0xffffffff ? C : 0)
    return r
  }
  const mask = MASK[lg as 0 | 1] as number
  const u = a + b + carry
  const r = u & mask
  const t = sext(a, lg) + sext(b, lg) + carry
  const limit = SIGN[lg as 0 | 1] as number
  flags.cc = nz(r, lg) | (t >= limit || t < -limit ? V : 0) | (u > mask ? C : 0)
  return r
}

/** minuend - subtrahend - borrow; C is the unsigned borrow, V the signed overflow. */
export function sub(subtrahend: number, minuend: number, borrow: number, lg: number): number {
  if (lg >= 2) {
    const r = (minuend - subtrahend - borrow) | 0
    const t = minuend - subtrahend - borrow
    flags.cc =
      nz(r, 2) |
      (t > 0x7fffffff || t < -0x80000000 ? V : 0) |
      ((minuend >>> 0) - (subtrahend >>> 0) - borrow < 0 ? C : 0)
    return r
  }
  const mask = MASK[lg as 0 | 1] as number
  const u = minuend - subtrahend - borrow
  const r = u & mask
  const t = sext(minuend, lg) - sext(subtrahend, lg) - borrow
  const limit = SIGN[lg as 0 | 1] as number
  flags.cc = nz(r, lg) | (t >= limit || t < -limit ? V : 0) | (u < 0 ? C : 0)
  return r
}

/** Condition codes of CMP a, b: N signed less, Z equal, C unsigned less, V 0. */
export function compare(a: number, b: number, lg: number): number {
  if (lg >= 2) {
    return (a < b ? N : 0) | (a === b ? Z : 0) | (a >>> 0 < b >>> 0 ? C : 0)
  }
  const sa = sext(a, lg)
  const sb = sext(b, lg)
  return (sa < sb ? N : 0) | (sa === sb ? Z : 0) | (a < b ? C : 0)
}

/** Signed product truncated to the size; V when it does not fit. */
export function multiply(a: number, b: number, lg: number): number {
  if (lg >= 2) {
    const exact = a * b
    const r = Math.imul(a, b)
    flags.cc = nz(r, 2) | (exact > 0x7fffffff || exact < -0x80000000 ? V : 0)
    return r
  }
  const t = sext(a, lg) * sext(b, lg)
  const r = t & (MASK[lg as 0 | 1] as number)
  const limit = SIGN[lg as 0 | 1] as number
  flags.cc = nz(r, lg) | (t >= limit || t < -limit ? V : 0)
  return r
}

/**
 * dividend / divisor truncated toward zero. `flags.cc` gets V on a zero divisor or
 * overflow (largest negative / -1), and the result is then the dividend.
 * Returns the quotient; `divideStatus` says which error, if any.
 */
export const divideStatus = { zero: false, overflow: false }

export function divide(divisor: number, dividend: number, lg: number): number {
  divideStatus.zero = false
  divideStatus.overflow = false
  const d = sext(divisor, lg)
  const n = sext(dividend, lg)
  let r: number
  if (d === 0) {
    divideStatus.zero = true
    r = dividend
  } else if (d === -1 && n === (lg >= 2 ? -0x80000000 : -(SIGN[lg as 0 | 1] as number))) {
    divideStatus.overflow = true
    r = dividend
  } else {
    r = Math.trunc(n / d)
  }
  r = lg >= 2 ? r | 0 : r & (MASK[lg as 0 | 1] as number)
  flags.cc = nz(r, lg) | (divideStatus.zero || divideStatus.overflow ? V : 0)
  return r
}
