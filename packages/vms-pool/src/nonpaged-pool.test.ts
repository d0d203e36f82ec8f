import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { PoolConfigError, PoolIntegrityError } from './errors'
import { NonpagedPool } from './nonpaged-pool'

const small = {
  NPAGEDYN: 2048,
  NPAGEVIR: 4096,
  SRPSIZE: 90, // rounded up to 96 by INIT
  SRPCOUNT: 4,
  SRPCOUNTV: 8,
  IRPCOUNT: 2,
  IRPCOUNTV: 6,
  LRPSIZE: 500, // 500 + 76 = 576 bytes a packet
  LRPMIN: 400,
  LRPCOUNT: 1,
  LRPCOUNTV: 3,
}

function address(result: ReturnType<NonpagedPool['allocate']>): number {
  if (result.status !== SS.NORMAL) throw new Error('allocation failed')
  return result.address
}

describe('lookaside list sizes (book 3.2.1, Table 3-3)', () => {
  it('rounds SRPSIZE up to 16, fixes the IRP at 208 and makes the LRP LRPSIZE + 76 rounded to 16', () => {
    const pool = new NonpagedPool({ parameters: small })
    expect(pool.sizes).toEqual({ srpSize: 96, irpMin: 97, irpSize: 208, lrpMin: 400, lrpSize: 576 })
    expect(pool.srp.packets).toBe(4)
    expect(pool.irp.packets).toBe(2)
    expect(pool.lrp.packets).toBe(1)
  })

  it('lays out the regions as Figure 3-6: variable, LRP, IRP, SRP, each reserved at its maximum', () => {
    const pool = new NonpagedPool({ base: 0x80200000, parameters: small })
    const l = pool.layout
    expect(l.variable).toBe(0x80200000)
    expect(l.lrpSplit).toBe(0x80200000 + 4096)
    expect(l.irpSplit).toBe(l.lrpSplit + 2048) // 3 x 576 = 1728 -> 4 pages
    expect(l.srpSplit).toBe(l.irpSplit + 1536) // 6 x 208 = 1248 -> 3 pages
    expect(l.end).toBe(l.srpSplit + 1024) // 8 x 96 = 768 -> 2 pages
    expect(NonpagedPool.requiredBytes(small)).toBe(l.end - l.variable)
  })
})

describe('EXE$ALONONPAGED chooses the list by size (book 3.2.2, Figure 3-7)', () => {
  const pool = new NonpagedPool({ parameters: small })
  it.each([
    [1, 'SRP'],
    [96, 'SRP'],
    [97, 'IRP'],
    [208, 'IRP'],
    [209, undefined],
    [399, undefined],
    [400, 'LRP'],
    [576, 'LRP'],
    [577, undefined],
  ])('a request of %i bytes is served by %s', (size, list) => {
    expect(pool.listFor(size)?.name).toBe(list)
  })

  it('gives a whole packet from the list and writes its size and type in the header', () => {
    const pool = new NonpagedPool({ parameters: small })
    const result = pool.allocate(100, { type: 10 })
    expect(result).toEqual({ status: SS.NORMAL, address: pool.layout.irpSplit, size: 208 })
    expect(pool.memory.readWord(pool.layout.irpSplit + 8)).toBe(208)
    expect(pool.memory.readByte(pool.layout.irpSplit + 10)).toBe(10)
  })

  it('takes requests between IRP size and LRPMIN from the variable list, rounded to 16', () => {
    const pool = new NonpagedPool({ parameters: small })
    expect(pool.allocate(300)).toEqual({
      status: SS.NORMAL,
      address: pool.layout.variable,
      size: 304,
    })
  })
})

describe('the live blocks of the variable region (what a pool map shows, book 3.2)', () => {
  it('lists each block handed out, by address, with its header type, and forgets it when returned', () => {
    const pool = new NonpagedPool({ parameters: small })
    const a = address(pool.allocate(300, { type: 12, subtype: 1 }))
    const b = address(pool.allocate(256, { type: 2 }))
    expect(pool.variable.liveBlocks()).toEqual([
      { address: a, size: 304, type: 12, subtype: 1 },
      { address: b, size: 256, type: 2, subtype: 0 },
    ])
    pool.deallocate(a)
    expect(pool.variable.liveBlocks()).toEqual([{ address: b, size: 256, type: 2, subtype: 0 }])
  })
})

