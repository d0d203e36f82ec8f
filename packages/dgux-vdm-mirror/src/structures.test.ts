import { BLOCK_SIZE } from '@vax-vms/block-device'
import { describe, expect, it } from 'vitest'
import {
  type Devt,
  DGVDMDELETEINSTANCE,
  DGVDMGETATTRIBUTES,
  DGVDMGETCHILDINSTANCE,
  DGVDMLINKCHILDINSTANCE,
  DGVDMMIRRSUBDRIVERID,
  DGVDMUNLINKCHILDINSTANCE,
  DGVDMUPDATEATTRIBUTES,
  DSKIOCGET,
  NODEV,
} from './constants'
import { vdmmirrinitpacket } from './mirror-packets'
import {
  block,
  children,
  imageBlock,
  mirrorOn,
  role,
  system,
  type TestSystem,
  vdmmirrsyncimages,
  vdmmirrterminatesync,
} from './test-support'
import type { Vdm } from './vdm'
import { type DgVdmChildInstancePacket, vdminitpacket } from './vdm-packets'

function link(vdm: Vdm, parent: Devt, child: Devt, command = DGVDMLINKCHILDINSTANCE): number {
  const p = vdminitpacket('link')
  p.parentdevicenumber = parent
  p.childdevicenumber = child
  return vdm.vdmioctl(command, p)
}

function deleteInstance(vdm: Vdm, devt: Devt): number {
  const p = vdminitpacket('delete')
  p.devicenumber = devt
  return vdm.vdmioctl(DGVDMDELETEINSTANCE, p)
}

function attributes(vdm: Vdm, m: Devt) {
  const sub = vdmmirrinitpacket('get')
  const p = vdminitpacket('attributes')
  p.devicenumber = m
  p.subdriverattributespacketptr = sub
  expect(vdm.vdmioctl(DGVDMGETATTRIBUTES, p)).toBe(0)
  expect(p.subdriverid).toBe(DGVDMMIRRSUBDRIVERID)
  return sub
}

/** Reboots a test system: the same disks, a new VDM, mirrors assembled from the labels. */
function reboot(t: TestSystem, present = t.raw.map((_, i) => i)): { t: TestSystem; m: Devt } {
  t.power.cut()
  const raw = present.map((i) => t.raw[i]!)
  const next = system(raw.length, 0, { raw })
  const [m] = next.vdm.assembleMirrors()
  return { t: next, m: m ?? NODEV }
}

describe('vdmmirr(7) STRUCTURES: DGVDMCREATEINSTANCE (dgvdmmirrcreatepacket)', () => {
  it('one image: usable at once; several: corrupt until a synchronization, whose source becomes usable at once', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    const [a, b, c] = t.phys as [number, number, number]
    expect(vdmmirrsyncimages(t.vdm, m, b, 2, [a, c], 0, false)).toBe(0)
    expect(role(t.vdm, m, b)).toMatchObject({ corrupt: 0, syncsource: 1 })
    expect(role(t.vdm, m, a)).toMatchObject({ corrupt: 0, syncdest: 1 })
    t.vdm.syncAll()
    expect(
      children(t.vdm, m).map((x) => [x.role.corrupt, x.role.syncdest, x.role.syncsource]),
    ).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ])
  })

  it('automaticsync 1: an unclean reboot synchronizes; 0: only one image stays usable', () => {
    for (const automaticsync of [1, 0]) {
      const t = system(2, 16 + 64)
      const m = mirrorOn(t, { automaticsync })
      const fd = t.vdm.open(m)
      t.vdm.write(fd, 10, block(3))
      const r = reboot(t)
      const mirror = r.t.vdm.mirror(r.m)!
      if (automaticsync) {
        expect(mirror.syncs).toHaveLength(1)
        expect(role(r.t.vdm, r.m, r.t.phys[1]!)).toMatchObject({ syncdest: 1, corrupt: 0 })
      } else {
        expect(mirror.syncs).toHaveLength(0)
        expect(children(r.t.vdm, r.m).map((x) => x.role.corrupt)).toEqual([0, 1])
      }
    }
  })

  it('minimumimagesrequiredtouse: open fails with ENXIO below it; -1 turns the test off', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { min: 3, synced: false })
    expect(t.vdm.open(m)).toBe(-1)
    expect(t.vdm.errno).toBe('ENXIO')
    const upd = vdmmirrinitpacket('update')
    upd.automaticsync = 1
    upd.minimumimagesrequiredtouse = -1
    upd.maximumimagesmissingtouse = -1
    const p = vdminitpacket('attributes')
    p.devicenumber = m
    p.subdriverattributespacketptr = upd
    expect(t.vdm.vdmioctl(DGVDMUPDATEATTRIBUTES, p)).toBe(0)
    expect(t.vdm.open(m)).toBeGreaterThan(0)
  })

  it('maximumimagesmissingtouse: too many missing images fail the open and start no automatic sync; -1 turns it off', () => {
    for (const max of [0, 1, -1]) {
      const t = system(3, 16 + 64)
      const m = mirrorOn(t, { max })
      const fd = t.vdm.open(m)
      t.vdm.write(fd, 1, block(1)) // unclean: a reboot wants to synchronize
      const r = reboot(t, [0, 1]) // the third disk is turned off
      const mirror = r.t.vdm.mirror(r.m)!
      expect(mirror.missing).toBe(1)
      if (max === 0) {
        expect(r.t.vdm.open(r.m)).toBe(-1)
        expect(r.t.vdm.errno).toBe('ENXIO')
        expect(mirror.syncs).toHaveLength(0)
      } else {
        expect(r.t.vdm.open(r.m)).toBeGreaterThan(0)
        expect(mirror.syncs).toHaveLength(1)
      }
    }
  })

  it('an image explicitly removed is not counted as missing', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { max: 0 })
    expect(link(t.vdm, m, t.phys[2]!, DGVDMUNLINKCHILDINSTANCE)).toBe(0)
    const r = reboot(t, [0, 1])
    expect(r.t.vdm.mirror(r.m)!.missing).toBe(0)
    expect(r.t.vdm.open(r.m)).toBeGreaterThan(0)
  })

  it('millisecondsbetweensyncio paces the automatic synchronization, and can be set without automaticsync', () => {
    const t = system(2, 16 + 64)
    const c = vdmmirrinitpacket('create')
    c.automaticsync = 1
    c.minimumimagesrequiredtouse = -1
    c.maximumimagesmissingtouse = -1
    c.millisecondsbetweensyncio = 25
    c.numberofimages = 1
    c.imagedevicenumbers[0] = t.phys[0]!
    const cp = vdminitpacket('create')
    cp.instancename = 'm'
    cp.subdriverid = DGVDMMIRRSUBDRIVERID
    cp.subdriverattributespacketptr = c
    expect(t.vdm.vdmioctl(0x5601, cp)).toBe(0)
    const m = cp.devicenumber
    expect(link(t.vdm, m, t.phys[1]!)).toBe(0)
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, true)
    const fd = t.vdm.open(m)
    t.vdm.write(fd, 1, block(1))
    const r = reboot(t)
    expect(r.t.vdm.mirror(r.m)!.syncs[0]!.millisecondsBetweenSyncIo).toBe(25)
    // Without automaticsync the field is still taken and kept.
    const u = system(1, 16 + 64)
    Object.assign(c, { automaticsync: 0, imagedevicenumbers: [u.phys[0]!, 0, 0] })
    expect(u.vdm.vdmioctl(0x5601, { ...cp, devicenumber: 0 })).toBe(0)
    expect(attributes(u.vdm, u.vdm.findInstance('m')).millisecondsbetweensyncio).toBe(25)
  })
})

