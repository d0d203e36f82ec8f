import { ServiceFault, SS, type Status } from '@vms/contracts'
import { type FaoCount, type FaoDirective, NUMERIC_CODE, parseControl, takes } from './directives'
import { asciiTime } from './time'

/** The memory string and quadword parameters point into (a GuestAccess will do). */
export interface FaoMemory {
  /** Reads bytes; throws ServiceFault(SS$_ACCVIO) where the caller may not read. */
  read(va: number, length: number): Uint8Array
}

/**
 * The directive parameters: a list of longwords ($FAO's p1...p17; missing ones are 0), or
 * a function giving the i-th (0-based), which may throw ServiceFault ($FAOL's list in
 * the caller's memory).
 */
export type FaoParameters = readonly number[] | ((index: number) => number)

export interface FaoOptions {
  /** Memory for `!AC !AD !AF !AS !AZ`, quadwords and times; none: those give SS$_ACCVIO. */
  readonly memory?: FaoMemory
  /** The output buffer's length: longer output is cut, with SS$_BUFFEROVF (default 65535). */
  readonly bufferLength?: number
  /** The current system time, for `!%D` and `!%T` with a 0 parameter (default 0). */
  readonly now?: () => bigint
  /** The name of an identifier for `!%I`; undefined: the numeric form. */
  readonly identifier?: (id: number) => string | undefined
}

/** What $FAO produced: the status, the (possibly cut) text, and the parameters used. */
export interface FaoResult {
  readonly status: Status
  /** The output, one character per byte (Latin-1). Empty when the status is an error. */
  readonly text: string
  /** How far into the parameters the directives went. */
  readonly parametersUsed: number
}

/** The longest output a $FAO buffer (a word length) can hold. */
export const MAX_OUTPUT = 0xffff

const DEFAULT_DIGITS: Record<string, Record<string, number>> = {
  X: { B: 2, W: 4, L: 8, Q: 16 },
  O: { B: 3, W: 6, L: 11, Q: 22 },
}
const BITS: Record<string, bigint> = { B: 8n, W: 16n, L: 32n, Q: 64n }

const noMemory: FaoMemory = {
  read: () => {
    throw new ServiceFault(SS.ACCVIO)
  },
}

/** An open fixed-length field `!n<`: where it starts in the output and its length. */
interface Field {
  readonly start: number
  readonly length: number
  /** The output may not grow past this while the field is open. */
  readonly cap: number
  /** Whether `cap` is the end of the buffer (output stopped there overflows it). */
  readonly limited: boolean
}

/**
 * Formatted ASCII output, $FAO (System Services Reference Manual, $FAO; book 29.5.2): the
 * control string's text copied, its directives replaced by their conversions of the
 * parameters. Statuses: SS$_NORMAL; SS$_BUFFEROVF (success) with the output cut to
 * `bufferLength`; SS$_BADPARAM for an invalid directive; SS$_ACCVIO when a string,
 * quadword or parameter cannot be read; SS$_IVTIME for a `!%D`/`!%T` time out of range.
 *
 * Field lengths follow the manual's table "$FAO Output Field Lengths and Fill
 * Characters": hexadecimal and octal are zero-filled to their default length, then
 * blank-filled to a longer field or cut on the left for a shorter one; decimal is
 * blank-filled (zero-filled for `!Z`) to a longer field and all asterisks in a shorter
 * one; strings are blank-filled on the right or cut on the right.
 */
export function fao(
  control: string,
  parameters: FaoParameters,
  options: FaoOptions = {},
): FaoResult {
  const tokens = parseControl(control)
  if (tokens === undefined) return { status: SS.BADPARAM, text: '', parametersUsed: 0 }
  const run = new FaoRun(parameters, options)
  try {
    for (const token of tokens) {
      if (token.kind === 'text') run.literal(token.text)
      else run.directive(token)
      if (run.failed !== undefined || run.full) break
    }
  } catch (error) {
    if (!(error instanceof ServiceFault)) throw error
    return { status: error.status, text: '', parametersUsed: run.next }
  }
  if (run.failed !== undefined) return { status: run.failed, text: '', parametersUsed: run.next }
  const limit = Math.min(options.bufferLength ?? MAX_OUTPUT, MAX_OUTPUT)
  const overflow = run.out.length > limit
  return {
    status: overflow ? SS.BUFFEROVF : SS.NORMAL,
    text: overflow ? run.out.slice(0, limit) : run.out,
    parametersUsed: run.next,
  }
}

