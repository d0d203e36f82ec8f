import { assemble } from '@vax/asm'
import { OPCODE_BY_MNEMONIC, type Opcode } from '@vax/cpu'
import { codeRegion, generateProgram, LAYOUT, type TestProgram } from './programs'
import { Random } from './random'

/**
 * Programs for the floating-point groups the random streams leave out: POLY (F, D, G,
 * and H on the 780), H floating, and the octaword moves. Values are built field by
 * field so that they reach the places where floating point goes wrong: rounding
 * boundaries (fractions ending in 1000... and 0111...), the exponent limits (so that
 * results overflow and underflow), zero with a nonzero fraction, and reserved operands.
 */

export type FloatFormat = 'F' | 'D' | 'G' | 'H'

const FORMATS: Record<FloatFormat, { longwords: number; exponentBits: number }> = {
  F: { longwords: 1, exponentBits: 8 },
  D: { longwords: 2, exponentBits: 8 },
  G: { longwords: 2, exponentBits: 11 },
  H: { longwords: 4, exponentBits: 15 },
}

/** Encodes sign, biased exponent and fraction (without the hidden bit) as longwords. */
export function encodeFloat(
  format: FloatFormat,
  negative: boolean,
  exponent: number,
  fraction: bigint,
): number[] {
  const { longwords, exponentBits } = FORMATS[format]
  const fractionBits = 32 * longwords - 1 - exponentBits
  // The datum as one integer, its first word most significant.
  const datum =
    ((negative ? 1n : 0n) << BigInt(32 * longwords - 1)) |
    (BigInt(exponent) << BigInt(fractionBits)) |
    (fraction & ((1n << BigInt(fractionBits)) - 1n))
  const out: number[] = []
  for (let k = 0; k < longwords; k++) {
    const chunk = Number((datum >> BigInt(32 * (longwords - 1 - k))) & 0xffffffffn)
    // In memory the lower-addressed word of each pair is the more significant one.
    out.push(((chunk >>> 16) | ((chunk & 0xffff) << 16)) >>> 0)
  }
  return out
}

/** A random fraction of `bits` bits, often with a run of zeros or ones at its end. */
function fraction(r: Random, bits: number): bigint {
  let f = 0n
  for (let k = 0; k < bits; k += 16) f = (f << 16n) | BigInt(r.int(0, 0xffff))
  f &= (1n << BigInt(bits)) - 1n
  const run = BigInt(r.int(1, bits))
  const mask = (1n << run) - 1n
  switch (r.int(0, 5)) {
    case 0:
      return f & ~mask // ...000: exact in a shorter format
    case 1:
      return f | mask // ...111: one below a carry
    case 2:
      return (f & ~mask) | (1n << (run - 1n)) // ...1000: a tie for a shorter format
    case 3:
      return r.chance(0.5) ? 0n : (1n << BigInt(bits)) - 1n
    default:
      return f
  }
}

/**
 * A floating value of `format` as longwords: mostly near 1, sometimes anywhere, near
 * the largest or smallest exponent, zero (now and then with a nonzero fraction) or a
 * reserved operand (with `reserved` of the time); only `extreme` of the values are
 * drawn that widely, the others lie near 1.
 */
export function floatValue(r: Random, format: FloatFormat, reserved = 0.02, extreme = 1): number[] {
  const { longwords, exponentBits } = FORMATS[format]
  const max = (1 << exponentBits) - 1
  const bias = 1 << (exponentBits - 1)
  const bits = 32 * longwords - 1 - exponentBits
  const negative = r.chance(0.4)
  if (r.chance(reserved)) return encodeFloat(format, true, 0, fraction(r, bits))
  // Without `extreme`, a value near 1.
  const roll = r.chance(extreme) ? r.next() : 0.3
  let exponent: number
  if (roll < 0.06) return encodeFloat(format, false, 0, r.chance(0.5) ? 0n : fraction(r, bits))
  if (roll < 0.45) exponent = bias + r.int(-3, 3)
  else if (roll < 0.65) exponent = bias + r.int(-40, 40)
  else if (roll < 0.75) exponent = max - r.int(0, 3)
  else if (roll < 0.85) exponent = 1 + r.int(0, 3)
  else exponent = r.int(1, max)
  return encodeFloat(format, negative, exponent, fraction(r, bits))
}

const hex = (v: number) => `^X${(v >>> 0).toString(16)}`

/** A data line for a value's longwords. */
function dataLine(label: string, longwords: readonly number[]): string {
  return `${label}: .LONG   ${longwords.map(hex).join(',')}`
}

/** Where results go: 32-byte slots in the scratch area (dumped). */
const slot = (k: number) => `@#${hex(LAYOUT.scratch + 0x100 + 0x20 * (k & 63))}`

