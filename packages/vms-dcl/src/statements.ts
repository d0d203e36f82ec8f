import { splitVerb } from './parser'
import { stripComment } from './symbols'

/** The first word of a statement line: its label, verb and the rest (upper case). */
export function statementWord(line: string): {
  label: string | undefined
  verb: string
  rest: string
  text: string
} {
  let text = stripComment(line.replace(/^\s*\$/, '')).trim()
  let label: string | undefined
  const m = /^([A-Za-z0-9_$]+):(?!=)\s*/.exec(text)
  if (m !== null) {
    label = (m[1] as string).toUpperCase()
    text = text.slice(m[0].length)
  }
  const { verb, rest } = splitVerb(text)
  const upper = verb.toUpperCase()
  const full =
    upper.length >= 4 && 'ENDSUBROUTINE'.startsWith(upper)
      ? 'ENDSUBROUTINE'
      : upper.length >= 4 && 'SUBROUTINE'.startsWith(upper)
        ? 'SUBROUTINE'
        : upper.length >= 4 && 'ENDIF'.startsWith(upper)
          ? 'ENDIF'
          : upper
  return {
    label,
    verb: full,
    rest: full === 'SUBROUTINE' ? 'SUBROUTINE' : rest.trim().toUpperCase(),
    text,
  }
}

/** Where `THEN` is in an IF's text (outside quotes, as a word), or -1. */
export function findThen(text: string): number {
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') quoted = !quoted
    if (quoted) continue
    if (
      /^THEN(?![A-Za-z0-9_$])/i.test(text.slice(i, i + 5)) &&
      (i === 0 || /[\s)]/.test(text[i - 1] as string))
    )
      return i
  }
  return -1
}

/** A word, quoted or not, from the start of `text`. */
export function readWord(text: string): { value: string; end: number } {
  let i = 0
  let value = ''
  while (i < text.length && !/\s/.test(text[i] as string)) {
    if (text[i] === '"') {
      i++
      while (i < text.length) {
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
      continue
    }
    value += text[i]
    i++
  }
  return { value, end: i }
}

/**
 * The parameters of `@file` or CALL: blank-separated, unquoted ones upper-cased, quoted
 * ones as they are (quotes removed).
 */
export function readParameters(text: string): string[] {
  const params: string[] = []
  let rest = text.trim()
  while (rest !== '') {
    const quoted = rest.startsWith('"')
    const { value, end } = readWord(rest)
    params.push(quoted ? value : value.toUpperCase())
    rest = rest.slice(end).trim()
  }
  return params
}

/**
 * The value of `:=`: unquoted parts upper-cased with runs of blanks made one, quoted
 * parts as they are (DCL Dictionary, "String assignment").
 */
export function stringAssignment(text: string): string {
  return text
    .trim()
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) =>
      i % 2 === 1
        ? part.slice(1, -1).replaceAll('""', '"')
        : part.toUpperCase().replace(/[ \t]+/g, ' '),
    )
    .join('')
}
