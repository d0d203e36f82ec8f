import { describe, expect, it } from 'vitest'
import {
  type Devt,
  DGVDMIOCTLSUBDRIVER,
  DGVDMLINKCHILDINSTANCE,
  DGVDMMIRRFRACTUREIMAGE,
  DGVDMMIRRSUBDRIVERID,
  DGVDMMIRRSYNCIMAGES,
  DGVDMMIRRTHROTTLESYNC,
  DGVDMUNLINKCHILDINSTANCE,
  DSKIOCGET,
  DSKIOCUSAGE,
} from './constants'
import { vdmioctlsubdriver } from './library'
import { vdmmirrinitpacket } from './mirror-packets'
import {
  block,
  children,
  imageBlock,
  mirrorOn,
  role,
  system,
  vdmmirrsyncimages,
  vdmmirrterminatesync,
} from './test-support'
import type { Vdm } from './vdm'
import { vdminitpacket } from './vdm-packets'

function fracture(vdm: Vdm, m: Devt, image: Devt, changegranularity: number): number {
  const p = vdmmirrinitpacket('fractureimage')
  p.imagedevicenumber = image
  p.changegranularity = changegranularity
  return vdmioctlsubdriver(vdm, DGVDMMIRRSUBDRIVERID, m, DGVDMMIRRFRACTUREIMAGE, p)
}

function throttle(vdm: Vdm, m: Devt, dest: Devt, ms: number): number {
  const p = vdmmirrinitpacket('throttlesync')
  p.destimage = dest
  p.millisecondsbetweensyncio = ms
  return vdmioctlsubdriver(vdm, DGVDMMIRRSUBDRIVERID, m, DGVDMMIRRTHROTTLESYNC, p)
}

function linkOp(vdm: Vdm, command: number, m: Devt, c: Devt): number {
  const p = vdminitpacket('link')
  p.parentdevicenumber = m
  p.childdevicenumber = c
  return vdm.vdmioctl(command, p)
}

describe('vdmmirr(7) IOCTLS: the two ways to issue a command', () => {
  it('on an open descriptor of the mirror, or through DGVDMIOCTLSUBDRIVER on /dev/vdm', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    const p = vdmmirrinitpacket('syncimages')
    p.sourceimage = t.phys[0]!
    p.numberofdestinations = 1
    p.destimages[0] = t.phys[1]!
    const fd = t.vdm.open(m)
    expect(t.vdm.ioctl(fd, DGVDMMIRRSYNCIMAGES, p)).toBe(0)
    const q = vdmmirrinitpacket('syncimages')
    q.sourceimage = t.phys[0]!
    q.numberofdestinations = 1
    q.destimages[0] = t.phys[2]!
    const wrap = vdminitpacket('ioctlsubdriver')
    Object.assign(wrap, {
      subdriverid: DGVDMMIRRSUBDRIVERID,
      instancedevicenumber: m,
      command: DGVDMMIRRSYNCIMAGES,
      argument: q,
    })
    expect(t.vdm.vdmioctl(DGVDMIOCTLSUBDRIVER, wrap)).toBe(0)
    expect(t.vdm.mirror(m)!.syncs).toHaveLength(2)
  })
})

