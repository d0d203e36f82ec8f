import type { OperandSpec } from '@vax/cpu'
import { EncodeError, encodeInstruction } from './encode'
import { type Expr, evaluate, evaluateExact, type Scope, SourceError } from './expression'
import { listing } from './listing'
import type { ObjectModule, ObjectPsect, ObjectSymbol, Relocation } from './object'
import type { OperandSyntax } from './operand-parser'
import { type Psect, parseModule } from './parser'
import { alignUp, type PsectAttributes, psectOrder } from './psect'
import { ABSOLUTE, singleBase, type Terms, termsOf } from './relocation'
import type { Specifier } from './specifier'
import type { Statement } from './statement'

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
  /** The symbols declared global (`::`, `==`, `.GLOBAL`, `.ENTRY`). */
  readonly globals: ReadonlySet<string>
  /** The psects, in the order laid out from `base` (as `link` lays out one module). */
  readonly psects: readonly AssembledPsect[]
  /**
   * Line number, address, bytes and source, one source line per line (a macro call's
   * line holds the bytes of its expansion); space reserved by .BLKx and .ALIGN shows
   * its address only; then the symbol table. Made when first read.
   */
  readonly listing: string
}

/** Where a psect was laid out by `assemble`. */
export interface AssembledPsect {
  readonly name: string
  readonly attributes: PsectAttributes
  readonly address: number
  readonly size: number
}

/** Options of `assembleObject`. */
export interface ObjectOptions {
  /**
   * Macro libraries: each the plain text of .MACRO definitions. `.MCALL name`, or the
   * use of a name that is not an instruction, takes the definition from the last
   * library that has it (VAX MACRO searches libraries in the reverse of the order given).
   */
  readonly libraries?: readonly string[]
  /** The module name when the source has no `.TITLE`. Default `.MAIN.`. */
  readonly name?: string
}

