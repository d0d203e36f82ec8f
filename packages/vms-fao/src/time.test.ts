import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseTime } from './bintim'
import { DEFAULT_BOOT_TIME } from './subsystem'
import {
  asciiTime,
  binaryTime,
  daysInMonth,
  MAX_DELTA_DAYS,
  numericTime,
  TICKS_PER_DAY,
  TICKS_PER_SECOND,
} from './time'

/** 31-DEC-9999 23:59:59.99, the last absolute time with four-digit year. */
const LAST = binaryTime({
  year: 9999,
  month: 12,
  day: 31,
  hour: 23,
  minute: 59,
  second: 59,
  hundredths: 99,
}) as bigint
const HUNDREDTH = 100_000n

describe('VMS binary time (book 11.4: 100 ns units since 00:00, 17-NOV-1858)', () => {
  it('0 is the base date, 17-NOV-1858 00:00:00.00', () => {
    expect(asciiTime(0n)).toBe('17-NOV-1858 00:00:00.00')
    expect(numericTime(0n)).toEqual({
      year: 1858,
      month: 11,
      day: 17,
      hour: 0,
      minute: 0,
      second: 0,
      hundredths: 0,
    })
  })
  it('one day is 864,000,000,000 units; 1-JAN-1988 is day 47,161 (the default boot time)', () => {
    expect(TICKS_PER_DAY).toBe(864_000_000_000n)
    expect(DEFAULT_BOOT_TIME).toBe(47_161n * TICKS_PER_DAY)
    expect(asciiTime(DEFAULT_BOOT_TIME)).toBe(' 1-JAN-1988 00:00:00.00')
  })
  it('the Gregorian leap years: 29-FEB-2000 exists, 29-FEB-1900 does not', () => {
    expect(daysInMonth(2000, 2)).toBe(29)
    expect(daysInMonth(1900, 2)).toBe(28)
    expect(asciiTime(parseTime('29-FEB-2000', 0n) as bigint)).toBe('29-FEB-2000 00:00:00.00')
    expect(parseTime('29-FEB-1900', 0n)).toBeUndefined()
  })
})

describe('$ASCTIM text (System Services Reference Manual, $ASCTIM)', () => {
  const t =
    DEFAULT_BOOT_TIME + 13n * 3600n * TICKS_PER_SECOND + 5n * 60n * TICKS_PER_SECOND + 7_899_999n
  it('an absolute time is dd-mmm-yyyy hh:mm:ss.cc, a blank before a one-digit day, hundredths truncated', () => {
    expect(asciiTime(t)).toBe(' 1-JAN-1988 13:05:00.78')
    expect(asciiTime(t + 20n * TICKS_PER_DAY)).toBe('21-JAN-1988 13:05:00.78')
  })
  it('cvtflg 1 gives only the time, hh:mm:ss.cc', () => {
    expect(asciiTime(t, true)).toBe('13:05:00.78')
    expect(asciiTime(-10n * TICKS_PER_SECOND, true)).toBe('00:00:10.00')
  })
  it('a delta time is dddd hh:mm:ss.cc, the days right-justified in four characters', () => {
    expect(asciiTime(-(3n * TICKS_PER_DAY + 3600n * TICKS_PER_SECOND))).toBe('   3 01:00:00.00')
    expect(asciiTime(-(9999n * TICKS_PER_DAY))).toBe('9999 00:00:00.00')
  })
  it('SS$_IVTIME (undefined) for a delta of 10,000 days or more, or an absolute time past 9999', () => {
    expect(asciiTime(-BigInt(MAX_DELTA_DAYS) * TICKS_PER_DAY)).toBeUndefined()
    expect(asciiTime(LAST)).toBe('31-DEC-9999 23:59:59.99')
    expect(asciiTime(LAST + HUNDREDTH)).toBeUndefined()
  })
})

describe('$NUMTIM fields (System Services Reference Manual, $NUMTIM, timbuf)', () => {
  it('a delta time has year and month 0 and the number of days in the day field', () => {
    expect(numericTime(-(12n * TICKS_PER_DAY + 61n * TICKS_PER_SECOND + 2n * HUNDREDTH))).toEqual({
      year: 0,
      month: 0,
      day: 12,
      hour: 0,
      minute: 1,
      second: 1,
      hundredths: 2,
    })
  })
  it('binaryTime rejects fields out of range', () => {
    const ok = { year: 1988, month: 1, day: 1, hour: 0, minute: 0, second: 0, hundredths: 0 }
    expect(binaryTime(ok)).toBe(DEFAULT_BOOT_TIME)
    for (const bad of [
      { hour: 24 },
      { minute: 60 },
      { second: 60 },
      { hundredths: 100 },
      { month: 13 },
      { day: 32 },
      { day: 0 },
      { year: 10000 },
      { year: 1858, month: 11, day: 16 },
      { hour: 1.5 },
    ])
      expect(binaryTime({ ...ok, ...bad })).toBeUndefined()
  })
})

