import { OPCODE_BY_MNEMONIC, type Opcode, type OperandSpec } from '@vax/cpu'
import { EncodeError, encodeInstruction } from './encode'
import {
  type Expr,
  evaluate,
  evaluateExact,
  parseExpression,
  parseWholeExpression,
  type Scope,
  SourceError,
} from './expression'
import { type OperandSyntax, parseOperand } from './operand-parser'
import type { Specifier } from './specifier'

/** A problem in the source, with its 1-based line and column. */
export interface Diagnostic {
  readonly line: number
  readonly column: number
  readonly message: string
}

/** Thrown when the source has errors; `diagnostics` lists them all, in line order. */
export class AssemblyError extends Error {
  override readonly name = 'AssemblyError'
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `line ${d.line}, column ${d.column}: ${d.message}`).join('\n'))
  }
}

export interface AssemblyResult {
  /** The bytes from `base` to the highest address written. */
  readonly image: Uint8Array
  readonly base: number
  /** The transfer address from `.END expr`, if given. */
  readonly entry: number | undefined
  /** Labels and assigned symbols (local labels excluded). */
  readonly symbols: ReadonlyMap<string, number>
  /**
   * Line number, address, bytes and source, one source line per line; space reserved by
   * .BLKx and .ALIGN shows its address only. Made when first read.
   */
  readonly listing: string
}

export interface AssembleOptions {
  /** Address of the first byte (the initial location counter), 0 to 0xFFFFFFFF (else RangeError). Default 0. */
  readonly base?: number
}

/** Bytes one statement places: `bytes`, then zeros up to `end`. */
interface Segment {
  readonly address: number
  readonly end: number
  readonly bytes: readonly number[]
  /** The statement's position in the source, to report the later of two overlapping. */
  readonly order: number
  readonly statement: Statement
}

const hex = (value: number) => `^X${value.toString(16).toUpperCase()}`

type Statement = {
  readonly line: number
  readonly column: number
  address: number
} & (
  | { readonly kind: 'label'; readonly name: string }
  | { readonly kind: 'assign'; readonly name: string; readonly expr: Expr }
  | { readonly kind: 'location'; readonly expr: Expr }
  | {
      readonly kind: 'instruction'
      readonly opcode: Opcode
      readonly operands: readonly OperandSyntax[]
      /** Chosen size of each operand's displacement/immediate, grown across passes. */
      readonly sizes: number[]
    }
  | { readonly kind: 'data'; readonly unit: 1 | 2 | 4 | 8; readonly exprs: readonly Expr[] }
  | { readonly kind: 'bytes'; readonly parts: readonly (number | Expr)[] }
  | { readonly kind: 'block'; readonly unit: number; readonly count: Expr }
  | { readonly kind: 'align'; readonly boundary: number }
  | { readonly kind: 'end'; readonly expr: Expr | undefined }
)

/** A statement before layout has given it an address. */
type NewStatement = Statement extends infer S
  ? S extends unknown
    ? Omit<S, 'address'>
    : never
  : never

