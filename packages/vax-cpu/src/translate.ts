import { call, callWithMask, popRegisters, pushRegisters, ret } from './calls'
import type { Cpu } from './cpu'
import { executeInstruction } from './execute'
import { floatArithmetic, floatCc, floatCompare, floatPoly, floatResultHigh } from './float'
import { ADD, CORE_D, CORE_F, CORE_G, MULTIPLY, SUBTRACT } from './float-core'
import { floatLiteral } from './literal'
import { ACC_A, ACC_B, ACC_M, ACC_R, ACC_W, EXECUTE, SPECS } from './model'
import { PSL_T } from './psl'
import { compiled, type Exit, forwardBranches, guard, validation } from './translate-block'
import { callInLine, retInLine } from './translate-calls'
import {
  addCc,
  CONDITION,
  type CodeState,
  countCc,
  keepC,
  lazyCc,
  NZ,
  nzOnly,
  SLOTS,
  store,
  subCc,
  trapIf,
} from './translate-codes'

/**
 * The block translator: a straight run of VAX instructions, starting at one PC and
 * lying in one page, becomes one JavaScript function that V8 optimises.
 *
 * Operand specifiers are decoded when the block is translated: literals, immediates,
 * absolute and PC-relative addresses become constants, register operands become
 * accesses to `cpu.r`, and only the memory accesses and register side effects remain
 * for run time. Each instruction still does exactly what the interpreter does, in the
 * same order: it counts itself, records the PC it faults at and the register side
 * effects to undo, reads and writes through the same VirtualMemory calls, and a common
 * longword instruction is generated in line, its condition codes left pending until
 * something reads them (translate-codes.ts); every other instruction fills the decoded
 * operand arrays and calls the interpreter's executeInstruction.
 *
 * A block ends at the first instruction that changes the flow (a jump, call, return or
 * unconditional branch whose target is unknown or in another page: one to a known place
 * in the page is followed, and a RET or RSB that ends a call the block followed goes on
 * after the call when PC comes back there; a conditional branch back to the block's
 * start), one that
 * changes the PSL beyond the condition codes, the mode, the mapping or
 * the processor registers (these are never translated: the interpreter runs them), one
 * that crosses the page, and after at most MAX_INSTRUCTIONS. Any other conditional
 * branch is a side exit: taken, the block returns with PC at its target; not taken, the
 * block goes on. Between two instructions
 * the block stops, with PC at the next one, when the interpreter would have work to do
 * between them: the instruction budget or a device event is due, an arithmetic trap is
 * pending, `cpu.attention` says I/O space was touched, or `cpu.codeWritten` says a
 * store reached a line holding translated code and the block's own bytes changed. A block whose last instruction branches back to its first loops inside the
 * function, with the same check before each pass.
 *
 * The function first compares the bytes it was translated from with memory and returns
 * false, having done nothing, when they differ: code changed by anyone (a store, DMA,
 * the host) is never run stale.
 */
export type BlockFunction = (cpu: Cpu, stop: number) => boolean

export interface TranslatedBlock {
  readonly va: number
  readonly pa: number
  /** Bytes of VAX code the block was made from. */
  readonly length: number
  /** Where they lie: physical [start, end) pairs, more than one when the block follows a jump. */
  readonly pieces: readonly number[]
  /** VAX instructions in one pass. */
  readonly instructions: number
  readonly run: BlockFunction
  /** False once the cache has dropped it. */
  live: boolean
  /** The block that ran after this one last time, at PC `linkPc` (direct chaining). */
  link: TranslatedBlock | undefined
  linkPc: number
  /** The translation state (mapping generation, mode) the link was made under. */
  linkStamp: number
}

/** The most instructions in one block. */
export const MAX_INSTRUCTIONS = 64

/** Never translated: they change the PSL beyond the codes, the mode, the mapping, or halt. */
const NEVER = new Set([
  0x00, // HALT
  0x02, // REI
  0x03, // BPT
  0x06, // LDPCTX
  0x07, // SVPCTX
  0x0c, // PROBER
  0x0d, // PROBEW
  0xb8, // BISPSW
  0xb9, // BICPSW
  0xbc, // CHMK
  0xbd, // CHME
  0xbe, // CHMS
  0xbf, // CHMU
  0xda, // MTPR
  0xdb, // MFPR
  0xfc, // XFC
])

