import { SS } from '@vms/contracts'
import { CLI, DclError } from './messages'

/** A DCL value: a 32-bit integer or a string (a symbol's two types). */
export type DclValue = number | string

/** What an expression can see: symbols and the lexical functions. */
export interface ExpressionScope {
  /** A symbol's value; undefined if not defined (UNDSYM). */
  lookup(name: string): DclValue | undefined
  /** Calls a lexical function F$name with its evaluated arguments. */
  lexical(name: string, args: readonly (DclValue | undefined)[]): DclValue
}

type Token =
  | { readonly kind: 'int'; readonly value: number; readonly text: string }
  | { readonly kind: 'str'; readonly value: string; readonly text: string }
  | { readonly kind: 'name'; readonly value: string; readonly text: string }
  | { readonly kind: 'op'; readonly value: string; readonly text: string }

const OPERATORS = new Set([
  'EQ',
  'NE',
  'LT',
  'LE',
  'GT',
  'GE',
  'EQS',
  'NES',
  'LTS',
  'LES',
  'GTS',
  'GES',
  'AND',
  'OR',
  'NOT',
])

/** Splits an expression into integers, strings, names and operators (DCL Dictionary, "Expressions"). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i] as string
    if (c === ' ' || c === '\t') {
      i++
      continue
    }
    const start = i
    if (c === '"') {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) throw new DclError(CLI.EXPSYN, text.slice(start))
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"'
            i += 2
            continue
          }
          i++
          break
        }
        value += text[i]
        i++
      }
      tokens.push({ kind: 'str', value, text: text.slice(start, i) })
      continue
    }
    if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9A-Za-z_$]/.test(text[i] as string)) i++
      const word = text.slice(start, i)
      if (!/^[0-9]+$/.test(word)) throw new DclError(CLI.NUMBER, word.toUpperCase())
      tokens.push({ kind: 'int', value: Number(BigInt.asIntN(32, BigInt(word))), text: word })
      continue
    }
    if (c === '%') {
      const m = /^%([XxOoDd])([0-9A-Fa-f]+)/.exec(text.slice(i))
      if (!m) throw new DclError(CLI.NUMBER, text.slice(i).split(/\s/)[0])
      const radix = { X: 16, O: 8, D: 10 }[(m[1] as string).toUpperCase() as 'X' | 'O' | 'D']
      const digits = m[2] as string
      const valid = radix === 16 ? /^[0-9A-Fa-f]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/
      if (!valid.test(digits)) throw new DclError(CLI.NUMBER, m[0].toUpperCase())
      const value = Number(
        BigInt.asIntN(
          32,
          BigInt(radix === 16 ? `0x${digits}` : radix === 8 ? `0o${digits}` : digits),
        ),
      )
      i += m[0].length
      tokens.push({ kind: 'int', value, text: m[0] })
      continue
    }
    if (/[A-Za-z_$]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i] as string)) i++
      tokens.push({
        kind: 'name',
        value: text.slice(start, i).toUpperCase(),
        text: text.slice(start, i),
      })
      continue
    }
    if (c === '.') {
      const m = /^\.([A-Za-z]+)\./.exec(text.slice(i))
      const op = m?.[1]?.toUpperCase()
      if (m === null || op === undefined || !OPERATORS.has(op))
        throw new DclError(CLI.EXPSYN, text.slice(i).split(/\s/)[0]?.toUpperCase())
      i += m[0].length
      tokens.push({ kind: 'op', value: op, text: m[0] })
      continue
    }
    if ('+-*/(),'.includes(c)) {
      i++
      tokens.push({ kind: 'op', value: c, text: c })
      continue
    }
    throw new DclError(CLI.EXPSYN, c)
  }
  return tokens
}

/**
 * A string as an integer (DCL Dictionary, "Value conversion"): a decimal number is its
 * value; a string beginning with T or Y (true, yes) is 1; anything else is 0.
 */
