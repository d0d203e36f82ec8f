import { floatLiteral } from './literal'
import { ACC_A, ACC_B, ACC_M, ACC_R, ACC_W } from './model'
import type { Frame } from './translate-calls'
import type { CodeState } from './translate-codes'

/**
 * The translator's decoder (see translate.ts): its state while it decodes a block, and
 * the operand specifiers, decoded once when the block is translated, as Cpu.decodeOperand
 * decodes them at run time. Literals, immediates, absolute and PC-relative addresses
 * become constants and register operands accesses to `cpu.r`; what is left is the
 * generated code for the memory accesses and the `(Rn)+`/`-(Rn)` side effects, recorded
 * for undoing as the interpreter records them.
 */

/** Instructions past the end of the page (or reserved forms): the block ends before. */
class Stop {}
export const STOP = new Stop()

/** The code generator's view of one decoded operand. */
export interface Operand {
  /** Register number, or -1 for an address. */
  readonly rn: number
  /** JS expression of the address (a local), for a memory operand. */
  readonly address: string
  /** JS expression of the value read (longword or smaller), when the access reads. */
  readonly value: string
  /** Locals holding the second to fourth longwords read (quad, octaword), or constants. */
  readonly high: readonly string[]
  /** For ACC_B: the branch target. */
  readonly target: number
  /** The displacement of a branch (ACC_B), or the literal (for generic code). */
  readonly constant: number
  readonly literal: boolean
  /** The address when it is known at translation time (absolute, PC-relative), else -1. */
  readonly fixed: number
}

/** The translator's state while it decodes a block (the codes' part in translate-codes.ts). */
export interface Decoder extends CodeState {
  readonly bytes: Uint8Array
  at: number
  readonly end: number
  /** Virtual address of bytes[at]. */
  va: number
  code: string[]
  locals: number
  /** Autoincrement side effects recorded in this instruction so far. */
  recorded: number
  memory: boolean
  /** Physical addresses of the entry masks read for calls (see entryMask). */
  readonly masks: number[]
  /** The frame of the innermost call followed and not returned from, when known. */
  frame: Frame | undefined
}

export function byte(d: Decoder): number {
  if (d.at >= d.end) throw STOP
  d.va = (d.va + 1) >>> 0
  return d.bytes[d.at++] as number
}

export function word(d: Decoder): number {
  return byte(d) | (byte(d) << 8)
}

export function long(d: Decoder): number {
  return word(d) | (word(d) << 16) | 0
}

export function local(d: Decoder): string {
  return `t${d.locals++}`
}

function record(d: Decoder, rn: number, delta: number): void {
  d.code.push(
    `c.recoveryReg[${d.recorded}] = ${rn}; c.recoveryDelta[${d.recorded}] = ${delta}; c.recoveryCount = ${d.recorded + 1};`,
  )
  d.recorded++
}

const READ = ['c.read8', 'c.read16', 'c.read32']
const MODIFY = ['c.readModify8', 'c.readModify16', 'c.readModify32']

/**
 * Decodes operand specifier `spec` at compile time, as Cpu.decodeOperand does at run
 * time, and emits the run-time part. Throws STOP for a form the interpreter should
 * handle (reserved addressing modes, writes into the instruction stream).
 */
