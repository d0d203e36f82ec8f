import { isSuccess, SS, type Status, severityOf } from '@vms/contracts'
import { languageVerbs } from './builtins'
import { CommandTable } from './command-table'
import { DefaultDisk } from './disk'
import { type DclValue, evaluate, isTrue, toInteger, toText } from './expression'
import { fileVerbs } from './files'
import { CommandHistory } from './history'
import { callLexical, type LexicalEnvironment } from './lexicals'
import { CLI, CLI_NORMAL, DclError, hostError, messageText, STS_M_INHIB_MSG } from './messages'
import { OpenFiles } from './open-files'
import { parseCommand, splitVerb } from './parser'
import { findThen, readParameters, readWord, statementWord, stringAssignment } from './statements'
import {
  isSymbolName,
  MAX_LINE,
  SymbolTable,
  stripComment,
  substituteAmpersands,
  substituteApostrophes,
} from './symbols'
import type { CommandContext, DclHost, DclInterpreter, VerbDefinition } from './types'

/**
 * DCL's limit on nested command levels (procedures and CALLs): 16 in VAX/VMS; a deeper
 * `@` or CALL is CLI$_STKOVF.
 */
export const MAX_NESTING = 16

/** Commands one `execute` may run before DCL gives up (the step limit, SS$_EXQUOTA). */
export const DEFAULT_STEP_LIMIT = 1_000_000

/** Options of an interpreter. */
export interface DclOptions {
  /** Commands (procedure lines) one `execute` may run; beyond it SS$_EXQUOTA. */
  readonly stepLimit?: number
  /** Procedure nesting depth (default and most: MAX_NESTING). */
  readonly maxDepth?: number
  /** The default disk's device name as SHOW DEFAULT shows it (`SYS$DISK`). */
  readonly device?: string
  /** F$MODE (INTERACTIVE unless told). */
  readonly mode?: string
  /** Verbs beside the built-in ones (the host's RUN, STOP...). */
  readonly verbs?: readonly VerbDefinition[]
}

/** How severe a status must be for an ON action: WARNING, ERROR or SEVERE_ERROR. */
type Threshold = 0 | 2 | 4

/** One command level: the terminal, a command procedure, or a CALLed subroutine. */
interface Level {
  readonly kind: 'terminal' | 'procedure' | 'call'
  readonly name: string
  readonly lines: readonly string[]
  pc: number
  /** The first line of the level (a subroutine's, after its SUBROUTINE line). */
  readonly start: number
  readonly end: number
  readonly locals: SymbolTable
  /** Open IF blocks: whether this branch runs. */
  readonly ifs: boolean[]
  /** An IF with no THEN on its line: its value, until the THEN line. */
  pendingIf: boolean | undefined
  readonly gosubs: number[]
  /** ON severity THEN action (undefined: the default, ON ERROR THEN EXIT). */
  on: { threshold: Threshold; action: string } | undefined
  /** SET ON / SET NOON. */
  onEnabled: boolean
  /** At the terminal, a branch of an IF block being skipped line by line as typed. */
  skip: Skip | undefined
  done: boolean
  /** A data line was skipped since the last command (SKPDAT is shown once). */
  skipped: boolean
}

/** A branch of an IF block being skipped: the depth of the blocks nested in it. */
interface Skip {
  depth: number
  /** From a false THEN: an ELSE at depth 0 ends the skip (from an ELSE only ENDIF does). */
  readonly stopAtElse: boolean
}

/**
 * One line of a skipped branch: true when it ends the skip (the block's ELSE or ENDIF;
 * the ENDIF also closes the block). Nested blocks are passed over.
 */
function skipLine(level: Level, skip: Skip, line: string): boolean {
  const w = statementWord(line)
  if ((w.verb === 'THEN' && w.rest === '') || (w.verb === 'IF' && /\bTHEN\s*$/i.test(w.text))) {
    skip.depth++
    return false
  }
  if (w.verb === 'ENDIF') {
    if (skip.depth === 0) {
      level.ifs.pop()
      return true
    }
    skip.depth--
    return false
  }
  return w.verb === 'ELSE' && skip.depth === 0 && skip.stopAtElse
}

