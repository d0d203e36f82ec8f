import { MemoryBlockDevice } from '@vax-vms/block-device'
import { describe, expect, it } from 'vitest'
import { CAPACITY, snapshot, stamped, twoHosts } from '../test/harness'
import {
  devinfo,
  IOC,
  MAX_TRANSFER,
  RW,
  SerialDasdAdapter,
  SerialDasdController,
  SerialDasdDriver,
} from './index'

describe('read and write', () => {
  it('write then read returns the data, across several max_request chunks', () => {
    const controller = new SerialDasdController({ dasds: [{ media: new MemoryBlockDevice(1400) }] })
    const d = new SerialDasdDriver({ adapter: new SerialDasdAdapter(controller, 3), dasd: 0 })
    const fd = d.open().rc
    const data = new Uint8Array(2 * MAX_TRANSFER + 4096)
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 9)) & 0xff
    expect(d.write(fd, data, 4096)).toEqual({ ok: true, rc: data.length })
    const back = new Uint8Array(data.length)
    expect(d.read(fd, back, 4096).rc).toBe(data.length)
    // Buffer.compare: toEqual walks half a megabyte element by element.
    expect(Buffer.compare(back, data)).toBe(0)
    expect(Buffer.compare(controller.readMedia(0, 8, data.length / 512), data)).toBe(0)
  })

  it('a zero-length transfer returns 0', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    expect(h.a.read(fd, new Uint8Array(0), 0)).toEqual({ ok: true, rc: 0 })
  })

  it('unaligned buffers and offsets are EINVAL, past the end ENXIO, a bad descriptor EBADF; nothing changes', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    const before = snapshot(h)
    expect(h.a.write(fd, new Uint8Array(100), 0)).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.write(fd, stamped(0, 1), 100)).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.write(fd, stamped(0, 1), -512)).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.write(fd, stamped(0, 1), 0.5)).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.write(fd, 'text' as unknown as Uint8Array, 0)).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.writex(fd, stamped(0, 1), 0, 0x80)).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.write(fd, stamped(0, 1, 2), (CAPACITY - 1) * 512)).toMatchObject({ errno: 'ENXIO' })
    expect(h.a.read(fd, new Uint8Array(512), CAPACITY * 512)).toMatchObject({ errno: 'ENXIO' })
    expect(h.a.write(42, stamped(0, 1), 0)).toMatchObject({ errno: 'EBADF' })
    expect(snapshot(h)).toBe(before)
  })

  it('devinfo byte and segment counts follow the bytes moved', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    h.a.write(fd, new Uint8Array(4096), 0)
    h.a.read(fd, new Uint8Array(1024), 0)
    const info = devinfo()
    h.a.ioctl(fd, IOC.IOCINFO, info)
    expect(info.un.scdk).toMatchObject({ segment_count: 0, byte_count: 5120 })
  })
})

describe('readx and writex extensions (page: WRITEV, HWRELOC, UNSAFEREL)', () => {
  it('WRITEV issues Write And Verify: a weak block fails to verify (EIO, logged)', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    h.controller.addDefect(0, 5, 'recovered')
    // A plain write does not verify, so it succeeds.
    expect(h.a.write(fd, stamped(0, 1), 5 * 512).rc).toBe(512)
    expect(h.a.writex(fd, stamped(0, 2), 5 * 512, RW.WRITEV)).toMatchObject({ errno: 'EIO' })
    expect(h.logA.records().map((r) => [r.label, r.detail.block])).toEqual([['SDM_ERR1', 5]])
  })

  it('WRITEV | HWRELOC relocates the weak block and the write then verifies', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    h.controller.addDefect(0, 5, 'recovered')
    expect(h.a.writex(fd, stamped(0, 3, 2), 4 * 512, RW.WRITEV | RW.HWRELOC).rc).toBe(1024)
    const unit = h.controller.inspect(0)
    expect(unit.relocated).toEqual({ 5: 0 })
    expect(unit.defects).toEqual({})
    expect(h.controller.readMedia(0, 4, 2)).toEqual(stamped(0, 3, 2))
    expect(h.logA.records().map((r) => r.label)).toEqual(['SDM_ERR3'])
  })

  it('a write to an unrecoverable block fails without HWRELOC and is relocated safely with it', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    h.controller.addDefect(0, 9, 'unrecoverable')
    expect(h.a.write(fd, stamped(0, 1), 9 * 512)).toMatchObject({ errno: 'EIO' })
    expect(h.controller.inspect(0).relocated).toEqual({})
    expect(h.a.writex(fd, stamped(0, 2), 9 * 512, RW.HWRELOC).rc).toBe(512)
    expect(h.controller.readMedia(0, 9, 1)).toEqual(stamped(0, 2))
  })

  it('a read of a weak block succeeds (recovered error, logged TEMP); HWRELOC moves it with its data', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    h.a.write(fd, stamped(0, 7), 12 * 512)
    h.controller.addDefect(0, 12, 'recovered')
    const buf = new Uint8Array(512)
    expect(h.a.read(fd, buf, 12 * 512).rc).toBe(512)
    expect(buf).toEqual(stamped(0, 7))
    expect(h.controller.inspect(0).relocated).toEqual({})
    expect(h.a.readx(fd, buf, 12 * 512, RW.HWRELOC).rc).toBe(512)
    expect(h.controller.inspect(0).relocated).toEqual({ 12: 0 })
    expect(h.controller.readMedia(0, 12, 1)).toEqual(stamped(0, 7))
    expect(h.logA.records().map((r) => `${r.label} ${r.type}`)).toEqual([
      'SDM_ERR2 TEMP',
      'SDM_ERR2 TEMP',
      'SDM_ERR3 INFO',
    ])
  })

  it('an unrecoverable read is EIO; HWRELOC (safe only) does not relocate it, UNSAFEREL does', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    h.a.write(fd, stamped(0, 7), 20 * 512)
    h.controller.addDefect(0, 20, 'unrecoverable')
    const buf = new Uint8Array(512)
    expect(h.a.read(fd, buf, 20 * 512)).toMatchObject({ errno: 'EIO' })
    expect(h.a.readx(fd, buf, 20 * 512, RW.HWRELOC)).toMatchObject({ errno: 'EIO' })
    expect(h.controller.inspect(0).relocated).toEqual({})
    expect(h.a.readx(fd, buf, 20 * 512, RW.UNSAFEREL)).toMatchObject({ errno: 'EIO' })
    expect(h.controller.inspect(0).relocated).toEqual({ 20: 0 })
    // The data was lost, but the block reads again (zeros).
    expect(h.a.read(fd, buf, 20 * 512).rc).toBe(512)
    expect(buf.every((b) => b === 0)).toBe(true)
  })

  it('once the spares run out a relocation fails with EIO', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    for (let i = 0; i < 9; i++) h.controller.addDefect(0, 100 + i, 'unrecoverable')
    for (let i = 0; i < 8; i++)
      expect(h.a.writex(fd, stamped(0, i), (100 + i) * 512, RW.HWRELOC).ok).toBe(true)
    expect(h.a.writex(fd, stamped(0, 9), 108 * 512, RW.HWRELOC)).toMatchObject({ errno: 'EIO' })
  })
})