export function operand(d: Decoder, spec: number): Operand {
  const access = (spec >> 3) & 7
  const lg = spec & 7
  const size = 1 << lg
  const none = {
    rn: -1,
    address: '',
    value: '',
    high: [] as string[],
    target: 0,
    constant: 0,
    literal: false,
    fixed: -1,
  }
  if (access === ACC_B) {
    const displacement = lg === 0 ? (byte(d) << 24) >> 24 : (word(d) << 16) >> 16
    return { ...none, constant: displacement, target: (d.va + displacement) >>> 0 }
  }
  const specifier = byte(d)
  const mode = specifier >> 4
  const rn = specifier & 15
  let address: string
  let fixed = -1
  switch (mode) {
    case 0:
    case 1:
    case 2:
    case 3: {
      if (access !== ACC_R) throw STOP
      const v = spec < 0x40 ? specifier : floatLiteral(spec >> 6, specifier)
      return { ...none, value: String(v), constant: v, literal: true }
    }
    case 4: {
      if (rn === 15) throw STOP
      const index = local(d)
      d.code.push(`const ${index} = r[${rn}] << ${lg};`)
      const base = baseAddress(d, size)
      address = local(d)
      d.code.push(`const ${address} = ((${base} + ${index}) | 0) >>> 0;`)
      break
    }
    case 5: {
      if (access === ACC_A || rn === 15) throw STOP
      if ((lg === 3 && rn >= 14) || (lg === 4 && rn >= 12)) throw STOP
      if (access !== ACC_R && access !== ACC_M) return { ...none, rn }
      // The value is read now, before later specifiers change registers.
      const v = local(d)
      d.code.push(
        `const ${v} = ${lg === 0 ? `r[${rn}] & 0xff` : lg === 1 ? `r[${rn}] & 0xffff` : `r[${rn}]`};`,
      )
      const high: string[] = []
      for (let k = 1; k < size / 4; k++) {
        const h = local(d)
        d.code.push(`const ${h} = r[${rn + k}];`)
        high.push(h)
      }
      return { ...none, rn, value: v, high }
    }
    case 8:
      if (rn === 15) {
        // Immediate: constant, read from the (validated) instruction stream.
        if (access === ACC_M || access === ACC_W || lg > 3) throw STOP
        const at = d.va
        const words: number[] = []
        if (lg === 0) words.push(byte(d))
        else if (lg === 1) words.push(word(d))
        else for (let k = 0; k < size; k += 4) words.push(long(d))
        return {
          ...none,
          address: String(at),
          value: String(words[0]),
          high: words.slice(1).map(String),
          literal: access === ACC_R,
        }
      }
      address = simpleAddress(d, mode, rn, size)
      break
    case 9:
      if (rn === 15) {
        const at = long(d) >>> 0
        address = local(d)
        d.code.push(`const ${address} = ${at};`)
        fixed = at
        break
      }
      address = simpleAddress(d, mode, rn, size)
      break
    default:
      if (rn === 15 && mode >= 0xa && (mode & 1) === 0) {
        // PC-relative: the address is a constant.
        const disp = displacementValue(d, mode)
        fixed = (d.va + disp) >>> 0
        address = local(d)
        d.code.push(`const ${address} = ${fixed};`)
        break
      }
      address = simpleAddress(d, mode, rn, size)
  }
  d.memory = true
  let value = ''
  const high: string[] = []
  if (access === ACC_R || access === ACC_M) {
    value = local(d)
    const read = (access === ACC_R ? READ : MODIFY)[Math.min(lg, 2)]
    d.code.push(`const ${value} = ${read}(${address});`)
    for (let k = 1; k < size / 4; k++) {
      const h = local(d)
      d.code.push(`const ${h} = ${read}(${address} + ${4 * k});`)
      high.push(h)
    }
  }
  return { ...none, address, value, high, fixed }
}

/** Modes 6-F (not 8/9 with PC): emits the address computation and side effects. */
function simpleAddress(d: Decoder, mode: number, rn: number, size: number): string {
  const a = local(d)
  switch (mode) {
    case 6:
      if (rn === 15) throw STOP
      d.code.push(`const ${a} = r[${rn}] >>> 0;`)
      return a
    case 7:
      if (rn === 15) throw STOP
      d.code.push(`r[${rn}] = (r[${rn}] - ${size}) | 0;`)
      record(d, rn, -size)
      d.code.push(`const ${a} = r[${rn}] >>> 0;`)
      return a
    case 8:
      d.code.push(`const ${a} = r[${rn}] >>> 0; r[${rn}] = (${a} + ${size}) | 0;`)
      record(d, rn, size)
      return a
    case 9:
      d.code.push(`const ${a} = c.read32(r[${rn}]) >>> 0; r[${rn}] = (r[${rn}] + 4) | 0;`)
      record(d, rn, 4)
      return a
    default: {
      if (mode < 0xa) throw STOP
      const raw = displacement(d, mode, rn)
      d.code.push(`const ${a} = (${raw}) >>> 0;`)
      return a
    }
  }
}

