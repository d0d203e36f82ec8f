import { disassemble, encodeInstruction, formatDisassembly, type Specifier } from '@vax/asm'
import { OPCODE_BY_MNEMONIC, OPCODES, type Opcode, type OperandSpec } from '@vax/cpu'
import { Random } from './random'

/**
 * Random VAX test programs for differential testing, laid out so that every memory
 * reference stays in known regions:
 *
 *   0x0000  SCB: vector k points to HANDLERS + 4k, where a HALT waits, so the final PC
 *           names the exception taken and its frame is left on the stack
 *   0x1000  the program, ending in HALT
 *   0x2000  pointer table: 64 longwords, each an address in the scratch area
 *   0x3000  scratch data (8 KB), random contents; R6-R9 point into its middle
 *   0x6000  stack (4 KB); SP starts at 0x6800
 *
 * Register roles: R0-R5 data (the only registers written), R6-R9 scratch pointers,
 * R10 an index (0..15), R11 a pointer into the table, R12-R13 data read only.
 */
export const LAYOUT = {
  handlers: 0x600,
  code: 0x1000,
  table: 0x2000,
  scratch: 0x3000,
  scratchEnd: 0x5000,
  stack: 0x6000,
  stackTop: 0x6800,
  stackEnd: 0x7000,
} as const

export interface TestProgram {
  readonly seed: number
  readonly code: Uint8Array
  readonly loads: readonly { address: number; bytes: Uint8Array }[]
  /** R0-R14. */
  readonly registers: readonly number[]
  readonly psl: number
  readonly pc: number
  readonly maxSteps: number
  readonly dumps: readonly { address: number; length: number }[]
}

/** A readable listing of the program's code, for failure messages. */
export function listProgram(program: TestProgram): string {
  return formatDisassembly(disassemble(program.code, LAYOUT.code))
}

const EXCLUDED = new Set([
  // SIMH 3.8.1 computes EMODD/EMODG's integer wrongly when it overflows with a zero
  // fraction (fixed in SIMH in 2011; tools/README.md). EMOD is checked by unit tests
  // and by `pnpm diff` runs with it drawn (see tools/README.md), not by these streams.
  'EMODF',
  'EMODD',
  'EMODG',
  // POLY reads a table at its address operand, and H floating and the octaword moves
  // have programs of their own (floating.ts).
  'POLYF',
  'POLYD',
  'POLYG',
  'HALT',
  'REI',
  'RET',
  'RSB',
  'LDPCTX',
  'SVPCTX',
  'CHMK',
  'CHME',
  'CHMS',
  'CHMU',
  'MTPR',
  'MFPR',
  'JMP',
  'JSB',
  'CALLS',
  'CALLG',
  'INSQUE',
  'REMQUE',
  'INSQHI',
  'INSQTI',
  'REMQHI',
  'REMQTI',
])

/**
 * Opcodes the random streams draw from: the base, string and F/D/G floating sets (but
 * EMOD and POLY), and on a KA655 the emulated decimal ones too.
 */
export function candidateOpcodes(machine: 'ka655' | 'vax780'): Opcode[] {
  return OPCODES.filter((op) => {
    if (EXCLUDED.has(op.mnemonic)) return false
    if (op.set === 'base' || op.set === 'string' || op.set === 'float') return true
    return machine === 'ka655' && op.set === 'decimal'
  })
}

/** Operands that are string lengths: kept small so strings stay in the scratch area. */
const LENGTH_OPERANDS: Record<string, readonly number[]> = {
  MOVC3: [0],
  MOVC5: [0, 3],
  CMPC3: [0],
  CMPC5: [0, 3],
  LOCC: [1],
  SKPC: [1],
  SCANC: [0],
  SPANC: [0],
  MOVTC: [0, 4],
  MOVTUC: [0, 4],
  MATCHC: [0, 2],
  CRC: [2],
}

class Generator {
  constructor(private readonly random: Random) {}

  private pointerRegister(): number {
    return this.random.int(6, 9)
  }

  private scratchAddress(): number {
    return this.random.int(LAYOUT.scratch + 0x400, LAYOUT.scratchEnd - 0x400)
  }

  private tableSlot(): number {
    return LAYOUT.table + 4 * this.random.int(0, 63)
  }

