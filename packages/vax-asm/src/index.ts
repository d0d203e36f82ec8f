export {
  type AssembleOptions,
  AssemblyError,
  type AssemblyResult,
  assemble,
  type Diagnostic,
} from './assembler'
export { type ByteReader, type DecodedInstruction, decodeInstruction } from './decode'
export {
  type DisassembledLine,
  disassemble,
  formatDisassembly,
  formatInstruction,
} from './disassembler'
export { EncodeError, encodeInstruction, encodeSpecifier } from './encode'
export { formatAddress, formatNumber, formatSpecifier } from './format'
export { REGISTER_NAMES, registerNumber, type Specifier } from './specifier'