export function toInteger(value: DclValue): number {
  if (typeof value === 'number') return value
  const s = value.trim()
  if (/^[-+]?[0-9]+$/.test(s)) return Number(BigInt.asIntN(32, BigInt(s)))
  const radix = /^%([XxOo])([0-9A-Fa-f]+)$/.exec(s)
  if (radix !== null) {
    const digits = radix[2] as string
    const hex = (radix[1] as string).toUpperCase() === 'X'
    if (hex || /^[0-7]+$/.test(digits))
      return Number(BigInt.asIntN(32, BigInt(`${hex ? '0x' : '0o'}${digits}`)))
  }
  return /^[TtYy]/.test(s) ? 1 : 0
}

/** A value as a string: an integer in decimal. */
export function toText(value: DclValue): string {
  return typeof value === 'number' ? String(value) : value
}

/** A value's truth: an odd integer is true (the low bit, as for a status). */
export function isTrue(value: DclValue): boolean {
  return (toInteger(value) & 1) === 1
}

const COMPARISONS: Record<string, (a: number | string, b: number | string) => boolean> = {
  EQ: (a, b) => a === b,
  NE: (a, b) => a !== b,
  LT: (a, b) => a < b,
  LE: (a, b) => a <= b,
  GT: (a, b) => a > b,
  GE: (a, b) => a >= b,
}

/** Precedence of the binary operators, lowest first (DCL Dictionary, "Operator precedence"). */
const LEVELS: readonly (readonly string[])[] = [
  ['OR'],
  ['AND'],
  ['EQ', 'NE', 'LT', 'LE', 'GT', 'GE', 'EQS', 'NES', 'LTS', 'LES', 'GTS', 'GES'],
  ['+', '-'],
  ['*', '/'],
]

/** The longest string an expression makes (CLI$_BUFOVF beyond): the command buffer's size. */
const MAX_STRING = 8192

/** How deep parentheses, unary operators and function calls may nest (CLI$_COMPLX beyond). */
export const MAX_EXPRESSION_DEPTH = 64

class ExpressionParser {
  private i = 0
  private depth = 0
  constructor(
    private readonly tokens: readonly Token[],
    private readonly scope: ExpressionScope,
    private readonly source: string,
  ) {}

  parse(): DclValue {
    if (this.tokens.length === 0) throw new DclError(CLI.EXPSYN, this.source.trim())
    const value = this.binary(0)
    const extra = this.tokens[this.i]
    if (extra !== undefined) throw new DclError(CLI.EXPSYN, extra.text.toUpperCase())
    return value
  }

  private peek(): Token | undefined {
    return this.tokens[this.i]
  }

  private expectOp(op: string): void {
    const t = this.peek()
    if (t?.kind !== 'op' || t.value !== op)
      throw new DclError(CLI.EXPSYN, t?.text.toUpperCase() ?? op)
    this.i++
  }

  private binary(level: number): DclValue {
    if (level === 2) {
      // .NOT. binds between .AND. and the comparisons.
      const t = this.peek()
      if (t?.kind === 'op' && t.value === 'NOT') {
        this.i++
        if (++this.depth > MAX_EXPRESSION_DEPTH) throw new DclError(CLI.COMPLX)
        const value = ~toInteger(this.binary(2))
        this.depth--
        return value
      }
    }
    const ops = LEVELS[level]
    if (ops === undefined) return this.unary()
    let left = this.binary(level + 1)
    for (;;) {
      const t = this.peek()
      if (t?.kind !== 'op' || !ops.includes(t.value)) return left
      this.i++
      const right = this.binary(level + 1)
      left = apply(t.value, left, right)
    }
  }

  private unary(): DclValue {
    if (++this.depth > MAX_EXPRESSION_DEPTH) throw new DclError(CLI.COMPLX)
    try {
      return this.unaryInner()
    } finally {
      this.depth--
    }
  }

