import { type DclValue, toInteger, toText } from './expression'
import { CLI, DclError, messageText } from './messages'
import type { ItemValue } from './types'

/** What the lexical functions need from the interpreter and its host. */
export interface LexicalEnvironment {
  now(): Date
  getjpi(pid: string, item: string): ItemValue | undefined
  getsyi(item: string): ItemValue | undefined
  translate(name: string, table?: string): string | undefined
  /** F$SEARCH: the next file a spec names (a stream per spec), or '' at the end. */
  search(spec: string, stream: number): string
  /** F$MODE: INTERACTIVE, BATCH, NETWORK or OTHER. */
  mode(): string
  /** F$TYPE: INTEGER, STRING, or '' for an undefined symbol. */
  symbolType(name: string): string
  /** F$ENVIRONMENT items. */
  environment(item: string): DclValue | undefined
}

const MONTHS = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
] as const
const WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** An absolute time as VMS shows it: ` 9-NOV-2026 14:05:33.07` (day padded with a blank). */
export function formatAbsoluteTime(date: Date): string {
  return `${String(date.getUTCDate()).padStart(2, ' ')}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(Math.floor(date.getUTCMilliseconds() / 10))}`
}

/** The comparison format of F$CVTIME: `2026-11-09 14:05:33.07`. */
function comparisonTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(Math.floor(date.getUTCMilliseconds() / 10))}`
}

/** Reads an absolute time (`dd-MMM-yyyy[:hh:mm:ss.cc]`, or TODAY, YESTERDAY, TOMORROW). */
function parseTime(text: string, now: Date): Date {
  const t = text.trim().toUpperCase()
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  if (t === '') return now
  if (t === 'TODAY') return new Date(midnight)
  if (t === 'YESTERDAY') return new Date(midnight - 86_400_000)
  if (t === 'TOMORROW') return new Date(midnight + 86_400_000)
  const m =
    /^(\d{1,2})-([A-Z]{3})-(\d{4})(?:[: ](\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,2}))?)?)?)?$/.exec(
      t,
    )
  const month = MONTHS.indexOf((m?.[2] ?? '') as (typeof MONTHS)[number])
  if (m === null || month < 0) throw new DclError(CLI.IVKEYW, t)
  const date = new Date(
    Date.UTC(
      Number(m[3]),
      month,
      Number(m[1]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      Number((m[7] ?? '0').padEnd(2, '0')) * 10,
    ),
  )
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[1]))
    throw new DclError(CLI.IVKEYW, t)
  return date
}

type Args = readonly (DclValue | undefined)[]

/** Checks an argument count (INSFPRM below `min`, MAXPARM above `max`). */
function count(args: Args, min: number, max: number, name: string): void {
  const given = args.length
  let needed = 0
  for (let i = 0; i < min; i++) if (args[i] !== undefined) needed++
  if (needed < min) throw new DclError(CLI.INSFPRM, name)
  if (given > max) throw new DclError(CLI.MAXPARM, name)
}

const str = (v: DclValue | undefined) => (v === undefined ? '' : toText(v))
const int = (v: DclValue | undefined) => (v === undefined ? 0 : toInteger(v))

/** F$EDIT's edits (DCL Dictionary, F$EDIT): COLLAPSE, COMPRESS, LOWERCASE, TRIM, UNCOMMENT, UPCASE. */
function edit(text: string, edits: string): string {
  let s = text
  for (const raw of edits.split(',')) {
    const e = raw.trim().toUpperCase()
    const keyword = ['COLLAPSE', 'COMPRESS', 'LOWERCASE', 'TRIM', 'UNCOMMENT', 'UPCASE'].find(
      (k) => e.length > 0 && k.startsWith(e),
    )
    if (keyword === undefined) throw new DclError(CLI.IVKEYW, e)
    // Quoted parts are left alone, as F$EDIT does.
    const outside = (f: (part: string) => string) =>
      s
        .split(/("(?:[^"]|"")*")/)
        .map((part, i) => (i % 2 === 1 ? part : f(part)))
        .join('')
    if (keyword === 'COLLAPSE') s = outside((p) => p.replace(/[ \t]+/g, ''))
    else if (keyword === 'COMPRESS') s = outside((p) => p.replace(/[ \t]+/g, ' '))
    else if (keyword === 'LOWERCASE') s = outside((p) => p.toLowerCase())
    else if (keyword === 'UPCASE') s = outside((p) => p.toUpperCase())
    else if (keyword === 'TRIM') s = s.replace(/^[ \t]+|[ \t]+$/g, '')
    else s = outside((p) => p.replace(/!.*$/, '')).replace(/[ \t]+$/, '')
  }
  return s
}

/**
 * F$CVTIME(time, format, item): format ABSOLUTE or COMPARISON (the default); item
 * DATETIME (the default), DATE, TIME, YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, HUNDREDTH,
 * WEEKDAY.
 */
function cvtime(time: string, format: string, item: string, now: Date): string {
  const d = parseTime(time, now)
  const f = format.trim().toUpperCase() || 'COMPARISON'
  if (f !== 'ABSOLUTE' && f !== 'COMPARISON') throw new DclError(CLI.IVKEYW, f)
  const absolute = f === 'ABSOLUTE'
  const full = absolute ? formatAbsoluteTime(d).trim() : comparisonTime(d)
  const [datePart = '', timePart = ''] = full.split(' ')
  switch (item.trim().toUpperCase() || 'DATETIME') {
    case 'DATETIME':
      return full
    case 'DATE':
      return datePart
    case 'TIME':
      return timePart
    case 'YEAR':
      return String(d.getUTCFullYear())
    case 'MONTH':
      return absolute ? (MONTHS[d.getUTCMonth()] as string) : pad(d.getUTCMonth() + 1)
    case 'DAY':
      return pad(d.getUTCDate())
    case 'HOUR':
      return pad(d.getUTCHours())
    case 'MINUTE':
      return pad(d.getUTCMinutes())
    case 'SECOND':
      return pad(d.getUTCSeconds())
    case 'HUNDREDTH':
      return pad(Math.floor(d.getUTCMilliseconds() / 10))
    case 'WEEKDAY':
      return WEEKDAYS[d.getUTCDay()] as string
    default:
      throw new DclError(CLI.IVKEYW, item.toUpperCase())
  }
}

/**
 * The lexical functions (DCL Dictionary, "Lexical functions"): F$LENGTH, F$EXTRACT,
 * F$LOCATE, F$ELEMENT, F$STRING, F$INTEGER, F$EDIT, F$TIME, F$CVTIME, F$GETJPI, F$GETSYI,
 * F$TRNLNM, F$SEARCH, F$MODE, F$MESSAGE, F$TYPE, F$ENVIRONMENT. An unknown function is
 * CLI$_IVKEYW; a bad item CLI$_IVKEYW; missing arguments CLI$_INSFPRM.
 */
export function callLexical(name: string, args: Args, env: LexicalEnvironment): DclValue {
  switch (name) {
    case 'F$LENGTH':
      count(args, 1, 1, name)
      return str(args[0]).length
    case 'F$EXTRACT': {
      count(args, 3, 3, name)
      const start = int(args[0])
      const length = int(args[1])
      if (start < 0 || length < 0) throw new DclError(CLI.IVCHAR, name)
      return str(args[2]).slice(start, start + length)
    }
    case 'F$LOCATE': {
      count(args, 2, 2, name)
      const s = str(args[1])
      const at = s.indexOf(str(args[0]))
      return at < 0 ? s.length : at
    }
    case 'F$ELEMENT': {
      count(args, 3, 3, name)
      const n = int(args[0])
      const delimiter = str(args[1])
      if (n < 0 || delimiter.length !== 1) throw new DclError(CLI.IVCHAR, name)
      return str(args[2]).split(delimiter)[n] ?? delimiter
    }
    case 'F$STRING':
      count(args, 1, 1, name)
      return str(args[0])
    case 'F$INTEGER':
      count(args, 1, 1, name)
      return int(args[0])
    case 'F$EDIT':
      count(args, 2, 2, name)
      return edit(str(args[0]), str(args[1]))
    case 'F$TIME':
      count(args, 0, 0, name)
      return formatAbsoluteTime(env.now())
    case 'F$CVTIME':
      count(args, 0, 3, name)
      return cvtime(str(args[0]), str(args[1]), str(args[2]), env.now())
    case 'F$GETJPI': {
      count(args, 2, 2, name)
      const item = str(args[1]).toUpperCase()
      const value = env.getjpi(str(args[0]), item)
      if (value === undefined) throw new DclError(CLI.IVKEYW, item)
      return value
    }
    case 'F$GETSYI': {
      count(args, 1, 1, name)
      const item = str(args[0]).toUpperCase()
      const value = env.getsyi(item)
      if (value === undefined) throw new DclError(CLI.IVKEYW, item)
      return value
    }
    case 'F$TRNLNM': {
      count(args, 1, 2, name)
      const table = args[1] === undefined ? undefined : str(args[1]).toUpperCase()
      return env.translate(str(args[0]).toUpperCase().replace(/:$/, ''), table) ?? ''
    }
    case 'F$SEARCH':
      count(args, 1, 2, name)
      return env.search(str(args[0]), int(args[1]))
    case 'F$MODE':
      count(args, 0, 0, name)
      return env.mode()
    case 'F$MESSAGE':
      count(args, 1, 1, name)
      return messageText(int(args[0]))
    case 'F$TYPE':
      count(args, 1, 1, name)
      return env.symbolType(str(args[0]))
    case 'F$ENVIRONMENT': {
      count(args, 1, 1, name)
      const item = str(args[0]).toUpperCase()
      const value = env.environment(item)
      if (value === undefined) throw new DclError(CLI.IVKEYW, item)
      return value
    }
    default:
      throw new DclError(CLI.IVKEYW, name)
  }
}