describe('lookaside lists are queues (book 3.1.3, Figure 3-4)', () => {
  it('allocates from the head (REMQUE) and returns to the tail (INSQUE)', () => {
    const pool = new NonpagedPool({ parameters: small })
    const srp = pool.layout.srpSplit
    const first = address(pool.allocate(16))
    const second = address(pool.allocate(16))
    expect([first, second]).toEqual([srp, srp + 96])
    pool.deallocate(first)
    // The freed packet goes to the back: the next two come from the front.
    expect(address(pool.allocate(16))).toBe(srp + 192)
    expect(address(pool.allocate(16))).toBe(srp + 288)
    expect(address(pool.allocate(16))).toBe(first)
    expect([...pool.srp.walk()]).toEqual([])
  })

  it('explicit IRP allocation (as $QIO does) falls back to the general routine when the list cannot grow', () => {
    const pool = new NonpagedPool({ parameters: { ...small, IRPCOUNTV: 2 } })
    const a = address(pool.allocateIrp())
    const b = address(pool.allocateIrp())
    const c = pool.allocateIrp()
    expect([a, b]).toEqual([pool.layout.irpSplit, pool.layout.irpSplit + 208])
    expect(c).toEqual({ status: SS.NORMAL, address: pool.layout.variable, size: 208 })
  })
})