describe('vdmmirr(7) DGVDMMIRRSYNCIMAGES', () => {
  it('only a non-corrupt image may be the source, unless all are corrupt', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { images: 1 })
    linkOp(t.vdm, DGVDMLINKCHILDINSTANCE, m, t.phys[1]!)
    linkOp(t.vdm, DGVDMLINKCHILDINSTANCE, m, t.phys[2]!)
    expect(vdmmirrsyncimages(t.vdm, m, t.phys[1]!, 1, [t.phys[2]!], 0, false)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    expect(vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[2]!], 0, false)).toBe(0)
  })

  it('only corrupt images may be destinations; never the source itself', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t)
    expect(vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, false)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    expect(vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[0]!], 0, false)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
  })

  it('several destinations in one synchronization copy the source once to all', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { images: 1 })
    const fd = t.vdm.open(m)
    for (let b = 0; b < 64; b++) t.vdm.write(fd, b, block(b + 1))
    linkOp(t.vdm, DGVDMLINKCHILDINSTANCE, m, t.phys[1]!)
    linkOp(t.vdm, DGVDMLINKCHILDINSTANCE, m, t.phys[2]!)
    expect(vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 2, [t.phys[1]!, t.phys[2]!], 0, false)).toBe(0)
    expect(t.vdm.mirror(m)!.syncs).toHaveLength(1)
    t.vdm.syncAll()
    expect(t.vdm.mirror(m)!.syncBlocksCopied).toBe(64)
    for (let b = 0; b < 64; b++) for (const d of t.disks) expect(imageBlock(d, b)).toBe(b + 1)
  })

  it('simultaneous synchronizations must share their source (EBUSY otherwise)', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    const [a, b, c] = t.phys as [number, number, number]
    expect(vdmmirrsyncimages(t.vdm, m, a, 1, [b], 0, false)).toBe(0)
    expect(vdmmirrsyncimages(t.vdm, m, a, 1, [c], 0, false)).toBe(0)
    expect(t.vdm.mirror(m)!.syncs).toHaveLength(2)
    // d0 and d1 usable, d2 being copied from d0: d1 may not start a copy of its own.
    const u = system(3, 16 + 64)
    const n = mirrorOn(u, { images: 3 })
    expect(fracture(u.vdm, n, u.phys[2]!, 0)).toBe(0)
    expect(vdmmirrsyncimages(u.vdm, n, u.phys[0]!, 1, [u.phys[2]!], 0, false)).toBe(0)
    expect(vdmmirrsyncimages(u.vdm, n, u.phys[1]!, 1, [u.phys[2]!], 0, false)).toBe(-1)
    expect(u.vdm.errno).toBe('EBUSY')
  })
})

describe('vdmmirr(7) DGVDMMIRRTERMINATESYNC', () => {
  it('stops only that destination, leaving it corrupt; the others continue', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    const [a, b, c] = t.phys as [number, number, number]
    vdmmirrsyncimages(t.vdm, m, a, 2, [b, c], 0, false)
    t.vdm.syncStep()
    expect(vdmmirrterminatesync(t.vdm, m, b)).toBe(0)
    expect(role(t.vdm, m, b)).toMatchObject({ corrupt: 1, syncdest: 0 })
    expect(role(t.vdm, m, c)).toMatchObject({ corrupt: 0, syncdest: 1 })
    t.vdm.syncAll()
    expect(role(t.vdm, m, c)).toMatchObject({ corrupt: 0, syncdest: 0 })
    expect(vdmmirrterminatesync(t.vdm, m, c)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
  })
})

describe('vdmmirr(7) DGVDMMIRRTHROTTLESYNC', () => {
  it('changes the pace of the whole synchronization found through any one destination', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    const [a, b, c] = t.phys as [number, number, number]
    vdmmirrsyncimages(t.vdm, m, a, 2, [b, c], 5, false)
    expect(t.vdm.mirror(m)!.syncs[0]!.millisecondsBetweenSyncIo).toBe(5)
    expect(throttle(t.vdm, m, c, 100)).toBe(0)
    expect(t.vdm.mirror(m)!.syncs[0]!.millisecondsBetweenSyncIo).toBe(100)
    expect(throttle(t.vdm, m, a, 1)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
  })
})

