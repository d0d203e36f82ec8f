import { OPCODE_BY_INDEX, type Opcode, type OperandSpec } from '@vax/cpu'
import type { Specifier } from './specifier'

/** One decoded instruction (or one undecodable byte, when `opcode` is undefined). */
export interface DecodedInstruction {
  readonly address: number
  readonly length: number
  readonly opcode: Opcode | undefined
  readonly specifiers: readonly Specifier[]
  /** For CASEx with a constant limit: the displacement table that follows. */
  readonly caseTable?: readonly number[]
}

/** Reads the byte at an address, or undefined past the end of what is available. */
export type ByteReader = (address: number) => number | undefined

class OutOfData extends Error {}

/**
 * Decodes the instruction at `address`. An unknown opcode, or an instruction that runs
 * past the available bytes, decodes as a single byte with `opcode` undefined.
 */
export function decodeInstruction(read: ByteReader, address: number): DecodedInstruction {
  let pc = address
  const byte = (): number => {
    const b = read(pc)
    if (b === undefined) throw new OutOfData()
    pc++
    return b
  }
  const little = (size: number): bigint => {
    let v = 0n
    for (let i = 0; i < size; i++) v |= BigInt(byte()) << BigInt(8 * i)
    return v
  }
  const signed = (size: number): number => Number(BigInt.asIntN(size * 8, little(size)))
  const undecodable: DecodedInstruction = { address, length: 1, opcode: undefined, specifiers: [] }
  try {
    let index = byte()
    if (index === 0xfd) index = 0x100 | byte()
    const op = OPCODE_BY_INDEX[index]
    if (op === undefined) return undecodable
    const specifier = (operand: OperandSpec, allowIndex: boolean): Specifier => {
      const b = byte()
      const mode = b >> 4
      const reg = b & 15
      if (mode <= 3) return { kind: 'literal', value: b & 63 }
      switch (mode) {
        case 4: {
          if (!allowIndex) throw new OutOfData()
          const base = specifier(operand, false)
          return { kind: 'index', base, index: reg }
        }
        case 5:
          return { kind: 'register', reg }
        case 6:
          return { kind: 'deferred', reg }
        case 7:
          return { kind: 'autodecrement', reg }
        case 8:
          if (reg === 15) return { kind: 'immediate', value: little(operand.size) }
          return { kind: 'autoincrement', reg }
        case 9:
          if (reg === 15) return { kind: 'absolute', address: Number(little(4)) }
          return { kind: 'autoincrementDeferred', reg }
        default: {
          const size = (mode < 0xc ? 1 : mode < 0xe ? 2 : 4) as 1 | 2 | 4
          const displacement = signed(size)
          const deferred = (mode & 1) === 1
          if (reg === 15)
            return { kind: 'relative', target: (pc + displacement) >>> 0, size, deferred }
          return { kind: 'displacement', reg, displacement, size, deferred }
        }
      }
    }
    const specifiers: Specifier[] = []
    for (const operand of op.operands) {
      if (operand.access === 'b') {
        const displacement = signed(operand.size)
        specifiers.push({ kind: 'branch', target: (pc + displacement) >>> 0 })
      } else specifiers.push(specifier(operand, true))
    }
    const length = pc - address
    if (op.mnemonic.startsWith('CASE')) {
      const limit = specifiers[2]
      const count =
        limit?.kind === 'literal'
          ? limit.value + 1
          : limit?.kind === 'immediate'
            ? Number(limit.value) + 1
            : 0
      if (count > 0 && count <= 4096) {
        const table: number[] = []
        const base = pc
        try {
          for (let i = 0; i < count; i++) table.push((base + signed(2)) >>> 0)
        } catch (e) {
          if (!(e instanceof OutOfData)) throw e
        }
        return { address, length, opcode: op, specifiers, caseTable: table }
      }
    }
    return { address, length, opcode: op, specifiers }
  } catch (e) {
    if (e instanceof OutOfData) return undecodable
    throw e
  }
}
