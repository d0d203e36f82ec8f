import { MemoryBlockDevice } from '@vax-vms/block-device'
import { describe, expect, it } from 'vitest'
import { DSKIOCGET, NODEV, ORDWR } from './constants'
import type { DskGetPacket } from './mirror-packets'
import {
  block,
  children,
  vdmmirrcreateinstance,
  vdmmirrsyncimages,
  vdmmirrsyncmirror,
  vdmpartcreateinstance,
  vdmphyscreateinstance,
} from './test-support'
import { Vdm } from './vdm'

/** vdmmirr(7), EXAMPLE: `vdmmirrexample`, ported call for call. */
function vdmmirrexample(vdm: Vdm): { status: number; c: number; images: number[] } {
  const adevicenumber = vdmphyscreateinstance(vdm, 'a', 'sd(insc(),0)', ORDWR)
  expect(adevicenumber).not.toBe(NODEV)
  const bdevicenumber = vdmphyscreateinstance(vdm, 'b', 'sd(insc(),1)', ORDWR)
  expect(bdevicenumber).not.toBe(NODEV)
  // Two partitions (of two disks) to mirror.
  const images = [
    vdmpartcreateinstance(vdm, 'image0', 0, 10000, adevicenumber, NODEV),
    vdmpartcreateinstance(vdm, 'image1', 0, 10000, bdevicenumber, NODEV),
  ]
  expect(images).not.toContain(NODEV)
  // Create the mirror and sync it.
  const cdevicenumber = vdmmirrcreateinstance(vdm, 'c', 2, images, 1, 2, 0)
  expect(cdevicenumber).not.toBe(NODEV)
  const status = vdmmirrsyncmirror(vdm, cdevicenumber, 0)
  return { status, c: cdevicenumber, images }
}

function bootedVdm(): Vdm {
  const vdm = new Vdm({ console: () => {}, syncChunkBlocks: 256 })
  vdm.attachDisk('sd(insc(),0)', new MemoryBlockDevice(20000))
  vdm.attachDisk('sd(insc(),1)', new MemoryBlockDevice(20000))
  return vdm
}

describe('vdmmirr(7) EXAMPLE', () => {
  it('creates disks a and b, partitions image0 and image1 and mirror "c"; vdmmirrsyncmirror returns 0', () => {
    const vdm = bootedVdm()
    const { status, c, images } = vdmmirrexample(vdm)
    expect(status).toBe(0)
    expect(vdm.instance(c)?.name).toBe('c')
    // "When a mirror is first created, all of the images on the mirror are considered
    // corrupt": so vdmmirrsyncmirror finds no good image and, as the page's code is
    // written, starts nothing.
    expect(children(vdm, c).map((x) => [x.device, x.role.corrupt])).toEqual([
      [images[0], 1],
      [images[1], 1],
    ])
    // minimumimagesrequiredtouse is 2: the mirror cannot be opened yet (ENXIO).
    expect(vdm.open(c)).toBe(-1)
    expect(vdm.errno).toBe('ENXIO')
  })

  it('a synchronization from image0 (allowed: all images are corrupt) makes "c" usable', () => {
    const vdm = bootedVdm()
    const { c, images } = vdmmirrexample(vdm)
    const [image0, image1] = images as [number, number]
    expect(vdmmirrsyncimages(vdm, c, image0, 1, [image1], 0, false)).toBe(0)
    // The source is usable at once and the destination counts as usable: open succeeds.
    const fd = vdm.open(c)
    expect(fd).toBeGreaterThan(0)
    vdm.write(fd, 100, block(0x5a, 4))
    expect(vdmmirrsyncmirror(vdm, c, 0)).toBe(0)
    // Wait for the synchronization as vdmmirrsyncimages(..., wait) does.
    expect(vdmmirrsyncimages(vdm, c, image0, 1, [image1], 0, true)).toBe(-1) // image1 is not corrupt any more
    vdm.syncAll()
    expect(children(vdm, c).map((x) => [x.role.corrupt, x.role.syncdest])).toEqual([
      [0, 0],
      [0, 0],
    ])
    const get: DskGetPacket = { totalblocks: 0 }
    expect(vdm.ioctl(fd, DSKIOCGET, get)).toBe(0)
    expect(get.totalblocks).toBe(10000 - 16)
    const b = new Uint8Array(4 * 512)
    vdm.read(fd, 100, b)
    expect(b).toEqual(block(0x5a, 4))
    expect(vdm.close(fd)).toBe(0)
  })

  it('vdmmirrsyncimages with wait polls DGVDMGETCHILDINSTANCE until the destination is done', () => {
    const vdm = bootedVdm()
    const { c, images } = vdmmirrexample(vdm)
    const [image0, image1] = images as [number, number]
    expect(vdmmirrsyncimages(vdm, c, image0, 1, [image1], 0, true)).toBe(0)
    expect(vdm.mirror(c)?.syncs).toHaveLength(0)
    expect(children(vdm, c).every((x) => x.role.corrupt === 0 && x.role.syncdest === 0)).toBe(true)
  })
})