  /** A memory specifier for an operand of `size` bytes. */
  memory(allowIndex = true): Specifier {
    const r = this.random
    const kind = r.int(0, allowIndex ? 10 : 9)
    switch (kind) {
      case 0:
        return { kind: 'deferred', reg: this.pointerRegister() }
      case 1:
        return { kind: 'autoincrement', reg: this.pointerRegister() }
      case 2:
        return { kind: 'autodecrement', reg: this.pointerRegister() }
      case 3:
        return {
          kind: 'displacement',
          reg: this.pointerRegister(),
          displacement: r.int(-100, 100),
          size: 1,
          deferred: false,
        }
      case 4: {
        const size = r.pick([2, 4] as const)
        return {
          kind: 'displacement',
          reg: this.pointerRegister(),
          displacement: r.int(-600, 600),
          size,
          deferred: false,
        }
      }
      case 5:
        return {
          kind: 'displacement',
          reg: 11,
          displacement: 4 * r.int(-16, 16),
          size: 1,
          deferred: true,
        }
      case 6:
        return { kind: 'autoincrementDeferred', reg: 11 }
      case 7:
        return { kind: 'absolute', address: this.scratchAddress() }
      case 8:
        return {
          kind: 'relative',
          target: this.scratchAddress(),
          size: r.pick([2, 4] as const),
          deferred: false,
        }
      case 9:
        return {
          kind: 'relative',
          target: this.tableSlot(),
          size: r.pick([2, 4] as const),
          deferred: true,
        }
      default:
        return { kind: 'index', base: this.memory(false), index: 10 }
    }
  }

  /**
   * An octaword or H-floating operand: a 16-byte immediate, R0-R11 for reading (now and
   * then R12, whose octaword would run into SP: a reserved addressing mode), R0-R2 for
   * writing (so only R0-R5 change), or memory.
   */
  private octaword(spec: OperandSpec): Specifier {
    const r = this.random
    if (spec.access === 'a') return this.memory()
    if (spec.access === 'r') {
      const roll = r.next()
      if (roll < 0.1 && spec.type === 'h') return { kind: 'literal', value: r.int(0, 63) }
      if (roll < 0.25) {
        let value = 0n
        for (let k = 0; k < 4; k++) value = (value << 32n) | BigInt(r.interesting32() >>> 0)
        return { kind: 'immediate', value }
      }
      if (roll < 0.55) return { kind: 'register', reg: r.chance(0.03) ? 12 : r.int(0, 11) }
      return this.memory()
    }
    if (r.chance(0.45)) return { kind: 'register', reg: r.int(0, 2) }
    return this.memory()
  }

  operand(op: Opcode, index: number, spec: OperandSpec): Specifier {
    const r = this.random
    const integer = !'fdgh'.includes(spec.type)
    if (LENGTH_OPERANDS[op.mnemonic]?.includes(index)) {
      const length = r.int(0, 100)
      return length <= 63 && r.chance(0.5)
        ? { kind: 'literal', value: length }
        : { kind: 'immediate', value: BigInt(length) }
    }
    const quad = spec.size >= 8
    if (spec.size === 16) return this.octaword(spec)
    switch (spec.access) {
      case 'r': {
        const roll = r.next()
        if (roll < 0.15 && integer) return { kind: 'literal', value: r.int(0, 63) }
        if (roll < 0.3) {
          const value = quad
            ? (BigInt(r.interesting32()) << 32n) | BigInt(r.interesting32() >>> 0)
            : BigInt(r.interesting32())
          return { kind: 'immediate', value }
        }
        if (roll < 0.6) return { kind: 'register', reg: r.int(0, quad ? 12 : 13) }
        return this.memory()
      }
      case 'm':
      case 'w':
        if (r.chance(0.45)) return { kind: 'register', reg: r.int(0, quad ? 4 : 5) }
        return this.memory()
      case 'v':
        if (r.chance(0.4)) return { kind: 'register', reg: r.int(0, 4) }
        return this.memory()
      default:
        return this.memory()
    }
  }
}

/**
 * Random operand specifiers for `opcode` (branch operands get `branchTarget`), drawn
 * from the same mix of addressing modes as the random programs.
 */
export function randomSpecifiers(
  opcode: Opcode,
  random: Random,
  branchTarget: number = LAYOUT.code,
): Specifier[] {
  const gen = new Generator(random)
  return opcode.operands.map((spec, k) =>
    spec.access === 'b' ? { kind: 'branch', target: branchTarget } : gen.operand(opcode, k, spec),
  )
}