/** The random program of `seed` with `source` assembled in place of its code. */
function fromSource(seed: number, source: string, machine: 'ka655' | 'vax780'): TestProgram {
  const code = assemble(source, { base: LAYOUT.code }).image
  const base = generateProgram(seed, machine)
  return {
    ...base,
    code,
    loads: base.loads.map((l) =>
      l.address === LAYOUT.code ? { address: LAYOUT.code, bytes: codeRegion(code) } : l,
    ),
    maxSteps: 5000,
    dumps: [...base.dumps, { address: LAYOUT.code, length: Math.ceil(code.length / 4) * 4 }],
  }
}

/**
 * POLY programs (SRM "POLY"): one to four evaluations, each with a table of degree + 1
 * coefficients (every degree from 0 to 31, now and then more: a reserved operand), the
 * argument from memory, from registers or a short literal, and PSW<FU> set in some.
 * After each evaluation R0-R5 and the PSL are stored, so every result is compared.
 * POLYH only on the 780 model.
 */
export function generatePoly(seed: number, machine: 'ka655' | 'vax780' = 'vax780'): TestProgram {
  const r = new Random(seed * 7919 + 11)
  const formats: FloatFormat[] = machine === 'vax780' ? ['F', 'D', 'G', 'H'] : ['F', 'D', 'G']
  const lines: string[] = []
  const data: string[] = []
  if (r.chance(0.3)) lines.push('        BISPSW  #^X40')
  const count = r.int(1, 4)
  for (let k = 0; k < count; k++) {
    const format = r.pick(formats)
    const degree = r.chance(0.04) ? r.pick([32, 33, 40, 0x8000, 0xffff]) : r.int(0, 31)
    const reserved = r.chance(0.1) ? 0.02 : 0
    const bits = 32 * FORMATS[format].longwords - 1 - FORMATS[format].exponentBits
    const bias = 1 << (FORMATS[format].exponentBits - 1)
    // Mostly moderate coefficients, so that long polynomials run to the end.
    const near = (spread: number) =>
      encodeFloat(format, r.chance(0.4), bias + r.int(-spread, spread), fraction(r, bits))
    const limits = r.chance(0.5) ? 0.1 : 0.01
    const coefficients = Array.from({ length: Math.min(degree, 40) + 1 }, () =>
      r.chance(limits) ? floatValue(r, format, reserved) : near(r.pick([2, 8, 30])),
    )
    data.push(`        .ALIGN  LONG`)
    for (const [i, c] of coefficients.entries())
      data.push(dataLine(i === 0 ? `c${k}` : `c${k}_${i}`, c))
    // Arguments near 1 keep long polynomials finite; others reach the limits.
    const arg = r.chance(0.8)
      ? encodeFloat(format, r.chance(0.4), bias + r.int(-3, 1), fraction(r, bits))
      : floatValue(r, format, reserved)
    data.push(dataLine(`a${k}`, arg))
    let argument = `a${k}`
    const where = r.next()
    if (where < 0.25) {
      const move = format === 'F' ? 'MOVL' : format === 'H' ? 'MOVO' : 'MOVQ'
      lines.push(`        ${move}    a${k},R6`)
      argument = 'R6'
    } else if (where < 0.35) argument = `S^#${r.int(0, 63)}`
    const degreeOperand = degree <= 63 && r.chance(0.5) ? `S^#${degree}` : `I^#${degree}`
    lines.push(`        POLY${format}   ${argument},${degreeOperand},c${k}`)
    lines.push(`        MOVQ    R0,${slot(2 * k)}`)
    lines.push(`        MOVQ    R2,${slot(2 * k)}+8`)
    lines.push(`        MOVQ    R4,${slot(2 * k)}+16`)
    lines.push(`        MOVPSL  ${slot(2 * k)}+24`)
  }
  lines.push('        HALT')
  return fromSource(seed, [...lines, ...data].join('\n'), machine)
}

/** Formats an H operation reads, by mnemonic; its destination is the last operand. */
const H_OPERATIONS: readonly { readonly name: string; readonly reads: readonly string[] }[] = [
  { name: 'MOVH', reads: ['H'] },
  { name: 'MNEGH', reads: ['H'] },
  { name: 'ADDH3', reads: ['H', 'H'] },
  { name: 'SUBH3', reads: ['H', 'H'] },
  { name: 'MULH3', reads: ['H', 'H'] },
  { name: 'DIVH3', reads: ['H', 'H'] },
  { name: 'ADDH2', reads: ['H'] },
  { name: 'SUBH2', reads: ['H'] },
  { name: 'MULH2', reads: ['H'] },
  { name: 'DIVH2', reads: ['H'] },
  { name: 'CVTFH', reads: ['F'] },
  { name: 'CVTDH', reads: ['D'] },
  { name: 'CVTGH', reads: ['G'] },
  { name: 'CVTHF', reads: ['H'] },
  { name: 'CVTHD', reads: ['H'] },
  { name: 'CVTHG', reads: ['H'] },
  { name: 'CVTHB', reads: ['H'] },
  { name: 'CVTHW', reads: ['H'] },
  { name: 'CVTHL', reads: ['H'] },
  { name: 'CVTRHL', reads: ['H'] },
  { name: 'CVTBH', reads: ['b'] },
  { name: 'CVTWH', reads: ['w'] },
  { name: 'CVTLH', reads: ['l'] },
  { name: 'CMPH', reads: ['H', 'H'] },
  { name: 'TSTH', reads: ['H'] },
  { name: 'EMODH', reads: [] },
  { name: 'ACBH', reads: [] },
]