/** Modes A-F: the displacement, read from the instruction stream. */
function displacementValue(d: Decoder, mode: number): number {
  const kind = (mode - 0xa) >> 1
  return kind === 0 ? (byte(d) << 24) >> 24 : kind === 1 ? (word(d) << 16) >> 16 : long(d)
}

/** Modes A-F: the (deferred) displacement address, as an expression of signed value. */
function displacement(d: Decoder, mode: number, rn: number): string {
  const disp = displacementValue(d, mode)
  const base = rn === 15 ? String((d.va + disp) | 0) : `((r[${rn}] + ${disp}) | 0)`
  return mode & 1 ? `c.read32(${base})` : base
}

/** The base of an index mode operand, as Cpu.indexedAddress decodes it (signed). */
function baseAddress(d: Decoder, size: number): string {
  const specifier = byte(d)
  const mode = specifier >> 4
  const rn = specifier & 15
  const b = local(d)
  switch (mode) {
    case 6:
      if (rn === 15) throw STOP
      d.code.push(`const ${b} = r[${rn}];`)
      return b
    case 7:
      if (rn === 15) throw STOP
      d.code.push(`r[${rn}] = (r[${rn}] - ${size}) | 0;`)
      record(d, rn, -size)
      d.code.push(`const ${b} = r[${rn}];`)
      return b
    case 8:
      if (rn === 15) throw STOP
      d.code.push(`const ${b} = r[${rn}]; r[${rn}] = (${b} + ${size}) | 0;`)
      record(d, rn, size)
      return b
    case 9:
      if (rn === 15) {
        d.code.push(`const ${b} = ${long(d)};`)
        return b
      }
      d.code.push(`const ${b} = c.read32(r[${rn}]); r[${rn}] = (r[${rn}] + 4) | 0;`)
      record(d, rn, 4)
      return b
    default:
      if (mode < 0xa) throw STOP
      d.code.push(`const ${b} = ${displacement(d, mode, rn)};`)
      return b
  }
}

/** Fills cpu.val/hi/reg/addr for each operand as decodeOperand would, for the generic call. */
export function generic(d: Decoder, specs: Uint8Array, ops: Operand[]): void {
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i] as Operand
    const spec = specs[i] as number
    const access = (spec >> 3) & 7
    const lg = spec & 7
    if (access === ACC_B) {
      d.code.push(`c.val[${i}] = ${o.constant};`)
      continue
    }
    if (o.literal && o.address === '') {
      // A short literal: the high longwords are zero.
      d.code.push(`c.val[${i}] = ${o.value}; c.hi[${i}] = 0;`)
      if (lg === 4) d.code.push(`c.hi2[${i}] = 0; c.hi3[${i}] = 0;`)
      continue
    }
    if (o.rn >= 0) d.code.push(`c.reg[${i}] = ${o.rn};`)
    else d.code.push(`c.reg[${i}] = -1; c.addr[${i}] = ${o.address};`)
    if (access === ACC_R || access === ACC_M) {
      d.code.push(`c.val[${i}] = ${o.value};`)
      const names = ['c.hi', 'c.hi2', 'c.hi3']
      for (const [k, h] of o.high.entries()) d.code.push(`${names[k]}[${i}] = ${h};`)
    }
  }
}

/** Stores a longword result in operand `o`. */
export function storeLong(o: Operand, v: string): string {
  return o.rn >= 0 ? `r[${o.rn}] = ${v};` : `c.write32(${o.address}, ${v});`
}