describe('vdmmirr(7) STRUCTURES: DGVDMDELETEINSTANCE', () => {
  it('not while open (EBUSY); not while synchronizing until the synchronizations are terminated', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    const fd = t.vdm.open(m)
    expect(deleteInstance(t.vdm, m)).toBe(-1)
    expect(t.vdm.errno).toBe('EBUSY')
    t.vdm.close(fd)
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, false)
    expect(deleteInstance(t.vdm, m)).toBe(-1)
    expect(t.vdm.errno).toBe('EBUSY')
    expect(vdmmirrterminatesync(t.vdm, m, t.phys[1]!)).toBe(0)
    expect(deleteInstance(t.vdm, m)).toBe(0)
    expect(t.vdm.instance(m)).toBeUndefined()
    // The images are free again, and no longer carry the mirror.
    expect(system(2, 0, { raw: t.raw }).vdm.assembleMirrors()).toEqual([])
    expect(t.vdm.open(t.phys[0]!)).toBeGreaterThan(0)
  })
})

describe('vdmmirr(7) STRUCTURES: DGVDMLINKCHILDINSTANCE', () => {
  it('an added image is corrupt until synchronized; no child packet is taken', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { images: 1 })
    const p = vdminitpacket('link')
    p.parentdevicenumber = m
    p.childdevicenumber = t.phys[1]!
    p.childpacketptr = { anything: 1 }
    expect(t.vdm.vdmioctl(DGVDMLINKCHILDINSTANCE, p)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    expect(link(t.vdm, m, t.phys[1]!)).toBe(0)
    expect(role(t.vdm, m, t.phys[1]!).corrupt).toBe(1)
    expect(vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, true)).toBe(0)
    expect(role(t.vdm, m, t.phys[1]!).corrupt).toBe(0)
  })

  it('a fourth image is refused (EINVAL)', () => {
    const t = system(4, 16 + 64)
    const m = mirrorOn(t, { images: 3 })
    expect(link(t.vdm, m, t.phys[3]!)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
  })
})

