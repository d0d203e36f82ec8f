import { registerNumber } from './specifier'

/**
 * MACRO-32 expressions. Operators are evaluated strictly left to right, as MACRO-32
 * does (no precedence): + - * / and @ (arithmetic shift left, negative count shifts
 * right), & (and), ! (or), \ (exclusive or). Unary + and -, ^C (complement). Terms:
 * decimal numbers (the default radix), ^X hexadecimal, ^O octal, ^B binary, ^D decimal,
 * ^A/xy/ characters, ^M<R2,R3> register masks, symbols, local labels (10$), `.` (the
 * location counter) and <...> grouping.
 */
export type Expr =
  | { readonly kind: 'number'; readonly value: number }
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

/** Parses an expression from `text` starting at `start`; returns it and the end index. */
export function parseExpression(text: string, start = 0): { expr: Expr; end: number } {
  let pos = start
  const skip = () => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++
  }
  const term = (): Expr => {
    skip()
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
      if (kind === 'A') return { kind: 'number', value: characters() }
      const radix = { X: 16, O: 8, B: 2, D: 10 }[kind]
      if (radix === undefined) throw new SourceError(`unknown operator ^${kind}`, pos - 2)
      skip()
      if (text[pos] === '<') {
        // ^X<...>: the radix applies to the numbers inside.
        const inner = term()
        return inner
      }
      const digits = /^[0-9A-Fa-f]+/.exec(text.slice(pos))?.[0] ?? ''
      const value = Number.parseInt(digits, radix)
      if (digits === '' || Number.isNaN(value) || !digitsValid(digits, radix)) {
        throw new SourceError(`bad ^${kind} number`, pos)
      }
      pos += digits.length
      return { kind: 'number', value }
    }
    if (/[0-9]/.test(c)) {
      const m = /^(\d+)(\$|\.)?/.exec(text.slice(pos)) as RegExpExecArray
      pos += m[0].length
      if (m[2] === '$') return { kind: 'symbol', name: `${m[1]}$` }
      return { kind: 'number', value: Number.parseInt(m[1] as string, 10) }
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
      const n = registerNumber(trimmed)
      if (n < 0) throw new SourceError(`${trimmed} is not a register`, pos + 1)
      mask |= 1 << n
    }
    pos = close + 1
    return mask
  }
  const characters = (): number => {
    const delimiter = text[pos]
    if (delimiter === undefined) throw new SourceError('delimiter expected after ^A', pos)
    const close = text.indexOf(delimiter, pos + 1)
    if (close < 0) throw new SourceError('unterminated ^A string', pos)
    let value = 0
    const chars = text.slice(pos + 1, close)
    for (let i = chars.length - 1; i >= 0; i--) value = value * 256 + chars.charCodeAt(i)
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