interface Planned {
  readonly opcode: Opcode
  readonly specifiers: Specifier[]
  /** For each branch operand, the index of the instruction it jumps to. */
  readonly branchTo: Map<number, number>
  /** CASE: instruction indexes of the table's targets. */
  readonly caseTargets: number[]
}

/** Generates the program for `seed`. */
export function generateProgram(
  seed: number,
  machine: 'ka655' | 'vax780' = 'ka655',
  pool?: readonly Opcode[],
): TestProgram {
  const random = new Random(seed)
  const code = randomCode(random, machine, LAYOUT.code, 'HALT', pool ?? false)
  return assembleProgram(seed, code, random)
}

/**
 * A random instruction stream at `base` ending with `last` (HALT, or CHMK #n for
 * user-mode streams): 1-24 instructions, forward branches only, drawn from the
 * machine's candidate opcodes (`pool` true: the base set only; a list: those opcodes).
 */
export function randomCode(
  random: Random,
  machine: 'ka655' | 'vax780',
  base: number,
  last: string,
  pool: boolean | readonly Opcode[] = false,
): Uint8Array {
  const gen = new Generator(random)
  const opcodes =
    typeof pool === 'boolean'
      ? candidateOpcodes(machine).filter((o) => !pool || o.set === 'base')
      : pool
  const count = random.int(1, 24)
  const plan: Planned[] = []
  // Sometimes enable integer overflow traps or floating underflow faults first.
  if (random.chance(0.25)) {
    const bits = random.pick([0x20, 0x20, 0x80, 0x60, 0xa0])
    const specifier: Specifier =
      bits <= 63 ? { kind: 'literal', value: bits } : { kind: 'immediate', value: BigInt(bits) }
    plan.push({
      opcode: op('BISPSW'),
      specifiers: [specifier],
      branchTo: new Map(),
      caseTargets: [],
    })
  }
  for (let i = 0; i < count; i++) {
    const opcode = random.pick(opcodes)
    const specifiers: Specifier[] = []
    const branchTo = new Map<number, number>()
    const caseTargets: number[] = []
    opcode.operands.forEach((spec, k) => {
      if (spec.access === 'b') {
        branchTo.set(k, -1)
        specifiers.push({ kind: 'branch', target: 0 })
      } else specifiers.push(gen.operand(opcode, k, spec))
    })
    constrain(opcode, specifiers, random)
    if (opcode.mnemonic.startsWith('CASE')) {
      const limit = random.int(0, 4)
      specifiers[2] = { kind: 'literal', value: limit }
      for (let t = 0; t <= limit; t++) caseTargets.push(-1)
    }
    plan.push({ opcode, specifiers, branchTo, caseTargets })
  }
  const final = op(last.split(' ')[0] as string)
  const finalSpecifiers: Specifier[] =
    final.operands.length > 0 ? [{ kind: 'literal', value: random.int(0, 63) }] : []
  plan.push({ opcode: final, specifiers: finalSpecifiers, branchTo: new Map(), caseTargets: [] })
  // Forward targets only, so every program ends.
  plan.forEach((p, i) => {
    for (const k of p.branchTo.keys()) p.branchTo.set(k, random.int(i + 1, plan.length - 1))
    for (let t = 0; t < p.caseTargets.length; t++)
      p.caseTargets[t] = random.int(i + 1, plan.length - 1)
  })
  return layout(plan, base)
}

function op(mnemonic: string): Opcode {
  return OPCODE_BY_MNEMONIC.get(mnemonic) as Opcode
}

/** Keeps positions, sizes and masks where they exercise the rules without leaving memory. */
function constrain(opcode: Opcode, specifiers: Specifier[], random: Random): void {
  const m = opcode.mnemonic
  const small = (low: number, high: number): Specifier => {
    const v = random.int(low, high)
    return v >= 0 && v <= 63 && random.chance(0.6)
      ? { kind: 'literal', value: v }
      : { kind: 'immediate', value: BigInt(v) }
  }
  if (/^(EXTZ?V|CMPZ?V|FF[SC])$/.test(m)) {
    const register = specifiers[2]?.kind === 'register'
    specifiers[0] = register ? small(0, 36) : small(-64, 200)
    specifiers[1] = small(0, random.chance(0.1) ? 40 : 32)
  } else if (m === 'INSV') {
    const register = specifiers[3]?.kind === 'register'
    specifiers[1] = register ? small(0, 36) : small(-64, 200)
    specifiers[2] = small(0, random.chance(0.1) ? 40 : 32)
  } else if (/^BB/.test(m)) {
    specifiers[0] = specifiers[1]?.kind === 'register' ? small(0, 36) : small(-64, 200)
  } else if (m === 'POPR') {
    specifiers[0] = small(0, 0x3f)
  } else if (m === 'BISPSW' || m === 'BICPSW') {
    // Not T: SIMH 3.8.1 leaves PSL<TP> set in the frame of a faulting instruction,
    // which current SIMH and the architecture clear (tested separately).
    const value = random.chance(0.9) ? random.int(0, 0xef) : random.int(0, 0x1ff)
    specifiers[0] = small(value & ~0x10, value & ~0x10)
  }
}

