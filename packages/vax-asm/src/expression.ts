import { registerNumber } from './specifier'

/**
 * MACRO-32 expressions. Operators are evaluated strictly left to right, as MACRO-32
 * does (no precedence): + - * / and @ (arithmetic shift left, negative count shifts
 * right), & (and), ! (or), \ (exclusive or). Unary + and -, ^C (complement). Terms:
 * decimal numbers (the default radix), ^X hexadecimal, ^O octal, ^B binary, ^D decimal,
 * ^A/xy/ characters, ^M<R2,R3> register masks (IV and DV: bits 14 and 15), symbols, local labels (10$), `.` (the
 * location counter) and <...> grouping.
 */
export type Expr =
  /** A number; `exact` keeps every digit of a literal wider than a double holds. */
  | { readonly kind: 'number'; readonly value: number; readonly exact?: bigint }
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: 'location' }
  | { readonly kind: 'unary'; readonly op: '-' | '+' | '^C'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr }

/** A syntax error at a column (0-based, relative to the text given to the parser). */
export class SourceError extends Error {
  override readonly name = 'SourceError'
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message)
  }
}

const SYMBOL_START = /[A-Za-z_$.%]/
const SYMBOL_CHAR = /[A-Za-z0-9_$.%]/
const BINARY = '+-*/@&!\\'
/** Blanks between terms: space, tab, and the form feed and CR an old source may hold. */
const BLANK = ' \t\f\v\r'

/**
 * The most terms and operators one expression may have. It bounds the depth of the
 * expression tree, so that parsing and evaluating never exhaust the stack.
 */
export const MAX_EXPRESSION_TERMS = 1000

/**
 * The most digits a number may have (an octaword in binary is 128), and the most
 * characters of ^A (an octaword is 16): longer ones could take long to convert and
 * fit no operand anyway.
 */
const MAX_DIGITS = 128
const MAX_CHARACTERS = 16

/** The value of a radix number, exactly; undefined when a digit is not of the radix. */
function exactNumber(digits: string, radix: number): bigint | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(digits) || !digitsValid(digits, radix)) return undefined
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : ''
  return BigInt(`${prefix}${digits}`)
}

function numberExpr(exact: bigint): Expr {
  return { kind: 'number', value: Number(exact), exact }
}

/** Parses an expression from `text` starting at `start`; returns it and the end index. */
export function parseExpression(text: string, start = 0): { expr: Expr; end: number } {
  let pos = start
  let terms = 0
  const skip = () => {
    while (pos < text.length && BLANK.includes(text[pos] as string)) pos++
  }
  const term = (): Expr => {
    skip()
    if (++terms > MAX_EXPRESSION_TERMS) {
      throw new SourceError(`expression has more than ${MAX_EXPRESSION_TERMS} terms`, pos)
    }
    const c = text[pos]
    if (c === undefined) throw new SourceError('expression expected', pos)
    if (c === '-' || c === '+') {
      pos++
      return { kind: 'unary', op: c, operand: term() }
    }
    if (c === '<') {
      pos++
      const inner = expression()
      skip()
      if (text[pos] !== '>') throw new SourceError("'>' expected", pos)
      pos++
      return inner
    }
    if (c === '^') {
      const kind = (text[pos + 1] ?? '').toUpperCase()
      pos += 2
      if (kind === 'C') return { kind: 'unary', op: '^C', operand: term() }
      if (kind === 'M') return { kind: 'number', value: registerMask() }
      if (kind === 'A') return numberExpr(characters())
      const radix = { X: 16, O: 8, B: 2, D: 10 }[kind]
      if (radix === undefined) throw new SourceError(`unknown operator ^${kind}`, pos - 2)
      skip()
      if (text[pos] === '<') {
        // ^X<...>: the radix applies to the numbers inside.
        const inner = term()
        return inner
      }
      const digits = /^[0-9A-Fa-f]+/.exec(text.slice(pos))?.[0] ?? ''
      if (digits.length > MAX_DIGITS)
        throw new SourceError(`number longer than ${MAX_DIGITS} digits`, pos)
      const exact = exactNumber(digits, radix)
      if (exact === undefined) throw new SourceError(`bad ^${kind} number`, pos)
      pos += digits.length
      return numberExpr(exact)
    }
    if (c >= '0' && c <= '9') {
      const m = /^([0-9]+)(\$|\.)?/.exec(text.slice(pos)) as RegExpExecArray
      if ((m[1] as string).length > MAX_DIGITS)
        throw new SourceError(`number longer than ${MAX_DIGITS} digits`, pos)
      pos += m[0].length
      if (m[2] === '$') return { kind: 'symbol', name: `${m[1]}$` }
      return numberExpr(BigInt(m[1] as string))
    }
    if (SYMBOL_START.test(c)) {
      let end = pos + 1
      while (end < text.length && SYMBOL_CHAR.test(text[end] as string)) end++
      const name = text.slice(pos, end).toUpperCase()
      pos = end
      if (name === '.') return { kind: 'location' }
      return { kind: 'symbol', name }
    }
    throw new SourceError(`unexpected '${c}'`, pos)
  }
  const registerMask = (): number => {
    skip()
    if (text[pos] !== '<') throw new SourceError("'<' expected after ^M", pos)
    const close = text.indexOf('>', pos)
    if (close < 0) throw new SourceError("'>' expected", pos)
    let mask = 0
    for (const name of text.slice(pos + 1, close).split(',')) {
      const trimmed = name.trim()
      if (trimmed === '') continue
      // IV and DV are bits 14 and 15 of an entry mask (integer and decimal overflow
      // trap enables; VAX MACRO .ENTRY and ^M).
      const upper = trimmed.toUpperCase()
      const n = upper === 'IV' ? 14 : upper === 'DV' ? 15 : registerNumber(trimmed)
      if (n < 0) throw new SourceError(`${trimmed} is not a register`, pos + 1)
      mask |= 1 << n
    }
    pos = close + 1
    return mask
  }
  const characters = (): bigint => {
    const delimiter = text[pos]
    if (delimiter === undefined) throw new SourceError('delimiter expected after ^A', pos)
    const close = text.indexOf(delimiter, pos + 1)
    if (close < 0) throw new SourceError('unterminated ^A string', pos)
    let value = 0n
    const chars = text.slice(pos + 1, close)
    if (chars.length > MAX_CHARACTERS)
      throw new SourceError(`^A takes at most ${MAX_CHARACTERS} characters`, pos)
    for (let i = chars.length - 1; i >= 0; i--) {
      const code = chars.charCodeAt(i)
      if (code > 0xff) throw new SourceError('^A takes 8-bit characters only', pos + 1 + i)
      value = (value << 8n) + BigInt(code)
    }
    pos = close + 1
    return value
  }
  const expression = (): Expr => {
    let left = term()
    for (;;) {
      skip()
      const c = text[pos]
      if (c === undefined || !BINARY.includes(c)) return left
      pos++
      left = { kind: 'binary', op: c, left, right: term() }
    }
  }
  const expr = expression()
  skip()
  return { expr, end: pos }
}

