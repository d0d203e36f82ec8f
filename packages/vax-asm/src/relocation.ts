import { type Expr, SourceError } from './expression'

/**
 * What a value is relative to: a sum of psect bases and external symbols, each with a
 * coefficient (`psect:NAME` or `symbol:NAME` keys). Empty: an absolute value. A value
 * the linker can relocate has one base with coefficient 1 (VAX MACRO "Relocatable and
 * absolute expressions").
 */
export type Terms = ReadonlyMap<string, number>

export const ABSOLUTE: Terms = new Map()

function combine(a: Terms, b: Terms, sign: number): Terms {
  if (b.size === 0) return a
  const out = new Map(a)
  for (const [key, coefficient] of b) {
    const sum = (out.get(key) ?? 0) + sign * coefficient
    if (sum === 0) out.delete(key)
    else out.set(key, sum)
  }
  return out
}

/**
 * The terms of an expression: + and - combine them, unary minus negates, and every
 * other operator needs absolute operands (else a SourceError: the linker does only
 * simple relocation). `location` is the terms of `.`.
 */
export function termsOf(expr: Expr, symbol: (name: string) => Terms, location: Terms): Terms {
  switch (expr.kind) {
    case 'number':
      return ABSOLUTE
    case 'location':
      return location
    case 'symbol':
      return symbol(expr.name)
    case 'unary': {
      const t = termsOf(expr.operand, symbol, location)
      if (expr.op === '+' || t.size === 0) return t
      if (expr.op === '-') return combine(ABSOLUTE, t, -1)
      throw new SourceError('^C of a relocatable value', 0)
    }
    case 'binary': {
      const left = termsOf(expr.left, symbol, location)
      const right = termsOf(expr.right, symbol, location)
      if (expr.op === '+') return combine(left, right, 1)
      if (expr.op === '-') return combine(left, right, -1)
      if (left.size > 0 || right.size > 0)
        throw new SourceError(`operator ${expr.op} on a relocatable value`, 0)
      return ABSOLUTE
    }
  }
}

/** The one base a relocatable value is relative to; SourceError when not simple. */
export function singleBase(terms: Terms): string | undefined {
  if (terms.size === 0) return undefined
  const [entry] = terms
  if (terms.size > 1 || entry === undefined || entry[1] !== 1)
    throw new SourceError('a value relative to more than one base cannot be relocated', 0)
  return entry[0]
}
