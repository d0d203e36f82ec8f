import { describe, expect, it } from 'vitest'
import { snapshot, stamped, twoHosts } from '../test/harness'
import { devinfo, ERRNO, IOC, ROOT, SC, SD_NO_RESERVE, sdIoctlParms, USER } from './index'

describe('openx authority (page: "Appropriate authority is required ... EACCES")', () => {
  it('openx without root or diagnostic authority is EACCES and changes nothing', () => {
    const h = twoHosts()
    const before = snapshot(h)
    for (const ext of [0, SC.DIAGNOSTIC, SC.FORCED_OPEN, SD_NO_RESERVE]) {
      expect(h.a.openx(ext, USER)).toEqual({ ok: false, rc: -1, errno: 'EACCES' })
    }
    expect(ERRNO.EACCES).toBe(13)
    expect(snapshot(h)).toBe(before)
  })

  it('openx with diagnostic authority (not root) is allowed', () => {
    const h = twoHosts()
    expect(h.a.openx(SC.DIAGNOSTIC, { diagnostic: true }).ok).toBe(true)
  })

  it('unknown ext bits are EINVAL and change nothing', () => {
    const h = twoHosts()
    const before = snapshot(h)
    for (const ext of [0x10, 0x100, -1, 1.5, Number.NaN])
      expect(h.a.openx(ext, ROOT)).toMatchObject({ rc: -1, errno: 'EINVAL' })
    expect(snapshot(h)).toBe(before)
  })
})

describe('SC_DIAGNOSTIC (page: Diagnostic mode)', () => {
  it('is singly entrant: a second open of any kind is EACCES', () => {
    const h = twoHosts()
    const diag = h.a.openx(SC.DIAGNOSTIC, ROOT)
    expect(diag.ok).toBe(true)
    expect(h.a.openx(SC.DIAGNOSTIC, ROOT)).toMatchObject({ errno: 'EACCES' })
    expect(h.a.open()).toMatchObject({ errno: 'EACCES' })
    expect(h.a.close(diag.rc).ok).toBe(true)
    expect(h.a.open().ok).toBe(true)
  })

  it('cannot be entered while the device is open normally (EACCES)', () => {
    const h = twoHosts()
    h.a.open()
    expect(h.a.openx(SC.DIAGNOSTIC, ROOT)).toMatchObject({ errno: 'EACCES' })
  })

  it('performs no subsystem operation on open or close: no reserve, no reset, no release', () => {
    const h = twoHosts()
    const fdB = h.b.open()
    expect(h.controller.inspect(0).reservedBy).toBe(1)
    // Even with SC_FORCED_OPEN, a diagnostic open sends no reset.
    const diag = h.a.openx(SC.DIAGNOSTIC | SC.FORCED_OPEN, ROOT)
    expect(diag.ok).toBe(true)
    expect(h.controller.inspect(0).reservedBy).toBe(1)
    h.a.close(diag.rc)
    expect(h.controller.inspect(0).reservedBy).toBe(1)
    expect(fdB.ok).toBe(true)
  })

  it('accepts only close and ioctl: read and write are EACCES', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const buf = new Uint8Array(512)
    expect(h.a.read(fd, buf, 0)).toMatchObject({ rc: -1, errno: 'EACCES' })
    expect(h.a.readx(fd, buf, 0, 0)).toMatchObject({ errno: 'EACCES' })
    expect(h.a.write(fd, stamped(0, 1), 0)).toMatchObject({ errno: 'EACCES' })
    expect(h.a.writex(fd, stamped(0, 1), 0, 0)).toMatchObject({ errno: 'EACCES' })
    expect(h.a.ioctl(fd, IOC.IOCINFO, devinfo()).ok).toBe(true)
    expect(h.a.close(fd).ok).toBe(true)
  })

  it('disables error logging', () => {
    const h = twoHosts()
    h.b.open()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    h.adapterA.faults.notResponding = true
    const parms = sdIoctlParms()
    expect(h.a.ioctl(fd, IOC.SD_RESET, parms)).toMatchObject({ errno: 'EIO' })
    expect(h.logA.records()).toHaveLength(0)
  })
})

