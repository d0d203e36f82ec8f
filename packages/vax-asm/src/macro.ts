import { SourceError } from './expression'
import { joinContinuations, lineWord, stripComment } from './line'

/**
 * Macro definitions, arguments and substitution (VAX MACRO Reference Manual, chapter
 * "Macro Arguments and String Operators" and the .MACRO directive).
 */

/** One formal argument: `name`, `name=default`, or `?name` (a created local label). */
export interface Formal {
  readonly name: string
  readonly default: string | undefined
  readonly created: boolean
}

/** A macro: its formal arguments and body lines, as written between .MACRO and .ENDM. */
export interface MacroDefinition {
  readonly name: string
  readonly formals: readonly Formal[]
  readonly body: readonly string[]
}

const SYMBOL = /^[A-Za-z_$.%][\w$.%]*$/
const SYMBOL_START = /[A-Za-z_$.%]/
const SYMBOL_CHAR = /[\w$.%]/

/**
 * Splits macro arguments at commas outside <...> and ^/.../; each piece keeps its
 * offset. A delimited argument (<a,b> or ^/a,b/) is given without its delimiters.
 */
export function splitArguments(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = []
  if (text.trim() === '') return out
  let i = 0
  let start = 0
  let piece = ''
  const flush = () => {
    out.push({ text: piece.trim(), offset: start })
    piece = ''
  }
  while (i < text.length) {
    const c = text[i] as string
    if (c === ',') {
      flush()
      start = ++i
    } else if (c === '<' && piece.trim() === '') {
      let depth = 1
      let k = i + 1
      while (k < text.length && depth > 0) {
        if (text[k] === '<') depth++
        else if (text[k] === '>') depth--
        k++
      }
      if (depth > 0) throw new SourceError("'>' expected to close the argument", i)
      piece += text.slice(i + 1, k - 1)
      i = k
    } else if (c === '^' && piece.trim() === '' && /[^\w\s<]/.test(text[i + 1] ?? 'x')) {
      const delimiter = text[i + 1] as string
      const close = text.indexOf(delimiter, i + 2)
      if (close < 0) throw new SourceError(`unterminated argument (delimiter ${delimiter})`, i)
      piece += text.slice(i + 2, close)
      i = close + 1
    } else {
      piece += c
      i++
    }
  }
  flush()
  return out
}

/** Parses `name formal, formal=default, ?label` after .MACRO. */
export function parseMacroHeader(text: string): { name: string; formals: Formal[] } {
  const m = /^\s*([A-Za-z_$.%][\w$.%]*)\s*,?([\s\S]*)$/.exec(text)
  if (!m) throw new SourceError('.MACRO takes a macro name', 0)
  const name = (m[1] as string).toUpperCase()
  const formals: Formal[] = []
  const rest = m[2] as string
  const offset = text.length - rest.length
  for (const piece of splitFormals(rest)) {
    const created = piece.text.startsWith('?')
    const body = created ? piece.text.slice(1) : piece.text
    const eq = body.indexOf('=')
    const formal = (eq < 0 ? body : body.slice(0, eq)).trim().toUpperCase()
    if (!SYMBOL.test(formal))
      throw new SourceError(`'${piece.text}' is not a formal argument`, offset + piece.offset)
    if (formals.some((f) => f.name === formal))
      throw new SourceError(`formal argument ${formal} given twice`, offset + piece.offset)
    const value = eq < 0 ? undefined : stripDelimiters(body.slice(eq + 1).trim())
    formals.push({ name: formal, default: value, created })
  }
  return { name, formals }
}

/** Formals are separated by commas (a default may be <delimited>). */
function splitFormals(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i <= text.length; i++) {
    const c = text[i]
    if (c === '<') depth++
    else if (c === '>') depth = Math.max(0, depth - 1)
    else if ((c === ',' && depth === 0) || c === undefined) {
      const piece = text.slice(start, i)
      if (piece.trim() !== '' || c === ',')
        out.push({ text: piece.trim(), offset: start + piece.length - piece.trimStart().length })
      start = i + 1
    }
  }
  return out
}

function stripDelimiters(text: string): string {
  if (text.startsWith('<') && text.endsWith('>')) return text.slice(1, -1)
  return text
}

/** Actual arguments bound to the formal names, and how many were given by position. */
export interface Binding {
  readonly values: Map<string, string>
  readonly positional: number
}