/** Generic instructions that change PC or the PSW, or write memory around VirtualMemory. */
const ENDS_BLOCK = new Set([
  0x04, // RET
  0x05, // RSB
  0x16, // JSB
  0x17, // JMP
  0x8f, // CASEB
  0xaf, // CASEW
  0xcf, // CASEL
  0xfa, // CALLG
  0xfb, // CALLS
  0x28, // MOVC3
  0x2c, // MOVC5
  0x2e, // MOVTC
  0x2f, // MOVTUC
  0x38, // EDITPC
])

/** Instructions past the end of the page (or reserved forms): the block ends before. */
class Stop {}
const STOP = new Stop()

/** What the generated code calls. */
const HELPERS = {
  execute: executeInstruction,
  call,
  callWithMask,
  ret,
  pushRegisters,
  popRegisters,
  floatArithmetic,
  floatResultHigh,
  floatCompare,
  floatCc,
  floatPoly,
  ADD,
  SUBTRACT,
  MULTIPLY,
}

/** float-core's number for the format of a translated F (0x4x, 0x5x), D (0x6x, 0x7x) or G (0x14x, 0x15x) opcode. */
const floatFormat = (opcode: number) => (opcode >= 0x100 ? CORE_G : opcode < 0x60 ? CORE_F : CORE_D)

