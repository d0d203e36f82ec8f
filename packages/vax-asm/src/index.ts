export {
  type AssembledPsect,
  type AssembleOptions,
  AssemblyError,
  type AssemblyResult,
  assemble,
  assembleObject,
  type Diagnostic,
  MAX_IMAGE_SIZE,
  type ObjectOptions,
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
export {
  type LinkDiagnostic,
  LinkError,
  type LinkOptions,
  type LinkResult,
  link,
  type PsectPlacement,
} from './linker'
export type { ObjectModule, ObjectPsect, ObjectSymbol, Relocation } from './object'
export { BLANK_PSECT, DEFAULT_ATTRIBUTES, type PsectAttributes } from './psect'
export { MAX_EXPANDED_CHARACTERS, MAX_EXPANDED_LINES, MAX_MACRO_DEPTH } from './reader'
export { REGISTER_NAMES, registerNumber, type Specifier } from './specifier'
