import { describe, expect, it } from 'vitest'
import { DGVDMMIRRSUBDRIVERID, DGVDMMIRRTHROTTLESYNC } from './constants'
import { vdmioctlsubdriver } from './library'
import { vdmmirrinitpacket } from './mirror-packets'
import { runSyncs } from './runner'
import { mirrorOn, system, vdmmirrsyncimages } from './test-support'

describe('runSyncs: the asynchronous runner', () => {
  it('waits millisecondsbetweensyncio between I/Os, and a throttle changes it at the next I/O (DGVDMMIRRTHROTTLESYNC)', async () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 30, false)
    const waits: number[] = []
    const seen: number[] = []
    const done = await runSyncs(t.vdm, {
      sleep: async (ms) => {
        waits.push(ms)
        if (waits.length === 2) {
          const p = vdmmirrinitpacket('throttlesync')
          p.destimage = t.phys[1]!
          p.millisecondsbetweensyncio = 5
          vdmioctlsubdriver(t.vdm, DGVDMMIRRSUBDRIVERID, m, DGVDMMIRRTHROTTLESYNC, p)
        }
      },
      onProgress: (p) => seen.push(p.copied),
    })
    // 64 blocks in steps of 8: 8 steps, 7 waits between them.
    expect(waits).toEqual([30, 30, 5, 5, 5, 5, 5])
    expect(done).toEqual({ copied: 64, total: 64 })
    expect(seen.at(-1)).toBe(64)
  })

  it('stops when its signal aborts, leaving the synchronization to resume', async () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, false)
    const stop = new AbortController()
    const p = await runSyncs(t.vdm, {
      signal: stop.signal,
      onProgress: (x) => x.copied >= 16 && stop.abort(),
    })
    expect(p.copied).toBe(16)
    expect(t.vdm.mirror(m)!.syncs).toHaveLength(1)
  })
})