describe('vdmmirr(7) STRUCTURES: DGVDMUNLINKCHILDINSTANCE', () => {
  const unlink = (vdm: Vdm, m: Devt, c: Devt) => link(vdm, m, c, DGVDMUNLINKCHILDINSTANCE)

  it('"A mirror must have one child": removing the last is EINVAL', () => {
    const t = system(1, 16 + 64)
    const m = mirrorOn(t, { images: 1 })
    expect(unlink(t.vdm, m, t.phys[0]!)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
  })

  it('while open, the last usable image cannot be removed; a corrupt one can', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { images: 1 })
    link(t.vdm, m, t.phys[1]!)
    const fd = t.vdm.open(m)
    expect(unlink(t.vdm, m, t.phys[0]!)).toBe(-1)
    expect(t.vdm.errno).toBe('EBUSY')
    expect(unlink(t.vdm, m, t.phys[1]!)).toBe(0)
    t.vdm.close(fd)
  })

  it('while open with no usable image, any image can be removed; while closed, any', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { images: 3, synced: false })
    const fd = t.vdm.open(m)
    expect(unlink(t.vdm, m, t.phys[0]!)).toBe(0)
    t.vdm.close(fd)
    const u = system(2, 16 + 64)
    const n = mirrorOn(u)
    expect(unlink(u.vdm, n, u.phys[0]!)).toBe(0)
  })

  it('the minimum is not checked on removal, only at the next open (ENXIO)', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { min: 2 })
    expect(unlink(t.vdm, m, t.phys[1]!)).toBe(0)
    expect(t.vdm.open(m)).toBe(-1)
    expect(t.vdm.errno).toBe('ENXIO')
  })
})

describe('vdmmirr(7) STRUCTURES: DGVDMGETCHILDINSTANCE (dgvdmmirrgetchildpacket)', () => {
  it('reports corrupt, syncsource, syncdest with syncblock and sourceimage, and ends with ENOENT', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t, { synced: false })
    const [a, b, c] = t.phys as [number, number, number]
    vdmmirrsyncimages(t.vdm, m, a, 1, [b], 0, false)
    t.vdm.syncStep()
    t.vdm.syncStep()
    const roles = children(t.vdm, m)
    expect(roles.map((x) => x.device)).toEqual([a, b, c])
    expect(roles[0]!.role).toMatchObject({
      corrupt: 0,
      syncsource: 1,
      syncdest: 0,
      sourceimage: NODEV,
    })
    expect(roles[1]!.role).toMatchObject({
      corrupt: 0,
      syncsource: 0,
      syncdest: 1,
      syncblock: 16,
      sourceimage: a,
    })
    expect(roles[2]!.role).toMatchObject({ corrupt: 1, syncsource: 0, syncdest: 0 })
    const p = vdminitpacket('getchild')
    const out: DgVdmChildInstancePacket = {
      childinstance: { devicenumberused: 0, specifiervalue: { devicenumber: 0 } },
      childrolepacketptr: null,
    }
    p.parentsubdriverid = DGVDMMIRRSUBDRIVERID
    p.parentdevicenumber = m
    p.available = 1
    p.childinstancearrayptr = out
    p.key = 3
    expect(t.vdm.vdmioctl(DGVDMGETCHILDINSTANCE, p)).toBe(-1)
    expect(t.vdm.errno).toBe('ENOENT')
  })
})

describe('vdmmirr(7) STRUCTURES: DGVDMGETATTRIBUTES and DGVDMUPDATEATTRIBUTES', () => {
  it('returns the attributes and syncinprogress; an update changes them and survives a reboot', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { synced: false, min: 1, max: 0 })
    expect(attributes(t.vdm, m)).toMatchObject({
      automaticsync: 1,
      syncinprogress: 0,
      minimumimagesrequiredtouse: 1,
      maximumimagesmissingtouse: 0,
      millisecondsbetweensyncio: 0,
    })
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, false)
    expect(attributes(t.vdm, m).syncinprogress).toBe(1)
    const upd = vdmmirrinitpacket('update')
    Object.assign(upd, {
      automaticsync: 0,
      minimumimagesrequiredtouse: 2,
      maximumimagesmissingtouse: 1,
      millisecondsbetweensyncio: 40,
    })
    const p = vdminitpacket('attributes')
    p.devicenumber = m
    p.subdriverattributespacketptr = upd
    expect(t.vdm.vdmioctl(DGVDMUPDATEATTRIBUTES, p)).toBe(0)
    t.vdm.syncAll()
    const r = reboot(t)
    expect(attributes(r.t.vdm, r.m)).toMatchObject({
      automaticsync: 0,
      syncinprogress: 0,
      minimumimagesrequiredtouse: 2,
      maximumimagesmissingtouse: 1,
      millisecondsbetweensyncio: 40,
    })
  })
})

describe('mirror data', () => {
  it('reads return what was written; every usable image holds it', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t)
    const fd = t.vdm.open(m)
    for (let b = 0; b < 64; b += 7) t.vdm.write(fd, b, block(b + 1))
    for (let b = 0; b < 64; b += 7) {
      const buf = new Uint8Array(BLOCK_SIZE)
      t.vdm.read(fd, b, buf)
      expect(buf[0]).toBe(b + 1)
      for (const d of t.disks) expect(imageBlock(d, b)).toBe(b + 1)
    }
    expect(t.vdm.write(fd, 64, block(1))).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    expect(t.vdm.ioctl(fd, DSKIOCGET, { totalblocks: 0 })).toBe(0)
  })
})
