import { type DecodedInstruction, REGISTER_NAMES, type Specifier } from '@vax/asm'

/**
 * Formats a decoded instruction the way SIMH's `examine -m` does, so the two
 * disassemblers can be compared: hexadecimal numbers without a radix prefix, no
 * B^/W^/L^/S^/I^ prefixes, PC-relative operands and branches as target addresses.
 */
export function simhStyle(decoded: DecodedInstruction): string {
  const op = decoded.opcode
  if (op === undefined) return ''
  const operands = decoded.specifiers.map((s, i) => specifier(s, op.operands[i]?.size ?? 4))
  return operands.length === 0 ? op.mnemonic : `${op.mnemonic} ${operands.join(',')}`
}

const hex = (v: number | bigint) => {
  const b = BigInt(v)
  return b < 0n ? `-${(-b).toString(16).toUpperCase()}` : b.toString(16).toUpperCase()
}

function specifier(s: Specifier, size: number): string {
  const reg = (n: number) => REGISTER_NAMES[n] as string
  switch (s.kind) {
    case 'literal':
      return `#${hex(s.value)}`
    case 'immediate':
      return `#${hex(BigInt.asUintN(Math.min(size, 8) * 8, s.value))}`
    case 'register':
      return reg(s.reg)
    case 'deferred':
      return `(${reg(s.reg)})`
    case 'autodecrement':
      return `-(${reg(s.reg)})`
    case 'autoincrement':
      return `(${reg(s.reg)})+`
    case 'autoincrementDeferred':
      return `@(${reg(s.reg)})+`
    case 'absolute':
      return `@#${hex(s.address)}`
    case 'displacement':
      return `${s.deferred ? '@' : ''}${hex(s.displacement)}(${reg(s.reg)})`
    case 'relative':
      return `${s.deferred ? '@' : ''}${hex(s.target)}`
    case 'index':
      return `${specifier(s.base, size)}[${reg(s.index)}]`
    case 'branch':
      return hex(s.target)
  }
}
