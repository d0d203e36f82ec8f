import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { PoolConfigError } from './errors'
import { PagedPool } from './paged-pool'
import { ProcessAllocationRegion } from './process-region'

describe('paged pool (book 3.3)', () => {
  it('is one block at start, never expands, and answers SS$_INSFMEM when full', () => {
    let available = 0
    const pool = new PagedPool({ PAGEDYN: 1024, onResourceAvailable: () => available++ })
    expect(pool.statistics()).toMatchObject({ freeBytes: 1024, freeBlocks: 1, currentBytes: 1024 })
    const a = pool.allocate(1000)
    expect(a).toMatchObject({ status: SS.NORMAL, address: 0x80400000, size: 1008 })
    expect(pool.allocate(32)).toEqual({ status: SS.INSFMEM })
    if (a.status !== SS.NORMAL) throw new Error()
    pool.deallocate(a.address)
    expect(available).toBe(1) // EXE$DEAPAGED calls SCH$RAVAIL
    expect(pool.statistics().freeBytes).toBe(1024)
  })

  it('rejects a PAGEDYN below one page', () => {
    expect(() => new PagedPool({ PAGEDYN: 100 })).toThrow(PoolConfigError)
  })
})

describe('process allocation region (book 3.4)', () => {
  const P1 = 0x7ffe0000
  const P0 = 0x00200000

  function region(withP0: boolean) {
    const requests: number[] = []
    const r = new ProcessAllocationRegion({
      base: P1,
      CTLPAGES: 4,
      CTLIMGLIM: 2,
      ...(withP0
        ? {
            expandRegion: (pages: number) => {
              requests.push(pages)
              return { base: P0, bytes: new Uint8Array(pages * 512) }
            },
          }
        : {}),
    })
    return { r, requests }
  }

  it('EXE$ALOP1PROC always uses P1; EXE$ALOP1IMAG moves to a 16-page P0 region past CTLIMGLIM', () => {
    const { r, requests } = region(true)
    const image1 = r.allocateImage(600)
    expect(image1).toMatchObject({ status: SS.NORMAL })
    if (image1.status !== SS.NORMAL) throw new Error()
    expect(image1.address).toBeGreaterThanOrEqual(P1)
    const image2 = r.allocateImage(600) // 608 + 608 > 1024 bytes of CTLIMGLIM
    if (image2.status !== SS.NORMAL) throw new Error('expected P0 allocation')
    expect(image2.address).toBe(P0)
    expect(requests).toEqual([16])
    const process = r.allocateProcess(600)
    if (process.status !== SS.NORMAL) throw new Error()
    expect(process.address).toBeGreaterThanOrEqual(P1)
    // EXE$DEAP1 finds the pool by address.
    r.deallocate(image2.address)
    r.deallocate(process.address)
    expect(r.statistics().p0?.freeBytes).toBe(16 * 512)
    r.runDownImage()
    expect(r.statistics().p0).toBeUndefined()
  })

  it('an image linked NOP0BUFS gets SS$_INSFMEM instead of a P0 region', () => {
    const { r } = region(false)
    expect(r.allocateImage(600).status).toBe(SS.NORMAL)
    expect(r.allocateImage(600)).toEqual({ status: SS.INSFMEM })
  })
})
