import { describe, expect, it } from 'vitest'
import { LNM } from './lnm'
import { type Lnmb, type Lnmth, LogicalNameHashTable, lnmbSize, lnmHash } from './structures'

describe('LNM$HASH (book 28.5.3)', () => {
  it('follows the book steps: length, longwords rotated 9, bytes rotated 13, times 71279461', () => {
    // "AB": no whole longword; hash = 2, ^'A' rotl 13, ^'B' rotl 13, * 0x71279461.
    const rotl = (v: number, n: number) => ((v << n) | (v >>> (32 - n))) >>> 0
    let h = 2
    h = rotl((h ^ 0x41) >>> 0, 13)
    h = rotl((h ^ 0x42) >>> 0, 13)
    const expected = Number((BigInt(h) * 0x71279461n) & 0xffffffffn)
    expect(lnmHash('AB', 0xffffffff)).toBe(expected >>> 0)
    // "ABCD": one longword, little-endian, XORed in then rotated 9 bits.
    const one = Number((BigInt(rotl((4 ^ 0x44434241) >>> 0, 9)) * 0x71279461n) & 0xffffffffn)
    expect(lnmHash('ABCD', 0xffffffff)).toBe(one >>> 0)
  })

  it('hashes upper and lower case alike, so a case-blind search finds its chain', () => {
    expect(lnmHash('sys$login', 127)).toBe(lnmHash('SYS$LOGIN', 127))
    expect(lnmHash('SYS$LOGIN', 127)).toBeLessThan(128)
  })
})

describe('hash chains (book 28.5.3)', () => {
  const table = (address: number): Lnmth => {
    const header: Lnmth = {
      flags: 0,
      hash: new LogicalNameHashTable(1),
      owner: { kind: 'system' },
      lnmb: undefined,
    }
    header.lnmb = { address } as Lnmb
    return header
  }
  const lnmb = (name: string, t: Lnmth, mode: 0 | 1 | 2 | 3): Lnmb => ({
    address: 0,
    size: 0,
    name,
    mode,
    flags: 0,
    table: t,
    translations: [],
  })

  it('orders by length, then name, then table address, then outermost mode first', () => {
    const hash = new LogicalNameHashTable(1) // one chain holds everything
    const [low, high] = [table(0x100), table(0x200)]
    const all = [
      lnmb('BB', high, 1),
      lnmb('BB', low, 1),
      lnmb('A', low, 0),
      lnmb('BB', high, 3),
      lnmb('AA', low, 2),
    ]
    for (const l of all) hash.insert(l)
    expect([...hash.all()].map((l) => `${l.name}@${l.table.lnmb?.address}:${l.mode}`)).toEqual([
      'A@256:0',
      'AA@256:2',
      'BB@256:1',
      'BB@512:3',
      'BB@512:1',
    ])
    hash.remove(all[0] as Lnmb)
    expect([...hash.all()]).toHaveLength(4)
  })
})

describe('LNMB$W_SIZE (book 28.5.1)', () => {
  it('is a whole number of quadwords that grows with the name and the equivalences', () => {
    const one = lnmbSize('X', [{ index: 0, flags: 0, value: 'Y' }], false)
    const more = lnmbSize('X', [{ index: 0, flags: LNM.M_TERMINAL, value: 'Y'.repeat(40) }], false)
    expect(one % 8).toBe(0)
    expect(more % 8).toBe(0)
    expect(more).toBeGreaterThan(one)
  })
})
