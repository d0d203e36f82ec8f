import { OPCODE_BY_MNEMONIC } from '@vax/cpu'
import { evaluateCondition } from './conditional'
import {
  type Expr,
  evaluate,
  parseExpression,
  parseWholeExpression,
  SourceError,
} from './expression'
import { joinContinuations, LABEL, lineWord, stripComment } from './line'
import {
  bindArguments,
  type MacroDefinition,
  parseLibrary,
  parseMacroHeader,
  splitArguments,
  substitute,
} from './macro'
import { type OperandSyntax, parseOperand } from './operand-parser'
import { BLANK_PSECT, DEFAULT_ATTRIBUTES, type PsectAttributes, parsePsect } from './psect'
import { type SourceLine, SourceReader } from './reader'
import type { NewStatement, Statement } from './statement'

const IGNORED = new Set([
  '.IDENT',
  '.SBTTL',
  '.PRINT',
  '.WARN',
  '.LIBRARY',
  '.ENABLE',
  '.DISABLE',
  '.LIST',
  '.NLIST',
  '.PAGE',
  '.SHOW',
  '.NOSHOW',
  '.DEFAULT',
])
const DATA_UNITS = new Map<string, 1 | 2 | 4 | 8>([
  ['.BYTE', 1],
  ['.WORD', 2],
  ['.LONG', 4],
  ['.QUAD', 8],
  ['.ADDRESS', 4],
])
const BLOCK_UNITS = new Map([
  ['.BLKB', 1],
  ['.BLKW', 2],
  ['.BLKL', 4],
  ['.BLKQ', 8],
  ['.BLKO', 16],
])
const ALIGN_NAMES = new Map([
  ['BYTE', 0],
  ['WORD', 1],
  ['LONG', 2],
  ['QUAD', 3],
  ['OCTA', 4],
  ['PAGE', 9],
])

/** Splits on commas that are not inside <>, (), [] or a quoted string. */
function splitOperands(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '<' || c === '(' || c === '[') depth++
    else if (c === '>' || c === ')' || c === ']') depth--
    else if (c === ',' && depth === 0) {
      out.push({ text: text.slice(start, i), offset: start })
      start = i + 1
    }
  }
  out.push({ text: text.slice(start), offset: start })
  return out
}

/** Renames local labels (10$) to a name private to the current local-label block. */
function scopeLocals(expr: Expr, block: number): Expr {
  switch (expr.kind) {
    case 'symbol':
      return /^\d+\$$/.test(expr.name) ? { kind: 'symbol', name: `${expr.name}@${block}` } : expr
    case 'unary':
      return { ...expr, operand: scopeLocals(expr.operand, block) }
    case 'binary':
      return { ...expr, left: scopeLocals(expr.left, block), right: scopeLocals(expr.right, block) }
    default:
      return expr
  }
}

function scopeOperand(operand: OperandSyntax, block: number): OperandSyntax {
  switch (operand.kind) {
    case 'immediate':
    case 'absolute':
    case 'displacement':
    case 'relative':
      return { ...operand, expr: scopeLocals(operand.expr, block) }
    case 'index':
      return { ...operand, base: scopeOperand(operand.base, block) }
    default:
      return operand
  }
}

/** A psect as the source declares it (index 0 is the blank psect). */
export interface Psect {
  readonly name: string
  readonly attributes: PsectAttributes
}

interface Condition {
  /** The value of the condition. */
  readonly value: boolean
  /** Whether the .IF itself was in an assembled part. */
  readonly parent: boolean
  /** Whether the current part (.IF, .IF_FALSE, .IF_TRUE, .IF_TRUE_FALSE) is assembled. */
  active: boolean
  readonly line: number
  readonly column: number
}

