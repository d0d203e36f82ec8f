import { SourceError } from './expression'
import { splitArguments } from './macro'

/**
 * Conditional assembly (VAX MACRO Reference Manual, .IF and .IIF): the condition
 * names, short and long, and how each tests its argument(s).
 */
const CONDITIONS = new Map<string, string>([
  ['EQ', 'EQ'],
  ['EQUAL', 'EQ'],
  ['NE', 'NE'],
  ['NOT_EQUAL', 'NE'],
  ['GT', 'GT'],
  ['GREATER', 'GT'],
  ['LT', 'LT'],
  ['LESS_THAN', 'LT'],
  ['GE', 'GE'],
  ['GREATER_EQUAL', 'GE'],
  ['LE', 'LE'],
  ['LESS_EQUAL', 'LE'],
  ['DF', 'DF'],
  ['DEFINED', 'DF'],
  ['NDF', 'NDF'],
  ['NOT_DEFINED', 'NDF'],
  ['B', 'B'],
  ['BLANK', 'B'],
  ['NB', 'NB'],
  ['NOT_BLANK', 'NB'],
  ['IDN', 'IDN'],
  ['IDENTICAL', 'IDN'],
  ['DIF', 'DIF'],
  ['DIFFERENT', 'DIF'],
])

/** What a condition needs from the assembler: pass-1 values and defined symbols. */
export interface ConditionContext {
  /** The value of an expression from symbols defined so far (SourceError if unknown). */
  value(expr: string, column: number): number
  defined(name: string): boolean
}

/**
 * Evaluates `condition argument(s)` (the text after .IF, or the condition part of
 * .IIF). Returns the result and, for .IIF, the text after the condition's arguments.
 */
export function evaluateCondition(
  text: string,
  context: ConditionContext,
): { result: boolean; rest: string; restOffset: number } {
  const m = /^\s*([A-Za-z_]+)\s*,?\s*/.exec(text)
  const name = m ? CONDITIONS.get((m[1] as string).toUpperCase()) : undefined
  if (!m || name === undefined) {
    throw new SourceError(
      'condition expected: EQ NE GT LT GE LE DF NDF B NB IDN DIF (or the long names)',
      0,
    )
  }
  const start = m[0].length
  const args = text.slice(start)
  const pieces = splitTopLevel(args)
  const count = name === 'IDN' || name === 'DIF' ? 2 : 1
  const used = pieces.slice(0, count)
  const restPiece = pieces[count]
  const rest = restPiece === undefined ? '' : args.slice(restPiece.offset)
  const restOffset = start + (restPiece?.offset ?? args.length)
  const arg = (k: number) => used[k]?.text ?? ''
  const argument = (k: number) => splitArguments(arg(k))[0]?.text ?? ''
  switch (name) {
    case 'B':
      return { result: argument(0).trim() === '', rest, restOffset }
    case 'NB':
      return { result: argument(0).trim() !== '', rest, restOffset }
    case 'IDN':
    case 'DIF': {
      const same = argument(0).trim().toUpperCase() === argument(1).trim().toUpperCase()
      return { result: name === 'IDN' ? same : !same, rest, restOffset }
    }
    case 'DF':
    case 'NDF': {
      const found = definedList(arg(0), context, start)
      return { result: name === 'DF' ? found : !found, rest, restOffset }
    }
    default: {
      if (arg(0).trim() === '') throw new SourceError(`${name} takes an expression`, start)
      const raw = context.value(arg(0), start + (used[0]?.offset ?? 0))
      // Values are longwords: ^XFFFFFFFF is -1 (less than zero).
      const v = raw >= 2 ** 31 && raw < 2 ** 32 ? raw - 2 ** 32 : raw
      const result =
        name === 'EQ'
          ? v === 0
          : name === 'NE'
            ? v !== 0
            : name === 'GT'
              ? v > 0
              : name === 'LT'
                ? v < 0
                : name === 'GE'
                  ? v >= 0
                  : v <= 0
      return { result, rest, restOffset }
    }
  }
}

/** `A`, `A & B`, `A ! B` for DF/NDF, evaluated left to right. */
function definedList(text: string, context: ConditionContext, column: number): boolean {
  const parts = text.split(/([&!])/)
  let result = true
  let op = '&'
  for (const part of parts) {
    if (part === '&' || part === '!') {
      op = part
      continue
    }
    const name = part.trim().toUpperCase()
    if (!/^[A-Z_$.%][\w$.%]*$/.test(name))
      throw new SourceError(`'${part.trim()}' is not a symbol`, column)
    const found = context.defined(name)
    result = op === '&' ? result && found : result || found
  }
  return result
}

/** Commas outside <>, () and ^/../ split the arguments; each keeps its offset. */
function splitTopLevel(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '<' || c === '(') depth++
    else if (c === '>' || c === ')') depth = Math.max(0, depth - 1)
    else if (c === ',' && depth === 0) {
      out.push({ text: text.slice(start, i), offset: start })
      start = i + 1
    }
  }
  out.push({ text: text.slice(start), offset: start })
  return out
}