describe('EXE$DEANONPAGED finds the region by address (book 3.2.3)', () => {
  it('returns each block to the list or region its address lies in', () => {
    const pool = new NonpagedPool({ parameters: small })
    const blocks = [16, 150, 500, 300].map((size) => address(pool.allocate(size)))
    const before = pool.statistics()
    expect(before.srp.inUsePackets + before.irp.inUsePackets + before.lrp.inUsePackets).toBe(3)
    for (const block of blocks) pool.deallocate(block)
    const after = pool.statistics()
    expect(after.srp.inUsePackets + after.irp.inUsePackets + after.lrp.inUsePackets).toBe(0)
    expect(after.variable.freeBytes).toBe(2048)
    expect(after.deallocations).toBe(4)
  })

  it('refuses part of a lookaside packet: packets are indivisible', () => {
    const pool = new NonpagedPool({ parameters: small })
    const irp = address(pool.allocate(200))
    expect(() => pool.deallocate(irp + 16)).toThrowError(/NOT_ALLOCATED/)
    pool.deallocate(irp)
    expect(() => pool.deallocate(irp)).toThrowError(/DOUBLE_FREE/)
  })

  it('detects a double free, a foreign address and a wrong size in the variable region', () => {
    const pool = new NonpagedPool({ parameters: small })
    const a = address(pool.allocate(300))
    const b = address(pool.allocate(300))
    expect(() => pool.deallocate(a, 320)).toThrowError(/SIZE_MISMATCH/)
    pool.memory.writeWord(b + 8, 999) // header size corrupted
    expect(() => pool.deallocate(b)).toThrowError(/SIZE_MISMATCH/)
    pool.memory.writeWord(b + 8, 304)
    pool.deallocate(a)
    expect(() => pool.deallocate(a)).toThrowError(/DOUBLE_FREE/)
    expect(() => pool.deallocate(b + 32)).toThrowError(/NOT_ALLOCATED/)
    expect(() => pool.deallocate(0x1000)).toThrowError(/NOT_ALLOCATED/)
    const error = (() => {
      try {
        pool.deallocate(a)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(PoolIntegrityError)
    expect((error as PoolIntegrityError).bugcheck).toBe('BADDALRQSZ')
    // b is still allocated and can be returned normally.
    pool.deallocate(b)
    expect(pool.statistics().variable.freeBytes).toBe(2048)
  })

  it('EXE$ALONPAGVAR blocks can be returned piecemeal', () => {
    const pool = new NonpagedPool({ parameters: small })
    const r = pool.allocateVariable(96)
    const base = address(r)
    pool.deallocate(base + 32, 32)
    expect(() => pool.deallocate(base + 32, 32)).toThrowError(/DOUBLE_FREE/)
    pool.deallocate(base, 32)
    pool.deallocate(base + 64, 32)
    expect(pool.statistics().variable.freeBlocks).toBe(1)
  })
})

describe('expansion (book 3.2.4)', () => {
  it('an empty lookaside list grows a page at a time up to its maximum count', () => {
    const pool = new NonpagedPool({ parameters: small })
    const srps = Array.from({ length: 8 }, () => address(pool.allocate(64)))
    expect(srps.every((a) => a >= pool.layout.srpSplit)).toBe(true)
    expect(pool.srp.packets).toBe(8)
    // At SRPCOUNTV the ninth request goes to the variable list.
    expect(address(pool.allocate(64))).toBe(pool.layout.variable)
  })

  it('the variable region grows toward NPAGEVIR, then the answer is SS$_INSFMEM', () => {
    let available = 0
    const pool = new NonpagedPool({
      parameters: small,
      onResourceAvailable: () => available++,
    })
    expect(address(pool.allocate(2000))).toBe(pool.layout.variable)
    const grown = pool.allocate(1024)
    expect(grown.status).toBe(SS.NORMAL)
    expect(pool.statistics().variable.currentBytes).toBe(3072) // 48 bytes were free at the end: two pages make room for 1024
    expect(available).toBeGreaterThan(0)
    expect(pool.allocate(2048)).toEqual({ status: SS.INSFMEM })
    expect(pool.statistics().failures).toBe(1)
  })

  it('no expansion when the page source says no physical page can be spared', () => {
    const pool = new NonpagedPool({ parameters: small, pages: { allocatePages: () => false } })
    expect(pool.allocate(3000)).toEqual({ status: SS.INSFMEM })
    expect(pool.statistics().variable.currentBytes).toBe(2048)
  })

  it('EXE$EXTENDPOOL expands every empty list below its maximum', () => {
    const pool = new NonpagedPool({ parameters: { ...small, LRPCOUNT: 0 } })
    expect(pool.lrp.packets).toBe(0)
    expect(pool.extendPool()).toBe(1)
    expect(pool.lrp.packets).toBe(1)
  })
})

describe('POOLCHECK-style poisoning', () => {
  it('catches a write into a free lookaside packet on reallocation', () => {
    const pool = new NonpagedPool({ parameters: small, poison: 0x5a })
    const packet = address(pool.allocate(200))
    pool.deallocate(packet)
    pool.allocate(200) // the other IRP
    pool.memory.writeByte(packet + 100, 1)
    expect(() => pool.allocate(200)).toThrowError(/POISON_OVERWRITTEN/)
  })
})

describe('configuration', () => {
  it('names the bad SYSBOOT parameter', () => {
    expect(() => new NonpagedPool({ parameters: { NPAGEDYN: 100 } })).toThrow(PoolConfigError)
    expect(() => new NonpagedPool({ parameters: { SRPCOUNT: 9, SRPCOUNTV: 8 } })).toThrowError(
      /SRPCOUNT/,
    )
    expect(() => new NonpagedPool({ parameters: { LRPMIN: 10_000 } })).toThrowError(/LRPMIN/)
    expect(() => new NonpagedPool({ parameters: { IRPCOUNT: -1 } })).toThrowError(/IRPCOUNT/)
    expect(() => new NonpagedPool({ base: 0x80000010 })).toThrowError(/base/)
  })

  it('rounds NPAGEDYN and NPAGEVIR down to whole pages', () => {
    const pool = new NonpagedPool({ parameters: { ...small, NPAGEDYN: 2100, NPAGEVIR: 4600 } })
    expect(pool.parameters.NPAGEDYN).toBe(2048)
    expect(pool.parameters.NPAGEVIR).toBe(4096)
  })

  it('refuses bad sizes as SS$_INSFMEM without changing anything', () => {
    const pool = new NonpagedPool({ parameters: small })
    for (const size of [0, -5, 1.5, Number.NaN]) expect(pool.allocate(size).status).toBe(SS.INSFMEM)
    expect(pool.statistics().variable.freeBytes).toBe(2048)
  })
})