describe('vdmmirr(7) DGVDMMIRRFRACTUREIMAGE', () => {
  it('the fractured image is corrupt, gets no I/O, and stays on the mirror', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t)
    const fd = t.vdm.open(m)
    t.vdm.write(fd, 1, block(1))
    expect(fracture(t.vdm, m, t.phys[1]!, 4)).toBe(0)
    expect(role(t.vdm, m, t.phys[1]!)).toMatchObject({
      corrupt: 1,
      fractured: 1,
      changegranularity: 4,
    })
    const writes = t.disks[1]!.statistics.writes
    t.vdm.write(fd, 1, block(2))
    t.vdm.fsync(fd)
    t.vdm.close(fd)
    expect(t.disks[1]!.statistics.writes).toBe(writes)
    expect(imageBlock(t.disks[1]!, 1)).toBe(1)
    expect(children(t.vdm, m)).toHaveLength(2)
  })

  it('a synchronization copies only the groups of changegranularity blocks that changed', () => {
    for (const [granularity, expected] of [
      [1, 3],
      [16, 32],
      [0, 256],
    ] as const) {
      const t = system(2, 16 + 256)
      const m = mirrorOn(t)
      const fd = t.vdm.open(m)
      fracture(t.vdm, m, t.phys[1]!, granularity)
      t.vdm.write(fd, 3, block(9))
      t.vdm.write(fd, 4, block(9))
      t.vdm.write(fd, 100, block(9))
      const before = t.vdm.mirror(m)!.syncBlocksCopied
      expect(vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, true)).toBe(0)
      expect(t.vdm.mirror(m)!.syncBlocksCopied - before).toBe(expected)
      for (const b of [3, 4, 100]) expect(imageBlock(t.disks[1]!, b)).toBe(9)
      expect(role(t.vdm, m, t.phys[1]!)).toMatchObject({ corrupt: 0, fractured: 0 })
    }
  })

  it('unlinking a fractured image ends the monitoring: relinked, it needs a full synchronization', () => {
    const t = system(2, 16 + 256)
    const m = mirrorOn(t)
    const fd = t.vdm.open(m)
    fracture(t.vdm, m, t.phys[1]!, 8)
    t.vdm.write(fd, 3, block(9))
    expect(linkOp(t.vdm, DGVDMUNLINKCHILDINSTANCE, m, t.phys[1]!)).toBe(0)
    expect(linkOp(t.vdm, DGVDMLINKCHILDINSTANCE, m, t.phys[1]!)).toBe(0)
    const before = t.vdm.mirror(m)!.syncBlocksCopied
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, true)
    expect(t.vdm.mirror(m)!.syncBlocksCopied - before).toBe(256)
  })

  it('a system failure while fractured loses the monitored changes: a full synchronization', () => {
    const t = system(2, 16 + 256)
    const m = mirrorOn(t)
    const fd = t.vdm.open(m)
    fracture(t.vdm, m, t.phys[1]!, 8)
    t.vdm.write(fd, 3, block(9))
    t.power.cut()
    const u = system(2, 0, { raw: t.raw })
    const [n] = u.vdm.assembleMirrors()
    expect(role(u.vdm, n!, u.phys[1]!)).toMatchObject({ corrupt: 1, fractured: 0 })
    vdmmirrsyncimages(u.vdm, n!, u.phys[0]!, 1, [u.phys[1]!], 0, true)
    // d0 was the only usable image, so nothing was resynchronized at reboot: the copy is the full one.
    expect(u.vdm.mirror(n!)!.syncBlocksCopied).toBe(256)
  })
})

describe('vdmmirr(7) DSKIOCGET and DSKIOCUSAGE', () => {
  it('DSKIOCGET fails with EINVAL when the mirror is not usable', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    const wrap = vdminitpacket('ioctlsubdriver')
    const get = { totalblocks: 0 }
    Object.assign(wrap, {
      subdriverid: DGVDMMIRRSUBDRIVERID,
      instancedevicenumber: m,
      command: DSKIOCGET,
      argument: get,
    })
    expect(t.vdm.vdmioctl(DGVDMIOCTLSUBDRIVER, wrap)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, true)
    expect(t.vdm.vdmioctl(DGVDMIOCTLSUBDRIVER, wrap)).toBe(0)
    expect(get.totalblocks).toBe(64)
  })

  it('DSKIOCUSAGE counts the reads and writes of the instance', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t)
    const fd = t.vdm.open(m)
    t.vdm.write(fd, 0, block(1, 4))
    t.vdm.read(fd, 0, new Uint8Array(512 * 2))
    const usage = { reads: 0, writes: 0, blocksread: 0, blockswritten: 0 }
    expect(t.vdm.ioctl(fd, DSKIOCUSAGE, usage)).toBe(0)
    expect(usage).toEqual({ reads: 1, writes: 1, blocksread: 2, blockswritten: 4 })
  })
})
