/**
 * What the CPU is configured and described by: the processor models and the
 * instructions each executes, the address translator interface, the result of a run,
 * and the per-opcode operand specifier and dispatch tables the decoder reads.
 */
import { type InstructionSet, OPCODE_BY_INDEX } from './opcodes'

/** Physical addresses are 30 bits: PA<29:0> (the I/O space is 0x20000000-0x3FFFFFFF). */
export const PHYSICAL_MASK = 0x3fffffff

/**
 * Operand specifier kinds, from the opcode table, packed as floating type << 6 (1 F or D,
 * 2 G, 3 H: how a short literal expands) | access << 3 | log2(size).
 */
export const ACC_R = 0
export const ACC_M = 1
export const ACC_W = 2
export const ACC_A = 3
export const ACC_V = 4
export const ACC_B = 5

/**
 * Which instruction sets a CPU model executes; the rest take the emulated-instruction
 * exception (`emulated`) or a reserved-instruction fault.
 */
export interface CpuModel {
  readonly name: 'ka655' | 'vax780'
  readonly executes: ReadonlySet<InstructionSet>
  readonly emulated: ReadonlySet<InstructionSet>
}

export const KA655: CpuModel = {
  name: 'ka655',
  executes: new Set(['base', 'float']),
  emulated: new Set(['string', 'decimal']),
}

export const VAX780: CpuModel = {
  name: 'vax780',
  executes: new Set(['base', 'string', 'float', 'decimal', 'hfloat']),
  emulated: new Set(),
}

/** Translates virtual addresses when memory management is on (supplied by @vax/mmu). */
export interface AddressTranslator {
  /**
   * The physical address for `va`, or throws a VaxException (access violation,
   * translation not valid). `write` is true for a write or modify access; `mode` is the
   * access mode the check is made for.
   */
  translate(va: number, write: boolean, mode: number): number
  /** PROBEx: may `mode` read (write) `va`? Validity is not checked. */
  probe(va: number, write: boolean, mode: number): boolean
  /** TBIA (and MAPEN, SBR, SLR changes). */
  invalidateAll(): void
  /** TBIS. */
  invalidateSingle(va: number): void
  /** LDPCTX and P0BR..P1LR changes: forget process-space translations. */
  invalidateProcess(): void
  /** TBCHK: is a translation for `va` in the buffer? */
  check(va: number): boolean
  /** Changes whenever translations may have changed (any invalidation). */
  readonly generation: number
}

/** Why `run` stopped. */
export type StopReason = 'HALT' | 'max-steps' | 'error'

export interface RunResult {
  readonly reason: StopReason
  /** What the error was (for 'error'), or the halt's cause. */
  readonly detail: string
  readonly steps: number
}

export const SPECS: readonly (Uint8Array | undefined)[] = OPCODE_BY_INDEX.map((op) => {
  if (op === undefined) return undefined
  // ADAWI checks its sum operand's alignment before reading it: decode it as a field
  // base (register or address, nothing read) and read it in the instruction.
  if (op.mnemonic === 'ADAWI') return Uint8Array.from([ACC_R * 8 + 1, ACC_V * 8 + 1])
  const access = { r: ACC_R, m: ACC_M, w: ACC_W, a: ACC_A, v: ACC_V, b: ACC_B } as const
  const floating = { f: 0x40, d: 0x40, g: 0x80, h: 0xc0 } as Record<string, number>
  return Uint8Array.from(
    op.operands,
    (o) => (floating[o.type] ?? 0) | (access[o.access] * 8) | Math.log2(o.size),
  )
})

export const EXECUTE = 0
export const EMULATE = 1
export const RESERVED = 2

/** What a model does with each opcode index: execute it, emulate it, or fault. */
export function dispatchTable(model: CpuModel): Uint8Array {
  return Uint8Array.from(OPCODE_BY_INDEX, (op) => {
    if (op === undefined) return RESERVED
    if (model.executes.has(op.set)) return EXECUTE
    return model.emulated.has(op.set) ? EMULATE : RESERVED
  })
}
