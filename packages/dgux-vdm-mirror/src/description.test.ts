import { BLOCK_SIZE } from '@vax-vms/block-device'
import { describe, expect, it } from 'vitest'
import { DSKIOCGET, NODEV } from './constants'
import { readLabel } from './label'
import {
  block,
  children,
  imageBlock,
  mirrorOn,
  role,
  system,
  vdmmirrcreateinstance,
  vdmmirrsyncimages,
} from './test-support'

function labelOf(device: { read(b: number, buf: Uint8Array): void }) {
  return readLabel((b, buf) => device.read(b, buf))
}

describe('vdmmirr(7) DESCRIPTION', () => {
  it('"A mirror has up to three children": four images are refused with EINVAL', () => {
    const t = system(4, 64)
    expect(vdmmirrcreateinstance(t.vdm, 'm', 4, t.phys, 1, -1, -1)).toBe(NODEV)
    expect(t.vdm.errno).toBe('EINVAL')
    expect(vdmmirrcreateinstance(t.vdm, 'm', 3, t.phys.slice(0, 3), 1, -1, -1)).not.toBe(NODEV)
  })

  it('"When a mirror is first created, all of the images ... are considered corrupt", but a lone image is not', () => {
    const t = system(3, 64)
    const two = vdmmirrcreateinstance(t.vdm, 'two', 2, t.phys.slice(0, 2), 1, -1, -1)
    expect(children(t.vdm, two).map((c) => c.role.corrupt)).toEqual([1, 1])
    const one = vdmmirrcreateinstance(t.vdm, 'one', 1, [t.phys[2]!], 1, -1, -1)
    expect(children(t.vdm, one).map((c) => c.role.corrupt)).toEqual([0])
  })

  it('an image being synchronized is usable: it accepts writes but is not read from, nor used as a source', () => {
    const t = system(3, 16 + 200)
    const m = mirrorOn(t, { images: 3, synced: false })
    const [a, b, c] = t.phys as [number, number, number]
    // minimumimagesrequiredtouse is -1: the mirror opens, but with every image corrupt nothing can be read.
    const fd0 = t.vdm.open(m)
    expect(fd0).toBeGreaterThan(0)
    expect(t.vdm.read(fd0, 0, new Uint8Array(BLOCK_SIZE))).toBe(-1)
    expect(t.vdm.errno).toBe('EIO')
    expect(vdmmirrsyncimages(t.vdm, m, a, 1, [b], 0, false)).toBe(0)
    expect(role(t.vdm, m, b)).toMatchObject({ corrupt: 0, syncdest: 1, sourceimage: a })
    expect(role(t.vdm, m, a)).toMatchObject({ corrupt: 0, syncsource: 1 })
    const fd = t.vdm.open(m)
    // A write lands on the destination too, far ahead of the copy.
    expect(t.vdm.write(fd, 150, block(7))).toBe(0)
    expect(imageBlock(t.disks[1]!, 150)).toBe(7)
    // Reads never come from it: change its copy underneath and read through the mirror.
    t.disks[1]!.write(16 + 150, block(99))
    const buf = new Uint8Array(BLOCK_SIZE)
    t.vdm.read(fd, 150, buf)
    expect(buf[0]).toBe(7)
    // "it cannot be used as an up to date image for a synchronization"
    expect(vdmmirrsyncimages(t.vdm, m, b, 1, [c], 0, false)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    t.vdm.syncAll()
    expect(role(t.vdm, m, b)).toMatchObject({ corrupt: 0, syncdest: 0 })
    t.vdm.close(fd)
  })

  it('a failed write makes the image corrupt and writes a console message naming it', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t)
    const fd = t.vdm.open(m)
    t.disks[1]!.failNextWrites(1)
    expect(t.vdm.write(fd, 3, block(4))).toBe(0)
    expect(role(t.vdm, m, t.phys[1]!).corrupt).toBe(1)
    expect(t.console.some((l) => l.includes('d1') && l.includes('write failed'))).toBe(true)
    // The corrupt image is no longer written.
    t.vdm.write(fd, 5, block(6))
    expect(imageBlock(t.disks[1]!, 5)).toBe(0)
    expect(imageBlock(t.disks[0]!, 5)).toBe(6)
    // The labels on the good image say so, durably.
    expect(labelOf(t.raw[0]!)?.members[1]?.state).toBe('corrupt')
  })

  it('a torn write or a dead disk: that image becomes corrupt, the mirror goes on with the others', () => {
    const t = system(3, 16 + 64)
    const m = mirrorOn(t)
    const fd = t.vdm.open(m)
    t.disks[1]!.tearNextWrite()
    expect(t.vdm.write(fd, 8, block(3, 4))).toBe(0)
    expect(role(t.vdm, m, t.phys[1]!).corrupt).toBe(1)
    t.disks[2]!.failDevice()
    expect(t.vdm.write(fd, 20, block(4))).toBe(0)
    expect(children(t.vdm, m).map((c) => c.role.corrupt)).toEqual([0, 1, 1])
    expect(t.console.filter((l) => l.includes('write failed'))).toHaveLength(2)
    const buf = new Uint8Array(4 * BLOCK_SIZE)
    expect(t.vdm.read(fd, 8, buf)).toBe(0)
    expect(buf).toEqual(block(3, 4))
    // The last image failing too: the write is EIO.
    t.disks[0]!.failDevice()
    expect(t.vdm.write(fd, 0, block(1))).toBe(-1)
    expect(t.vdm.errno).toBe('EIO')
  })

  it('a write marks the images out of date on disk; a proper close marks them identically', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t)
    expect(labelOf(t.raw[0]!)?.clean).toBe(true)
    const fd = t.vdm.open(m)
    t.vdm.write(fd, 0, block(1))
    expect(labelOf(t.raw[0]!)?.clean).toBe(false)
    expect(labelOf(t.raw[1]!)?.clean).toBe(false)
    t.vdm.close(fd)
    const [l0, l1] = [labelOf(t.raw[0]!)!, labelOf(t.raw[1]!)!]
    expect(l0.clean && l1.clean).toBe(true)
    expect(l0.generation).toBe(l1.generation)
    expect({ ...l0, imageId: '' }).toEqual({ ...l1, imageId: '' })
    // And the write-intent bitmaps are empty: nothing to resync.
    for (const raw of t.raw) {
      const bits = new Uint8Array(8 * BLOCK_SIZE)
      raw.read(8, bits)
      expect(bits.every((x) => x === 0)).toBe(true)
    }
  })

  it('after a proper close no synchronization is performed on reboot; after a crash one is', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t)
    const fd = t.vdm.open(m)
    t.vdm.write(fd, 0, block(1))
    t.vdm.close(fd)
    const clean = system(2, 0, { raw: t.raw })
    const [m1] = clean.vdm.assembleMirrors()
    expect(clean.vdm.mirror(m1!)?.syncs).toHaveLength(0)

    const fd1 = clean.vdm.open(m1!)
    clean.vdm.write(fd1, 9, block(2))
    clean.power.cut() // no close
    const crashed = system(2, 0, { raw: t.raw })
    const [m2] = crashed.vdm.assembleMirrors()
    const mirror = crashed.vdm.mirror(m2!)!
    expect(mirror.syncs).toHaveLength(1)
    crashed.vdm.syncAll()
    // Only the region written (8 blocks here) was copied, not the whole mirror.
    expect(mirror.syncBlocksCopied).toBe(8)
  })

  it('images being synchronized count as usable for minimumimagesrequiredtouse', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { min: 2, synced: false })
    expect(t.vdm.open(m)).toBe(-1)
    expect(t.vdm.errno).toBe('ENXIO')
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, false)
    expect(t.vdm.mirror(m)?.syncs).toHaveLength(1)
    expect(t.vdm.open(m)).toBeGreaterThan(0)
  })

  it('DSKIOCGET works on a usable mirror', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t)
    const get = { totalblocks: 0 }
    expect(t.vdm.ioctl(t.vdm.open(m), DSKIOCGET, get)).toBe(0)
    expect(get.totalblocks).toBe(64)
  })
})
