import { binaryTime, MONTHS, type NumericTime, numericTime } from './time'

/** Clock fields in order: hour, minute, second, hundredths. */
type Clock = [number | undefined, number | undefined, number | undefined, number | undefined]

/**
 * The clock part `hh:mm:ss.cc`, each field one or two digits. A field left empty ahead of
 * one that is given is omitted (undefined: its default applies); fields cut off the end,
 * or empty at the end, are 0. Undefined for bad syntax.
 */
function parseClock(text: string | undefined): Clock | undefined {
  if (text === undefined || text === '') return [0, 0, 0, 0]
  const colons = text.split(':')
  if (colons.length > 3) return undefined
  const last = colons[colons.length - 1] as string
  const dot = last.split('.')
  if (dot.length > 2 || (dot.length === 2 && colons.length < 3)) return undefined
  const pieces = [...colons.slice(0, -1), ...dot]
  if (!pieces.every((p) => /^\d{0,2}$/.test(p))) return undefined
  let given = -1
  for (const [i, p] of pieces.entries()) if (p !== '') given = i
  const clock: Clock = [0, 0, 0, 0]
  for (let i = 0; i < 4; i++) {
    const p = pieces[i]
    clock[i] = p === undefined || i > given ? 0 : p === '' ? undefined : Number(p)
  }
  return clock
}

/**
 * $BINTIM's conversion of ASCII text to a binary time (System Services Reference Manual,
 * $BINTIM; book 29.5.1). Leading and trailing blanks are ignored.
 *
 * - An absolute time, `dd-mmm-yyyy hh:mm:ss.cc`, is text with a hyphen. Any field may be
 *   omitted with its punctuation kept (`-- 12:00:00.00` is noon today): an omitted date
 *   field, or the year cut off (`1-JAN`), is taken from the current date (`now`, through
 *   $NUMTIM as the book says), an omitted time field from the current time; time fields
 *   cut off the end are 0, so `1-JAN-1988` is midnight. The month is three letters.
 * - A delta time, `dddd hh:mm:ss.cc`, must give its days (0 for none); omitted or cut-off
 *   time fields are 0 (`0 ::10` is ten seconds). The result is negated.
 *
 * Undefined (SS$_IVTIME) for bad syntax or a field out of range (a day the month lacks,
 * a date before 17-NOV-1858, 10,000 days or more of delta time).
 */
export function parseTime(text: string, now: bigint): bigint | undefined {
  const trimmed = text.replace(/^ +| +$/g, '')
  const blank = trimmed.indexOf(' ')
  const head = blank < 0 ? trimmed : trimmed.slice(0, blank)
  const clock = parseClock(blank < 0 ? undefined : trimmed.slice(blank + 1))
  if (clock === undefined) return undefined
  if (!head.includes('-')) {
    if (!/^\d{1,4}$/.test(head)) return undefined
    const [hour = 0, minute = 0, second = 0, hundredths = 0] = clock
    return binaryTime({ year: 0, month: 0, day: Number(head), hour, minute, second, hundredths })
  }
  const current = numericTime(now)
  if (current === undefined || now < 0n) return undefined
  const date = head.split('-')
  if (date.length > 3) return undefined
  const [dd = '', mmm = '', yyyy = ''] = date
  if (!/^\d{0,2}$/.test(dd) || !/^\d{0,4}$/.test(yyyy)) return undefined
  const month = mmm === '' ? current.month : MONTHS.indexOf(mmm.toUpperCase() as 'JAN') + 1
  if (month === 0) return undefined
  const [hour, minute, second, hundredths] = clock
  const fields: NumericTime = {
    year: yyyy === '' ? current.year : Number(yyyy),
    month,
    day: dd === '' ? current.day : Number(dd),
    hour: hour ?? current.hour,
    minute: minute ?? current.minute,
    second: second ?? current.second,
    hundredths: hundredths ?? current.hundredths,
  }
  // Year 0 would read as a delta time in binaryTime's fields.
  if (fields.year < 1858) return undefined
  return binaryTime(fields)
}
