import { type Expr, parseWholeExpression, SourceError } from './expression'
import { registerNumber } from './specifier'

/** An operand as written, before its expressions are evaluated. */
export type OperandSyntax =
  | { readonly kind: 'immediate'; readonly expr: Expr; readonly force?: 'S' | 'I' }
  | { readonly kind: 'register'; readonly reg: number }
  | { readonly kind: 'deferred'; readonly reg: number }
  | { readonly kind: 'autodecrement'; readonly reg: number }
  | { readonly kind: 'autoincrement'; readonly reg: number }
  | { readonly kind: 'autoincrementDeferred'; readonly reg: number }
  | { readonly kind: 'absolute'; readonly expr: Expr }
  | {
      readonly kind: 'displacement'
      readonly expr: Expr
      readonly reg: number
      readonly deferred: boolean
      readonly size?: 1 | 2 | 4
    }
  | {
      readonly kind: 'relative'
      readonly expr: Expr
      readonly deferred: boolean
      readonly size?: 1 | 2 | 4
    }
  | { readonly kind: 'index'; readonly base: OperandSyntax; readonly index: number }

const SIZE_PREFIX: Record<string, 1 | 2 | 4> = { 'B^': 1, 'W^': 2, 'L^': 4 }

function register(text: string, column: number): number {
  const n = registerNumber(text.trim())
  if (n < 0) throw new SourceError(`${text.trim()} is not a register`, column)
  return n
}

function expression(text: string, column: number): Expr {
  try {
    return parseWholeExpression(text)
  } catch (e) {
    if (e instanceof SourceError) throw new SourceError(e.message, column + e.column)
    throw e
  }
}

/** Parses one operand (`column` is where it starts on the line, for messages). */
export function parseOperand(text: string, column: number): OperandSyntax {
  const t = text.trim()
  if (t === '') throw new SourceError('operand expected', column)
  const upper = t.toUpperCase()
  if (t.endsWith(']')) {
    const open = t.lastIndexOf('[')
    if (open < 0) throw new SourceError("'[' expected", column)
    const index = register(t.slice(open + 1, -1), column + open + 1)
    const baseText = t.slice(0, open)
    // Checked before parsing the base, so that [Rx][Ry]... never recurses.
    if (baseText.trimEnd().endsWith(']'))
      throw new SourceError('an index operand cannot be indexed again', column)
    return { kind: 'index', base: parseOperand(baseText, column), index }
  }
  if (upper.startsWith('S^#') || upper.startsWith('I^#')) {
    return {
      kind: 'immediate',
      expr: expression(t.slice(3), column + 3),
      force: upper[0] as 'S' | 'I',
    }
  }
  if (t.startsWith('#')) return { kind: 'immediate', expr: expression(t.slice(1), column + 1) }
  if (t.startsWith('@#')) return { kind: 'absolute', expr: expression(t.slice(2), column + 2) }
  let m = /^-\(\s*(\w+)\s*\)$/.exec(t)
  if (m) return { kind: 'autodecrement', reg: register(m[1] as string, column) }
  m = /^(@?)\(\s*(\w+)\s*\)\+$/.exec(t)
  if (m) {
    const reg = register(m[2] as string, column)
    return m[1] ? { kind: 'autoincrementDeferred', reg } : { kind: 'autoincrement', reg }
  }
  m = /^\(\s*(\w+)\s*\)$/.exec(t)
  if (m) return { kind: 'deferred', reg: register(m[1] as string, column) }
  if (registerNumber(t) >= 0) return { kind: 'register', reg: registerNumber(t) }
  let rest = t
  let offset = column
  const deferred = rest.startsWith('@')
  if (deferred) {
    rest = rest.slice(1)
    offset++
  }
  // G^ (general mode): the assembler picks relative addressing, as for no prefix (a
  // value that depends on the link gets a longword; VAX MACRO "General mode").
  if (rest.slice(0, 2).toUpperCase() === 'G^') {
    rest = rest.slice(2)
    offset += 2
  }
  const size = SIZE_PREFIX[rest.slice(0, 2).toUpperCase()]
  if (size !== undefined) {
    rest = rest.slice(2)
    offset += 2
  }
  m = /^([\s\S]*)\(\s*(\w+)\s*\)$/.exec(rest)
  if (m && registerNumber(m[2] as string) >= 0) {
    const reg = registerNumber(m[2] as string)
    const exprText = (m[1] as string).trim()
    const expr: Expr = exprText === '' ? { kind: 'number', value: 0 } : expression(exprText, offset)
    return { kind: 'displacement', expr, reg, deferred, ...(size ? { size } : {}) }
  }
  return { kind: 'relative', expr: expression(rest, offset), deferred, ...(size ? { size } : {}) }
}
