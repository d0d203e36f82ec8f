/**
 * VMS binary time (book 11.4, "Maintaining the Date and Time"): a signed quadword of
 * 100-nanosecond units. A positive value is an absolute time counted from 00:00 on
 * 17-NOV-1858 (the base of the Smithsonian astronomical calendar); a negative value is a
 * delta time, an interval (System Services Reference Manual, $BINTIM, $NUMTIM).
 */

/** 100 ns units in a second, a day. */
export const TICKS_PER_SECOND = 10_000_000n
export const TICKS_PER_DAY = 86_400n * TICKS_PER_SECOND
const TICKS_PER_HUNDREDTH = 100_000n

/** A delta time must be shorter than 10,000 days ($ASCTIM, $NUMTIM: SS$_IVTIME). */
export const MAX_DELTA_DAYS = 10_000
/** The last year an absolute time may have (the four-digit year field). */
export const MAX_YEAR = 9999

/** The three-letter month names of the ASCII time format, JAN = index 0. */
export const MONTHS = [
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

/**
 * The seven words $NUMTIM writes (System Services Reference Manual, $NUMTIM, timbuf):
 * year, month of year, day of month, hour, minute, second, hundredths. For a delta time
 * the year and month are 0 and `day` is the number of days.
 */
export interface NumericTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly hundredths: number
}

/** True for a delta time (a negative quadword). */
export function isDeltaTime(time: bigint): boolean {
  return time < 0n
}

/** Days from 1-MAR-0000 of the proleptic Gregorian calendar to a civil date. */
function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const m = month <= 2 ? month + 9 : month - 3 // March is month 0 of the shifted year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * m + 2) / 5) + day - 1
  return (
    era * 146_097 +
    yearOfEra * 365 +
    Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100) +
    dayOfYear
  )
}

/** Day 0 of VMS time, 17-NOV-1858. */
const BASE_DAY = dayNumber(1858, 11, 17)

/** The civil date of a day counted from 17-NOV-1858. */
function civilDate(days: number): { year: number; month: number; day: number } {
  const n = days + BASE_DAY
  const era = Math.floor(n / 146_097)
  const dayOfEra = n - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  )
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const m = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * m + 2) / 5) + 1
  const month = m < 10 ? m + 3 : m - 9
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** Days in a month of the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Splits a non-negative interval into days, hours, minutes, seconds and hundredths. */
function split(ticks: bigint): { days: number } & Omit<NumericTime, 'year' | 'month' | 'day'> {
  const days = ticks / TICKS_PER_DAY
  const inDay = ticks % TICKS_PER_DAY
  const hundredths = inDay / TICKS_PER_HUNDREDTH // truncated, as $NUMTIM does
  return {
    days: Number(days),
    hour: Number(hundredths / 360_000n),
    minute: Number((hundredths / 6000n) % 60n),
    second: Number((hundredths / 100n) % 60n),
    hundredths: Number(hundredths % 100n),
  }
}

/**
 * $NUMTIM's conversion: the seven fields of a time, or undefined (SS$_IVTIME) for an
 * absolute time past 31-DEC-9999 or a delta time of 10,000 days or more.
 */
export function numericTime(time: bigint): NumericTime | undefined {
  if (time < 0n) {
    const { days, ...rest } = split(-time)
    if (days >= MAX_DELTA_DAYS) return undefined
    return { year: 0, month: 0, day: days, ...rest }
  }
  const { days, ...rest } = split(time)
  const date = civilDate(days)
  if (date.year > MAX_YEAR) return undefined
  return { ...date, ...rest }
}

/**
 * The binary time of seven fields, checked: an absolute time when `year` is not 0 (from
 * 17-NOV-1858 to 31-DEC-9999), else a delta time of `day` days (less than 10,000), negated.
 * Undefined (SS$_IVTIME) for a field out of range.
 */
export function binaryTime(fields: NumericTime): bigint | undefined {
  const { year, month, day, hour, minute, second, hundredths } = fields
  const inRange = (v: number, high: number) => Number.isInteger(v) && v >= 0 && v <= high
  if (!inRange(hour, 23) || !inRange(minute, 59) || !inRange(second, 59)) return undefined
  if (!inRange(hundredths, 99)) return undefined
  const clock =
    BigInt(((hour * 60 + minute) * 60 + second) * 100 + hundredths) * TICKS_PER_HUNDREDTH
  if (year === 0 && month === 0) {
    if (!inRange(day, MAX_DELTA_DAYS - 1)) return undefined
    return -(BigInt(day) * TICKS_PER_DAY + clock)
  }
  if (!inRange(year, MAX_YEAR) || !inRange(month, 12) || month === 0 || day < 1) return undefined
  if (!inRange(day, daysInMonth(year, month))) return undefined
  const days = dayNumber(year, month, day) - BASE_DAY
  if (days < 0) return undefined
  return BigInt(days) * TICKS_PER_DAY + clock
}

const two = (n: number) => String(n).padStart(2, '0')

/**
 * $ASCTIM's text (System Services Reference Manual, $ASCTIM): an absolute time as
 * `dd-mmm-yyyy hh:mm:ss.cc` (23 characters, a blank before a one-digit day), a delta time
 * as `dddd hh:mm:ss.cc` (the days right-justified in four), and with `timeOnly` (cvtflg 1)
 * just `hh:mm:ss.cc`. Undefined (SS$_IVTIME) where $NUMTIM has no fields for the time.
 */
export function asciiTime(time: bigint, timeOnly = false): string | undefined {
  const t = numericTime(time)
  if (t === undefined) return undefined
  const clock = `${two(t.hour)}:${two(t.minute)}:${two(t.second)}.${two(t.hundredths)}`
  if (timeOnly) return clock
  if (time < 0n) return `${String(t.day).padStart(4, ' ')} ${clock}`
  return `${String(t.day).padStart(2, ' ')}-${MONTHS[t.month - 1]}-${String(t.year).padStart(4, '0')} ${clock}`
}