/** The state of one $FAO call as it walks the directives. */
class FaoRun {
  out = ''
  /** The index of the next parameter. */
  next = 0
  failed: Status | undefined
  /** The most recently converted numeric value, for `!%S` and `!n%C`. */
  private last = 0n
  private readonly fields: Field[] = []
  /** Inside `!n%C` ... `!%F`: whether a branch was taken; whether output is suppressed. */
  private choice: { taken: boolean; skipping: boolean } | undefined
  private readonly memory: FaoMemory
  private readonly limit: number

  constructor(
    private readonly parameters: FaoParameters,
    private readonly options: FaoOptions,
  ) {
    this.memory = options.memory ?? noMemory
    // One character past the buffer shows the overflow; output past that is never kept.
    this.limit = Math.min(options.bufferLength ?? MAX_OUTPUT, MAX_OUTPUT) + 1
  }

  private parameter(): number {
    const i = this.next++
    const p = this.parameters
    return (typeof p === 'function' ? p(i) : p[i]) ?? 0
  }

  private count(value: FaoCount | undefined, otherwise: number): number {
    if (value === undefined) return otherwise
    return value === '#' ? this.parameter() & 0xffff : value
  }

  /** Past the end of the buffer, outside any field: $FAO stops there (SS$_BUFFEROVF). */
  get full(): boolean {
    return this.fields.length === 0 && this.out.length >= this.limit
  }

  /** How many more characters the output can take where it is now. */
  private room(): number {
    return Math.max(0, this.cap() - this.out.length)
  }

  /** Whether what stops the output here is the end of the buffer rather than a field. */
  private limited(): boolean {
    return this.fields[this.fields.length - 1]?.limited ?? true
  }

  private cap(): number {
    return this.fields[this.fields.length - 1]?.cap ?? this.limit
  }

  private emit(text: string): void {
    const room = this.cap() - this.out.length
    if (room > 0) this.out += room >= text.length ? text : text.slice(0, room)
  }

  literal(text: string): void {
    if (this.choice?.skipping !== true) this.emit(text)
  }

  directive(d: FaoDirective): void {
    if (['%C', '%E', '%F'].includes(d.code)) {
      this.choose(d)
      return
    }
    if (this.choice?.skipping === true) return
    const repeat = this.count(d.repeat, 1)
    const length = d.code === '*' ? undefined : this.count(d.length, -1)
    const width = length === undefined || length < 0 ? undefined : length
    switch (d.code) {
      case '<': {
        const end = this.out.length + (width ?? 0)
        const cap = this.cap()
        const limited = this.limited() && cap <= end
        this.fields.push({
          start: this.out.length,
          length: width ?? 0,
          cap: Math.min(cap, end),
          limited,
        })
        return
      }
      case '>': {
        const field = this.fields.pop()
        // A `!>` whose `!n<` was in text a choice skipped.
        if (field === undefined) {
          this.failed = SS.BADPARAM
          return
        }
        this.emit(' '.repeat(Math.max(0, field.start + field.length - this.out.length)))
        return
      }
      case '-':
        this.next = Math.max(0, this.next - 1)
        return
      case '+':
        this.next++
        return
      case '*': {
        const n = this.count(d.length, 1)
        for (let i = 0; i < repeat; i++)
          this.emit((d.char as string).repeat(Math.min(n, this.room())))
        return
      }
    }
    for (let i = 0; i < repeat && this.failed === undefined; i++) {
      // Output that has no room is not made (nor its strings read); its parameters go by.
      if (this.room() === 0) {
        this.next += takes(d.code)
        continue
      }
      const text = this.convert(d.code, width)
      if (text !== undefined) this.emit(text)
    }
  }

  /** `!n%C`, `!%E`, `!%F`: text chosen by the last numeric value. */
  private choose(d: FaoDirective): void {
    if (d.code === '%F') {
      this.choice = undefined
      return
    }
    const state = this.choice ?? { taken: false, skipping: false }
    if (state.taken) {
      this.choice = { taken: true, skipping: true }
      return
    }
    const n = typeof d.length === 'number' ? BigInt(d.length) : 0n
    const match = d.code === '%E' || this.last === n
    this.choice = { taken: match, skipping: !match }
  }