/** The code generator's view of one decoded operand. */
interface Operand {
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
interface Decoder extends CodeState {
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

function byte(d: Decoder): number {
  if (d.at >= d.end) throw STOP
  d.va = (d.va + 1) >>> 0
  return d.bytes[d.at++] as number
}

function word(d: Decoder): number {
  return byte(d) | (byte(d) << 8)
}

function long(d: Decoder): number {
  return word(d) | (word(d) << 16) | 0
}

function local(d: Decoder): string {
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
function operand(d: Decoder, spec: number): Operand {
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
function generic(d: Decoder, specs: Uint8Array, ops: Operand[]): void {
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
function storeLong(o: Operand, v: string): string {
  return o.rn >= 0 ? `r[${o.rn}] = ${v};` : `c.write32(${o.address}, ${v});`
}

/** How an instruction ends: falls through, or transfers to `taken` when `condition`. */
interface Flow {
  /** JS condition for the transfer ('true' for unconditional), or '' for none. */
  condition: string
  /** Constant target, or -1 when computed (`c.pc` already set). */
  target: number
  /** The instruction may set a pending trap. */
  traps: boolean
  ends: boolean
  /**
   * For a transfer whose target is known (BRB, BRW, BSBx, and JMP, JSB, CALLG, CALLS of
   * an absolute or PC-relative address): where the block may go on decoding, else -1.
   */
  follow?: number
  /** For a call (CALLG, CALLS; JSB, BSBB, BSBW): the opcode of the return that ends it (RET; RSB). */
  returnedBy?: number
  /** For RET and RSB: the opcode, and the check that PC is where the block goes on. */
  returns?: number
  /** For CALLS/CALLG of a procedure whose entry mask is known: the frame it builds. */
  frame?: Frame
}

/** A call frame the translator knows the shape of (see translate-calls.ts). */
interface Frame {
  readonly mask: number
  readonly calls: boolean
}

/**
 * The entry mask of a procedure at a known address in the block's page, read now (the
 * block checks the word is unchanged before it runs, as it checks its code), or -1.
 */
function entryMask(d: Decoder, procedure: number): number {
  // The call just decoded lies in the block's page, which ends at d.end.
  if (procedure < 0 || procedure >>> 9 !== (d.va - 1) >>> 9) return -1
  const at = ((d.at - 1) & ~0x1ff) + (procedure & 0x1ff)
  if (at + 2 > d.end) return -1
  d.masks.push(at)
  return (d.bytes[at] as number) | ((d.bytes[at + 1] as number) << 8)
}

/**
 * The shape of the frame at `fp` (its saved PSW), when memory can be looked at without
 * translating (peekPhysical) and it is one RET's in-line form takes; else undefined. A
 * guess for the block's RET: the generated code checks the saved PSW before using it.
 */
function frameAt(cpu: Cpu, fp: number): Frame | undefined {
  const pa = cpu.peekPhysical(fp)
  if (pa < 0 || (fp & 0x1ff) > 0x1f8 || pa + 8 > cpu.memory.bytes.length) return undefined
  const w = cpu.memory.view.getInt32(pa + 4, true)
  // Alignment bytes or MBZ bits: RET's full form.
  if ((w & 0xc000ff00) !== 0) return undefined
  return { mask: (w >>> 16) & 0xfff, calls: (w & (1 << 29)) !== 0 }
}

/** The register a literal PUSHR/POPR mask names when it names one of R0-R13 alone, else -1. */
function singleRegister(mask: Operand): number {
  if (!mask.literal) return -1
  const m = Number(mask.value) & 0x3fff
  return m !== 0 && (m & (m - 1)) === 0 && (Number(mask.value) & 0x4000) === 0
    ? 31 - Math.clz32(m)
    : -1
}

/**
 * Emits an instruction in line when it is one of the common longword ones and its
 * operands allow; returns undefined to use the generic path.
 */
function inline(d: Decoder, opcode: number, ops: Operand[], next: number): Flow | undefined {
  const o = ops
  const o0 = o[0] as Operand
  const o1 = o[1] as Operand
  const o2 = o[2] as Operand
  const out = d.code
  const plain: Flow = { condition: '', target: -1, traps: false, ends: false }
  const arith: Flow = { condition: '', target: -1, traps: true, ends: false }
  const computed: Flow = { condition: '', target: -1, traps: false, ends: true }
  switch (opcode) {
    case 0xd0: // MOVL
      out.push(storeLong(o1, o0.value))
      keepC(d, o0.value)
      return plain
    case 0xd4: // CLRL
      out.push(storeLong(o0, '0'))
      lazyCc(d, [], (_, carry) => ({ expr: `${carry} | 4`, carry }))
      return plain
    case 0x9a: // MOVZBL
    case 0x3c: // MOVZWL
      out.push(storeLong(o1, o0.value))
      keepC(d, o0.value)
      return plain
    case 0x9e: // MOVAB
    case 0x3e:
    case 0xde:
    case 0x7e:
      out.push(`const m = ${o0.address} | 0;`, storeLong(o1, 'm'))
      keepC(d, 'm')
      return plain
    case 0xdd: // PUSHL
      out.push(`const m = ${o0.value};`, 'c.push32(m);')
      keepC(d, 'm')
      d.memory = true
      return plain
    case 0x9f: // PUSHAB
    case 0x3f:
    case 0xdf:
    case 0x7f:
      out.push(`const m = ${o0.address} | 0;`, 'c.push32(m);')
      keepC(d, 'm')
      d.memory = true
      return plain
    case 0xc0: // ADDL2
    case 0xc1: {
      const dst = opcode === 0xc1 ? o2 : o1
      out.push(`const a = ${o0.value}, b = ${o1.value}, m = (a + b) | 0;`, storeLong(dst, 'm'))
      addCc(d, 'a', 'b', 'm')
      out.push(trapIf('(a + b) > 2147483647 || (a + b) < -2147483648'))
      return arith
    }
    case 0xc2: // SUBL2
    case 0xc3: {
      const dst = opcode === 0xc3 ? o2 : o1
      out.push(`const s = ${o0.value}, n = ${o1.value}, m = (n - s) | 0;`, storeLong(dst, 'm'))
      subCc(d, 's', 'n', 'm')
      out.push(trapIf('(n - s) > 2147483647 || (n - s) < -2147483648'))
      return arith
    }
    case 0xd6: // INCL
      out.push(`const a = ${o0.value}, m = (a + 1) | 0;`, storeLong(o0, 'm'))
      addCc(d, '1', 'a', 'm')
      out.push(trapIf('a === 2147483647'))
      return arith
    case 0xd7: // DECL
      out.push(`const n = ${o0.value}, m = (n - 1) | 0;`, storeLong(o0, 'm'))
      subCc(d, '1', 'n', 'm')
      out.push(trapIf('n === -2147483648'))
      return arith
    case 0xc4: // MULL2
    case 0xc5: {
      const dst = opcode === 0xc5 ? o2 : o1
      out.push(`const a = ${o0.value}, b = ${o1.value}, m = Math.imul(a, b), x = a * b;`)
      out.push(storeLong(dst, 'm'))
      lazyCc(d, ['m', 'x'], ([m, x]) => ({
        expr: `${NZ(m as string)} | (${x} > 2147483647 || ${x} < -2147483648 ? 2 : 0)`,
        carry: '0',
      }))
      out.push(trapIf('x > 2147483647 || x < -2147483648'))
      return arith
    }
    case 0xc8: // BISL2
    case 0xc9:
    case 0xca: // BICL2
    case 0xcb:
    case 0xcc: // XORL2
    case 0xcd: {
      const dst = opcode & 1 ? o2 : o1
      const op = opcode <= 0xc9 ? 'b | a' : opcode <= 0xcb ? 'b & ~a' : 'b ^ a'
      out.push(`const a = ${o0.value}, b = ${o1.value}, m = ${op};`, storeLong(dst, 'm'))
      keepC(d, 'm')
      return plain
    }
    case 0xd1: // CMPL
      out.push(`const a = ${o0.value}, b = ${o1.value};`)
      lazyCc(d, ['a', 'b'], ([a, b]) => {
        const carry = `(${a} >>> 0 < ${b} >>> 0 ? 1 : 0)`
        return { expr: `(${a} < ${b} ? 8 : 0) | (${a} === ${b} ? 4 : 0) | ${carry}`, carry }
      })
      return plain
    case 0xd5: // TSTL
      out.push(`const m = ${o0.value};`)
      nzOnly(d, 'm')
      return plain
    case 0xd3: // BITL
      out.push(`const m = ${o0.value} & ${o1.value};`)
      keepC(d, 'm')
      return plain
    case 0xd2: // MCOML
      out.push(`const m = ~${o0.value};`, storeLong(o1, 'm'))
      keepC(d, 'm')
      return plain
    case 0x98: // CVTBL
    case 0x32: {
      // CVTWL
      const shift = opcode === 0x98 ? 24 : 16
      out.push(`const m = (${o0.value} << ${shift}) >> ${shift};`, storeLong(o1, 'm'))
      nzOnly(d, 'm')
      return plain
    }
    case 0x78: // ASHL
      // Only a literal or immediate count is done in line.
      if (!o0.literal) return undefined
      {
        const countValue = ((Number(o0.value) << 24) >> 24) | 0
        if (countValue < 0) {
          const shift = countValue < -31 ? 31 : -countValue
          out.push(`const m = ${o1.value} >> ${shift};`, storeLong(o2, 'm'))
          nzOnly(d, 'm')
          return plain
        }
        if (countValue > 31) return undefined
        out.push(`const s = ${o1.value}, m = s << ${countValue};`, storeLong(o2, 'm'))
        lazyCc(d, ['m', 's'], ([m, s]) => ({
          expr: `${NZ(m as string)} | (${m} >> ${countValue} !== ${s} ? 2 : 0)`,
          carry: '0',
        }))
        out.push(trapIf(`m >> ${countValue} !== s`))
        return arith
      }
    case 0x11: // BRB
    case 0x31: // BRW
      return { condition: 'true', target: o0.target, traps: false, ends: true, follow: o0.target }
    case 0x12:
    case 0x13:
    case 0x14:
    case 0x15:
    case 0x18:
    case 0x19:
    case 0x1a:
    case 0x1b:
    case 0x1c:
    case 0x1d:
    case 0x1e:
    case 0x1f:
      return { condition: CONDITION[opcode] as string, target: o0.target, traps: false, ends: true }
    case 0xe8: // BLBS
    case 0xe9: // BLBC
      out.push(`const m = ${o0.value} & 1;`)
      return {
        condition: opcode === 0xe8 ? 'm' : '!m',
        target: o1.target,
        traps: false,
        ends: true,
      }
    case 0xf4: // SOBGEQ
    case 0xf5: {
      // SOBGTR
      out.push(`const n = ${o0.value}, m = (n - 1) | 0;`, storeLong(o0, 'm'))
      countCc(d, 'm', 'n', (n) => `${n} === -2147483648`)
      out.push(trapIf('n === -2147483648'))
      return {
        condition: opcode === 0xf4 ? 'm >= 0' : 'm > 0',
        target: o1.target,
        traps: true,
        ends: true,
      }
    }
    case 0xf2: // AOBLSS
    case 0xf3: {
      // AOBLEQ
      out.push(`const l = ${o0.value}, a = ${o1.value}, m = (a + 1) | 0;`, storeLong(o1, 'm'))
      countCc(d, 'm', 'a', (a) => `${a} === 2147483647`)
      out.push(trapIf('a === 2147483647'))
      return {
        condition: opcode === 0xf2 ? 'm < l' : 'm <= l',
        target: o2.target,
        traps: true,
        ends: true,
      }
    }
    case 0x16: // JSB
      out.push(`c.push32(${next}); c.pc = ${o0.address};`)
      d.memory = true
      return { ...computed, follow: o0.fixed, returnedBy: 0x05 }
    case 0x17: // JMP
      out.push(`c.pc = ${o0.address};`)
      return { ...computed, follow: o0.fixed }
    case 0x05: // RSB
      out.push('c.pc = c.pop32() >>> 0;')
      d.memory = true
      return { ...computed, returns: 0x05 }
    case 0xfb: // CALLS
    case 0xfa: {
      // CALLG
      const calls = opcode === 0xfb
      const argument = calls ? o0.value : `${o0.address} | 0`
      const mask = entryMask(d, o1.fixed)
      // A known mask with its MBZ bits clear: the frame is written in line.
      const known = mask >= 0 && (mask & 0x3000) === 0
      out.push(
        known
          ? callInLine(argument, o1.fixed, calls, mask, next)
          : `c.pc = ${next}; H.call(c, ${argument}, ${o1.address}, ${calls});`,
      )
      d.memory = true
      return {
        ...computed,
        follow: o1.fixed < 0 ? -1 : (o1.fixed + 2) >>> 0,
        returnedBy: 0x04,
        ...(known ? { frame: { mask, calls } } : {}),
      }
    }
    case 0x04: // RET
      // The frame of the call the block followed to here, when its mask is known.
      out.push(d.frame === undefined ? 'H.ret(c);' : retInLine(d.frame.mask, d.frame.calls))
      d.memory = true
      return { ...computed, returns: 0x04 }
    case 0xbb: {
      // PUSHR: one register (not SP) is a push of it, without the codes
      const one = singleRegister(o0)
      out.push(one >= 0 ? `c.push32(r[${one}]);` : `H.pushRegisters(c, ${o0.value} & 0x7fff);`)
      d.memory = true
      return plain
    }
    case 0xba: {
      // POPR
      const one = singleRegister(o0)
      out.push(one >= 0 ? `r[${one}] = c.pop32();` : `H.popRegisters(c, ${o0.value} & 0x7fff);`)
      d.memory = true
      return plain
    }
    case 0x40: // ADDF2
    case 0x41: // ADDF3
    case 0x42: // SUBF2
    case 0x43: // SUBF3
    case 0x44: // MULF2
    case 0x45: // MULF3
    case 0x60: // ADDD2 ...
    case 0x61:
    case 0x62:
    case 0x63:
    case 0x64:
    case 0x65:
    case 0x140: // ADDG2 ...
    case 0x141:
    case 0x142:
    case 0x143:
    case 0x144:
    case 0x145: {
      // float.ts's arithmetic, the operands and the result handled here.
      const f = floatFormat(opcode)
      const low = opcode & 0xf
      const dst = low & 1 ? o2 : o1
      const op = low < 2 ? 'ADD' : low < 4 ? 'SUBTRACT' : 'MULTIPLY'
      out.push(
        `const m = H.floatArithmetic(c, ${f}, H.${op}, ${o0.value}, ${o0.high[0] ?? 0}, ${o1.value}, ${o1.high[0] ?? 0});`,
      )
      if (f === 0) out.push(storeLong(dst, 'm'))
      else if (dst.rn >= 0) out.push(`r[${dst.rn}] = m; r[${dst.rn + 1}] = H.floatResultHigh();`)
      else
        out.push(
          `c.write32(${dst.address}, m); c.write32(${dst.address} + 4, H.floatResultHigh());`,
        )
      out.push(`c.cc = H.floatCc(${f}, m);`)
      return arith
    }
    case 0x55: // POLYF
    case 0x75: // POLYD
    case 0x155: {
      // POLYG
      const f = floatFormat(opcode)
      out.push(`H.floatPoly(c, ${f}, ${o0.value}, ${o0.high[0] ?? 0}, ${o1.value}, ${o2.address});`)
      d.memory = true
      return arith
    }
    case 0x51: // CMPF
    case 0x71: // CMPD
    case 0x151: {
      // CMPG
      const f = floatFormat(opcode)
      out.push(
        `c.cc = H.floatCompare(${f}, ${o0.value}, ${o0.high[0] ?? 0}, ${o1.value}, ${o1.high[0] ?? 0});`,
      )
      return arith
    }
    case 0x10: // BSBB
    case 0x30: // BSBW
      out.push(`c.push32(${next});`)
      d.memory = true
      return {
        condition: 'true',
        target: o0.target,
        traps: false,
        ends: true,
        follow: o0.target,
        returnedBy: 0x05,
      }
    default:
      return undefined
  }
}

/**
 * Translates the block at virtual address `va` (physical `pa`, in RAM), or returns
 * undefined when its first instruction is one the interpreter must run.
 */
export function translateBlock(cpu: Cpu, va: number, pa: number): TranslatedBlock | undefined {
  const bytes = cpu.memory.bytes
  const end = Math.min((pa | 0x1ff) + 1, bytes.length)
  const d: Decoder = {
    bytes,
    at: pa,
    end,
    va,
    code: [],
    locals: 0,
    recorded: 0,
    memory: false,
    masks: [],
    frame: undefined,
    pending: undefined,
    ccSet: false,
  }
  const dispatch = cpu.dispatchTableForTranslation
  const body: string[] = []
  let count = 0
  let terminated: Flow | undefined
  let lastTerminatorCode: string[] = []
  let guardAfterPrevious = ''
  let previousRecorded = false
  /** Each instruction's start, and the index in body of its code. */
  const starts = new Map<number, number>()
  /** The side exits: the index in body of the branch's code, and its target. */
  const exits: Exit[] = []
  /** The physical ranges [start, end) the block was made from, in pairs. */
  const pieces: number[] = []
  /** A RET outside the calls the block follows most likely ends the frame at FP now. */
  const guess = frameAt(cpu, cpu.r[13] as number)
  /** The calls followed and not yet returned from: where each returns to, and by what. */
  const calls: { pc: number; by: number; frame: Frame | undefined }[] = []
  let pieceStart = pa
  while (count < MAX_INSTRUCTIONS) {
    const start = d.va
    const startAt = d.at
    d.code = []
    d.recorded = 0
    d.memory = false
    if (d.pending !== undefined && exits.some((exit) => exit.target === start)) {
      // A jump within the block may land here: the codes are stored on the way in.
      body[body.length - 1] += ` ${store(d.pending)}`
      d.pending = undefined
    }
    const before = d.pending
    d.ccSet = false
    const innermost = calls[calls.length - 1]
    d.frame = innermost === undefined ? guess : innermost.by === 0x04 ? innermost.frame : undefined
    let flow: Flow | undefined
    let next = 0
    try {
      let opcode = byte(d)
      if (opcode === 0xfd) opcode = 0x100 | byte(d)
      if (dispatch[opcode] !== EXECUTE || NEVER.has(opcode)) throw STOP
      const specs = SPECS[opcode] as Uint8Array
      const ops: Operand[] = []
      for (let i = 0; i < specs.length; i++) ops.push(operand(d, specs[i] as number))
      next = d.va
      flow = inline(d, opcode, ops, next)
      if (flow === undefined) {
        generic(d, specs, ops)
        d.code.push(`c.opcode = ${opcode}; c.pc = ${next}; H.execute(c, ${opcode});`)
        d.memory = true
        const changesFlow =
          ENDS_BLOCK.has(opcode) || Array.from(specs).some((s) => ((s >> 3) & 7) === ACC_B)
        flow = { condition: '', target: -1, traps: true, ends: changesFlow }
      }
    } catch (e) {
      if (e !== STOP) throw e
      d.at = startAt
      d.va = start
      d.pending = before
      break
    }
    // The codes pending before it are stored first unless the instruction is one in line
    // that neither reads them nor can fault nor calls out.
    const text = d.code.join(' ')
    const clean =
      !d.memory &&
      !text.includes('H.') &&
      !text.includes('c.cc') &&
      !flow.condition.includes('c.cc')
    if (!clean) {
      if (before !== undefined) d.code.unshift(store(before))
      if (!d.ccSet) d.pending = undefined
    }
    const prologue = [`c.instructions++;`]
    if (d.memory || flow.traps) prologue.push(`c.faultPc = ${start};`)
    if (previousRecorded) prologue.push('c.recoveryCount = 0;')
    const code = [...prologue, ...d.code]
    previousRecorded = d.recorded > 0
    if (count > 0) body.push(guardAfterPrevious.replace('@PC', String(start)))
    starts.set(start, body.length)
    count++
    if (flow.ends && flow.condition !== '' && flow.condition !== 'true' && flow.target !== va) {
      // A conditional branch elsewhere than to the block's start: a side exit (or a jump
      // forward within the block, see forwardBranches), and the block goes on with the
      // instruction after it.
      exits.push({ at: body.length, target: flow.target, store: store(d.pending) })
      body.push(`{ ${code.join(' ')} if (${flow.condition}) { @EXIT${flow.target}@ } }`)
      guardAfterPrevious = guard(d.memory, flow.traps, '@PC', store(d.pending))
      continue
    }
    // A return from a call the block followed goes on after the call, when it comes back
    // there (it is checked; RET may also have set PSL<T>, and then the next instruction
    // traces in the interpreter).
    const back = flow.returns !== undefined ? calls[calls.length - 1] : undefined
    const returning = back !== undefined && back.by === flow.returns
    if (returning) calls.pop()
    const follow = returning ? back.pc : (flow.follow ?? -1)
    if (
      flow.ends &&
      follow >= 0 &&
      follow !== va &&
      !starts.has(follow) &&
      follow >>> 9 === va >>> 9 &&
      count < MAX_INSTRUCTIONS
    ) {
      // A transfer to a known place in the same page: the block goes on there (a call
      // and the procedure it calls become one block). The code after it sets PC itself.
      if (flow.returnedBy !== undefined)
        calls.push({ pc: next, by: flow.returnedBy, frame: flow.frame })
      const check = returning
        ? ` if (c.pc !== ${follow}${flow.returns === 0x04 ? ` || (c.psl & ${PSL_T}) !== 0` : ''}) return true;`
        : ''
      body.push(`{ ${code.join(' ')}${check} }`)
      guardAfterPrevious = guard(d.memory, flow.traps, '@PC', store(d.pending))
      pieces.push(pieceStart, d.at)
      d.at = (pa & ~0x1ff) + (follow & 0x1ff)
      d.va = follow
      pieceStart = d.at
      continue
    }
    if (flow.ends) {
      terminated = flow
      terminated.target = flow.target
      // Every way on from the last instruction sees its codes.
      lastTerminatorCode = [...code, store(d.pending)]
      d.pending = undefined
      ;(terminated as Flow & { next: number }).next = next
      break
    }
    body.push(`{ ${code.join(' ')} }`)
    guardAfterPrevious = guard(d.memory, flow.traps, '@PC', store(d.pending))
  }
  if (count === 0) return undefined
  pieces.push(pieceStart, d.at)
  for (const at of d.masks) pieces.push(at, at + 2)
  let length = 0
  for (let k = 0; k < pieces.length; k += 2)
    length += (pieces[k + 1] as number) - (pieces[k] as number)
  forwardBranches(body, starts, exits)
  const source: string[] = []
  source.push('const r = c.r; const v = c.memory.view;')
  source.push(`let ${Array.from({ length: SLOTS }, (_, k) => `k${k} = 0`).join(', ')};`)
  const stale = validation(bytes, pieces)
  source.push(`if (${stale}) return false;`)
  source.push('let lim = c.events.nextAt < stop ? c.events.nextAt : stop;')
  const endPc = d.va >>> 0
  if (terminated === undefined) {
    source.push(...body, `${store(d.pending)} c.pc = ${endPc}; return true;`)
  } else {
    const t = terminated as Flow & { next: number }
    const selfLoop = t.target === va && t.condition !== ''
    const transfer =
      t.condition === ''
        ? ''
        : t.condition === 'true'
          ? `c.pc = ${t.target};`
          : `if (${t.condition}) c.pc = ${t.target}; else c.pc = ${t.next};`
    if (selfLoop) {
      const again = t.condition === 'true' ? 'true' : t.condition
      source.push('for (;;) {', 'c.recoveryCount = 0;', ...body, '{', ...lastTerminatorCode)
      source.push(`if (!(${again})) { c.pc = ${t.next}; return true; }`)
      source.push(
        `if (c.instructions >= lim || c.attention || (c.codeWritten && ((c.codeWritten = false), STALE)) || c.pendingTrap !== 0) { c.pc = ${va}; return true; }`,
      )
      source.push('} }')
    } else {
      source.push(...body, '{', ...lastTerminatorCode, transfer, '}', 'return true;')
    }
  }
  const text = source.join('\n').replaceAll('STALE', `(${stale})`)
  const run = compiled(text, HELPERS)
  return {
    va,
    pa,
    length,
    pieces,
    instructions: count,
    run,
    live: true,
    link: undefined,
    linkPc: -1,
    linkStamp: -1,
  }
}