const IGNORED = new Set([
  '.TITLE',
  '.IDENT',
  '.SBTTL',
  '.PSECT',
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

/**
 * The largest image `assemble` produces: 64 MiB from the base address. A statement
 * that would place a byte beyond it (or beyond the 32-bit address space) is an error
 * on that statement's line.
 */
export const MAX_IMAGE_SIZE = 64 * 1024 * 1024

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

/** Finds the comment start (a ';' outside a delimited string of .ASCIx). */
function stripComment(line: string): string {
  const directive = /^\s*(?:[\w$.]+::?\s*)*\.ASCI[IZC]\s+/i.exec(line)
  if (directive) {
    // Delimited strings may contain ';': skip over them.
    let i = directive[0].length
    while (i < line.length) {
      const c = line[i] as string
      if (c === ';') return line.slice(0, i)
      if (c === '<') {
        const close = line.indexOf('>', i)
        i = close < 0 ? line.length : close + 1
      } else if (c === ' ' || c === '\t') i++
      else {
        const close = line.indexOf(c, i + 1)
        i = close < 0 ? line.length : close + 1
      }
    }
    return line
  }
  const semicolon = line.indexOf(';')
  return semicolon < 0 ? line : line.slice(0, semicolon)
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

function isInteger(spec: OperandSpec): boolean {
  return !'fdgh'.includes(spec.type)
}

function smallest(value: number): 1 | 2 | 4 {
  if (value >= -0x80 && value < 0x80) return 1
  if (value >= -0x8000 && value < 0x8000) return 2
  return 4
}

/**
 * Assembles MACRO-32 source: labels (`name:`), local labels (`10$:`), assignments
 * (`name = expr`), `. = expr`, all VAX instructions with every addressing mode
 * (S^#, I^#, B^/W^/L^, @, @#, [Rx]), and the directives .BYTE .WORD .LONG .QUAD
 * .ADDRESS .ASCII .ASCIZ .ASCIC .BLKB .BLKW .BLKL .BLKQ .ALIGN .ENTRY .END.
 * Displacements without a size prefix get the smallest size that fits.
 */
export function assemble(source: string, options: AssembleOptions = {}): AssemblyResult {
  const base = options.base ?? 0
  if (!Number.isSafeInteger(base) || base < 0 || base > 0xffff_ffff)
    throw new RangeError(`base ${base} is not a 32-bit address`)
  const diagnostics: Diagnostic[] = []
  const statements: Statement[] = []
  const lines = source.split(/\r?\n/)
  let block = 0
  const error = (line: number, column: number, message: string) =>
    diagnostics.push({ line, column: column + 1, message })

  lines.forEach((raw, index) => {
    const lineNo = index + 1
    const text = stripComment(raw)
    let pos = 0
    const add = (s: NewStatement) => statements.push({ ...s, address: 0 } as Statement)
    try {
      // Labels.
      for (;;) {
        const m = /^\s*([A-Za-z_$.%][\w$.%]*|\d+\$)\s*::?/.exec(text.slice(pos))
        if (!m) break
        const name = (m[1] as string).toUpperCase()
        const column = pos + (m[0].indexOf(m[1] as string) ?? 0)
        if (/^\d+\$$/.test(name))
          add({ kind: 'label', name: `${name}@${block}`, line: lineNo, column })
        else {
          block++
          add({ kind: 'label', name, line: lineNo, column })
        }
        pos += m[0].length
      }
      const rest = text.slice(pos)
      const trimmed = rest.trim()
      if (trimmed === '') return
      const column = pos + rest.indexOf(trimmed)
      const assign = /^([A-Za-z_$.%][\w$.%]*)\s*==?\s*([\s\S]*)$/.exec(trimmed)
      if (assign) {
        const exprText = assign[2] as string
        const exprColumn = column + trimmed.indexOf(exprText, (assign[1] as string).length)
        const expr = scopeLocals(parseAt(exprText, exprColumn), block)
        if (assign[1] === '.') add({ kind: 'location', expr, line: lineNo, column })
        else
          add({
            kind: 'assign',
            name: (assign[1] as string).toUpperCase(),
            expr,
            line: lineNo,
            column,
          })
        return
      }
      const m = /^(\S+)\s*([\s\S]*)$/.exec(trimmed) as RegExpExecArray
      const word = (m[1] as string).toUpperCase()
      const argsText = m[2] as string
      const argsColumn = column + trimmed.length - argsText.length
      if (word.startsWith('.')) {
        directive(word, argsText, argsColumn, lineNo, column, add)
        return
      }
      const opcode = OPCODE_BY_MNEMONIC.get(word)
      if (opcode === undefined) {
        error(lineNo, column, `unknown instruction or directive '${m[1]}'`)
        return
      }
      const parts = argsText.trim() === '' ? [] : splitOperands(argsText)
      if (parts.length !== opcode.operands.length) {
        error(
          lineNo,
          column,
          `${opcode.mnemonic} takes ${opcode.operands.length} operand(s), ${parts.length} given`,
        )
        return
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
    } catch (e) {
      if (e instanceof SourceError) error(lineNo, e.column, e.message)
      else throw e
    }
  })

  function parseAt(text: string, column: number): Expr {
    try {
      return parseWholeExpression(text.trim())
    } catch (e) {
      if (e instanceof SourceError) throw new SourceError(e.message, column + e.column)
      throw e
    }
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
      case '.ENTRY': {
        const [name, mask] = splitOperands(args)
        if (name === undefined || mask === undefined || name.text.trim() === '') {
          throw new SourceError('.ENTRY takes a name and a register mask', argsColumn)
        }
        block++
        add({ kind: 'label', name: name.text.trim().toUpperCase(), line, column })
        add({
          kind: 'data',
          unit: 2,
          exprs: [parseAt(mask.text, argsColumn + mask.offset)],
          line,
          column,
        })
        return
      }
      case '.END':
        add({
          kind: 'end',
          expr: args.trim() === '' ? undefined : parseAt(args, argsColumn),
          line,
          column,
        })
        return
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
        parts.push(expr)
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

  // ------------------------------------------------------------ layout
  const symbols = new Map<string, number>()
  const scopeAt = (location: number): Scope => ({ lookup: (n) => symbols.get(n), location })
  let endSeen = false
  for (let pass = 0; pass < 64; pass++) {
    let changed = false
    let location = base
    endSeen = false
    for (const st of statements) {
      if (endSeen) break
      if (st.address !== location) changed = true
      st.address = location
      const scope = scopeAt(location)
      switch (st.kind) {
        case 'label':
        case 'assign': {
          const value = st.kind === 'label' ? location : safeEvaluate(st.expr, scope)
          if (value !== undefined && symbols.get(st.name) !== value) {
            symbols.set(st.name, value)
            changed = true
          }
          break
        }
        case 'location': {
          const v = safeEvaluate(st.expr, scope)
          if (v !== undefined && Number.isSafeInteger(v)) location = v
          break
        }
        case 'instruction':
          if (resize(st, location, scope)) changed = true
          location += instructionSize(st)
          break
        case 'data':
          location += st.unit * st.exprs.length
          break
        case 'bytes':
          location += st.parts.length
          break
        case 'block': {
          const count = safeEvaluate(st.count, scope)
          if (count !== undefined && Number.isSafeInteger(count) && count > 0)
            location += st.unit * count
          break
        }
        case 'align': {
          const unit = 2 ** st.boundary
          location = Math.ceil(location / unit) * unit
          break
        }
        case 'end':
          endSeen = true
          break
      }
    }
    if (!changed && pass > 0) break
  }

  function safeEvaluate(expr: Expr, scope: Scope): number | undefined {
    try {
      return evaluate(expr, scope)
    } catch {
      return undefined
    }
  }

  /** Grows operand sizes (index byte included) to fit; returns true when one changed. */
  function resize(
    st: Extract<Statement, { kind: 'instruction' }>,
    location: number,
    scope: Scope,
  ): boolean {
    let changed = false
    let at = location + (st.opcode.code > 0xff ? 2 : 1)
    st.operands.forEach((operand, i) => {
      const spec = st.opcode.operands[i] as OperandSpec
      const target = operand.kind === 'index' ? operand.base : operand
      const prefix = operand.kind === 'index' ? 1 : 0
      const previous = st.sizes[i] as number
      const value = 'expr' in target ? safeEvaluate(target.expr, scope) : undefined
      let need: number
      if (spec.access === 'b') need = spec.size
      else if (target.kind === 'immediate') {
        const literal =
          target.force === 'S' ||
          (target.force !== 'I' &&
            spec.access === 'r' &&
            isInteger(spec) &&
            (value === undefined || (value >= 0 && value <= 63)))
        need = literal ? 1 : 1 + spec.size
      } else if (target.kind === 'displacement') {
        need = 1 + (target.size ?? (value === undefined ? 1 : smallest(value)))
      } else if (target.kind === 'relative') {
        let displacement: number = target.size ?? 1
        if (target.size === undefined && value !== undefined) {
          const specAddress = at + prefix
          // Addresses are 32-bit: the displacement wraps as the processor's PC does.
          displacement =
            [1, 2, 4].find((s) => smallest((value - (specAddress + 1 + s)) | 0) <= s) ?? 4
        }
        need = 1 + displacement
      } else if (target.kind === 'absolute') need = 5
      else need = 1
      const total = need + prefix
      if (total > previous) {
        st.sizes[i] = total
        changed = true
      }
      at += st.sizes[i] as number
    })
    return changed
  }

  function instructionSize(st: Extract<Statement, { kind: 'instruction' }>): number {
    return (st.opcode.code > 0xff ? 2 : 1) + st.sizes.reduce((a, b) => a + b, 0)
  }

  // ------------------------------------------------------------ emission
  // Each statement that places bytes gives a segment; reserved space (.BLKx, .ALIGN
  // padding) is a zero-filled segment without bytes, so its size costs nothing.
  const limit = Math.min(base + MAX_IMAGE_SIZE, 2 ** 32)
  const segments: Segment[] = []
  const emitted = new Map<Statement, number[]>()
  let entry: number | undefined
  let outOfRange = false
  for (const [order, st] of statements.entries()) {
    const scope = scopeAt(st.address)
    const bytes: number[] = []
    let zeros = 0
    try {
      switch (st.kind) {
        case 'instruction':
          bytes.push(...encode(st, scope))
          break
        case 'data':
          for (const expr of st.exprs) {
            const v = requiredExact(expr, scope)
            checkRange(v, st.unit)
            let big = BigInt.asUintN(st.unit * 8, v)
            for (let k = 0; k < st.unit; k++) {
              bytes.push(Number(big & 0xffn))
              big >>= 8n
            }
          }
          break
        case 'bytes':
          for (const part of st.parts) {
            const v = typeof part === 'number' ? BigInt(part) : requiredExact(part, scope)
            checkRange(v, 1)
            bytes.push(Number(v & 0xffn))
          }
          break
        case 'block': {
          const count = required(st.count, scope)
          if (!Number.isSafeInteger(count) || count < 0)
            throw new SourceError(`block size ${count} is not a count of units`, 0)
          zeros = st.unit * count
          break
        }
        case 'align': {
          const unit = 2 ** st.boundary
          zeros = Math.ceil(st.address / unit) * unit - st.address
          break
        }
        case 'end':
          if (st.expr !== undefined) entry = required(st.expr, scope)
          break
        case 'assign':
        case 'location':
          required(st.expr, scope)
          break
        default:
          break
      }
    } catch (e) {
      if (e instanceof SourceError || e instanceof EncodeError || e instanceof RangeError) {
        error(st.line, st.column, e.message)
      } else throw e
    }
    const length = bytes.length + zeros
    if (st.kind === 'end') break
    if (length === 0) continue
    const end = st.address + length
    if (!Number.isSafeInteger(st.address) || st.address < base) {
      error(st.line, st.column, `code below the base address ${hex(base)}`)
    } else if (end > limit) {
      // Everything after a statement that overflows is displaced too: report it once.
      if (!outOfRange) {
        const what =
          end > 2 ** 32
            ? 'beyond the 32-bit address space'
            : `beyond the ${MAX_IMAGE_SIZE / 1024 / 1024} MiB image maximum (base ${hex(base)})`
        error(st.line, st.column, `${length} byte(s) at ${hex(st.address)} reach ${what}`)
      }
      outOfRange = true
    } else {
      segments.push({ address: st.address, end, bytes, order, statement: st })
      emitted.set(st, bytes)
    }
  }

  // Two statements that place bytes at the same address: the later one is reported.
  const sorted = [...segments].sort((a, b) => a.address - b.address || a.order - b.order)
  let reach: Segment | undefined
  for (const segment of sorted) {
    if (reach !== undefined && segment.address < reach.end) {
      const later = segment.order > reach.order ? segment : reach
      error(
        later.statement.line,
        later.statement.column,
        `overwrites address ${hex(segment.address)}`,
      )
    }
    if (reach === undefined || segment.end > reach.end) reach = segment
  }

  function required(expr: Expr, scope: Scope): number {
    const v = evaluate(expr, scope)
    if (v === undefined)
      throw new SourceError(`undefined symbol ${firstUndefined(expr, scope) ?? ''}`.trim(), 0)
    if (!Number.isFinite(v)) throw new RangeError('value out of range')
    return v
  }

  function firstUndefined(expr: Expr, scope: Scope): string | undefined {
    if (expr.kind === 'symbol')
      return scope.lookup(expr.name) === undefined ? expr.name.replace(/@\d+$/, '') : undefined
    if (expr.kind === 'unary') return firstUndefined(expr.operand, scope)
    if (expr.kind === 'binary')
      return firstUndefined(expr.left, scope) ?? firstUndefined(expr.right, scope)
    return undefined
  }

  /** The exact value (see evaluateExact), or SourceError naming the undefined symbol. */
  function requiredExact(expr: Expr, scope: Scope): bigint {
    const v = evaluateExact(expr, scope)
    if (v === undefined)
      throw new SourceError(`undefined symbol ${firstUndefined(expr, scope) ?? ''}`.trim(), 0)
    return v
  }

  /** A value fits a unit as a signed or an unsigned number. */
  function checkRange(value: bigint, unit: number): void {
    const bits = BigInt(unit * 8)
    if (value < -(1n << (bits - 1n)) || value >= 1n << bits) {
      throw new RangeError(`value ${value} does not fit in ${unit} byte(s)`)
    }
  }

  function encode(st: Extract<Statement, { kind: 'instruction' }>, scope: Scope): number[] {
    const specifiers = st.operands.map((operand, i) => {
      const spec = st.opcode.operands[i] as OperandSpec
      return toSpecifier(
        operand,
        spec,
        (st.sizes[i] as number) - (operand.kind === 'index' ? 1 : 0),
        scope,
      )
    })
    return [...encodeInstruction(st.opcode, specifiers, st.address)]
  }

  /** An address operand: a 32-bit value, signed or unsigned, as an unsigned address. */
  function address(expr: Expr, scope: Scope): number {
    const v = required(expr, scope)
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 32)
      throw new RangeError(`address ${v} is not a 32-bit value`)
    return v >>> 0
  }

  function toSpecifier(
    operand: OperandSyntax,
    spec: OperandSpec,
    size: number,
    scope: Scope,
  ): Specifier {
    switch (operand.kind) {
      case 'immediate': {
        if (size === 1) return { kind: 'literal', value: required(operand.expr, scope) }
        return { kind: 'immediate', value: requiredExact(operand.expr, scope) }
      }
      case 'register':
      case 'deferred':
      case 'autodecrement':
      case 'autoincrement':
      case 'autoincrementDeferred':
        return operand
      case 'absolute':
        return { kind: 'absolute', address: address(operand.expr, scope) }
      case 'displacement':
        return {
          kind: 'displacement',
          reg: operand.reg,
          displacement: required(operand.expr, scope),
          size: (size - 1) as 1 | 2 | 4,
          deferred: operand.deferred,
        }
      case 'relative': {
        const target = address(operand.expr, scope)
        if (spec.access === 'b') return { kind: 'branch', target }
        return {
          kind: 'relative',
          target,
          size: (size - 1) as 1 | 2 | 4,
          deferred: operand.deferred,
        }
      }
      case 'index':
        return {
          kind: 'index',
          base: toSpecifier(operand.base, spec, size, scope),
          index: operand.index,
        }
    }
  }

  if (diagnostics.length > 0) {
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column)
    throw new AssemblyError(diagnostics)
  }

  const high = segments.reduce((h, segment) => Math.max(h, segment.end), base)
  const image = new Uint8Array(high - base)
  for (const segment of segments) image.set(segment.bytes, segment.address - base)

  const exported = new Map([...symbols].filter(([name]) => !name.includes('@')))
  let text: string | undefined
  return {
    image,
    base,
    entry,
    symbols: exported,
    // Made when first read: a caller that does not want it does not pay for it.
    get listing() {
      text ??= listing(lines, statements, emitted)
      return text
    },
  }
}

function listing(
  lines: readonly string[],
  statements: readonly Statement[],
  emitted: ReadonlyMap<Statement, number[]>,
): string {
  const byLine = new Map<number, { address: number; bytes: number[] }>()
  for (const st of statements) {
    const bytes = emitted.get(st) ?? []
    const entry = byLine.get(st.line)
    if (entry === undefined) byLine.set(st.line, { address: st.address, bytes: [...bytes] })
    else entry.bytes.push(...bytes)
  }
  const out: string[] = []
  lines.forEach((text, i) => {
    const entry = byLine.get(i + 1)
    const lineNo = String(i + 1).padStart(5)
    if (entry === undefined) {
      out.push(`${lineNo}  ${''.padEnd(8)}  ${''.padEnd(24)}  ${text}`)
      return
    }
    const hex = entry.bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
    const address = entry.address.toString(16).toUpperCase().padStart(8, '0')
    out.push(`${lineNo}  ${address}  ${hex.slice(0, 8).join(' ').padEnd(24)}  ${text}`)
    for (let k = 8; k < hex.length; k += 8) {
      out.push(
        `${''.padStart(5)}  ${(entry.address + k).toString(16).toUpperCase().padStart(8, '0')}  ${hex.slice(k, k + 8).join(' ')}`,
      )
    }
  })
  return `${out.join('\n')}\n`
}
