import { OPCODE_BY_MNEMONIC, type Opcode, type OperandSpec } from '@vax/cpu'
import type { Specifier } from './specifier'

/** Why an instruction cannot be encoded. */
export class EncodeError extends Error {
  override readonly name = 'EncodeError'
}

function fits(value: number, size: 1 | 2 | 4): boolean {
  if (size === 4) return value >= -0x80000000 && value <= 0xffffffff
  const limit = size === 1 ? 0x80 : 0x8000
  return value >= -limit && value < limit
}

function pushLittle(out: number[], value: number | bigint, size: number): void {
  let v = BigInt.asUintN(size * 8, BigInt(value))
  for (let i = 0; i < size; i++) {
    out.push(Number(v & 0xffn))
    v >>= 8n
  }
}

/**
 * Encodes one operand specifier. `out` holds the instruction so far and `address` is
 * the instruction's address, so PC-relative displacements can be computed.
 */
export function encodeSpecifier(
  out: number[],
  spec: Specifier,
  operand: OperandSpec,
  address: number,
): void {
  switch (spec.kind) {
    case 'literal':
      if (!Number.isInteger(spec.value) || spec.value < 0 || spec.value > 63) {
        throw new EncodeError(`short literal ${spec.value} is not 0..63`)
      }
      out.push(spec.value)
      return
    case 'immediate':
      out.push(0x8f)
      pushLittle(out, spec.value, operand.size)
      return
    case 'register':
      out.push(0x50 | spec.reg)
      return
    case 'deferred':
      out.push(0x60 | spec.reg)
      return
    case 'autodecrement':
      out.push(0x70 | spec.reg)
      return
    case 'autoincrement':
      out.push(0x80 | spec.reg)
      return
    case 'autoincrementDeferred':
      out.push(0x90 | spec.reg)
      return
    case 'absolute':
      out.push(0x9f)
      pushLittle(out, spec.address, 4)
      return
    case 'displacement': {
      if (!fits(spec.displacement, spec.size)) {
        throw new EncodeError(
          `displacement ${spec.displacement} does not fit in ${spec.size} byte(s)`,
        )
      }
      const mode = (spec.size === 1 ? 0xa : spec.size === 2 ? 0xc : 0xe) + (spec.deferred ? 1 : 0)
      out.push((mode << 4) | spec.reg)
      pushLittle(out, spec.displacement, spec.size)
      return
    }
    case 'relative': {
      const mode = (spec.size === 1 ? 0xa : spec.size === 2 ? 0xc : 0xe) + (spec.deferred ? 1 : 0)
      const after = address + out.length + 1 + spec.size
      const displacement = (spec.target - after) | 0
      if (!fits(displacement, spec.size)) {
        throw new EncodeError(
          `PC-relative displacement ${displacement} does not fit in ${spec.size} byte(s)`,
        )
      }
      out.push((mode << 4) | 0xf)
      pushLittle(out, displacement, spec.size)
      return
    }
    case 'index':
      out.push(0x40 | spec.index)
      encodeSpecifier(out, spec.base, operand, address)
      return
    case 'branch': {
      const after = address + out.length + operand.size
      const displacement = (spec.target - after) | 0
      if (!fits(displacement, operand.size as 1 | 2)) {
        throw new EncodeError(
          `branch target is ${displacement} bytes away, out of range for a ${operand.size === 1 ? 'byte' : 'word'} displacement`,
        )
      }
      pushLittle(out, displacement, operand.size)
    }
  }
}

/** Encodes an instruction at `address`. Throws EncodeError for a bad operand. */
export function encodeInstruction(
  opcode: Opcode | string,
  specifiers: readonly Specifier[],
  address = 0,
): Uint8Array {
  const op = typeof opcode === 'string' ? OPCODE_BY_MNEMONIC.get(opcode.toUpperCase()) : opcode
  if (op === undefined) throw new EncodeError(`unknown instruction ${String(opcode)}`)
  if (specifiers.length !== op.operands.length) {
    throw new EncodeError(
      `${op.mnemonic} takes ${op.operands.length} operand(s), not ${specifiers.length}`,
    )
  }
  const out: number[] = op.code > 0xff ? [0xfd, op.code & 0xff] : [op.code]
  op.operands.forEach((operand, i) => {
    const spec = specifiers[i] as Specifier
    if ((operand.access === 'b') !== (spec.kind === 'branch')) {
      throw new EncodeError(
        `operand ${i + 1} of ${op.mnemonic} must ${operand.access === 'b' ? '' : 'not '}be a branch target`,
      )
    }
    encodeSpecifier(out, spec, operand, address)
  })
  return Uint8Array.from(out)
}
