import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BLOCK_SIZE, BlockDeviceError } from './block-device'
import { FaultyBlockDevice, PowerSupply } from './fault-device'
import { MemoryBlockDevice } from './memory-device'

function filled(value: number, blocks = 1): Uint8Array {
  return new Uint8Array(blocks * BLOCK_SIZE).fill(value)
}

function blockValue(device: MemoryBlockDevice, block: number): number {
  const b = new Uint8Array(BLOCK_SIZE)
  device.read(block, b)
  return b[0] as number
}

function errorCode(f: () => void): string | undefined {
  try {
    f()
  } catch (error) {
    if (error instanceof BlockDeviceError) return error.code
    throw error
  }
  return undefined
}

describe('FaultyBlockDevice', () => {
  it('passes reads and writes through and counts them', () => {
    const inner = new MemoryBlockDevice(16)
    const d = new FaultyBlockDevice(inner)
    d.write(2, filled(5, 3))
    const b = new Uint8Array(BLOCK_SIZE)
    d.read(3, b)
    expect(b[0]).toBe(5)
    expect(d.statistics).toMatchObject({ writes: 1, blocksWritten: 3, reads: 1, blocksRead: 1 })
    expect(d.unflushedBlocks).toBe(3)
    d.flush()
    expect(d.unflushedBlocks).toBe(0)
  })

  it('fails the next writes with EIO, writing nothing', () => {
    const inner = new MemoryBlockDevice(4)
    const d = new FaultyBlockDevice(inner)
    d.failNextWrites(2)
    expect(errorCode(() => d.write(0, filled(1)))).toBe('EIO')
    expect(errorCode(() => d.write(1, filled(1)))).toBe('EIO')
    d.write(2, filled(1))
    expect([0, 1, 2].map((b) => blockValue(inner, b))).toEqual([0, 0, 1])
  })

  it('fails the whole device: reads, writes and flushes all give EIO', () => {
    const d = new FaultyBlockDevice(new MemoryBlockDevice(4))
    d.failDevice()
    expect(errorCode(() => d.read(0, new Uint8Array(BLOCK_SIZE)))).toBe('EIO')
    expect(errorCode(() => d.write(0, filled(1)))).toBe('EIO')
    expect(errorCode(() => d.flush())).toBe('EIO')
  })

  it('tears a multi-block write: some but not all blocks land, then EIO', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const inner = new MemoryBlockDevice(8)
      const d = new FaultyBlockDevice(inner, { seed })
      d.tearNextWrite()
      expect(errorCode(() => d.write(0, filled(7, 8)))).toBe('EIO')
      const landed = [...Array(8).keys()].filter((b) => blockValue(inner, b) === 7).length
      expect(landed).toBeGreaterThan(0)
      expect(landed).toBeLessThan(8)
    }
  })

  it('a power cut keeps every flushed block and keeps or loses each unflushed one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.boolean()), { maxLength: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (seed, ops, cutAt) => {
          const power = new PowerSupply(seed)
          const inner = new MemoryBlockDevice(16)
          const d = new FaultyBlockDevice(inner, { power })
          power.cutAfterWrites(cutAt)
          // For each block: the flushed value and the values written since.
          const flushed = new Array<number>(16).fill(0)
          const since = Array.from({ length: 16 }, () => new Set<number>())
          let value = 1
          for (const [block, flush] of ops) {
            if (!power.on) break
            since[block]!.add(value)
            const code = errorCode(() => d.write(block, filled(value)))
            value++
            if (code !== undefined) break
            if (flush) {
              d.flush()
              for (let b = 0; b < 16; b++) {
                const s = [...since[b]!]
                if (s.length > 0) flushed[b] = s[s.length - 1]!
                since[b]!.clear()
              }
            }
          }
          power.cut()
          for (let b = 0; b < 16; b++) {
            const v = blockValue(inner, b)
            // Only the flushed value or the latest write can survive (the old copy is the one kept aside).
            const latest = [...since[b]!].pop()
            expect(v === flushed[b] || v === latest).toBe(true)
          }
          expect(errorCode(() => d.read(0, new Uint8Array(BLOCK_SIZE)))).toBe('EIO')
        },
      ),
      { numRuns: 200 },
    )
  })

  it('a cut hits every device on the same supply at once, and restore brings them back', () => {
    const power = new PowerSupply(3)
    const a = new FaultyBlockDevice(new MemoryBlockDevice(4), { power })
    const b = new FaultyBlockDevice(new MemoryBlockDevice(4), { power })
    power.cutAfterWrites(1)
    a.write(0, filled(1))
    expect(errorCode(() => b.write(0, filled(2)))).toBe('EIO')
    expect(power.on).toBe(false)
    expect(errorCode(() => a.flush())).toBe('EIO')
    power.restore()
    a.write(1, filled(3))
    expect(a.unflushedBlocks).toBe(1)
  })
})
