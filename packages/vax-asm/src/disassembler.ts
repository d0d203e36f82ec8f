import { type DecodedInstruction, decodeInstruction } from './decode'
import { formatAddress, formatNumber, formatSpecifier } from './format'

/** One line of a disassembly: an instruction, a CASE table entry or an undecodable byte. */
export interface DisassembledLine {
  readonly address: number
  readonly bytes: Uint8Array
  /** MACRO-32 text that assembles back to `bytes` at `address`. */
  readonly text: string
}

/** MACRO-32 text for a decoded instruction (without its CASE table). */
export function formatInstruction(decoded: DecodedInstruction): string {
  const op = decoded.opcode
  if (op === undefined) return '.BYTE'
  let at = decoded.address + (op.code > 0xff ? 2 : 1)
  const parts: string[] = []
  decoded.specifiers.forEach((spec, i) => {
    const operand = op.operands[i]
    if (operand === undefined) return
    parts.push(formatSpecifier(spec, operand, at))
    at += specifierLength(spec, operand.size)
  })
  return parts.length === 0 ? op.mnemonic : `${op.mnemonic} ${parts.join(',')}`
}

function specifierLength(spec: DecodedInstruction['specifiers'][number], size: number): number {
  switch (spec.kind) {
    case 'literal':
    case 'register':
    case 'deferred':
    case 'autodecrement':
    case 'autoincrement':
    case 'autoincrementDeferred':
      return 1
    case 'immediate':
      return 1 + size
    case 'absolute':
      return 5
    case 'displacement':
    case 'relative':
      return 1 + spec.size
    case 'index':
      return 1 + specifierLength(spec.base, size)
    case 'branch':
      return size
  }
}

/**
 * Disassembles `image`, loaded at `base`, into MACRO-32 lines. Bytes that are not an
 * instruction become `.BYTE` lines; a CASE instruction's table becomes `.WORD` lines.
 */
export function disassemble(image: Uint8Array, base = 0): DisassembledLine[] {
  return [...iterateDisassembly(image, base)]
}

/**
 * The lines of `disassemble`, one at a time, for images too large to hold as lines.
 * Assembling their texts at `base` gives back `image`, whatever its bytes.
 */
export function* iterateDisassembly(image: Uint8Array, base = 0): Generator<DisassembledLine> {
  const read = (address: number): number | undefined => image[address - base]
  let address = base
  const end = base + image.length
  while (address < end) {
    const decoded = decodeInstruction(read, address)
    const bytes = image.subarray(address - base, address - base + decoded.length)
    if (decoded.opcode === undefined) {
      yield { address, bytes, text: `.BYTE ${formatNumber(bytes[0] ?? 0)}` }
      address += 1
      continue
    }
    yield { address, bytes, text: formatInstruction(decoded) }
    address += decoded.length
    const tableBase = address
    for (const target of decoded.caseTable ?? []) {
      if (address + 2 > end) break
      const displacement = ((target - tableBase) << 16) >> 16
      yield {
        address,
        bytes: image.subarray(address - base, address - base + 2),
        text: `.WORD ${formatNumber(displacement)} ; case -> ${formatAddress(target)}`,
      }
      address += 2
    }
  }
}

/** A listing: address, bytes and text, one instruction per line. */
export function formatDisassembly(lines: readonly DisassembledLine[]): string {
  return lines
    .map((line) => {
      const hex = [...line.bytes]
        .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
        .join(' ')
      const address = line.address.toString(16).toUpperCase().padStart(8, '0')
      return `${address}  ${hex.padEnd(30)}  ${line.text}`
    })
    .join('\n')
}
