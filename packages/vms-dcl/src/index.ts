export { parameter, present, qualifierValue } from './builtins'
export { CommandTable, type Lookup, lookup } from './command-table'
export { consoleWords, fromConsoleCommand } from './console-command'
export { DefaultDisk, type DiskFile, type Resolved } from './disk'
export {
  type DclValue,
  type ExpressionScope,
  evaluate,
  isTrue,
  toInteger,
  toText,
} from './expression'
export {
  type DirectorySpec,
  type FileSpec,
  formatDirectory,
  parseFileSpec,
  wildcardTest,
} from './filespec'
export { CommandHistory } from './history'
export { findImage } from './image-file'
export { Dcl, type DclOptions, DEFAULT_STEP_LIMIT, MAX_NESTING } from './interpreter'
export { callLexical, formatAbsoluteTime, type LexicalEnvironment } from './lexicals'
export {
  CLI,
  CLI_NORMAL,
  type CliName,
  cliName,
  DclError,
  messageText,
  RMS,
  STS_M_INHIB_MSG,
} from './messages'
export { parseCommand, splitVerb } from './parser'
export { isSymbolName, SymbolTable, substituteAmpersands, substituteApostrophes } from './symbols'
export type {
  CommandContext,
  CommandHandler,
  CommandSyntax,
  DclHost,
  DclInterpreter,
  ItemValue,
  KeywordDefinition,
  ParameterDefinition,
  ParsedCommand,
  QualifierDefinition,
  QualifierValue,
  ValueRule,
  ValueType,
  VerbDefinition,
} from './types'