/** Thrown to end every level (the step limit, an interrupt). */
class Abort {
  constructor(readonly status: Status) {}
}

const SEVERITY_NAMES = ['WARNING', 'ERROR', 'SEVERE_ERROR', 'CONTROL_Y'] as const

/**
 * A DCL command interpreter (book 23: the CLI; DCL Dictionary: the language). It parses
 * commands against its command table, keeps symbols, runs command procedures, and maps
 * file specifications onto its host's default disk. Everything outside the language (the
 * terminal, the processes, the time) comes through the host.
 */
export class Dcl implements DclInterpreter {
  readonly table: CommandTable
  readonly disk: DefaultDisk
  /** The files OPEN opened, for READ and WRITE. */
  readonly openFiles: OpenFiles
  readonly history = new CommandHistory()
  readonly globals = new SymbolTable()
  /** The process logical name table (LNM$PROCESS_TABLE) DEFINE and ASSIGN fill. */
  readonly logicals = new Map<string, string>()
  /** SET VERIFY. */
  verify = false
  private lastStatus: Status = CLI_NORMAL
  private readonly levels: Level[]
  private readonly stepLimit: number
  private readonly maxDepth: number
  private steps = 0
  private interrupted = false
  private readonly searches = new Map<number, { spec: string; files: string[] }>()

  constructor(
    readonly host: DclHost,
    private readonly options: DclOptions = {},
  ) {
    this.table = new CommandTable()
    this.disk = new DefaultDisk(host.root, options.device ?? 'SYS$DISK', (name) =>
      this.translate(name),
    )
    this.openFiles = new OpenFiles(this.disk)
    this.stepLimit = options.stepLimit ?? DEFAULT_STEP_LIMIT
    this.maxDepth = Math.min(options.maxDepth ?? MAX_NESTING, MAX_NESTING)
    this.levels = [this.makeLevel('terminal', 'TERMINAL', [], 0, 0)]
    for (const verb of [...languageVerbs(this), ...fileVerbs(this), ...(options.verbs ?? [])])
      this.table.define(verb)
  }

  /** $STATUS: the status of the last command. */
  get status(): Status {
    return this.lastStatus
  }

  /** The current procedure depth (0 at the terminal). */
  get depth(): number {
    return this.levels.length - 1
  }

  /**
   * CTRL/Y: stops the procedures being run (the next command checks) and returns to the
   * terminal level. A verb handler or the host's output may call it.
   */
  interrupt(): void {
    this.interrupted = true
  }

  /**
   * Runs one line typed at the terminal: a command, a symbol assignment or `@file`.
   * Returns $STATUS. Never throws for bad input: every error is a DCL message.
   */
  execute(line: string): Status {
    this.history.add(line)
    this.steps = 0
    this.interrupted = false
    const terminal = this.levels[0] as Level
    if (terminal.skip !== undefined) {
      if (skipLine(terminal, terminal.skip, line)) terminal.skip = undefined
      return this.lastStatus
    }
    try {
      this.runLine(terminal, line)
    } catch (error) {
      if (!(error instanceof Abort)) throw error
      this.levels.splice(1)
      this.setStatus(error.status)
    }
    return this.lastStatus
  }

  // ---- symbols -------------------------------------------------------------

  /** A symbol's value as a string (locals of this level and outer levels, then global). */
  symbol(name: string): string | undefined {
    const v = this.symbolValue(name)
    return v === undefined ? undefined : toText(v)
  }