/** Encodes the planned instructions at LAYOUT.code, resolving branch and CASE targets. */
function layout(plan: readonly Planned[], base: number): Uint8Array {
  const lengths = plan.map(
    (p) =>
      encodeInstruction(
        p.opcode,
        resolve(p, () => base),
        base,
      ).length +
      2 * p.caseTargets.length,
  )
  const addresses: number[] = []
  let at = base
  for (const length of lengths) {
    addresses.push(at)
    at += length
  }
  const out: number[] = []
  plan.forEach((p, i) => {
    const address = addresses[i] as number
    let specifiers = resolve(p, (target) => addresses[target] as number)
    try {
      out.push(...encodeInstruction(p.opcode, specifiers, address))
    } catch {
      // A branch out of range: go to the next instruction instead.
      specifiers = resolve(p, () => (addresses[i] as number) + (lengths[i] as number))
      out.push(...encodeInstruction(p.opcode, specifiers, address))
    }
    const tableBase = address + (lengths[i] as number) - 2 * p.caseTargets.length
    for (const target of p.caseTargets) {
      const displacement = ((addresses[target] as number) - tableBase) & 0xffff
      out.push(displacement & 0xff, displacement >> 8)
    }
  })
  return Uint8Array.from(out)
}

function resolve(p: Planned, address: (index: number) => number): Specifier[] {
  return p.specifiers.map((s, k) => {
    const target = p.branchTo.get(k)
    return target === undefined ? s : { kind: 'branch', target: address(target) }
  })
}

/** The code padded with zeros to the whole code region (SIMH keeps memory between programs). */
export function codeRegion(code: Uint8Array): Uint8Array {
  const region = new Uint8Array(LAYOUT.table - LAYOUT.code)
  region.set(code.subarray(0, region.length))
  return region
}

function assembleProgram(seed: number, code: Uint8Array, random: Random): TestProgram {
  const scb = new Uint8Array(0x200)
  const scbView = new DataView(scb.buffer)
  for (let k = 0; k < 0x80; k++) scbView.setUint32(4 * k, LAYOUT.handlers + 4 * k, true)
  const table = new Uint8Array(0x100)
  const tableView = new DataView(table.buffer)
  for (let k = 0; k < 64; k++)
    tableView.setUint32(4 * k, random.int(LAYOUT.scratch + 0x400, LAYOUT.scratchEnd - 0x400), true)
  const scratch = Uint8Array.from({ length: LAYOUT.scratchEnd - LAYOUT.scratch }, () =>
    random.int(0, 255),
  )
  const registers: number[] = []
  for (let n = 0; n <= 5; n++) registers.push(random.interesting32())
  for (let n = 6; n <= 9; n++)
    registers.push(random.int(LAYOUT.scratch + 0xc00, LAYOUT.scratch + 0x1400))
  registers.push(random.int(0, 15))
  registers.push(LAYOUT.table + 0x80)
  registers.push(random.interesting32(), random.interesting32())
  registers.push(LAYOUT.stackTop)
  return {
    seed,
    code,
    loads: [
      { address: 0, bytes: scb },
      { address: LAYOUT.handlers, bytes: new Uint8Array(0x200) },
      { address: LAYOUT.code, bytes: codeRegion(code) },
      { address: LAYOUT.table, bytes: table },
      { address: LAYOUT.scratch, bytes: scratch },
      { address: LAYOUT.stack, bytes: new Uint8Array(LAYOUT.stackEnd - LAYOUT.stack) },
    ],
    registers,
    psl: 0x041f0000,
    pc: LAYOUT.code,
    maxSteps: 200,
    dumps: [
      { address: LAYOUT.scratch, length: LAYOUT.scratchEnd - LAYOUT.scratch },
      { address: LAYOUT.stack, length: LAYOUT.stackEnd - LAYOUT.stack },
    ],
  }
}
