import type { OperandSpec } from '@vax/cpu'
import type { Specifier } from './specifier'
import { REGISTER_NAMES } from './specifier'

/** A number as MACRO-32 writes it: decimal below 10, else ^X hexadecimal. */
export function formatNumber(value: number | bigint): string {
  const v = BigInt(value)
  const negative = v < 0n
  const magnitude = negative ? -v : v
  const text = magnitude < 10n ? magnitude.toString() : `^X${magnitude.toString(16).toUpperCase()}`
  return negative ? `-${text}` : text
}

/** An address, always in hexadecimal. */
export function formatAddress(address: number): string {
  return `^X${(address >>> 0).toString(16).toUpperCase()}`
}

function smallestDisplacement(value: number): 1 | 2 | 4 {
  if (value >= -0x80 && value < 0x80) return 1
  if (value >= -0x8000 && value < 0x8000) return 2
  return 4
}

const PREFIX = { 1: 'B^', 2: 'W^', 4: 'L^' } as const

/**
 * Formats a specifier in MACRO-32 syntax, adding S^, I^, B^, W^ or L^ only where the
 * assembler's default would choose another encoding, so the text assembles back to the
 * same bytes. `specifierAddress` is where the specifier's first byte is (for the
 * default size of a PC-relative displacement).
 */
export function formatSpecifier(
  spec: Specifier,
  operand: OperandSpec,
  specifierAddress = 0,
): string {
  const integer = !'fdgh'.includes(operand.type)
  switch (spec.kind) {
    case 'literal':
      // The assembler makes `#n` a short literal only for an integer operand it reads.
      return integer && operand.access === 'r'
        ? `#${formatNumber(spec.value)}`
        : `S^#${formatNumber(spec.value)}`
    case 'immediate':
      return integer && spec.value >= 0n && spec.value <= 63n
        ? `I^#${formatNumber(spec.value)}`
        : `#${formatNumber(BigInt.asIntN(operand.size * 8, spec.value))}`
    case 'register':
      return REGISTER_NAMES[spec.reg] as string
    case 'deferred':
      return `(${REGISTER_NAMES[spec.reg]})`
    case 'autodecrement':
      return `-(${REGISTER_NAMES[spec.reg]})`
    case 'autoincrement':
      return `(${REGISTER_NAMES[spec.reg]})+`
    case 'autoincrementDeferred':
      return `@(${REGISTER_NAMES[spec.reg]})+`
    case 'absolute':
      return `@#${formatAddress(spec.address)}`
    case 'displacement': {
      const prefix = smallestDisplacement(spec.displacement) === spec.size ? '' : PREFIX[spec.size]
      const at = spec.deferred ? '@' : ''
      return `${at}${prefix}${formatNumber(spec.displacement)}(${REGISTER_NAMES[spec.reg]})`
    }
    case 'relative': {
      // Addresses are 32-bit: displacements wrap, as in the assembler.
      const byteDisplacement = (spec.target - (specifierAddress + 2)) | 0
      const wordDisplacement = (spec.target - (specifierAddress + 3)) | 0
      const smallest =
        byteDisplacement >= -0x80 && byteDisplacement < 0x80
          ? 1
          : wordDisplacement >= -0x8000 && wordDisplacement < 0x8000
            ? 2
            : 4
      const prefix = smallest === spec.size ? '' : PREFIX[spec.size]
      return `${spec.deferred ? '@' : ''}${prefix}${formatAddress(spec.target)}`
    }
    case 'index':
      return `${formatSpecifier(spec.base, operand, specifierAddress + 1)}[${REGISTER_NAMES[spec.index]}]`
    case 'branch':
      return formatAddress(spec.target)
  }
}