  private symbolValue(name: string): DclValue | undefined {
    const upper = name.toUpperCase()
    if (upper === '$STATUS')
      return `%X${(this.lastStatus >>> 0).toString(16).toUpperCase().padStart(8, '0')}`
    if (upper === '$SEVERITY') return String(severityOf(this.lastStatus))
    if (upper === '$RESTART') return 'FALSE'
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const v = (this.levels[i] as Level).locals.get(upper)
      if (v !== undefined) return v
    }
    return this.globals.get(upper)
  }

  /** A local symbol of this level or an outer one (SHOW SYMBOL). */
  localSymbol(name: string): DclValue | undefined {
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const v = (this.levels[i] as Level).locals.get(name)
      if (v !== undefined) return v
    }
    return undefined
  }

  /** Deletes a local symbol of the current level. */
  deleteLocalSymbol(name: string): boolean {
    return this.current().locals.delete(name)
  }

  /** The current level's local symbols. */
  localSymbols(): [string, DclValue][] {
    return this.current().locals.entries()
  }

  /** Defines a symbol in the current level (or the global table). */
  setSymbol(name: string, value: string, global = false): void {
    this.assign(name, value, global)
  }

  private assign(name: string, value: DclValue, global: boolean): void {
    const upper = name.toUpperCase()
    if (upper === '$STATUS') {
      this.lastStatus = toInteger(value) >>> 0
      return
    }
    if (upper === '$SEVERITY') throw new DclError(CLI.IVSYMB, upper)
    const table = global ? this.globals : this.current().locals
    table.set(upper, value)
  }

  /** A logical name's translation: the interpreter's table, then the host's. */
  translate(name: string, table?: string): string | undefined {
    const upper = name.toUpperCase().replace(/:$/, '')
    if (
      table === undefined ||
      table === 'LNM$PROCESS' ||
      table === 'LNM$PROCESS_TABLE' ||
      table === 'LNM$FILE_DEV'
    ) {
      const own = this.logicals.get(upper)
      if (own !== undefined) return own
    }
    return this.host.trnlnm?.(upper, table)
  }

  /** Evaluates an expression in the current scope. */
  evaluate(text: string): DclValue {
    return evaluate(text, {
      lookup: (name) => this.symbolValue(name),
      lexical: (name, args) => callLexical(name, args, this.lexicalEnvironment()),
    })
  }

  private lexicalEnvironment(): LexicalEnvironment {
    return {
      now: () => this.now(),
      getjpi: (pid, item) => this.host.getjpi?.(pid, item),
      getsyi: (item) => this.host.getsyi?.(item),
      translate: (name, table) => this.translate(name, table),
      search: (spec, stream) => this.search(spec, stream),
      mode: () => this.options.mode ?? 'INTERACTIVE',
      symbolType: (name) => {
        const v = this.symbolValue(name)
        return v === undefined ? '' : typeof v === 'number' ? 'INTEGER' : 'STRING'
      },
      environment: (item) => {
        if (item === 'DEPTH') return this.depth
        if (item === 'DEFAULT') return this.disk.showDefault()
        if (item === 'VERIFY_PROCEDURE') return this.verify ? 1 : 0
        if (item === 'PROCEDURE')
          return this.current().kind === 'terminal' ? '' : this.current().name
        if (item === 'ON_SEVERITY') {
          const on = this.current().on
          return on === undefined ? 'ERROR' : (SEVERITY_NAMES[on.threshold / 2] as string)
        }
        return undefined
      },
    }
  }

  /** The time now (the host's clock if it has one). */
  now(): Date {
    return this.host.now?.() ?? new Date()
  }

  private search(spec: string, stream: number): string {
    const last = this.searches.get(stream)
    const upper = spec.toUpperCase()
    if (last === undefined || last.spec !== upper) {
      const files = this.disk.search(spec).map((f) => f.spec)
      this.searches.set(stream, { spec: upper, files })
    }
    const entry = this.searches.get(stream) as { spec: string; files: string[] }
    const next = entry.files.shift()
    if (next === undefined) {
      this.searches.delete(stream)
      return ''
    }
    return next
  }

  // ---- levels ----------------------------------------------------------------

  private current(): Level {
    return this.levels[this.levels.length - 1] as Level
  }

  private makeLevel(
    kind: Level['kind'],
    name: string,
    lines: readonly string[],
    pc: number,
    end: number,
  ): Level {
    return {
      kind,
      name,
      lines,
      pc,
      start: pc,
      end,
      locals: new SymbolTable(),
      ifs: [],
      pendingIf: undefined,
      gosubs: [],
      on: undefined,
      onEnabled: true,
      skip: undefined,
      done: false,
      skipped: false,
    }
  }

  private setStatus(status: Status): void {
    this.lastStatus = status >>> 0
  }

  /** Shows a status's message unless it has been shown, and marks it shown. */
  private report(status: Status): Status {
    if (!isSuccess(status) && (status & STS_M_INHIB_MSG) === 0) {
      this.host.output(messageText(status))
      return (status | STS_M_INHIB_MSG) >>> 0
    }
    return status >>> 0
  }

  private say(line: string): void {
    this.host.output(line)
  }

  /** One step of the step limit and the interrupt check. */
  private step(): void {
    if (this.interrupted) {
      this.interrupted = false
      throw new Abort(SS.ABORT | STS_M_INHIB_MSG)
    }
    if (++this.steps > this.stepLimit) {
      this.say(messageText(SS.EXQUOTA))
      throw new Abort(SS.EXQUOTA | STS_M_INHIB_MSG)
    }
  }

  /**
   * Runs one command line at a level: symbol substitution, labels, assignments, `@`,
   * then the command table. Sets $STATUS and applies the level's ON action.
   */
  private runLine(level: Level, raw: string): void {
    this.step()
    let status: Status
    try {
      const result = this.runCommand(level, raw)
      // IF, GOTO, labels and the like leave $STATUS as it was, and take no ON action.
      if (result === undefined) return
      status = result
    } catch (thrown) {
      const error = thrown instanceof DclError ? thrown : hostError(thrown)
      if (error === undefined) throw thrown
      for (const line of error.lines()) this.say(line)
      status = (error.status | STS_M_INHIB_MSG) >>> 0
    }
    this.setStatus(this.report(status))
    this.onCondition(level)
  }

  /** After a command in a procedure: the ON action if its status is severe enough. */
  private onCondition(level: Level): void {
    if (level.kind === 'terminal' || !level.onEnabled || level.done) return
    const severity = severityOf(this.lastStatus)
    if (isSuccess(this.lastStatus)) return
    const rank: Threshold = severity === 4 ? 4 : severity === 2 ? 2 : 0
    const on = level.on ?? { threshold: 2, action: 'EXIT' }
    if (rank < on.threshold) return
    // The action is taken once; the default returns (DCL Dictionary, ON).
    level.on = undefined
    this.runLine(level, on.action)
  }

  /** A command, with its status (undefined: leave $STATUS as the command left it). */
  private runCommand(level: Level, raw: string): Status | undefined {
    const dollar = raw.replace(/^\s*\$/, '')
    const substituted = substituteApostrophes(
      dollar,
      (name) => this.symbol(name) ?? '',
      (expression) => toText(this.evaluate(expression)),
    )
    if (this.verify && level.kind !== 'terminal') this.say(`$ ${substituted.trim()}`)
    let text = stripComment(substituted).trim()
    const label = /^([A-Za-z0-9_$]+):(?!=)\s*/.exec(text)
    if (label !== null) {
      text = text.slice(label[0].length)
      if (/^SUBROUTINE\b/i.test(text) || /^SUBR(O(U(T(I(N(E)?)?)?)?)?)?$/i.test(text)) {
        // A subroutine's body runs only when CALLed.
        level.pc = this.blockEnd(level, level.pc, 'SUBROUTINE')
        return undefined
      }
    }
    if (text === '') return undefined
    const assignment = /^([A-Za-z_$][A-Za-z0-9_$*]*)\s*(==|=|:==|:=)(?!=)\s*(.*)$/.exec(text)
    if (assignment !== null) {
      const [, name = '', op = '', value = ''] = assignment
      const global = op.length === 2 && op.startsWith('=') ? true : op === ':=='
      if (op.startsWith(':')) this.assign(name, stringAssignment(value), global)
      else this.assign(name, this.evaluate(value), global)
      return CLI_NORMAL
    }
    if (text.startsWith('@')) return this.callProcedure(text.slice(1))
    text = this.commandSynonym(text)
    text = substituteAmpersands(text, (name) => this.symbol(name))
    if (text.trim() === '') return undefined
    if (text.trim().startsWith('@')) return this.callProcedure(text.trim().slice(1))
    const { definition, syntax, command } = parseCommand(this.table, text)
    const handler = syntax.handler ?? definition.handler
    if (handler === undefined) throw new DclError(CLI.INSFPRM)
    return handler(command, this.context(level))
  }

  /** Phase 2: a first word that is a symbol is replaced by its value (`DIR :== DIRECTORY/SIZE`). */
  private commandSynonym(text: string): string {
    const { verb, rest } = splitVerb(text)
    if (verb === '' || !isSymbolName(verb)) return text
    const value = this.symbolValue(verb)
    if (typeof value !== 'string' || value.trim() === '') return text
    return `${value}${rest}`
  }

  private context(level: Level): CommandContext {
    return {
      say: (line) => this.say(line),
      readData: () => this.readData(level),
      dcl: this,
    }
  }

  /**
   * SYS$INPUT for an image: in a procedure, its next line that does not begin with `$`;
   * at the terminal, the host's input.
   */
  readData(level: Level = this.current()): string | undefined {
    if (level.kind === 'terminal') return this.host.input?.('')
    const line = level.lines[level.pc]
    if (line === undefined || level.pc >= level.end || /^\s*\$/.test(line)) return undefined
    level.pc++
    if (this.verify) this.say(line)
    return line
  }

  // ---- procedures -------------------------------------------------------------

  /** `@file p1 p2 ...`: runs a command procedure (default type .COM) at a new level. */
  private callProcedure(text: string): Status {
    const trimmed = text.trim()
    const { value: spec, end } = readWord(trimmed)
    if (spec === '') throw new DclError(CLI.INSFPRM)
    const params = readParameters(trimmed.slice(end))
    if (params.length > 8) throw new DclError(CLI.MAXPARM, params[8])
    let body: string
    let name: string
    try {
      const file = this.disk.find(spec, { type: 'COM' })
      name = file.spec
      body = this.disk.read(file)
    } catch (thrown) {
      const error = thrown instanceof DclError ? thrown : hostError(thrown)
      if (error === undefined) throw thrown
      this.say(`%DCL-E-OPENIN, error opening ${spec.toUpperCase()} as input`)
      this.say(`-${messageText(error.status).slice(1)}`)
      return (error.status | STS_M_INHIB_MSG) >>> 0
    }
    const lines = body.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n')
    return this.runProcedureLines(name, lines, params)
  }

  /**
   * Runs procedure text as a new command level with P1-P8 (what `@` does); a Node host
   * may call it with text of its own. Returns the level's exit status.
   */
  runProcedureLines(
    name: string,
    lines: readonly string[],
    params: readonly string[] = [],
  ): Status {
    if (this.levels.length > this.maxDepth) throw new DclError(CLI.STKOVF)
    const level = this.makeLevel('procedure', name, lines, 0, lines.length)
    for (let i = 0; i < 8; i++) level.locals.set(`P${i + 1}`, params[i] ?? '')
    return this.runLevel(level)
  }

  private runLevel(level: Level): Status {
    this.levels.push(level)
    this.setStatus(CLI_NORMAL)
    try {
      while (!level.done && level.pc < level.end) {
        const line = level.lines[level.pc] as string
        level.pc++
        if (!/^\s*\$/.test(line)) {
          // A data line where a command was expected: skipped, with SKPDAT once.
          if (!level.skipped) this.say(messageText(CLI.SKPDAT))
          level.skipped = true
          continue
        }
        level.skipped = false
        this.runLine(level, this.continued(level, line))
      }
    } finally {
      this.levels.pop()
    }
    return this.lastStatus
  }

  /**
   * A command continued on the lines after it: a line ending in `-` (before any comment)
   * goes on with the next line (DCL Dictionary, "Continuing command lines"), at most
   * MAX_LINE characters in all.
   */
  private continued(level: Level, first: string): string {
    let line = first
    for (;;) {
      const text = stripComment(line)
      const next = level.lines[level.pc]
      if (!text.endsWith('-') || next === undefined || level.pc >= level.end) return line
      // Too long: substitution refuses it with CLI$_BUFOVF.
      if (text.length > MAX_LINE) return line
      line = text.slice(0, -1) + next.replace(/^\s*\$/, '')
      level.pc++
    }
  }

  /** The line after the block that starts at `from` (ENDSUBROUTINE for a subroutine). */
  private blockEnd(level: Level, from: number, kind: 'SUBROUTINE'): number {
    let depth = 0
    for (let i = from; i < level.lines.length; i++) {
      const word = statementWord(level.lines[i] as string)
      if (word.rest === kind) depth++
      if (word.verb === 'ENDSUBROUTINE') {
        if (depth === 0) return i + 1
        depth--
      }
    }
    return level.lines.length
  }

  /** Where a label is: the last seen before the current line, else the first after it. */
  private findLabel(level: Level, name: string): number | undefined {
    const upper = name.toUpperCase()
    let before: number | undefined
    let after: number | undefined
    let subroutineDepth = 0
    const start = level.start
    for (let i = start; i < level.end; i++) {
      const w = statementWord(level.lines[i] as string)
      if (w.label === upper && subroutineDepth === 0) {
        if (i < level.pc) before = i
        else if (after === undefined) after = i
      }
      if (w.rest === 'SUBROUTINE' && i > start) subroutineDepth++
      if (w.verb === 'ENDSUBROUTINE' && subroutineDepth > 0) subroutineDepth--
    }
    return before ?? after
  }

  // ---- flow verbs (raw: they take the text after the verb) --------------------

  /** The built-in flow commands' handlers, for the command table. */
  flow = {
    if: (text: string): Status | undefined => {
      const level = this.current()
      const at = findThen(text)
      const condition = at < 0 ? text : text.slice(0, at)
      if (condition.trim() === '') throw new DclError(CLI.EXPSYN, 'IF')
      const value = isTrue(this.evaluate(condition))
      const command = at < 0 ? '' : text.slice(at + 4).trim()
      if (command === '') {
        if (at < 0) level.pendingIf = value
        else this.openBlock(level, value)
        return undefined
      }
      if (value) return this.runCommandChained(level, command.replace(/^\$\s*/, ''))
      return undefined
    },
    thenBlock: (text: string): Status | undefined => {
      const level = this.current()
      const value = level.pendingIf
      if (value === undefined) throw new DclError(CLI.INVIFNEST)
      level.pendingIf = undefined
      if (text.trim() !== '')
        return value ? this.runCommandChained(level, text.trim().replace(/^\$\s*/, '')) : undefined
      this.openBlock(level, value)
      return undefined
    },
    elseBlock: (): Status | undefined => {
      const level = this.current()
      if (level.ifs.length === 0) throw new DclError(CLI.INVIFNEST)
      // The THEN branch ran: skip the ELSE branch to its ENDIF.
      this.skipBranch(level, false)
      return undefined
    },
    endif: (): Status | undefined => {
      const level = this.current()
      if (level.ifs.length === 0) throw new DclError(CLI.INVIFNEST)
      level.ifs.pop()
      return undefined
    },
    goto: (text: string): Status | undefined => {
      const level = this.current()
      const label = text.trim().toUpperCase()
      if (label === '') throw new DclError(CLI.INSFPRM)
      const at = level.kind === 'terminal' ? undefined : this.findLabel(level, label)
      if (at === undefined) {
        this.say(messageText(CLI.USGOTO))
        this.say(` \\${label}\\`)
        level.done = level.kind !== 'terminal'
        return (CLI.USGOTO | STS_M_INHIB_MSG) >>> 0
      }
      this.jump(level, at)
      return undefined
    },
    gosub: (text: string): Status | undefined => {
      const level = this.current()
      const label = text.trim().toUpperCase()
      const at = level.kind === 'terminal' ? undefined : this.findLabel(level, label)
      if (at === undefined) throw new DclError(CLI.USGOSUB, label)
      level.gosubs.push(level.pc)
      this.jump(level, at)
      return undefined
    },
    return: (text: string): Status | undefined => {
      const level = this.current()
      const back = level.gosubs.pop()
      if (back === undefined) throw new DclError(CLI.INVGOSUB)
      level.pc = back
      return text.trim() === '' ? CLI_NORMAL : toInteger(this.evaluate(text)) >>> 0
    },
    call: (text: string): Status | undefined => {
      const level = this.current()
      const { value: label, end } = readWord(text.trim())
      if (label === '') throw new DclError(CLI.INSFPRM)
      const params = readParameters(text.trim().slice(end))
      if (params.length > 8) throw new DclError(CLI.MAXPARM, params[8])
      const at =
        level.kind === 'terminal' ? undefined : this.findSubroutine(level, label.toUpperCase())
      if (at === undefined) throw new DclError(CLI.USCALL, label.toUpperCase())
      if (this.levels.length > this.maxDepth) throw new DclError(CLI.STKOVF)
      const end2 = this.blockEnd(level, at + 1, 'SUBROUTINE') - 1
      const sub = this.makeLevel('call', level.name, level.lines, at + 1, end2)
      for (let i = 0; i < 8; i++) sub.locals.set(`P${i + 1}`, params[i] ?? '')
      return this.runLevel(sub)
    },
    endsubroutine: (): Status | undefined => {
      const level = this.current()
      if (level.kind === 'call') level.done = true
      return undefined
    },
    exit: (text: string): Status | undefined => {
      const level = this.current()
      const status = text.trim() === '' ? this.lastStatus : toInteger(this.evaluate(text)) >>> 0
      if (level.kind === 'terminal') {
        this.host.exit?.(status)
        return status
      }
      level.done = true
      // An EXIT's status is $STATUS for the level that called; shown there if an error.
      return status
    },
    on: (text: string): Status | undefined => {
      const level = this.current()
      const m = /^\s*([A-Za-z_]+)\s+THEN\s*(.*)$/i.exec(text)
      if (m === null) throw new DclError(CLI.EXPSYN, text.trim().toUpperCase())
      const word = (m[1] as string).toUpperCase()
      const index = SEVERITY_NAMES.findIndex((n) => word.length >= 1 && n.startsWith(word))
      if (index < 0) throw new DclError(CLI.IVKEYW, word)
      const action = (m[2] as string).trim().replace(/^\$\s*/, '')
      if (index < 3)
        level.on = { threshold: (index * 2) as Threshold, action: action || 'CONTINUE' }
      return undefined
    },
  }

  /** The command after IF ... THEN, run as part of the same line: its status is the IF's. */
  private runCommandChained(level: Level, command: string): Status | undefined {
    return this.runCommand(level, command)
  }

  private openBlock(level: Level, value: boolean): void {
    level.ifs.push(value)
    if (!value) this.skipBranch(level, true)
  }

  /**
   * Skips lines of an IF block: from a false THEN to its ELSE (or ENDIF), or (stopAtElse
   * false) from an ELSE to the ENDIF. Nested blocks are passed over.
   */
  private skipBranch(level: Level, stopAtElse: boolean): void {
    const skip = { depth: 0, stopAtElse }
    if (level.kind === 'terminal') {
      // At the terminal the lines are still to be typed: skip them as they come.
      level.skip = skip
      return
    }
    for (let i = level.pc; i < level.end; i++) {
      if (skipLine(level, skip, level.lines[i] as string)) {
        level.pc = i + 1
        return
      }
    }
    level.pc = level.end
    level.ifs.pop()
  }

  /** GOTO: moves within the level, closing IF blocks left behind. */
  private jump(level: Level, to: number): void {
    level.ifs.length = 0
    level.pendingIf = undefined
    level.pc = to
  }

  private findSubroutine(level: Level, label: string): number | undefined {
    for (let i = 0; i < level.lines.length; i++) {
      const w = statementWord(level.lines[i] as string)
      if (w.label === label && w.rest === 'SUBROUTINE') return i
    }
    return undefined
  }

  /** READ: the next line of SYS$INPUT (procedure data lines or the terminal). */
  readInput(prompt: string): string | undefined {
    const level = this.current()
    if (level.kind === 'terminal') return this.host.input?.(prompt)
    return this.readData(level)
  }

  /** INQUIRE reads the terminal (SYS$COMMAND) even inside a procedure. */
  readTerminal(prompt: string): string | undefined {
    return this.host.input?.(prompt)
  }

  /** Jumps to a label of the current level (READ/END_OF_FILE=label). */
  gotoLabel(label: string): Status | undefined {
    return this.flow.goto(label)
  }

  /** SET ON / SET NOON for the current level. */
  setOn(enabled: boolean): void {
    this.current().onEnabled = enabled
  }
}