describe('$BINTIM (System Services Reference Manual, $BINTIM: absolute and delta formats)', () => {
  const now = DEFAULT_BOOT_TIME + 100n * TICKS_PER_DAY + 45_296_780_000n // 10-APR-1988 01:15:29.67
  const at = (text: string) => {
    const t = parseTime(text, now)
    return t === undefined ? undefined : asciiTime(t)
  }
  it('parses the full absolute form, leading blanks and either case of month', () => {
    expect(at('21-JAN-1988 13:05:00.78')).toBe('21-JAN-1988 13:05:00.78')
    expect(at('  1-jan-1988 00:00:00.00')).toBe(' 1-JAN-1988 00:00:00.00')
  })
  it('omitted date fields (punctuation kept) come from the current date: "-- 12:00:00.00" is noon today', () => {
    expect(asciiTime(now)).toBe('10-APR-1988 01:15:29.67')
    expect(at('-- 12:00:00.00')).toBe('10-APR-1988 12:00:00.00')
    expect(at('1--1990')).toBe(' 1-APR-1990 00:00:00.00')
    expect(at('5-MAY')).toBe(' 5-MAY-1988 00:00:00.00')
  })
  it('time fields cut off the end are 0; an omitted time field ahead of a given one is the current one', () => {
    expect(at('1-JAN-1990')).toBe(' 1-JAN-1990 00:00:00.00')
    expect(at('1-JAN-1990 13')).toBe(' 1-JAN-1990 13:00:00.00')
    expect(at('1-JAN-1990 :30')).toBe(' 1-JAN-1990 01:30:00.00')
    expect(at('1-JAN-1990 ::.5')).toBe(' 1-JAN-1990 01:15:29.05')
  })
  it('a delta time gives its days; omitted time fields are 0 ("0 ::10" is ten seconds)', () => {
    expect(parseTime('0 ::10', now)).toBe(-10n * TICKS_PER_SECOND)
    expect(parseTime('3', now)).toBe(-3n * TICKS_PER_DAY)
    expect(parseTime('   1 01:02:03.04', now)).toBe(-(TICKS_PER_DAY + 37_230_400_000n))
    expect(parseTime('9999 23:59:59.99', now)).toBe(-(10_000n * TICKS_PER_DAY - HUNDREDTH))
  })
  it('SS$_IVTIME (undefined) for bad syntax or a field out of range', () => {
    for (const bad of [
      '',
      'noon',
      '12:00',
      '32-JAN-1988',
      '1-FOO-1988',
      '1-JAN-1988 24:00',
      '1-JAN-1988 12:60',
      '1-JAN-1988 1:2:3:4',
      '1-JAN-1988 1.5',
      '1-JAN-1988-1',
      '16-NOV-1858',
      '1-JAN-10000',
      '10000 00:00',
      '12345',
      '1 123:00',
      '1-JAN-1988 12:00:00.123',
    ])
      expect(parseTime(bad, now), bad).toBeUndefined()
  })
})

/** Absolute times from 17-NOV-1858 to 31-DEC-9999, at hundredth resolution. */
const absolute = fc.bigInt({ min: 0n, max: LAST / HUNDREDTH }).map((h) => h * HUNDREDTH)
/** Delta times of up to 9999 days. */
const delta = fc
  .bigInt({ min: 1n, max: (10_000n * TICKS_PER_DAY) / HUNDREDTH - 1n })
  .map((h) => -h * HUNDREDTH)

describe('round trips over random times (fast-check)', () => {
  for (let seed = 1; seed <= 4; seed++) {
    it(`BINTIM(ASCTIM(t)) = t for absolute times, seed ${seed}`, () => {
      fc.assert(
        fc.property(absolute, (t) => parseTime(asciiTime(t) as string, 0n) === t),
        { seed, numRuns: 300 },
      )
    })
    it(`BINTIM(ASCTIM(t)) = t for delta times, seed ${seed}`, () => {
      fc.assert(
        fc.property(delta, (t) => parseTime(asciiTime(t) as string, 0n) === t),
        { seed, numRuns: 300 },
      )
    })
    it(`NUMTIM agrees with ASCTIM and binaryTime inverts it, seed ${seed}`, () => {
      fc.assert(
        fc.property(
          fc.oneof(absolute, delta),
          fc.bigInt({ min: 0n, max: HUNDREDTH - 1n }),
          (t, extra) => {
            // Units below a hundredth are truncated away.
            const n = numericTime(t < 0n ? t - extra : t + extra)
            if (n === undefined) return false
            const text = asciiTime(t) as string
            const clock = `${String(n.hour).padStart(2, '0')}:${String(n.minute).padStart(2, '0')}:${String(n.second).padStart(2, '0')}.${String(n.hundredths).padStart(2, '0')}`
            return text.endsWith(clock) && binaryTime(n) === t
          },
        ),
        { seed, numRuns: 300 },
      )
    })
  }
})
