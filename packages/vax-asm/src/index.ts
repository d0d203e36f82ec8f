export {
  type AssembleOptions,
  AssemblyError,
  type AssemblyResult,
  assemble,
  type Diagnostic,
  MAX_IMAGE_SIZE,
} from './assembler'
export { type ByteReader, type DecodedInstruction, decodeInstruction } from './decode'
export {
  type DisassembledLine,
  disassemble,
  formatDisassembly,
  formatInstruction,
  iterateDisassembly,
} from './disassembler'
export { EncodeError, encodeInstruction, encodeSpecifier } from './encode'
export { MAX_EXPRESSION_TERMS } from './expression'
export { formatAddress, formatNumber, formatSpecifier } from './format'
export { REGISTER_NAMES, registerNumber, type Specifier } from './specifier'