/** Where a result of each type may be written (registers only where R0-R5 suffice). */
function destination(r: Random, type: string, k: number): string {
  if (r.chance(0.6)) return slot(k)
  if (type === 'H') return r.pick(['R0', 'R2'])
  if (type === 'D' || type === 'G') return r.pick(['R0', 'R2', 'R4'])
  return `R${r.int(0, 5)}`
}

/** The type an H operation writes. */
function writes(name: string): string {
  if (/^CVTH[BWL]$|^CVTRHL$/.test(name))
    return name === 'CVTRHL' ? 'l' : (name[4] as string).toLowerCase()
  if (/^CVTH[FDG]$/.test(name)) return name[4] as string
  return 'H'
}

/**
 * H-floating programs for the 780 model: two to eight operations drawn from every H
 * instruction (moves, compares, tests, the arithmetic in both forms, every conversion to
 * and from H, CVTRHL, EMODH, ACBH) on values that reach rounding boundaries, exponent
 * limits and reserved operands, read from memory, registers or short literals; the
 * condition codes are stored after each.
 */
export function generateHfloat(seed: number): TestProgram {
  const r = new Random(seed * 104729 + 5)
  const lines: string[] = []
  const data: string[] = ['        .ALIGN  LONG']
  let labels = 0
  // Some programs stay near 1, so that their later operations run too.
  const extreme = r.pick([0.1, 0.4, 1])
  const value = (type: string): string => {
    if (type === 'b' || type === 'w' || type === 'l') {
      const v = r.interesting32()
      return `I^#${type === 'b' ? (v << 24) >> 24 : type === 'w' ? (v << 16) >> 16 : v}`
    }
    const format = type as FloatFormat
    if (r.chance(0.08)) return `S^#${r.int(0, 63)}`
    const label = `v${labels++}`
    data.push(dataLine(label, floatValue(r, format, 0.02, extreme)))
    if (r.chance(0.25) && (format === 'H' || format === 'D' || format === 'G')) {
      lines.push(`        ${format === 'H' ? 'MOVO' : 'MOVQ'}    ${label},R6`)
      return 'R6'
    }
    return label
  }
  if (r.chance(0.3)) lines.push(`        BISPSW  #^X${r.pick(['40', '20', '60'])}`)
  const count = r.int(2, 8)
  for (let k = 0; k < count; k++) {
    const op = r.pick(H_OPERATIONS)
    if (op.name === 'EMODH') {
      lines.push(
        `        EMODH   ${value('H')},I^#${r.int(0, 0xffff)},${value('H')},${destination(r, 'l', 4 * k)},${destination(r, 'H', 4 * k + 1)}`,
      )
    } else if (op.name === 'ACBH') {
      const index = slot(4 * k)
      lines.push(`        MOVH    ${value('H')},${index}`)
      lines.push(`        ACBH    ${value('H')},${value('H')},${index},${k}$`)
      lines.push(`        INCL    R5`)
      lines.push(`${k}$:`)
    } else if (/2$/.test(op.name)) {
      const dst = destination(r, 'H', 4 * k)
      lines.push(`        MOVH    ${value('H')},${dst}`)
      lines.push(`        ${op.name}   ${value('H')},${dst}`)
    } else {
      const sources = op.reads.map(value)
      const target =
        op.name === 'CMPH' || op.name === 'TSTH' ? [] : [destination(r, writes(op.name), 4 * k)]
      lines.push(`        ${op.name}   ${[...sources, ...target].join(',')}`)
    }
    lines.push(`        MOVPSL  ${slot(4 * k + 2)}`)
  }
  lines.push('        HALT')
  return fromSource(seed, [...lines, ...data].join('\n'), 'vax780')
}

const op = (mnemonic: string) => OPCODE_BY_MNEMONIC.get(mnemonic) as Opcode

/**
 * The octaword pool: CLRO, MOVO, MOVAO, PUSHAO and the H moves, with a few base
 * instructions between them, in the random streams' addressing modes (16-byte
 * immediates, register quadruples, autoincrement by 16, index mode scaled by 16).
 */
export const OCTAWORD_POOL: readonly Opcode[] = [
  'CLRO',
  'MOVO',
  'MOVAO',
  'PUSHAO',
  'MOVO',
  'CLRO',
  'MOVH',
  'MNEGH',
  'TSTH',
  'CMPH',
  'MOVQ',
  'MOVL',
  'ADDL2',
  'TSTL',
].map(op)

/** A random stream over the octaword pool, as a 780 (on a KA655: reserved instructions). */
export function generateOctaword(
  seed: number,
  machine: 'ka655' | 'vax780' = 'vax780',
): TestProgram {
  return generateProgram(seed, machine, OCTAWORD_POOL)
}