function digitsValid(digits: string, radix: number): boolean {
  return [...digits].every((d) => Number.parseInt(d, 16) < radix)
}

/** Parses `text` as one whole expression. */
export function parseWholeExpression(text: string): Expr {
  const { expr, end } = parseExpression(text)
  if (end !== text.length) throw new SourceError(`unexpected '${text[end]}'`, end)
  return expr
}

/** Looks up symbols while evaluating: undefined when not (yet) defined. */
export interface Scope {
  lookup(name: string): number | undefined
  readonly location: number
}

/** The value of an expression, or undefined when it uses an undefined symbol. */
export function evaluate(expr: Expr, scope: Scope): number | undefined {
  switch (expr.kind) {
    case 'number':
      return expr.value
    case 'location':
      return scope.location
    case 'symbol':
      return scope.lookup(expr.name)
    case 'unary': {
      const v = evaluate(expr.operand, scope)
      if (v === undefined) return undefined
      return expr.op === '-' ? -v : expr.op === '+' ? v : ~v
    }
    case 'binary': {
      const a = evaluate(expr.left, scope)
      const b = evaluate(expr.right, scope)
      if (a === undefined || b === undefined) return undefined
      switch (expr.op) {
        case '+':
          return a + b
        case '-':
          return a - b
        case '*':
          return a * b
        case '/':
          if (b === 0) throw new RangeError('division by zero')
          return Math.trunc(a / b)
        case '@':
          return b >= 0 ? a * 2 ** b : Math.floor(a / 2 ** -b)
        case '&':
          return Number(BigInt.asIntN(64, BigInt(a) & BigInt(b)))
        case '!':
          return Number(BigInt.asIntN(64, BigInt(a) | BigInt(b)))
        default:
          return Number(BigInt.asIntN(64, BigInt(a) ^ BigInt(b)))
      }
    }
  }
}

/** Exact values are kept to this many bits (an octaword), two's complement. */
const EXACT_BITS = 128

function exactOf(value: number): bigint {
  if (!Number.isInteger(value)) throw new RangeError(`value ${value} is not an integer`)
  return BigInt(value)
}

/**
 * The value of an expression computed exactly, with integers of up to 128 bits
 * (for .QUAD data and quadword, octaword and floating immediates, which a double
 * cannot hold); undefined when it uses an undefined symbol. Operators as `evaluate`.
 */
export function evaluateExact(expr: Expr, scope: Scope): bigint | undefined {
  const wrap = (v: bigint) => BigInt.asIntN(EXACT_BITS, v)
  switch (expr.kind) {
    case 'number':
      return expr.exact ?? exactOf(expr.value)
    case 'location':
      return exactOf(scope.location)
    case 'symbol': {
      const v = scope.lookup(expr.name)
      return v === undefined ? undefined : exactOf(v)
    }
    case 'unary': {
      const v = evaluateExact(expr.operand, scope)
      if (v === undefined) return undefined
      if (expr.op === '-') return wrap(-v)
      if (expr.op === '+') return v
      // ^C complements a longword as `evaluate` does; a wider value, all its bits.
      return v >= -(1n << 31n) && v < 1n << 32n ? BigInt(~Number(v)) : ~v
    }
    case 'binary': {
      const a = evaluateExact(expr.left, scope)
      const b = evaluateExact(expr.right, scope)
      if (a === undefined || b === undefined) return undefined
      switch (expr.op) {
        case '+':
          return wrap(a + b)
        case '-':
          return wrap(a - b)
        case '*':
          return wrap(wrap(a) * wrap(b))
        case '/':
          if (b === 0n) throw new RangeError('division by zero')
          return a / b
        case '@':
          if (b >= BigInt(EXACT_BITS)) return 0n
          if (b <= -BigInt(EXACT_BITS)) return a < 0n ? -1n : 0n
          return b >= 0n ? wrap(a << b) : a >> -b
        case '&':
          return a & b
        case '!':
          return a | b
        default:
          return a ^ b
      }
    }
  }
}