/**
 * Binds a macro call's arguments (VAX MACRO "Positional and keyword arguments",
 * "Default values", "Created local labels"): positional ones in order, `KEY=value` by
 * name, a missing one takes its default (or nothing), and a missing `?name` one a
 * created local label from `createLabel`. `passValue` gives `\expr` its value.
 */
export function bindArguments(
  def: MacroDefinition,
  text: string,
  createLabel: () => string,
  passValue: (expr: string) => number,
): Binding {
  const values = new Map<string, string>()
  let positional = 0
  for (const piece of splitArguments(text)) {
    const keyword = /^([A-Za-z_$.%][\w$.%]*)\s*=([\s\S]*)$/.exec(piece.text)
    const formal = keyword && def.formals.find((f) => f.name === keyword[1]?.toUpperCase())
    if (keyword && formal) {
      values.set(formal.name, argumentValue((keyword[2] as string).trim(), passValue))
      continue
    }
    const target = def.formals[positional]
    if (target === undefined)
      throw new SourceError(
        `macro ${def.name} takes ${def.formals.length} argument(s)`,
        piece.offset,
      )
    positional++
    if (piece.text !== '' || !values.has(target.name))
      values.set(target.name, argumentValue(piece.text, passValue))
  }
  for (const formal of def.formals) {
    const given = values.get(formal.name)
    if (given !== undefined && given !== '') continue
    if (formal.created) values.set(formal.name, createLabel())
    else values.set(formal.name, given ?? formal.default ?? '')
  }
  return { values, positional }
}

/** `\expr` passes the value of expr as a decimal number (VAX MACRO "Passing numeric values"). */
function argumentValue(text: string, passValue: (expr: string) => number): string {
  const stripped = stripDelimiters(text)
  return stripped.startsWith('\\') ? String(passValue(stripped.slice(1))) : stripped
}

/**
 * Replaces each formal argument named in `line` by its value. A formal is a whole
 * symbol; an apostrophe next to it is the concatenation operator and is removed
 * (VAX MACRO "Argument concatenation").
 */
export function substitute(line: string, values: ReadonlyMap<string, string>): string {
  if (values.size === 0) return line
  let out = ''
  let i = 0
  while (i < line.length) {
    const c = line[i] as string
    if (SYMBOL_START.test(c) && (i === 0 || !SYMBOL_CHAR.test(line[i - 1] as string))) {
      let end = i + 1
      while (end < line.length && SYMBOL_CHAR.test(line[end] as string)) end++
      const value = values.get(line.slice(i, end).toUpperCase())
      if (value === undefined) {
        out += line.slice(i, end)
      } else {
        if (out.endsWith("'")) out = out.slice(0, -1)
        out += value
        if (line[end] === "'") end++
      }
      i = end
    } else if (/\d/.test(c)) {
      // A number or local label (10$): not a symbol, not substituted.
      let end = i + 1
      while (end < line.length && SYMBOL_CHAR.test(line[end] as string)) end++
      out += line.slice(i, end)
      i = end
    } else {
      out += c
      i++
    }
  }
  return out
}

/**
 * The .MACRO definitions of a macro library (plain text; comments and blank lines
 * between definitions are allowed). Throws SourceError (column 0) naming the library
 * line of anything else.
 */
export function parseLibrary(text: string): Map<string, MacroDefinition> {
  const out = new Map<string, MacroDefinition>()
  const lines = joinContinuations(text.split(/\r?\n/))
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const word = lineWord(line)
    if (word === '' && stripComment(line).trim() === '') continue
    if (word !== '.MACRO') throw new SourceError(`line ${i + 1}: not inside a .MACRO definition`, 0)
    const args = stripComment(line).replace(/^\s*\.MACRO\b/i, '')
    const header = parseMacroHeader(args)
    const body: string[] = []
    let depth = 1
    for (i++; ; i++) {
      const inner = lines[i]
      if (inner === undefined)
        throw new SourceError(`line ${i}: .MACRO ${header.name} without .ENDM`, 0)
      const w = lineWord(inner)
      if (w === '.MACRO') depth++
      else if (w === '.ENDM' && --depth === 0) break
      body.push(inner)
    }
    out.set(header.name, { ...header, body })
  }
  return out
}
