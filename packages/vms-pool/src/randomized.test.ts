import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Random } from '../../../tools/fuzz/random'
import { LinearFirstFitList } from '../bench/linear-first-fit'
import { PoolMemory } from './memory'
import { NonpagedPool } from './nonpaged-pool'
import { roundToGranule, VariableLengthList } from './variable-list'
import { VariablePool } from './variable-pool'

/** The repository's seeded generator (mulberry32), so every failure can be replayed. */
function random(seed: number): () => number {
  const rng = new Random(seed)
  return () => rng.next()
}

function expectNoOverlap(blocks: Iterable<{ address: number; size: number }>): void {
  const sorted = [...blocks].sort((a, b) => a.address - b.address)
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!
    const cur = sorted[i]!
    expect(
      prev.address + prev.size,
      `blocks at ${prev.address} and ${cur.address}`,
    ).toBeLessThanOrEqual(cur.address)
  }
}

describe('variable-length pool against a linear first-fit reference (book 3.1.2)', () => {
  it.each([1, 2, 3])(
    'seed %i: 4000 mixed operations give the same blocks and exact statistics',
    (seed) => {
      const next = random(seed)
      const base = 0x80000000
      const size = 64 * 1024
      const pool = new VariablePool(new PoolMemory(base, size), {
        name: 'random',
        start: base,
        initialSize: size,
        maximumSize: size,
        poison: seed === 3 ? 0xa5 : undefined,
      })
      const reference = new LinearFirstFitList(base, size)
      const live: { address: number; size: number }[] = []
      for (let step = 0; step < 4000; step++) {
        if (live.length > 0 && next() < 0.45) {
          const [block] = live.splice(Math.floor(next() * live.length), 1)
          pool.deallocate(block!.address)
          reference.deallocate(block!.address, block!.size)
        } else {
          const request = 1 + Math.floor(next() ** 3 * 2000)
          const expected = reference.allocate(request)
          const result = pool.allocate(request)
          if (expected < 0) {
            expect(result.status).toBe(SS.INSFMEM)
          } else {
            expect(result).toMatchObject({ status: SS.NORMAL, address: expected })
            if (result.status === SS.NORMAL)
              live.push({ address: result.address, size: result.size })
          }
        }
        const stats = pool.statistics()
        expect(stats.freeBytes).toBe(reference.freeBytes)
        expect(stats.inUseBytes).toBe(live.reduce((sum, b) => sum + b.size, 0))
        expect(stats.freeBlocks).toBe(reference.addresses.length)
        expect(stats.largestFreeBlock).toBe(reference.largest)
        expect(stats.liveBlocks).toBe(live.length)
        if (step % 100 === 0) {
          expect([...pool.list.walk()]).toEqual(
            reference.addresses.map((address, i) => ({ address, size: reference.sizes[i] })),
          )
          expectNoOverlap([...live, ...pool.list.walk()])
        }
      }
    },
  )
})

