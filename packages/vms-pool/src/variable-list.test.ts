import { describe, expect, it } from 'vitest'
import { PoolIntegrityError } from './errors'
import { PoolMemory } from './memory'
import { VariableLengthList } from './variable-list'

const BASE = 0x80000000

function listWith(size: number, poison?: number) {
  const memory = new PoolMemory(BASE, size)
  const list = new VariableLengthList(memory, {
    name: 'test',
    start: BASE,
    initialSize: size,
    maximumSize: size,
    poison,
  })
  return { memory, list }
}

/** Builds the paged-pool picture of Figure 3-2: in use 96, free 80, in use 80, free 128. */
function figure32() {
  const { memory, list } = listWith(384)
  const a = list.allocate(96)
  const b = list.allocate(80)
  const c = list.allocate(80)
  list.allocate(128)
  list.deallocate(b, 80)
  list.deallocate(BASE + 256, 128)
  expect([a, b, c]).toEqual([BASE, BASE + 96, BASE + 176])
  return { memory, list }
}

describe('variable-length list allocation (book 3.1.2.1, Figure 3-2)', () => {
  it('an exact fit unlinks the block: 80 bytes take the whole 80-byte hole', () => {
    const { list } = figure32()
    expect([...list.walk()]).toEqual([
      { address: BASE + 96, size: 80 },
      { address: BASE + 256, size: 128 },
    ])
    expect(list.allocate(80)).toBe(BASE + 96)
    expect([...list.walk()]).toEqual([{ address: BASE + 256, size: 128 }])
    expect(list.firstFree).toBe(BASE + 256)
  })

  it('an inexact fit takes the low end and leaves the high end on the list', () => {
    const { list, memory } = figure32()
    expect(list.allocate(48)).toBe(BASE + 96)
    expect([...list.walk()]).toEqual([
      { address: BASE + 144, size: 32 },
      { address: BASE + 256, size: 128 },
    ])
    // The links live in pool memory: next pointer then size (Figure 3-1).
    expect(memory.readLong(BASE + 144)).toBe(BASE + 256)
    expect(memory.readLong(BASE + 148)).toBe(32)
    expect(memory.readLong(BASE + 256)).toBe(0)
  })

  it('rounds every request up to a multiple of 16 bytes', () => {
    const { list } = listWith(512)
    expect(list.allocate(1)).toBe(BASE)
    expect(list.allocate(17)).toBe(BASE + 16)
    expect(list.allocate(16)).toBe(BASE + 48)
    expect(list.freeBytes).toBe(512 - 64)
  })

  it('answers -1 when no block is large enough, even with enough total free space', () => {
    const { list } = figure32()
    expect(list.freeBytes).toBe(208)
    expect(list.allocate(144)).toBe(-1)
    expect(list.freeBytes).toBe(208)
  })
})

describe('variable-length list deallocation (book 3.1.2.3-3.1.2.4, Figure 3-3)', () => {
  // Figure 3-3: free 64, ADAM 48, GREGORY 80, ROSAMUND 64, free 176.
  function figure33() {
    const { memory, list } = listWith(432)
    const hole = list.allocate(64)
    const adam = list.allocate(48)
    const gregory = list.allocate(80)
    const rosamund = list.allocate(64)
    list.deallocate(hole, 64)
    return { memory, list, adam, gregory, rosamund }
  }

  it('ADAM deleted: merged onto the end of the preceding unused block', () => {
    const { list, adam } = figure33()
    list.deallocate(adam, 48)
    expect([...list.walk()]).toEqual([
      { address: BASE, size: 112 },
      { address: BASE + 256, size: 176 },
    ])
  })

  it('GREGORY deleted: a new unused block linked between its neighbours', () => {
    const { list, gregory, memory } = figure33()
    list.deallocate(gregory, 80)
    expect([...list.walk()]).toEqual([
      { address: BASE, size: 64 },
      { address: BASE + 112, size: 80 },
      { address: BASE + 256, size: 176 },
    ])
    expect(memory.readLong(BASE)).toBe(BASE + 112)
    expect(memory.readLong(BASE + 112)).toBe(BASE + 256)
    expect(list.freeBlocks).toBe(3)
  })

  it('ROSAMUND deleted: merged with the following unused block, taking over its link', () => {
    const { list, rosamund, memory } = figure33()
    list.deallocate(rosamund, 64)
    expect([...list.walk()]).toEqual([
      { address: BASE, size: 64 },
      { address: BASE + 192, size: 240 },
    ])
    expect(memory.readLong(BASE)).toBe(BASE + 192)
  })

  it('a block with free space on both sides becomes one block with both', () => {
    const { list, adam, gregory, rosamund } = figure33()
    list.deallocate(adam, 48)
    list.deallocate(rosamund, 64)
    list.deallocate(gregory, 80)
    expect([...list.walk()]).toEqual([{ address: BASE, size: 432 }])
    expect(list.largestFreeBlock).toBe(432)
  })

  it('refuses a double free, a partial overlap and a range outside the region, changing nothing', () => {
    const { memory, list, adam, gregory } = figure33()
    list.deallocate(adam, 48)
    const state = () => ({
      blocks: [...list.walk()],
      freeBytes: list.freeBytes,
      freeBlocks: list.freeBlocks,
      largest: list.largestFreeBlock,
      firstFree: list.firstFree,
      bytes: [...memory.bytes],
    })
    const before = state()
    expect(() => list.deallocate(adam, 48)).toThrow(PoolIntegrityError)
    expect(() => list.deallocate(gregory - 16, 32)).toThrowError(/DOUBLE_FREE/)
    expect(() => list.deallocate(BASE + 432, 16)).toThrowError(/NOT_ALLOCATED/)
    expect(() => list.deallocate(gregory + 8, 16)).toThrowError(/NOT_ALLOCATED/)
    for (const bad of [gregory + 0.5, Number.NaN, BASE - 16, -1, 2 ** 40])
      expect(() => list.deallocate(bad, 16), `address ${bad}`).toThrowError(/NOT_ALLOCATED/)
    expect(state()).toEqual(before)
    // The index beside the list is intact too: first fit still finds the merged hole.
    expect(list.allocate(112)).toBe(BASE)
  })
})

describe('expansion and poisoning', () => {
  it('extend() adds the new space to the list, merged with a free block at the old end', () => {
    const memory = new PoolMemory(BASE, 2048)
    const list = new VariableLengthList(memory, {
      name: 't',
      start: BASE,
      initialSize: 512,
      maximumSize: 2048,
    })
    list.allocate(256)
    expect(list.extend(1024)).toBe(true)
    expect([...list.walk()]).toEqual([{ address: BASE + 256, size: 768 }])
    expect(list.extend(4096)).toBe(false)
    expect(list.size).toBe(1024)
  })

  it('a write into free pool is caught when the block is handed out again (POOLCHECK)', () => {
    const { list, memory } = listWith(256, 0x5a)
    const a = list.allocate(64)
    list.deallocate(a, 64)
    expect(memory.readByte(a + 20)).toBe(0x5a)
    memory.writeByte(a + 20, 0) // use after free
    expect(() => list.allocate(64)).toThrowError(/POISON_OVERWRITTEN/)
    // Nothing was handed out: the block is still the first free one.
    expect(list.firstFree).toBe(a)
  })
})
