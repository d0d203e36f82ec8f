import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BLOCK_SIZE, FileBlockDevice } from '@vax-vms/block-device'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DGVDMMIRRFRACTUREIMAGE, NODEV, ORDWR } from './constants'
import { vdmphyscreateinstance } from './library'
import { vdmmirrinitpacket } from './mirror-packets'
import { runSyncs } from './runner'
import {
  block,
  children,
  vdmmirrcreateinstance,
  vdmmirrsyncimages,
  vdmmirrterminatesync,
} from './test-support'
import { Vdm } from './vdm'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vdm-mirror-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Boots a VDM over image files: each file is a physical disk and a phys instance. */
function boot(
  files: string[],
  create = 0,
): { vdm: Vdm; devices: FileBlockDevice[]; phys: number[] } {
  const vdm = new Vdm({ console: () => {}, syncChunkBlocks: 16, regionBlocks: 8 })
  const devices = files.map((f) =>
    create ? FileBlockDevice.create(f, create) : FileBlockDevice.open(f),
  )
  const phys = devices.map((d, i) => {
    vdm.attachDisk(files[i]!, d)
    return vdmphyscreateinstance(vdm, `d${i}`, files[i]!, ORDWR)
  })
  return { vdm, devices, phys }
}

describe('a mirror over image files survives a restart (on-disk labels)', () => {
  it('closing and reopening from the files brings back the mirror, its attributes, states and data', () => {
    const files = [join(dir, 'a.img'), join(dir, 'b.img'), join(dir, 'c.img')]
    const s = boot(files, 16 + 128)
    const m = vdmmirrcreateinstance(s.vdm, 'mir', 3, s.phys, 1, 2, 1)
    expect(m).not.toBe(NODEV)
    vdmmirrsyncimages(s.vdm, m, s.phys[0]!, 2, s.phys.slice(1), 0, true)
    const fd = s.vdm.open(m)
    for (let b = 0; b < 128; b += 5) s.vdm.write(fd, b, block(b + 1))
    const f = vdmmirrinitpacket('fractureimage')
    f.imagedevicenumber = s.phys[2]!
    f.changegranularity = 8
    expect(s.vdm.ioctl(fd, DGVDMMIRRFRACTUREIMAGE, f)).toBe(0)
    expect(s.vdm.close(fd)).toBe(0)
    for (const d of s.devices) d.close()

    const r = boot(files)
    const [m2] = r.vdm.assembleMirrors()
    expect(r.vdm.instance(m2!)?.name).toBe('mir')
    expect(r.vdm.mirror(m2!)?.attributes).toEqual({
      automaticsync: true,
      minimumimagesrequiredtouse: 2,
      maximumimagesmissingtouse: 1,
      millisecondsbetweensyncio: 0,
    })
    expect(r.vdm.mirror(m2!)?.syncs).toHaveLength(0)
    // The fractured image is corrupt; its change map did not survive the restart.
    expect(children(r.vdm, m2!).map((c) => [c.role.corrupt, c.role.fractured])).toEqual([
      [0, 0],
      [0, 0],
      [1, 0],
    ])
    const fd2 = r.vdm.open(m2!)
    for (let b = 0; b < 128; b += 5) {
      const buf = new Uint8Array(BLOCK_SIZE)
      r.vdm.read(fd2, b, buf)
      expect(buf[0]).toBe(b + 1)
    }
    r.vdm.close(fd2)
    for (const d of r.devices) d.close()
  })

  it('a synchronization interrupted by a restart resumes from its checkpoint', async () => {
    const files = [join(dir, 'a.img'), join(dir, 'b.img')]
    const s = boot(files, 16 + 256)
    const m = vdmmirrcreateinstance(s.vdm, 'mir', 2, s.phys, 1, -1, -1)
    vdmmirrsyncimages(s.vdm, m, s.phys[0]!, 1, [s.phys[1]!], 0, false)
    for (let i = 0; i < 100 && s.vdm.mirror(m)!.syncBlocksCopied < 160; i++) s.vdm.syncStep()
    for (const d of s.devices) d.close() // the process dies mid-copy

    const r = boot(files)
    const [m2] = r.vdm.assembleMirrors()
    const mirror = r.vdm.mirror(m2!)!
    expect(mirror.syncs).toHaveLength(1)
    const progress = await runSyncs(r.vdm, { sleep: async () => {} })
    // The default checkpoint (64 MiB) was never reached: the copy starts again, no further.
    expect(progress.total).toBe(256)
    expect(children(r.vdm, m2!).every((c) => c.role.corrupt === 0 && c.role.syncdest === 0)).toBe(
      true,
    )
    expect(vdmmirrterminatesync(r.vdm, m2!, r.phys[1]!)).toBe(-1)
    for (const d of r.devices) d.close()
  })
})
