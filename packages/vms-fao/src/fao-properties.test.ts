import { SS } from '@vms/contracts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fao } from './fao'
import { ByteMemory } from './memory'

/** Pieces control strings are made of: directives, parts of directives, and text. */
const piece = fc.oneof(
  fc.constantFrom(
    '!',
    '!!',
    '!UL',
    '!SB',
    '!XW',
    '!ZL',
    '!OQ',
    '!AS',
    '!AC',
    '!AD',
    '!AF',
    '!AZ',
    '!%D',
    '!%T',
    '!%S',
    '!%U',
    '!%I',
    '!1%C',
    '!%E',
    '!%F',
    '!5<',
    '!>',
    '!#<',
    '!3*x',
    '!#*y',
    '!-',
    '!+',
    '!/',
    '!_',
    '!^',
    '!3(',
    '!#(',
    ')',
    '#',
    '12',
    'UL',
    '%',
  ),
  fc.string({ maxLength: 4 }),
)
const control = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''))
const parameters = fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 17 })

/** A memory in which some of the parameters happen to point at readable bytes. */
const memory = new ByteMemory(0x1000, 0x200)
memory.string('some text')
memory.quadword(47_161n * 864_000_000_000n)

describe('$FAO never fails on the host, whatever the guest passes (guest input is untrusted)', () => {
  for (let seed = 1; seed <= 6; seed++) {
    it(`answers a status from the manual's list and output within the buffer, seed ${seed}`, () => {
      fc.assert(
        fc.property(control, parameters, fc.integer({ min: 0, max: 80 }), (c, p, length) => {
          const r = fao(c, p, { memory, bufferLength: length, now: () => 0n })
          expect([SS.NORMAL, SS.BUFFEROVF, SS.BADPARAM, SS.ACCVIO, SS.IVTIME]).toContain(r.status)
          expect(r.text.length).toBeLessThanOrEqual(length)
          if ((r.status & 1) === 0) expect(r.text).toBe('')
          if (r.status === SS.NORMAL) expect(fao(c, p, { memory, now: () => 0n }).text).toBe(r.text)
        }),
        { seed, numRuns: 300 },
      )
    })
  }
})

describe('$FAO field lengths (table "Output Field Lengths and Fill Characters")', () => {
  const code = fc.constantFrom(
    'UB',
    'UW',
    'UL',
    'SB',
    'SW',
    'SL',
    'ZB',
    'ZW',
    'ZL',
    'XB',
    'XW',
    'XL',
    'OB',
    'OW',
    'OL',
  )
  it('a numeric directive with a field length fills exactly that many characters', () => {
    fc.assert(
      fc.property(code, fc.integer({ min: 0, max: 30 }), fc.integer(), (c, n, v) => {
        expect(fao(`!${n}${c}`, [v]).text.length).toBe(n)
      }),
      { seed: 7, numRuns: 500 },
    )
  })
  it('decimal that does not fit is all asterisks; that fits is the value right-justified', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (n, v) => {
        const plain = String(v)
        const text = fao(`!${n}SL`, [v]).text
        expect(text).toBe(plain.length > n ? '*'.repeat(n) : plain.padStart(n, ' '))
      }),
      { seed: 8, numRuns: 500 },
    )
  })
  it('hexadecimal is the default 8 digits cut on the left or blank-filled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (n, v) => {
        const eight = (v >>> 0).toString(16).toUpperCase().padStart(8, '0')
        const text = fao(`!${n}XL`, [v]).text
        expect(text).toBe(n < 8 ? eight.slice(8 - n) : eight.padStart(n, ' '))
      }),
      { seed: 9, numRuns: 500 },
    )
  })
})