const CONDITIONAL = new Set([
  '.IF',
  '.ENDC',
  '.IF_FALSE',
  '.IFF',
  '.IF_TRUE',
  '.IFT',
  '.IF_TRUE_FALSE',
  '.IFTF',
])
const MACRO_OPENS = new Set(['.MACRO'])
const REPEAT_OPENS = new Set(['.IRP', '.IRPC', '.REPT', '.REPEAT'])
/** The first created local label (VAX MACRO "Created local labels": 30000$ up). */
const FIRST_CREATED_LABEL = 30000

const location = (offset: number): Expr => ({
  kind: 'binary',
  op: '+',
  left: { kind: 'location' },
  right: { kind: 'number', value: offset },
})

/** What the first pass makes of a module. */
export interface ParsedModule {
  readonly lines: readonly string[]
  readonly statements: Statement[]
  readonly psects: readonly Psect[]
  readonly globals: ReadonlySet<string>
  readonly declaredExternal: ReadonlySet<string>
  readonly moduleName: string
}

/** Options the first pass reads (see AssembleOptions). */
export interface ParseOptions {
  readonly libraries?: readonly string[] | undefined
  readonly name?: string | undefined
}

/**
 * The assembler's first pass: reads the source line by line, with macro expansions,
 * repeat blocks and conditionals, into statements (VAX MACRO pass 1). Values needed
 * now (conditions, .REPT counts, `\expr` arguments) use the symbols assigned so far.
 * `error` gets each problem (0-based column).
 */