describe('open and SC_FORCED_OPEN (page: "Forces a DASD reset regardless of ... reserved")', () => {
  it('a normal open reserves the DASD; another host then gets EBUSY', () => {
    const h = twoHosts()
    expect(h.a.open()).toEqual({ ok: true, rc: 3 })
    expect(h.controller.inspect(0).reservedBy).toBe(0)
    expect(h.b.open()).toEqual({ ok: false, rc: -1, errno: 'EBUSY' })
    expect(h.logB.records().map((r) => r.label)).toEqual(['SDD_ERR3'])
  })

  it('a forced open resets the DASD first, overtaking the reservation', () => {
    const h = twoHosts()
    const fdA = h.a.open().rc
    const fdB = h.b.openx(SC.FORCED_OPEN, ROOT)
    expect(fdB.ok).toBe(true)
    expect(h.controller.inspect(0).reservedBy).toBe(1)
    // A's writes now conflict and reach nothing.
    expect(h.a.write(fdA, stamped(0, 1), 0)).toMatchObject({ errno: 'EBUSY' })
    expect(h.b.write(fdB.rc, stamped(1, 1), 0).rc).toBe(512)
    expect(h.controller.readMedia(0, 0, 1)[0]).toBe(2)
  })

  it('a forced open with SD_NO_RESERVE breaks the reservation and takes none', () => {
    const h = twoHosts()
    h.a.open()
    expect(h.b.openx(SC.FORCED_OPEN | SD_NO_RESERVE, ROOT).ok).toBe(true)
    expect(h.controller.inspect(0).reservedBy).toBe(-1)
  })
})

describe('SC_RETAIN_RESERVATION (page: "Retains the reservation ... after a close")', () => {
  it('the last close releases the reservation unless it was retained', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    h.a.close(fd)
    expect(h.controller.inspect(0).reservedBy).toBe(-1)
    const kept = h.a.openx(SC.RETAIN_RESERVATION, ROOT).rc
    h.a.close(kept)
    expect(h.controller.inspect(0).reservedBy).toBe(0)
    // Other initiators stay out until they break it.
    expect(h.b.open()).toMatchObject({ errno: 'EBUSY' })
    expect(h.b.openx(SC.FORCED_OPEN, ROOT).ok).toBe(true)
  })

  it('a retained reservation is released by a later session that did not ask to retain it', () => {
    const h = twoHosts()
    h.a.close(h.a.openx(SC.RETAIN_RESERVATION, ROOT).rc)
    expect(h.controller.inspect(0).reservedBy).toBe(0)
    h.a.close(h.a.open().rc)
    expect(h.controller.inspect(0).reservedBy).toBe(-1)
  })

  it('the release waits for the last close of the host', () => {
    const h = twoHosts()
    const one = h.a.open().rc
    const two = h.a.open().rc
    h.a.close(one)
    expect(h.controller.inspect(0).reservedBy).toBe(0)
    h.a.close(two)
    expect(h.controller.inspect(0).reservedBy).toBe(-1)
  })
})

describe('SD_NO_RESERVE (page: "two processors that synchronize ... by their own software")', () => {
  it('neither host reserves; both read and write', () => {
    const h = twoHosts()
    const fdA = h.a.openx(SD_NO_RESERVE, ROOT).rc
    const fdB = h.b.openx(SD_NO_RESERVE, ROOT).rc
    expect(h.controller.inspect(0).reservedBy).toBe(-1)
    expect(h.a.write(fdA, stamped(0, 1), 0).rc).toBe(512)
    expect(h.b.write(fdB, stamped(1, 1), 512).rc).toBe(512)
    const back = new Uint8Array(1024)
    expect(h.b.read(fdB, back, 0).rc).toBe(1024)
    expect([back[0], back[512]]).toEqual([1, 2])
    // Closing takes nothing away from the other host.
    h.a.close(fdA)
    expect(h.b.write(fdB, stamped(1, 2), 0).rc).toBe(512)
  })
})

describe('close', () => {
  it('an unknown descriptor is EBADF', () => {
    const h = twoHosts()
    expect(h.a.close(99)).toMatchObject({ errno: 'EBADF' })
    const fd = h.a.open().rc
    h.a.close(fd)
    expect(h.a.close(fd)).toMatchObject({ errno: 'EBADF' })
  })
})
