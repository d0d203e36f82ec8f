/**
 * The $FAO control string (System Services Reference Manual, $FAO, "Directives"): text
 * copied as it is, and directives, each `!` followed by an optional repeat count
 * `n(...)`, an optional output field length, and a one- or two-character code. A count
 * or length may be `#`, taken from the next parameter.
 */

/** A repeat count or field length: a number, or `#` (the next parameter). */
export type FaoCount = number | '#'

/** Text of the control string copied to the output unchanged. */
export interface FaoText {
  readonly kind: 'text'
  readonly text: string
}

/** One directive: `!n(lengthCODE)`. */
export interface FaoDirective {
  readonly kind: 'directive'
  /** `AS`, `UL`, `%D`, `/`, `<`, `*` ... */
  readonly code: string
  readonly repeat: FaoCount | undefined
  /** The output field length; for `!n%C` the value n, for `!n*c` the count n. */
  readonly length: FaoCount | undefined
  /** The character `!n*c` repeats. */
  readonly char: string | undefined
}

export type FaoToken = FaoText | FaoDirective

/** Directives with no code letter after them. */
const SINGLE = new Set(['/', '_', '^', '!', '-', '+', '<', '>'])
/** `%` directives: plural, time, date, UIC, identifier, choice. */
const PERCENT = new Set(['S', 'T', 'D', 'U', 'I', 'C', 'E', 'F'])
/** Directives a repeat count may not apply to (they shape the output, not fill it). */
const UNREPEATABLE = new Set(['<', '>', '%C', '%E', '%F', '-', '+'])

/** Numeric codes: radix letter then size letter (byte, word, longword, quadword). */
export const NUMERIC_CODE = /^[OXZUS][BWLQ]$/
/** String codes: counted, length-and-address, filtered, descriptor, zero-terminated. */
export const STRING_CODE = /^A[CDFSZ]$/

function parseCount(control: string, at: number): { value: FaoCount | undefined; end: number } {
  if (control[at] === '#') return { value: '#', end: at + 1 }
  let end = at
  while (end < control.length && /[0-9]/.test(control[end] as string)) end++
  if (end === at) return { value: undefined, end }
  return { value: Math.min(Number(control.slice(at, end)), 0xffff), end }
}

function parseCode(control: string, at: number): { code: string; end: number } | undefined {
  const first = control[at]
  if (first === undefined) return undefined
  if (SINGLE.has(first) || first === '*') return { code: first, end: at + 1 }
  const second = control[at + 1]
  if (second === undefined) return undefined
  const code = first + second
  if (first === '%' && PERCENT.has(second)) return { code, end: at + 2 }
  if (STRING_CODE.test(code) || NUMERIC_CODE.test(code)) return { code, end: at + 2 }
  return undefined
}

/**
 * Splits a control string into text and directives; undefined for an invalid directive
 * (SS$_BADPARAM): an unknown or lowercase code, a repeat count without its `)`, a
 * repeat count on `!<`, `!>`, `!-`, `!+` or a choice, or fixed fields (`!n<` ... `!>`)
 * that do not pair up.
 */
export function parseControl(control: string): FaoToken[] | undefined {
  const tokens: FaoToken[] = []
  let text = ''
  let open = 0
  for (let at = 0; at < control.length; ) {
    const bang = control.indexOf('!', at)
    if (bang < 0) {
      text += control.slice(at)
      break
    }
    text += control.slice(at, bang)
    let p = bang + 1
    let repeat: FaoCount | undefined
    const first = parseCount(control, p)
    if (first.value !== undefined && control[first.end] === '(') {
      repeat = first.value
      p = first.end + 1
    }
    const length = parseCount(control, p)
    const code = parseCode(control, length.end)
    if (code === undefined) return undefined
    p = code.end
    let char: string | undefined
    if (code.code === '*') {
      char = control[p]
      if (char === undefined) return undefined
      p++
    }
    if (repeat !== undefined) {
      if (control[p] !== ')' || UNREPEATABLE.has(code.code)) return undefined
      p++
    }
    if (code.code === '<') open++
    if (code.code === '>' && --open < 0) return undefined
    if (text !== '') tokens.push({ kind: 'text', text })
    text = ''
    tokens.push({ kind: 'directive', code: code.code, repeat, length: length.value, char })
    at = p
  }
  if (open !== 0) return undefined
  if (text !== '') tokens.push({ kind: 'text', text })
  return tokens
}

/**
 * How many parameters a control string's directives take, counting `#` counts and the
 * two of `!AD` (the message argument count $GETMSG returns); 0 for a bad control string.
 */
export function parameterCount(control: string): number {
  const tokens = parseControl(control)
  if (tokens === undefined) return 0
  let n = 0
  for (const t of tokens) {
    if (t.kind === 'text') continue
    const repeat = typeof t.repeat === 'number' ? t.repeat : 1
    if (t.repeat === '#') n++
    if (t.length === '#') n++
    n += repeat * takes(t.code)
    if (t.code === '-') n--
    if (t.code === '+') n++
  }
  return Math.max(n, 0)
}

/** Parameters one application of a directive takes. */
export function takes(code: string): number {
  if (code === 'AD' || code === 'AF') return 2
  if (STRING_CODE.test(code) || NUMERIC_CODE.test(code)) return 1
  return ['%T', '%D', '%U', '%I'].includes(code) ? 1 : 0
}