  /** One conversion; undefined after setting `failed`. */
  private convert(code: string, width: number | undefined): string | undefined {
    if (NUMERIC_CODE.test(code)) return this.number(code, width)
    switch (code) {
      case '/':
        return '\r\n'
      case '_':
        return '\t'
      case '^':
        return '\f'
      case '!':
        return '!'
      case '%S': {
        const before = this.out.charCodeAt(this.out.length - 1)
        const s = before >= 0x41 && before <= 0x5a ? 'S' : 's'
        return fit(this.last === 1n ? '' : s, width)
      }
      case '%U':
        return fit(uic(this.parameter()), width)
      case '%I': {
        const id = this.parameter()
        return fit(this.options.identifier?.(id >>> 0) ?? identifier(id), width)
      }
      case '%T':
      case '%D': {
        const address = this.parameter()
        const time = address === 0 ? (this.options.now?.() ?? 0n) : this.quadword(address, true)
        const text = asciiTime(time, code === '%T')
        if (text === undefined) this.failed = SS.IVTIME
        return text === undefined ? undefined : fit(text, width)
      }
    }
    return fit(this.string(code), width)
  }

  private string(code: string): string {
    if (code === 'AD' || code === 'AF') {
      const length = this.parameter() & 0xffff
      const text = this.chars(this.parameter() >>> 0, length)
      return code === 'AF' ? text.replace(/[^\x20-\x7e\xa0-\xfe]/g, '.') : text
    }
    const address = this.parameter() >>> 0
    if (code === 'AC') {
      const length = this.memory.read(address, 1)[0] as number
      return this.chars(address + 1, length)
    }
    if (code === 'AS') {
      const d = this.memory.read(address, 8)
      const view = new DataView(d.buffer, d.byteOffset, 8)
      return this.chars(view.getUint32(4, true), view.getUint16(0, true))
    }
    // !AZ: bytes up to a zero byte, read one at a time so nothing past it is touched.
    let text = ''
    for (let va = address; text.length < this.room(); va++) {
      const byte = this.memory.read(va, 1)[0] as number
      if (byte === 0) break
      text += String.fromCharCode(byte)
    }
    return text
  }

  /**
   * The characters of a string that can still be placed; those past the end of the
   * buffer are not read, a blank standing in for them so that the overflow shows.
   */
  private chars(va: number, length: number): string {
    const limited = this.limited()
    const n = Math.min(length, limited ? Math.max(0, this.room() - 1) : this.room())
    const text = n === 0 ? '' : latin1(this.memory.read(va, n))
    return limited && n < length ? `${text} ` : text
  }

  private quadword(address: number, signed: boolean): bigint {
    const b = this.memory.read(address >>> 0, 8)
    const view = new DataView(b.buffer, b.byteOffset, 8)
    return signed ? view.getBigInt64(0, true) : view.getBigUint64(0, true)
  }

  /** `!OB` ... `!SQ`: the parameter (or, for Q, the quadword it points to) converted. */
  private number(code: string, width: number | undefined): string {
    const radix = code[0] as string
    const size = code[1] as string
    const p = this.parameter()
    const raw = size === 'Q' ? this.quadword(p, false) : BigInt(p >>> 0)
    const value =
      radix === 'S'
        ? BigInt.asIntN(Number(BITS[size]), raw)
        : BigInt.asUintN(Number(BITS[size]), raw)
    this.last = value
    if (radix === 'X' || radix === 'O') {
      const digits = value.toString(radix === 'X' ? 16 : 8).toUpperCase()
      const text = digits.padStart(DEFAULT_DIGITS[radix]?.[size] ?? 0, '0')
      if (width === undefined) return text
      return width >= text.length ? text.padStart(width, ' ') : text.slice(text.length - width)
    }
    const text = value.toString()
    if (width === undefined) return text
    if (width < text.length) return '*'.repeat(width)
    return text.padStart(width, radix === 'Z' ? '0' : ' ')
  }
}

/** A string in a field of `width`: blank-filled or cut on the right. */
function fit(text: string, width: number | undefined): string {
  if (width === undefined) return text
  return text.length >= width ? text.slice(0, width) : text.padEnd(width, ' ')
}

function latin1(bytes: Uint8Array): string {
  let text = ''
  for (const b of bytes) text += String.fromCharCode(b)
  return text
}

/** `!%U`: a UIC as `[group,member]`, both octal. */
export function uic(value: number): string {
  return `[${((value >>> 16) & 0xffff).toString(8)},${(value & 0xffff).toString(8)}]`
}

/**
 * `!%I` with no name for the identifier: a UIC (bits 30-31 clear) as `[group,member]`,
 * any other identifier as `%X` and its eight hexadecimal digits.
 */
function identifier(value: number): string {
  if (value >>> 30 === 0) return uic(value)
  return `%X${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`
}