export function parseModule(
  source: string,
  options: ParseOptions,
  error: (line: number, column: number, message: string) => void,
): ParsedModule {
  const statements: Statement[] = []
  const lines = joinContinuations(source.split(/\r?\n/))
  let block = 0
  const reader = new SourceReader(lines, error)

  const psects: Psect[] = [{ name: BLANK_PSECT, attributes: DEFAULT_ATTRIBUTES }]
  let psect = 0
  const savedPsects: number[] = []
  const macros = new Map<string, MacroDefinition>()
  let libraries: Map<string, MacroDefinition>[] | undefined
  let createdLabel = FIRST_CREATED_LABEL
  const conditions: Condition[] = []
  /** Pass-1 values of assigned symbols, and every symbol defined so far. */
  const known = new Map<string, number>()
  const defined = new Set<string>()
  const globals = new Set<string>()
  const declaredExternal = new Set<string>()
  let moduleName = options.name ?? '.MAIN.'
  let exiting = false
  let iifDepth = 0

  const active = () => conditions.length === 0 || conditions[conditions.length - 1]?.active === true
  /** Every label (and .ENTRY name) defined so far: each may be defined once (VAX MACRO). */
  const labelNames = new Set<string>()
  const defineLabel = (key: string, shown: string, at: number) => {
    if (labelNames.has(key) || (known.has(key) && !key.includes('@')))
      throw new SourceError(`multiple definition of symbol ${shown}`, at)
    labelNames.add(key)
  }

  for (let line = reader.next(); line !== undefined; line = reader.next()) {
    try {
      processLine(line)
    } catch (e) {
      if (!(e instanceof SourceError)) throw e
      // SourceError columns are on the line; inside an expansion, the call's column.
      report(line, e.column, e.message)
    }
  }
  for (const c of conditions) error(c.line, c.column, '.IF without .ENDC')

  function report(line: SourceLine, column: number, message: string) {
    if (line.expansion === undefined) error(line.line, column, message)
    else error(line.line, Math.max(0, line.column), `${line.expansion}: ${message}`)
  }

  function parseAt(text: string, column: number): Expr {
    try {
      return parseWholeExpression(text.trim())
    } catch (e) {
      if (e instanceof SourceError)
        throw new SourceError(
          e.message,
          column + (text.length - text.trimStart().length) + e.column,
        )
      throw e
    }
  }

  /** A value known in pass 1 (conditions, .REPT counts, `\expr` arguments). */
  function pass1(text: string, at: number): number {
    const column = at + text.length - text.trimStart().length
    let v: number | undefined
    try {
      v = evaluate(scopeLocals(parseAt(text, at), block), {
        lookup: (n) => known.get(n),
        location: Number.NaN,
      })
    } catch (e) {
      if (e instanceof RangeError) throw new SourceError(e.message, column)
      throw e
    }
    if (v === undefined || !Number.isFinite(v))
      throw new SourceError(`the value of '${text.trim()}' is not known here (pass 1)`, column)
    return v
  }

  /** The macro named `name`: defined in the source, else from a library. */
  function findMacro(name: string): MacroDefinition | undefined {
    const own = macros.get(name)
    if (own !== undefined) return own
    if (options.libraries === undefined || options.libraries.length === 0) return undefined
    if (libraries === undefined) {
      libraries = []
      for (const [k, text] of options.libraries.entries()) {
        try {
          libraries.push(parseLibrary(text))
        } catch (e) {
          if (!(e instanceof SourceError)) throw e
          libraries = undefined
          throw new SourceError(`macro library ${k + 1}, ${e.message}`, 0)
        }
      }
    }
    for (let k = libraries.length - 1; k >= 0; k--) {
      const def = libraries[k]?.get(name)
      if (def !== undefined) return def
    }
    return undefined
  }

  function processLine(src: SourceLine): void {
    const lineNo = src.line
    const text = stripComment(src.text)
    /** A statement's column: inside an expansion, the call's. */
    const at = (c: number) => (src.expansion === undefined ? c : Math.max(0, src.column))
    const where = (c: number) => ({ line: lineNo, column: at(c) })
    // The statement object is completed in place (a spread copy costs far more).
    const add = (s: NewStatement) => {
      const st = s as unknown as {
        column: number
        address: number
        psect: number
        expansion: string | undefined
      }
      st.column = at(s.column)
      st.address = 0
      st.psect = psect
      st.expansion = src.expansion
      statements.push(s as Statement)
    }

    // Labels.
    let pos = 0
    const labels: { name: string; column: number; global: boolean }[] = []
    for (let m = LABEL.exec(text); m; m = LABEL.exec(text.slice(pos))) {
      const name = (m[1] as string).toUpperCase()
      labels.push({ name, column: pos + m[0].indexOf(m[1] as string), global: m[2] === '::' })
      pos += m[0].length
    }
    const rest = text.slice(pos)
    const trimmed = rest.trim()
    const column = pos + rest.indexOf(trimmed)
    const word = (/^[.A-Za-z_$%][\w$.%]*/.exec(trimmed)?.[0] ?? '').toUpperCase()
    const argsText = trimmed.slice(word.length)
    const argsColumn = column + word.length

    if (CONDITIONAL.has(word) || word === '.IIF') {
      conditional(word, argsText, argsColumn, column, src)
      return
    }
    if (!active()) return

    for (const label of labels) {
      if (/^\d+\$$/.test(label.name)) {
        defineLabel(`${label.name}@${block}`, label.name, label.column)
        add({ kind: 'label', name: `${label.name}@${block}`, line: lineNo, column: label.column })
        continue
      }
      block++
      defineLabel(label.name, label.name, label.column)
      defined.add(label.name)
      if (label.global) globals.add(label.name)
      add({ kind: 'label', name: label.name, line: lineNo, column: label.column })
    }
    if (trimmed === '') return

    const assign = /^([A-Za-z_$.%][\w$.%]*)\s*(==?)\s*([\s\S]*)$/.exec(trimmed)
    if (assign) {
      const name = (assign[1] as string).toUpperCase()
      const exprText = assign[3] as string
      const exprColumn = column + trimmed.length - exprText.length
      const expr = scopeLocals(parseAt(exprText, exprColumn), block)
      if (name === '.') {
        add({ kind: 'location', expr, line: lineNo, column })
        return
      }
      if (labelNames.has(name))
        throw new SourceError(`${name} is a label and cannot be assigned a value`, column)
      defined.add(name)
      if (assign[2] === '==') globals.add(name)
      const value = evaluate(expr, { lookup: (n) => known.get(n), location: Number.NaN })
      if (value !== undefined && Number.isFinite(value)) known.set(name, value)
      else known.delete(name)
      add({ kind: 'assign', name, expr, line: lineNo, column })
      return
    }

    if (word.startsWith('.')) {
      macroDirective(word, argsText, argsColumn, column, src, add) ||
        directive(word, argsText, argsColumn, lineNo, column, add)
      return
    }
    const def = findMacro(word)
    if (def !== undefined) {
      expand(def, argsText, argsColumn, where(column))
      return
    }
    const opcode = OPCODE_BY_MNEMONIC.get(word)
    if (opcode === undefined) {
      const shown = /^\S*/.exec(trimmed)?.[0] ?? ''
      throw new SourceError(`unknown instruction or directive '${shown}'`, column)
    }
    const parts = argsText.trim() === '' ? [] : splitOperands(argsText)
    if (parts.length !== opcode.operands.length) {
      throw new SourceError(
        `${opcode.mnemonic} takes ${opcode.operands.length} operand(s), ${parts.length} given`,
        column,
      )
    }
    const operands = parts.map((p) =>
      scopeOperand(parseOperand(p.text, argsColumn + p.offset), block),
    )
    opcode.operands.forEach((spec, i) => {
      const operand = operands[i] as OperandSyntax
      if (spec.access === 'b' && operand.kind !== 'relative') {
        throw new SourceError(
          `operand ${i + 1} of ${opcode.mnemonic} is a branch target`,
          argsColumn + (parts[i]?.offset ?? 0),
        )
      }
    })
    add({
      kind: 'instruction',
      opcode,
      operands,
      sizes: operands.map(() => 0),
      line: lineNo,
      column,
    })
  }

  /**
   * .IF, .IIF, .IF_FALSE, .IF_TRUE, .IF_TRUE_FALSE and .ENDC (VAX MACRO "Conditional
   * assembly blocks"): inside a part not assembled, only their nesting is followed.
   */
  function conditional(
    word: string,
    args: string,
    argsColumn: number,
    column: number,
    src: SourceLine,
  ): void {
    const top = conditions[conditions.length - 1]
    switch (word) {
      case '.IF': {
        const parent = active()
        const condition: Condition = { value: false, parent, active: false, line: src.line, column }
        // A condition in error is false (and reported); its .ENDC still closes it.
        conditions.push(condition)
        const value = parent && evaluateConditionAt(args, argsColumn).result
        conditions[conditions.length - 1] = { ...condition, value, active: value }
        return
      }
      case '.IIF': {
        if (!active()) return
        const { result, rest, restOffset } = evaluateConditionAt(args, argsColumn)
        if (rest.trim() === '')
          throw new SourceError('.IIF takes a condition and a statement', column)
        if (!result) return
        // The statement keeps its columns; .IIF inside .IIF nests only so deep.
        if (++iifDepth > 8) throw new SourceError('.IIF nested more than 8 deep', column)
        try {
          processLine({ ...src, text: ' '.repeat(argsColumn + restOffset) + rest })
        } finally {
          iifDepth--
        }
        return
      }
      case '.ENDC':
        if (top === undefined) throw new SourceError('.ENDC without .IF', column)
        conditions.pop()
        return
      default: {
        if (top === undefined) throw new SourceError(`${word} outside a conditional block`, column)
        const part =
          word === '.IF_FALSE' || word === '.IFF'
            ? !top.value
            : word.includes('TRUE_FALSE') || word === '.IFTF'
              ? true
              : top.value
        top.active = top.parent && part
      }
    }
  }

  function evaluateConditionAt(args: string, argsColumn: number) {
    try {
      return evaluateCondition(args, {
        value: (text, c) => pass1(text, argsColumn + c),
        defined: (name) => defined.has(name) || known.has(name),
      })
    } catch (e) {
      if (e instanceof SourceError && e.column === 0) throw new SourceError(e.message, argsColumn)
      throw e
    }
  }

  /** Pops the conditionals an expansion left open (reported unless .MEXIT ended it). */
  function closeConditions(depth: number, line: number, column: number, what: string) {
    return () => {
      while (conditions.length > depth) {
        conditions.pop()
        if (!exiting) error(line, column, `${what}: .IF without .ENDC`)
      }
    }
  }

  function expand(
    def: MacroDefinition,
    args: string,
    argsColumn: number,
    call: { line: number; column: number },
  ) {
    const binding = bindArguments(
      def,
      args,
      () => `${createdLabel++}$`,
      (text) => pass1(text, argsColumn),
    )
    const what = `macro ${def.name}`
    reader.push(
      what,
      (function* () {
        for (const line of def.body) yield substitute(line, binding.values)
      })(),
      call,
      closeConditions(conditions.length, call.line, call.column, what),
      binding.positional,
    )
  }

  /** Directives of macros, repeats, psects and symbols; false when `word` is another. */
  function macroDirective(
    word: string,
    args: string,
    argsColumn: number,
    column: number,
    src: SourceLine,
    add: (s: NewStatement) => void,
  ): boolean {
    const call = {
      line: src.line,
      column: src.expansion === undefined ? column : Math.max(0, src.column),
    }
    switch (word) {
      case '.MACRO': {
        let header: ReturnType<typeof parseMacroHeader>
        try {
          header = parseMacroHeader(args)
        } catch (e) {
          if (e instanceof SourceError) throw new SourceError(e.message, argsColumn + e.column)
          throw e
        }
        const body = reader.collect(lineWord, MACRO_OPENS, '.ENDM')
        if (body === undefined) throw new SourceError(`.MACRO ${header.name} without .ENDM`, column)
        macros.set(header.name, { ...header, body })
        return true
      }
      case '.ENDM':
        throw new SourceError('.ENDM without .MACRO', column)
      case '.ENDR':
        throw new SourceError('.ENDR without .IRP, .IRPC or .REPT', column)
      case '.MEXIT':
        exiting = true
        try {
          if (!reader.exitMacro()) throw new SourceError('.MEXIT outside a macro', column)
        } finally {
          exiting = false
        }
        return true
      case '.MCALL':
        for (const piece of splitOperands(args)) {
          const name = piece.text.trim().toUpperCase()
          if (name === '') continue
          const def = findMacro(name)
          const blanks = piece.text.length - piece.text.trimStart().length
          if (def === undefined)
            throw new SourceError(
              `macro ${name} is not in any macro library`,
              argsColumn + piece.offset + blanks,
            )
          macros.set(name, def)
        }
        return true
      case '.MDELETE':
        for (const piece of splitOperands(args)) macros.delete(piece.text.trim().toUpperCase())
        return true
      case '.NARG': {
        const name = args.trim().toUpperCase()
        const narg = reader.narg
        if (narg === undefined) throw new SourceError('.NARG outside a macro', column)
        if (!/^[A-Z_$.%][\w$.%]*$/.test(name))
          throw new SourceError('.NARG takes a symbol', argsColumn)
        defined.add(name)
        known.set(name, narg)
        add({ kind: 'assign', name, expr: { kind: 'number', value: narg }, line: src.line, column })
        return true
      }
      case '.IRP':
      case '.IRPC':
      case '.REPT':
      case '.REPEAT': {
        const body = reader.collect(lineWord, REPEAT_OPENS, '.ENDR')
        if (body === undefined) throw new SourceError(`${word} without .ENDR`, column)
        let values: Map<string, string>[]
        let count = 0
        if (word === '.REPT' || word === '.REPEAT') {
          const n = pass1(args, argsColumn)
          if (!Number.isSafeInteger(n))
            throw new SourceError(`${word} count ${n} is not an integer`, argsColumn)
          count = Math.max(0, n)
          values = []
        } else {
          const pieces = splitArguments(args)
          const symbol = pieces[0]?.text.toUpperCase() ?? ''
          if (!/^[A-Z_$.%][\w$.%]*$/.test(symbol))
            throw new SourceError(`${word} takes a symbol and arguments`, argsColumn)
          const list = pieces.length === 2 ? (pieces[1]?.text ?? '') : undefined
          const items =
            word === '.IRPC'
              ? [
                  ...(list ??
                    pieces
                      .slice(1)
                      .map((p) => p.text)
                      .join(',')),
                ]
              : list !== undefined
                ? splitArguments(list).map((p) => p.text)
                : pieces.slice(1).map((p) => p.text)
          values = items.map((item) => new Map([[symbol, item]]))
          count = values.length
        }
        if (count === 0 || body.length === 0) return true
        reader.push(
          word,
          (function* () {
            for (let k = 0; k < count; k++) {
              const binding = values[k]
              for (const line of body)
                yield binding === undefined ? line : substitute(line, binding)
            }
          })(),
          call,
          closeConditions(conditions.length, call.line, call.column, word),
        )
        return true
      }
      case '.ERROR':
        throw new SourceError(
          `.ERROR${src.text.slice(src.text.toUpperCase().indexOf('.ERROR') + 6).trimEnd()}`,
          column,
        )
      case '.TITLE':
        moduleName = args.trim().split(/\s+/)[0]?.toUpperCase() || moduleName
        return true
      case '.PSECT': {
        let parsed: ReturnType<typeof parsePsect>
        try {
          parsed = parsePsect(args)
        } catch (e) {
          if (e instanceof SourceError) throw new SourceError(e.message, argsColumn + e.column)
          throw e
        }
        selectPsect(parsed.name, parsed.attributes, column)
        return true
      }
      case '.SAVE_PSECT':
      case '.SAVE':
        savedPsects.push(psect)
        return true
      case '.RESTORE_PSECT':
      case '.RESTORE': {
        const saved = savedPsects.pop()
        if (saved === undefined) throw new SourceError(`${word} without .SAVE_PSECT`, column)
        psect = saved
        block++
        return true
      }
      case '.GLOBAL':
      case '.GLOBL':
      case '.EXTERNAL':
      case '.EXTRN':
      case '.WEAK':
        for (const piece of splitOperands(args)) {
          const name = piece.text.trim().toUpperCase()
          if (!/^[A-Z_$.%][\w$.%]*$/.test(name))
            throw new SourceError(
              `'${piece.text.trim()}' is not a symbol`,
              argsColumn + piece.offset,
            )
          if (word === '.GLOBAL' || word === '.GLOBL') globals.add(name)
          else declaredExternal.add(name)
        }
        return true
      case '.ENTRY': {
        const [name, mask] = splitOperands(args)
        const symbol = name?.text.trim().toUpperCase() ?? ''
        if (mask === undefined || !/^[A-Z_$.%][\w$.%]*$/.test(symbol))
          throw new SourceError('.ENTRY takes a name and a register mask', argsColumn)
        block++
        defineLabel(symbol, symbol, argsColumn)
        defined.add(symbol)
        globals.add(symbol)
        add({ kind: 'label', name: symbol, line: src.line, column })
        add({
          kind: 'data',
          unit: 2,
          exprs: [parseAt(mask.text, argsColumn + mask.offset)],
          entryMask: true,
          line: src.line,
          column,
        })
        return true
      }
      case '.ASCID': {
        // A string descriptor (DSC$K_DTYPE_T 14, DSC$K_CLASS_S 1) and the string after it.
        const parts = asciiParts(args, argsColumn)
        add({
          kind: 'data',
          unit: 2,
          exprs: [{ kind: 'number', value: parts.length }],
          line: src.line,
          column,
        })
        add({ kind: 'bytes', parts: [14, 1], line: src.line, column })
        add({ kind: 'data', unit: 4, exprs: [location(4)], line: src.line, column })
        add({ kind: 'bytes', parts, line: src.line, column })
        return true
      }
      case '.END':
        add({
          kind: 'end',
          expr: args.trim() === '' ? undefined : scopeLocals(parseAt(args, argsColumn), block),
          line: src.line,
          column,
        })
        reader.stop()
        return true
      default:
        return false
    }
  }

  /** .PSECT: enters a psect, making it when new (attributes must agree when given again). */
  function selectPsect(name: string, attributes: PsectAttributes | undefined, column: number) {
    const found = psects.findIndex((p) => p.name === name)
    if (found < 0) {
      psects.push({ name, attributes: attributes ?? DEFAULT_ATTRIBUTES })
      psect = psects.length - 1
    } else {
      const known = psects[found] as Psect
      if (
        attributes !== undefined &&
        JSON.stringify(attributes) !== JSON.stringify(known.attributes)
      )
        throw new SourceError(`psect ${name} given again with other attributes`, column)
      psect = found
    }
    // A .PSECT begins a new local label block (VAX MACRO "Local labels").
    block++
  }

  function directive(
    word: string,
    args: string,
    argsColumn: number,
    line: number,
    column: number,
    add: (s: NewStatement) => void,
  ): void {
    if (IGNORED.has(word)) return
    const unit = DATA_UNITS.get(word)
    if (unit !== undefined) {
      const exprs = splitOperands(args).map((p) =>
        scopeLocals(parseAt(p.text, argsColumn + p.offset), block),
      )
      add({ kind: 'data', unit, exprs, line, column })
      return
    }
    const blockUnit = BLOCK_UNITS.get(word)
    if (blockUnit !== undefined) {
      const count =
        args.trim() === '' ? ({ kind: 'number', value: 1 } as Expr) : parseAt(args, argsColumn)
      add({ kind: 'block', unit: blockUnit, count: scopeLocals(count, block), line, column })
      return
    }
    switch (word) {
      case '.ASCII':
      case '.ASCIZ':
      case '.ASCIC': {
        const parts = asciiParts(args, argsColumn)
        const length = parts.length
        if (word === '.ASCIC') parts.unshift(length)
        if (word === '.ASCIZ') parts.push(0)
        add({ kind: 'bytes', parts, line, column })
        return
      }
      case '.ALIGN': {
        const name = args.split(',')[0]?.trim().toUpperCase() ?? ''
        const named = ALIGN_NAMES.get(name)
        const boundary = named ?? (/^\d$/.test(name) ? Number(name) : Number.NaN)
        if (!Number.isInteger(boundary) || boundary < 0 || boundary > 9) {
          throw new SourceError(
            '.ALIGN takes BYTE, WORD, LONG, QUAD, OCTA, PAGE or 0..9',
            argsColumn,
          )
        }
        add({ kind: 'align', boundary, line, column })
        return
      }
      default:
        throw new SourceError(`unknown directive ${word}`, column)
    }
  }

  /** .ASCII text: delimited strings and <expr> byte values. */
  function asciiParts(args: string, column: number): (number | Expr)[] {
    const parts: (number | Expr)[] = []
    let i = 0
    while (i < args.length) {
      const c = args[i] as string
      if (c === ' ' || c === '\t') {
        i++
        continue
      }
      if (c === '<') {
        const { expr, end } = parseExpression(args, i + 1)
        if (args[end] !== '>') throw new SourceError("'>' expected", column + end)
        parts.push(scopeLocals(expr, block))
        i = end + 1
        continue
      }
      const close = args.indexOf(c, i + 1)
      if (close < 0) throw new SourceError(`unterminated string (delimiter ${c})`, column + i)
      for (let k = i + 1; k < close; k++) parts.push(args.charCodeAt(k))
      i = close + 1
    }
    return parts
  }
  return { lines, statements, psects, globals, declaredExternal, moduleName }
}