export interface AssembleOptions extends ObjectOptions {
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

/**
 * The largest image `assemble` produces: 64 MiB from the base address. A statement
 * that would place a byte beyond it (or beyond the 32-bit address space) is an error
 * on that statement's line.
 */
export const MAX_IMAGE_SIZE = 64 * 1024 * 1024

function isInteger(spec: OperandSpec): boolean {
  return !'fdgh'.includes(spec.type)
}

function smallest(value: number): 1 | 2 | 4 {
  if (value >= -0x80 && value < 0x80) return 1
  if (value >= -0x8000 && value < 0x8000) return 2
  return 4
}

/**
 * Assembles MACRO-32 source into one image at `base`: labels (`name:`, `name::`), local
 * labels (`10$:`), assignments (`name = expr`, `name == expr`), `. = expr`, all VAX
 * instructions with every addressing mode (S^#, I^#, B^/W^/L^, @, @#, [Rx]), the data
 * and storage directives, macros (.MACRO, .MCALL, .IRP, .IRPC, .REPT), conditionals
 * (.IF, .IIF) and psects, laid out from `base` in the order `link` lays them out.
 * Displacements without a size prefix get the smallest size that fits.
 */
export function assemble(source: string, options: AssembleOptions = {}): AssemblyResult {
  const base = options.base ?? 0
  if (!Number.isSafeInteger(base) || base < 0 || base > 0xffff_ffff)
    throw new RangeError(`base ${base} is not a 32-bit address`)
  const module = assembleModule(source, options, base, 'image')
  const text = module.listingText
  let listing: string | undefined
  return {
    image: module.image,
    base,
    entry: module.entry,
    symbols: module.symbols,
    globals: module.globals,
    psects: module.placed,
    // Made when first read: a caller that does not want it does not pay for it.
    get listing() {
      listing ??= text()
      return listing
    },
  }
}

/**
 * Assembles one module into an object module for `link`: each psect's bytes, the
 * global symbols, and a relocation for each reference whose value depends on where a
 * psect lands or on another module's symbol (undefined symbols are external, as with
 * VAX MACRO's default .ENABLE GLOBAL). Such references get longword displacements.
 * Throws AssemblyError as `assemble` does.
 */
export function assembleObject(source: string, options: ObjectOptions = {}): ObjectModule {
  const module = assembleModule(source, options, 0, 'object')
  if (module.object === undefined) throw new AssemblyError([])
  return module.object
}

type Mode = 'image' | 'object'

function assembleModule(source: string, options: ObjectOptions, base: number, mode: Mode) {
  const diagnostics: Diagnostic[] = []
  const error = (line: number, column: number, message: string) =>
    diagnostics.push({ line, column: column + 1, message })
  const { lines, statements, psects, globals, declaredExternal, moduleName } = parseModule(
    source,
    options,
    error,
  )

  // ------------------------------------------------------------ relocation terms
  // Object modules only: what each symbol's value is relative to (a psect's base, an
  // external symbol, or nothing). Terms follow from the source alone, not from sizes.
  const definedNames = new Set<string>()
  for (const st of statements)
    if (st.kind === 'label' || st.kind === 'assign') definedNames.add(st.name)
  const externals = new Set<string>()
  const isExternal = (name: string) =>
    mode === 'object' && !definedNames.has(name) && !name.includes('@')
  const psectTerms = psects.map(
    (p): Terms => (p.attributes.abs ? ABSOLUTE : new Map([[`psect:${p.name}`, 1]])),
  )
  const symbolTerms = new Map<string, Terms>()
  const termsOfSymbol = (name: string): Terms => {
    const known = symbolTerms.get(name)
    if (known !== undefined) return known
    if (!isExternal(name)) return ABSOLUTE
    externals.add(name)
    return new Map([[`symbol:${name}`, 1]])
  }
  /** The terms of an expression in statement `st` (SourceError when not simple). */
  const termsIn = (expr: Expr, st: Statement): Terms =>
    mode === 'image' ? ABSOLUTE : termsOf(expr, termsOfSymbol, psectTerms[st.psect] ?? ABSOLUTE)
  if (mode === 'object') {
    for (const st of statements)
      if (st.kind === 'label') symbolTerms.set(st.name, psectTerms[st.psect] ?? ABSOLUTE)
    // Assignments may refer to later ones: a few rounds settle them.
    for (let round = 0; round < 4; round++) {
      for (const st of statements) {
        if (st.kind !== 'assign') continue
        try {
          symbolTerms.set(st.name, termsIn(st.expr, st))
        } catch {
          symbolTerms.set(st.name, ABSOLUTE)
        }
      }
    }
    for (const name of declaredExternal) if (!definedNames.has(name)) externals.add(name)
  }
  /** Terms, or undefined when the expression is not a simple relocatable one. */
  const safeTerms = (expr: Expr, st: Statement): Terms | undefined => {
    try {
      return termsIn(expr, st)
    } catch {
      return undefined
    }
  }

  // ------------------------------------------------------------ layout
  // Each psect has its own location counter from 0; psects are placed from `base` in
  // link order, by their sizes in the previous pass, until nothing moves.
  const used = new Set(statements.map((st) => st.psect))
  const order = psectOrder(
    psects.map((p, index) => ({ ...p, index })).filter((p) => used.has(p.index)),
  )
  const place = (sizes: readonly number[]): number[] => {
    const out = psects.map(() => 0)
    let address = base
    for (const p of order) {
      address = alignUp(address, p.attributes.align)
      out[p.index] = address
      address += sizes[p.index] ?? 0
    }
    return out
  }
  /** .ALIGN: in an image, the address; in an object module, the offset in the psect. */
  const alignedFrom = (address: number, psectBase: number, boundary: number) =>
    mode === 'image'
      ? alignUp(address, boundary)
      : psectBase + alignUp(address - psectBase, boundary)
  let sizes = psects.map(() => 0)
  let bases = place(sizes)
  const symbols = new Map<string, number>()
  /** Each label's and assignment's value in the last pass (a symbol may be reassigned). */
  const lastValue = new Map<Statement, number>()
  const lookup = (n: string) => symbols.get(n) ?? (isExternal(n) ? 0 : undefined)
  const scopeAt = (location: number): Scope => ({ lookup, location })
  for (let pass = 0; pass < 64; pass++) {
    let changed = false
    const counters = psects.map(() => 0)
    const high = psects.map(() => 0)
    for (const st of statements) {
      const b = bases[st.psect] ?? 0
      let location = b + (counters[st.psect] ?? 0)
      if (st.address !== location) changed = true
      st.address = location
      const scope = scopeAt(location)
      switch (st.kind) {
        case 'label':
        case 'assign': {
          const value = st.kind === 'label' ? location : safeEvaluate(st.expr, scope)
          if (value === undefined) break
          symbols.set(st.name, value)
          if (lastValue.get(st) !== value) {
            lastValue.set(st, value)
            changed = true
          }
          break
        }
        case 'location': {
          const v = safeEvaluate(st.expr, scope)
          // In an object module an absolute value is an offset in the psect.
          const offset = mode === 'object' && safeTerms(st.expr, st)?.size === 0
          if (v !== undefined && Number.isSafeInteger(v)) location = offset ? b + v : v
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
        case 'align':
          location = alignedFrom(location, b, st.boundary)
          break
        case 'end':
          break
      }
      counters[st.psect] = location - b
      high[st.psect] = Math.max(high[st.psect] ?? 0, location - b)
    }
    sizes = high
    const next = place(sizes)
    if (next.some((v, i) => v !== bases[i])) changed = true
    bases = next
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
      // In an object module a value that depends on the link gets a longword.
      const linked = 'expr' in target && linkDependent(target, st)
      let need: number
      if (spec.access === 'b') need = spec.size
      else if (target.kind === 'immediate') {
        const literal =
          target.force === 'S' ||
          (target.force !== 'I' &&
            spec.access === 'r' &&
            isInteger(spec) &&
            !linked &&
            (value === undefined || (value >= 0 && value <= 63)))
        need = literal ? 1 : 1 + spec.size
      } else if (target.kind === 'displacement') {
        need = 1 + (target.size ?? (linked ? 4 : value === undefined ? 1 : smallest(value)))
      } else if (target.kind === 'relative') {
        let displacement: number = target.size ?? (linked ? 4 : 1)
        if (target.size === undefined && value !== undefined && !linked) {
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

  /**
   * Whether an operand's value is known only when linked: relocatable (PC-relative: to
   * anything but the statement's own psect).
   */
  function linkDependent(operand: OperandSyntax, st: Statement): boolean {
    if (mode === 'image' || !('expr' in operand)) return false
    const terms = safeTerms(operand.expr, st)
    if (terms === undefined) return true
    if (operand.kind !== 'relative') return terms.size > 0
    return !(terms.size === 1 && terms.get(`psect:${psects[st.psect]?.name}`) === 1)
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
  let entryTerms: Terms = ABSOLUTE
  let outOfRange = false
  const relocations: Relocation[] = []
  for (const [order, st] of statements.entries()) {
    const scope = scopeAt(st.address)
    const bytes: number[] = []
    /** Fields of `bytes` the linker fills in (object modules). */
    const fields: Field[] = []
    let zeros = 0
    try {
      switch (st.kind) {
        case 'instruction':
          bytes.push(...encode(st, scope))
          if (mode === 'object') instructionFields(st, scope, fields)
          break
        case 'data':
          for (const [k, expr] of st.exprs.entries()) {
            const v = requiredExact(expr, scope)
            if (mode === 'object') field(st, expr, scope, k * st.unit, st.unit, false, fields)
            if (st.entryMask === true && (v & 0x3000n) !== 0n)
              throw new SourceError('bits 12 and 13 of an entry mask (AP, FP) must be zero', 0)
            checkRange(v, st.unit)
            let big = BigInt.asUintN(st.unit * 8, v)
            for (let k = 0; k < st.unit; k++) {
              bytes.push(Number(big & 0xffn))
              big >>= 8n
            }
          }
          break
        case 'bytes':
          for (const [k, part] of st.parts.entries()) {
            if (mode === 'object' && typeof part !== 'number')
              field(st, part, scope, k, 1, false, fields)
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
        case 'align':
          zeros = alignedFrom(st.address, bases[st.psect] ?? 0, st.boundary) - st.address
          break
        case 'end':
          if (st.expr !== undefined) {
            entry = required(st.expr, scope)
            entryTerms = termsIn(st.expr, st)
          }
          break
        case 'assign':
          // Uses after a reassignment see the new value, as in MACRO's passes.
          symbols.set(st.name, required(st.expr, scope))
          termsIn(st.expr, st)
          break
        case 'location':
          required(st.expr, scope)
          termsIn(st.expr, st)
          break
        default:
          break
      }
    } catch (e) {
      if (e instanceof SourceError || e instanceof EncodeError || e instanceof RangeError) {
        statementError(st, e.message)
      } else throw e
    }
    const length = bytes.length + zeros
    if (st.kind === 'end') break
    if (length === 0) continue
    const end = st.address + length
    const where = psects[st.psect] as Psect
    if (where.attributes.abs) {
      // An ABS psect only defines offsets: .BLKx and .ALIGN move its counter.
      if (bytes.length > 0) statementError(st, `no data may be placed in ABS psect ${where.name}`)
      continue
    }
    for (const f of fields) {
      bytes.fill(0, f.offset, f.offset + f.size)
      relocations.push({
        psect: where.name,
        offset: st.address + f.offset - (bases[st.psect] ?? 0),
        size: f.size,
        pcRelative: f.pcRelative,
        target: f.target,
        addend: f.addend,
        line: st.line,
      })
    }
    if (!Number.isSafeInteger(st.address) || st.address < base) {
      error(st.line, st.column, `code below the base address ${hex(base)}`)
    } else if (end > limit) {
      // Everything after a statement that overflows is displaced too: report it once.
      if (!outOfRange) {
        const what =
          end > 2 ** 32
            ? 'beyond the 32-bit address space'
            : `beyond the ${MAX_IMAGE_SIZE / 1024 / 1024} MiB image maximum (base ${hex(base)})`
        statementError(st, `${length} byte(s) at ${hex(st.address)} reach ${what}`)
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
      statementError(later.statement, `overwrites address ${hex(segment.address)}`)
    }
    if (reach === undefined || segment.end > reach.end) reach = segment
  }

  function statementError(st: Statement, message: string) {
    error(st.line, st.column, st.expansion === undefined ? message : `${st.expansion}: ${message}`)
  }

  /**
   * Records `expr` as a field the linker fills in when its value depends on the link
   * (object modules): `size` bytes at `offset` in the statement's bytes.
   */
  function field(
    st: Statement,
    expr: Expr,
    scope: Scope,
    offset: number,
    size: number,
    pcRelative: boolean,
    out: Field[],
  ): void {
    const terms = termsIn(expr, st)
    const own = `psect:${psects[st.psect]?.name}`
    if (pcRelative && terms.size === 1 && terms.get(own) === 1) return
    if (!pcRelative && terms.size === 0) return
    if (size !== 1 && size !== 2 && size !== 4)
      throw new SourceError(`a ${size}-byte field cannot hold a relocatable value`, 0)
    const key = singleBase(terms)
    const value = required(expr, scope)
    if (key === undefined) {
      out.push({ offset, size, pcRelative, target: { absolute: true }, addend: value })
    } else if (key.startsWith('psect:')) {
      const name = key.slice(6)
      const index = psects.findIndex((p) => p.name === name)
      out.push({
        offset,
        size,
        pcRelative,
        target: { psect: name },
        addend: value - (bases[index] ?? 0),
      })
    } else {
      out.push({ offset, size, pcRelative, target: { symbol: key.slice(7) }, addend: value })
    }
  }

  /** The fields of an instruction's operands that depend on the link. */
  function instructionFields(
    st: Extract<Statement, { kind: 'instruction' }>,
    scope: Scope,
    out: Field[],
  ): void {
    let at = st.opcode.code > 0xff ? 2 : 1
    st.operands.forEach((operand, i) => {
      const spec = st.opcode.operands[i] as OperandSpec
      const size = st.sizes[i] as number
      const target = operand.kind === 'index' ? operand.base : operand
      const start = at + (operand.kind === 'index' ? 1 : 0) + (spec.access === 'b' ? 0 : 1)
      const width = at + size - start
      at += size
      if (!('expr' in target)) return
      if (width === 0) {
        if (linkDependent(target, st))
          throw new SourceError(
            `operand ${i + 1}: a short literal cannot hold a relocatable value`,
            0,
          )
        return
      }
      if (spec.access === 'b') {
        const found: Field[] = []
        field(st, target.expr, scope, start, width, true, found)
        if (found.length > 0)
          throw new SourceError(
            `operand ${i + 1} of ${st.opcode.mnemonic} branches out of its psect`,
            0,
          )
        return
      }
      field(st, target.expr, scope, start, width, target.kind === 'relative', out)
    })
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
  const placed = order.map((p) => ({
    name: p.name,
    attributes: p.attributes,
    address: bases[p.index] ?? 0,
    size: sizes[p.index] ?? 0,
  }))
  return {
    image,
    entry,
    symbols: exported,
    globals: globals as ReadonlySet<string>,
    placed,
    listingText: () => listing(lines, statements, emitted, exported, globals),
    object: mode === 'object' ? objectModule() : undefined,
  }

  function objectModule(): ObjectModule {
    const problems: Diagnostic[] = []
    const offsetOf = (name: string, terms: Terms) => {
      const key = singleBase(terms)
      if (key === undefined) return { psect: undefined, value: symbols.get(name) ?? 0 }
      if (!key.startsWith('psect:')) return undefined
      const index = psects.findIndex((p) => `psect:${p.name}` === key)
      return { psect: key.slice(6), value: (symbols.get(name) ?? 0) - (bases[index] ?? 0) }
    }
    const objectGlobals: ObjectSymbol[] = []
    for (const name of globals) {
      if (!definedNames.has(name)) {
        externals.add(name)
        continue
      }
      let placedAt: { psect: string | undefined; value: number } | undefined
      try {
        placedAt = offsetOf(name, termsOfSymbol(name))
      } catch {
        placedAt = undefined
      }
      if (placedAt === undefined) {
        const st = statements.find(
          (s) => (s.kind === 'label' || s.kind === 'assign') && s.name === name,
        )
        problems.push({
          line: st?.line ?? 1,
          column: (st?.column ?? 0) + 1,
          message: `global symbol ${name} is not relative to one psect of this module`,
        })
        continue
      }
      objectGlobals.push({ name, ...placedAt })
    }
    let entryAt: ObjectModule['entry']
    if (entry !== undefined) {
      const key = (() => {
        try {
          return singleBase(entryTerms)
        } catch {
          return undefined
        }
      })()
      const index = psects.findIndex((p) => `psect:${p.name}` === key)
      const end = statements.find((s) => s.kind === 'end')
      if (index < 0)
        problems.push({
          line: end?.line ?? 1,
          column: (end?.column ?? 0) + 1,
          message: 'the transfer address must be in a psect of this module',
        })
      else entryAt = { psect: psects[index]?.name ?? '', offset: entry - (bases[index] ?? 0) }
    }
    if (problems.length > 0) throw new AssemblyError(problems)
    const objectPsects: ObjectPsect[] = psects
      .map((p, index) => ({ p, index }))
      .filter(({ index }) => used.has(index))
      .map(({ p, index }) => {
        const size = p.attributes.abs ? 0 : (sizes[index] ?? 0)
        const start = (bases[index] ?? 0) - base
        const bytes = new Uint8Array(size)
        bytes.set(image.subarray(Math.max(0, start), Math.max(0, start + size)))
        return { name: p.name, attributes: p.attributes, size, bytes }
      })
    return {
      name: moduleName,
      psects: objectPsects,
      globals: objectGlobals,
      externals: [...externals].sort(),
      relocations,
      entry: entryAt,
    }
  }
}

/** A field the linker fills in, by its offset in a statement's bytes. */
interface Field {
  readonly offset: number
  readonly size: 1 | 2 | 4
  readonly pcRelative: boolean
  readonly target: Relocation['target']
  readonly addend: number
}
