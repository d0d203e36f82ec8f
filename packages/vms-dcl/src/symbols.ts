import type { DclValue } from './expression'
import { CLI, DclError } from './messages'

/** A symbol: its value, and for an abbreviated one (`DIR*ECTORY`) the least length to type. */
interface Symbol {
  readonly value: DclValue
  readonly minimum: number
  readonly full: string
}

/** The longest symbol name DCL takes (255 characters). */
export const MAX_SYMBOL_NAME = 255

/** The longest command line after substitution (CLI$_BUFOVF beyond), and the longest value. */
export const MAX_LINE = 8192

/** The most symbols one table holds (CLI$_SYMOVF beyond): untrusted procedures stay bounded. */
export const MAX_SYMBOLS = 65536

/**
 * A symbol table (DCL Dictionary, "Symbols"): names of letters, digits, `_` and `$`,
 * starting with a letter, `_` or `$`; an abbreviated definition `NAME*REST` answers to
 * any prefix at least as long as the part before the `*`.
 */
export class SymbolTable {
  private readonly symbols = new Map<string, Symbol>()

  /** Defines a symbol; the name may contain one `*` (an abbreviation). */
  set(name: string, value: DclValue): void {
    const upper = name.toUpperCase()
    const star = upper.indexOf('*')
    const full = upper.replace('*', '')
    if (!isSymbolName(full) || upper.indexOf('*', star + 1) >= 0)
      throw new DclError(CLI.IVSYMB, upper)
    if (typeof value === 'string' && value.length > MAX_LINE) throw new DclError(CLI.BUFOVF)
    if (!this.symbols.has(full) && this.symbols.size >= MAX_SYMBOLS) throw new DclError(CLI.SYMOVF)
    this.symbols.set(full, { value, minimum: star < 0 ? full.length : star, full })
  }

  get(name: string): DclValue | undefined {
    const upper = name.toUpperCase()
    const exact = this.symbols.get(upper)
    if (exact !== undefined) return exact.value
    for (const s of this.symbols.values())
      if (s.minimum < s.full.length && upper.length >= s.minimum && s.full.startsWith(upper))
        return s.value
    return undefined
  }

  delete(name: string): boolean {
    return this.symbols.delete(name.toUpperCase())
  }

  clear(): void {
    this.symbols.clear()
  }

  /** Every symbol, sorted by name (SHOW SYMBOL/ALL). */
  entries(): [string, DclValue][] {
    return [...this.symbols.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([n, s]) => [n, s.value])
  }

  get size(): number {
    return this.symbols.size
  }
}

/** True for a valid symbol name. */
export function isSymbolName(name: string): boolean {
  return (
    name.length > 0 && name.length <= MAX_SYMBOL_NAME && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)
  )
}

/**
 * Apostrophe substitution (DCL Dictionary, "Symbol substitution", phase 1): outside quotes
 * `'NAME'` (the closing apostrophe may be left off at a blank), inside quotes `''NAME'`,
 * is replaced by the symbol's value; an undefined symbol gives the null string. A
 * `'F$...(...)'` in apostrophes is evaluated. Substitution repeats on the result until
 * no apostrophe names remain (at most `limit` times, so a symbol that names itself ends).
 */
export function substituteApostrophes(
  line: string,
  value: (name: string) => string,
  evaluate: (expression: string) => string,
  limit = 16,
): string {
  let text = line
  for (let pass = 0; pass < limit; pass++) {
    const next = substituteOnce(text, value, evaluate)
    if (next.length > MAX_LINE) throw new DclError(CLI.BUFOVF)
    if (next === text) return next
    text = next
  }
  return text
}

function substituteOnce(
  line: string,
  value: (name: string) => string,
  evaluate: (expression: string) => string,
): string {
  let out = ''
  let quoted = false
  let i = 0
  while (i < line.length) {
    const c = line[i] as string
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        out += '""'
        i += 2
        continue
      }
      quoted = !quoted
      out += c
      i++
      continue
    }
    if (c === '!' && !quoted) {
      out += line.slice(i)
      break
    }
    if (c === "'") {
      const inQuotes = quoted
      if (inQuotes && line[i + 1] !== "'") {
        out += c
        i++
        continue
      }
      const start = i + (inQuotes ? 2 : 1)
      if (/^[Ff]\$[A-Za-z]+\(/.test(line.slice(start))) {
        // A lexical function in apostrophes: up to the matching parenthesis, then "'".
        let depth = 0
        let j = start
        let q = false
        for (; j < line.length; j++) {
          const d = line[j]
          if (d === '"') q = !q
          else if (!q && d === '(') depth++
          else if (!q && d === ')') {
            depth--
            if (depth === 0) break
          }
        }
        if (line[j + 1] === "'") {
          out += evaluate(line.slice(start, j + 1))
          i = j + 2
          continue
        }
      }
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(line.slice(start))
      if (m !== null) {
        const end = start + m[0].length
        if (line[end] === "'") {
          out += value(m[0])
          i = end + 1
          continue
        }
        if (!inQuotes && (end === line.length || /[\s,/]/.test(line[end] as string))) {
          out += value(m[0])
          i = end
          continue
        }
      }
      out += c
      i++
      continue
    }
    out += c
    i++
  }
  return out
}

/**
 * Ampersand substitution (phase 3): outside quotes `&NAME` is replaced by the symbol's
 * value; an undefined symbol is CLI$_UNDSYM.
 */
export function substituteAmpersands(
  line: string,
  value: (name: string) => string | undefined,
): string {
  let out = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (c === '"') quoted = !quoted
    if (c === '&' && !quoted) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(line.slice(i + 1))
      if (m !== null) {
        const v = value(m[0])
        if (v === undefined) throw new DclError(CLI.UNDSYM, m[0].toUpperCase())
        out += v
        if (out.length > MAX_LINE) throw new DclError(CLI.BUFOVF)
        i += m[0].length
        continue
      }
    }
    out += c
  }
  return out
}

/** Removes a comment (`!` outside quotes) and trailing blanks. */
export function stripComment(line: string): string {
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '"') quoted = !quoted
    else if (c === '!' && !quoted) return line.slice(0, i).trimEnd()
  }
  return line.trimEnd()
}
