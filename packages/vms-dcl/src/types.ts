import type { Status } from '@vms/contracts'

/** How a qualifier or keyword takes a value (the CLD's VALUE and VALUE(REQUIRED)). */
export type ValueRule = 'none' | 'optional' | 'required'

/** What a value must look like: any text, a decimal integer, a keyword, a file spec. */
export type ValueType = 'string' | 'number' | 'keyword' | 'file'

/**
 * A qualifier in a command table (a CLD QUALIFIER clause): its name, whether it takes a
 * value and of what type, whether a list `(a,b)` may be given, whether `/NO` may negate it
 * (the CLD's NONNEGATABLE when false), and its HELP line.
 */
export interface QualifierDefinition {
  readonly name: string
  readonly value?: ValueRule
  readonly type?: ValueType
  readonly list?: boolean
  readonly negatable?: boolean
  /** The keywords a keyword value may be (each abbreviable to a unique prefix). */
  readonly keywords?: readonly string[]
  /**
   * Keep the case of an unquoted value (a quoted one keeps it anyway). A `file` value keeps
   * it unless this says false: file names on a case-sensitive host need their case.
   */
  readonly keepCase?: boolean
  /** Present when the command does not mention it (the CLD's DEFAULT). */
  readonly default?: boolean
  readonly help?: string
}

/**
 * A positional parameter (P1-P8 of a CLD): its label (`_File` is the prompt DCL would
 * give), whether it is required, whether it takes a comma list, and its value type.
 */
export interface ParameterDefinition {
  readonly label: string
  readonly required?: boolean
  readonly list?: boolean
  readonly type?: ValueType
  readonly keywords?: readonly string[]
  /** Keep case (a quoted string keeps it anyway); otherwise the value is upper-cased. */
  readonly keepCase?: boolean
}

/** The result of parsing one command against its definition. */
export interface ParsedCommand {
  /** The verb's full name: `SHOW`. */
  readonly verb: string
  /** The keyword a keyword verb took (`SYSTEM` of SHOW SYSTEM), full name. */
  readonly keyword?: string
  /** The parameters' values after the keyword, each a list (one value unless a list). */
  readonly parameters: readonly (readonly string[])[]
  /** The qualifiers given, by full name: negated (`/NO...`) and their values. */
  readonly qualifiers: ReadonlyMap<string, QualifierValue>
  /** The command text after substitution. */
  readonly text: string
}

export interface QualifierValue {
  readonly negated: boolean
  readonly values: readonly string[]
}

/**
 * What a verb's handler can use: output, the data lines that follow the command in a
 * procedure (SYS$INPUT, book 23.4's "data lines"), the default disk, and the interpreter.
 */
export interface CommandContext {
  /** Writes a line to SYS$OUTPUT. */
  say(line: string): void
  /**
   * The next data line for the image the command runs: in a command procedure the next
   * line not beginning with `$`; at the terminal the host's input. Undefined at the end
   * (the next `$` line, or end of file).
   */
  readData(): string | undefined
  /** The interpreter (symbols, logical names, file specifications). */
  readonly dcl: DclInterpreter
}

/**
 * A verb's handler: returns the command's status (undefined: success). A status whose
 * message the handler has already shown has STS$M_INHIB_MSG set; otherwise DCL shows it.
 */
export type CommandHandler = (command: ParsedCommand, context: CommandContext) => Status | undefined

/** A syntax: parameters, qualifiers, what HELP says, and the handler. */
export interface CommandSyntax {
  readonly help: string
  /** Longer HELP text (more lines), shown under the topic. */
  readonly description?: string
  readonly parameters?: readonly ParameterDefinition[]
  readonly qualifiers?: readonly QualifierDefinition[]
  readonly handler?: CommandHandler
}

/** A keyword of a keyword verb (`SYSTEM` of SHOW): its own syntax (the CLD's SYNTAX=). */
export interface KeywordDefinition extends CommandSyntax {
  readonly name: string
}

/**
 * A verb of the command table. A keyword verb (SHOW, SET) takes its first parameter as a
 * keyword that selects the syntax; its own qualifiers apply to every keyword. A raw verb
 * (IF, WRITE) gets the command text after the verb unparsed, as `parameters[0][0]`.
 */
export interface VerbDefinition extends CommandSyntax {
  readonly name: string
  /**
   * The fewest characters that name it (default 1: any unique prefix). A verb added by
   * a host's subsystem takes 4, so that `SH` stays SHOW beside a SHELVE.
   */
  readonly abbreviation?: number
  readonly keywords?: readonly KeywordDefinition[]
  readonly raw?: boolean
}

/** The part of the interpreter a handler sees (the full class is `Dcl`). */
export interface DclInterpreter {
  /** A symbol's value, local levels first then global; undefined if not defined. */
  symbol(name: string): string | undefined
  /** Defines a symbol (global when `global`). */
  setSymbol(name: string, value: string, global?: boolean): void
  /** A logical name's translation (the interpreter's table, then the host's). */
  translate(name: string): string | undefined
  /** $STATUS: the status of the last command. */
  readonly status: Status
}

/** A value a host returns for an F$GETJPI / F$GETSYI item. */
export type ItemValue = string | number

/**
 * What the interpreter needs from its host (the system, or a Node program): output,
 * input, the default disk's root directory, time, and the information services.
 */
export interface DclHost {
  /** Writes one line (no newline) to SYS$OUTPUT. */
  output(line: string): void
  /**
   * Reads a line from SYS$INPUT at the terminal (READ SYS$INPUT, INQUIRE, data for an
   * image); undefined at end of file. Absent: input is at end of file.
   */
  input?(prompt: string): string | undefined
  /** The host directory that is the default disk (SYS$DISK:[000000]). */
  readonly root: string
  /** The time now (F$TIME, SHOW TIME); the host clock when absent. */
  now?(): Date
  /** F$GETJPI: an item of a process (pid '' is the current process). */
  getjpi?(pid: string, item: string): ItemValue | undefined
  /** F$GETSYI: a system item. */
  getsyi?(item: string): ItemValue | undefined
  /** EXIT typed at the terminal (a system may shut down or log out). */
  exit?(status: number): void
  /** F$TRNLNM and logical names not in the interpreter's own table. */
  trnlnm?(name: string, table?: string): string | undefined
}