  private unaryInner(): DclValue {
    const t = this.peek()
    if (t?.kind === 'op' && (t.value === '-' || t.value === '+')) {
      this.i++
      const v = toInteger(this.unary())
      return t.value === '-' ? -v | 0 : v
    }
    if (t?.kind === 'op' && t.value === 'NOT') {
      this.i++
      return ~toInteger(this.unary())
    }
    return this.primary()
  }

  private primary(): DclValue {
    const t = this.peek()
    if (t === undefined) throw new DclError(CLI.EXPSYN, this.source.trim().toUpperCase())
    this.i++
    if (t.kind === 'int' || t.kind === 'str') return t.value
    if (t.kind === 'op') {
      if (t.value !== '(') throw new DclError(CLI.EXPSYN, t.text.toUpperCase())
      const value = this.binary(0)
      this.expectOp(')')
      return value
    }
    const next = this.peek()
    if (t.value.startsWith('F$') && next?.kind === 'op' && next.value === '(') {
      this.i++
      const args: (DclValue | undefined)[] = []
      // F$TYPE takes a symbol's name, not its value.
      const raw = this.tokens[this.i]
      const after = this.tokens[this.i + 1]
      if (
        t.value === 'F$TYPE' &&
        raw?.kind === 'name' &&
        after?.kind === 'op' &&
        after.value === ')'
      ) {
        this.i += 2
        return this.scope.lexical(t.value, [raw.value])
      }
      const close = this.peek()
      if (close?.kind === 'op' && close.value === ')') {
        this.i++
        return this.scope.lexical(t.value, args)
      }
      for (;;) {
        const a = this.peek()
        if (a?.kind === 'op' && (a.value === ',' || a.value === ')')) args.push(undefined)
        else args.push(this.binary(0))
        const sep = this.peek()
        if (sep?.kind === 'op' && sep.value === ',') {
          this.i++
          continue
        }
        this.expectOp(')')
        return this.scope.lexical(t.value, args)
      }
    }
    const value = this.scope.lookup(t.value)
    if (value === undefined) throw new DclError(CLI.UNDSYM, t.value)
    return value
  }
}

function apply(op: string, left: DclValue, right: DclValue): DclValue {
  switch (op) {
    case '+':
      if (typeof left === 'string' && typeof right === 'string') {
        if (left.length + right.length > MAX_STRING) throw new DclError(CLI.BUFOVF)
        return left + right
      }
      return (toInteger(left) + toInteger(right)) | 0
    case '-':
      if (typeof left === 'string' && typeof right === 'string') {
        // String subtraction removes the first occurrence of the right string.
        const at = right === '' ? -1 : left.indexOf(right)
        return at < 0 ? left : left.slice(0, at) + left.slice(at + right.length)
      }
      return (toInteger(left) - toInteger(right)) | 0
    case '*':
      return Math.imul(toInteger(left), toInteger(right))
    case '/': {
      const divisor = toInteger(right)
      if (divisor === 0) throw new DclError(SS.INTDIV)
      return Math.trunc(toInteger(left) / divisor) | 0
    }
    case 'AND':
      return toInteger(left) & toInteger(right)
    case 'OR':
      return toInteger(left) | toInteger(right)
  }
  if (op.endsWith('S')) {
    const compare = COMPARISONS[op.slice(0, 2)] as (a: string, b: string) => boolean
    return compare(toText(left), toText(right)) ? 1 : 0
  }
  const compare = COMPARISONS[op] as (a: number, b: number) => boolean
  return compare(toInteger(left), toInteger(right)) ? 1 : 0
}

/**
 * Evaluates a DCL expression: integers (decimal, %X, %O, %D), quoted strings, symbols,
 * lexical functions, unary + and -, * /, + - (concatenation and removal for strings), the
 * integer and string comparisons, .NOT., .AND., .OR., parentheses. Errors are DclErrors
 * (EXPSYN, UNDSYM, NUMBER...).
 */
export function evaluate(text: string, scope: ExpressionScope): DclValue {
  return new ExpressionParser(tokenize(text), scope, text).parse()
}