describe('a long free list against the linear reference (book 3.1.2: the same first fit)', () => {
  // Small requests and many frees leave hundreds of free blocks, so the index beside
  // the list splits its runs, merges them again and meets stale bounds on run sizes;
  // the blocks chosen must still be the linear walk's, address for address.
  it.each([11, 12, 13, 14])('seed %i: 4200 operations, then everything freed', (seed) => {
    const next = random(seed)
    const base = 0x80000000
    const size = 256 * 1024
    const list = new VariableLengthList(new PoolMemory(base, size), {
      name: 'long',
      start: base,
      initialSize: size,
      maximumSize: size,
    })
    const reference = new LinearFirstFitList(base, size)
    const live: { address: number; size: number }[] = []
    let mostFree = 0
    const check = () => {
      expect(list.freeBlocks).toBe(reference.addresses.length)
      expect(list.freeBytes).toBe(reference.freeBytes)
      expect(list.largestFreeBlock).toBe(reference.largest)
      expect([...list.walk()]).toEqual(
        reference.addresses.map((address, i) => ({ address, size: reference.sizes[i] })),
      )
    }
    // Fill with 1200 blocks, then the steps free at random (the first 600 only free).
    for (let step = 0; step < 4200; step++) {
      const freeing = step >= 1200 && (step < 1800 || next() < 0.5)
      if (freeing && live.length > 0) {
        const [block] = live.splice(Math.floor(next() * live.length), 1)
        list.deallocate(block!.address, block!.size)
        reference.deallocate(block!.address, block!.size)
      } else {
        const request = 1 + Math.floor(next() ** 4 * 600)
        const expected = reference.allocate(request)
        expect(list.allocate(request)).toBe(expected)
        if (expected >= 0) live.push({ address: expected, size: roundToGranule(request) })
      }
      mostFree = Math.max(mostFree, list.freeBlocks)
      if (step % 250 === 0) check()
    }
    expect(mostFree).toBeGreaterThan(200)
    check()
    while (live.length > 0) {
      const [block] = live.splice(Math.floor(next() * live.length), 1)
      list.deallocate(block!.address, block!.size)
      reference.deallocate(block!.address, block!.size)
      expect(list.freeBlocks).toBe(reference.addresses.length)
    }
    check()
    expect([...list.walk()]).toEqual([{ address: base, size }])
  })
})

describe('nonpaged pool under random load (book 3.2)', () => {
  it('5000 operations with expansion: no overlap, every block in its region, counts exact', () => {
    const next = random(42)
    const parameters = {
      NPAGEDYN: 8 * 1024,
      NPAGEVIR: 32 * 1024,
      SRPCOUNT: 10,
      SRPCOUNTV: 60,
      IRPCOUNT: 5,
      IRPCOUNTV: 30,
      LRPCOUNT: 2,
      LRPCOUNTV: 10,
    }
    const pool = new NonpagedPool({ parameters, poison: 0x5a })
    const live: { address: number; size: number }[] = []
    let failures = 0
    for (let step = 0; step < 5000; step++) {
      if (live.length > 0 && next() < 0.47) {
        const [block] = live.splice(Math.floor(next() * live.length), 1)
        pool.deallocate(block!.address)
      } else {
        const request = 1 + Math.floor(next() ** 2 * 1500)
        const result = pool.allocate(request)
        if (result.status === SS.NORMAL) {
          expect(result.size).toBeGreaterThanOrEqual(request)
          live.push({ address: result.address, size: result.size })
        } else failures++
      }
      if (step % 50 === 0) {
        expectNoOverlap(live)
        const s = pool.statistics()
        const l = pool.layout
        const inLookaside = (lo: number, hi: number) =>
          live.filter((b) => b.address >= lo && b.address < hi).length
        expect(s.lrp.inUsePackets).toBe(inLookaside(l.lrpSplit, l.irpSplit))
        expect(s.irp.inUsePackets).toBe(inLookaside(l.irpSplit, l.srpSplit))
        expect(s.srp.inUsePackets).toBe(inLookaside(l.srpSplit, l.end))
        const variable = live.filter((b) => b.address < l.lrpSplit)
        expect(s.variable.inUseBytes).toBe(variable.reduce((sum, b) => sum + b.size, 0))
        expect(s.variable.freeBytes + s.variable.inUseBytes).toBe(s.variable.currentBytes)
        expect(s.variable.currentBytes).toBeLessThanOrEqual(parameters.NPAGEVIR)
        expect(s.failures).toBe(failures)
        for (const b of variable)
          expect(b.address + b.size).toBeLessThanOrEqual(l.variable + s.variable.currentBytes)
      }
    }
    for (const block of live) pool.deallocate(block.address)
    const s = pool.statistics()
    expect(s.variable.freeBlocks).toBe(1)
    expect(s.srp.freePackets).toBe(s.srp.packets)
    expect(s.irp.freePackets).toBe(s.irp.packets)
    expect(s.lrp.freePackets).toBe(s.lrp.packets)
  })
})
