import { describe, expect, it } from 'vitest'
import { twoHosts, WriteLedger } from '../test/harness'
import { IOC, ROOT, SC, SD_NO_RESERVE, SD_RESET_TYPE, sdIoctlParms } from './index'

/**
 * Two-host scenarios. Each ends with the ledger's invariant: no write from a host that
 * was fenced out or reserved out succeeded or reached the media, and the media holds
 * exactly the writes that succeeded.
 */
describe('two hosts sharing a DASD', () => {
  it('reservation conflict: B cannot open or write while A holds the reservation', () => {
    const h = twoHosts()
    const ledger = new WriteLedger(h)
    const fdA = h.a.open().rc
    expect(ledger.write(0, fdA, 0, 4)).toBe(true)
    expect(h.b.open()).toMatchObject({ errno: 'EBUSY' })
    const fdB = h.b.openx(SD_NO_RESERVE, ROOT).rc
    expect(ledger.write(1, fdB, 0, 4)).toBe(false)
    expect(ledger.write(1, fdB, 10, 1)).toBe(false)
    expect(ledger.shutOut(1)).toHaveLength(2)
    expect(ledger.violation()).toBeNull()
  })

  it('forced open: B breaks the reservation; A is shut out from then on', () => {
    const h = twoHosts()
    const ledger = new WriteLedger(h)
    const fdA = h.a.open().rc
    ledger.write(0, fdA, 0, 2)
    const fdB = h.b.openx(SC.FORCED_OPEN, ROOT).rc
    expect(ledger.write(1, fdB, 1, 2)).toBe(true)
    for (let i = 0; i < 5; i++) expect(ledger.write(0, fdA, i, 1)).toBe(false)
    expect(ledger.violation()).toBeNull()
  })

  it('retained reservation: A closes but keeps it; B stays out until it forces', () => {
    const h = twoHosts()
    const ledger = new WriteLedger(h)
    const fdA = h.a.openx(SC.RETAIN_RESERVATION, ROOT).rc
    ledger.write(0, fdA, 0, 1)
    h.a.close(fdA)
    const fdB = h.b.openx(SD_NO_RESERVE, ROOT).rc
    expect(ledger.write(1, fdB, 0, 1)).toBe(false)
    h.b.close(fdB)
    const forced = h.b.openx(SC.FORCED_OPEN, ROOT).rc
    expect(ledger.write(1, forced, 0, 1)).toBe(true)
    expect(ledger.violation()).toBeNull()
  })

  it('fence and unfence: A writes fail while fenced and succeed again after SD_CLEAR_FENCE', () => {
    const h = twoHosts()
    const ledger = new WriteLedger(h)
    const fdA = h.a.openx(SD_NO_RESERVE, ROOT).rc
    const fdB = h.b.openx(SD_NO_RESERVE, ROOT).rc
    ledger.write(0, fdA, 0, 1)
    h.b.ioctl(fdB, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    for (let i = 0; i < 3; i++) expect(ledger.write(0, fdA, i, 1)).toBe(false)
    expect(ledger.write(1, fdB, 5, 1)).toBe(true)
    h.b.ioctl(fdB, IOC.SD_CLEAR_FENCE, sdIoctlParms())
    expect(ledger.write(0, fdA, 6, 1)).toBe(true)
    expect(ledger.violation()).toBeNull()
  })

  it('power cycle: the reservation goes, the fence comes back before A can write', () => {
    const h = twoHosts()
    const ledger = new WriteLedger(h)
    const fdB = h.b.open().rc
    h.b.ioctl(fdB, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    const fdA = h.a.openx(SD_NO_RESERVE, ROOT).rc
    h.controller.powerCycle(0)
    expect(h.controller.inspect(0)).toMatchObject({ reservedBy: -1, fence: 0x8000 })
    for (let i = 0; i < 3; i++) expect(ledger.write(0, fdA, i, 1)).toBe(false)
    // B's first command after the power-on was the re-fence; its writes go on (no reservation now).
    expect(ledger.write(1, fdB, 3, 1)).toBe(true)
    expect(ledger.violation()).toBeNull()
  })

  it('power off: writes fail (EIO, logged) and nothing lands; after power on they work', () => {
    const h = twoHosts()
    const ledger = new WriteLedger(h)
    const fdA = h.a.openx(SD_NO_RESERVE, ROOT).rc
    h.controller.powerOff(0)
    expect(h.a.write(fdA, new Uint8Array(512), 0)).toMatchObject({ errno: 'EIO' })
    expect(h.logA.records().at(-1)?.label).toBe('SDD_ERR1')
    h.controller.powerOn(0)
    expect(ledger.write(0, fdA, 0, 1)).toBe(true)
    expect(ledger.violation()).toBeNull()
  })

  it("reset: a diagnostic SD_RESET breaks A's reservation but not B's fence", () => {
    const h = twoHosts()
    const ledger = new WriteLedger(h)
    const fdA = h.a.open().rc
    const fdB = h.b.openx(SD_NO_RESERVE, ROOT).rc
    h.b.ioctl(fdB, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    h.b.close(fdB)
    const diag = h.b.openx(SC.DIAGNOSTIC, ROOT).rc
    expect(
      h.b.ioctl(diag, IOC.SD_RESET, sdIoctlParms({ reset_type: SD_RESET_TYPE.RESET_OP })).ok,
    ).toBe(true)
    h.b.close(diag)
    expect(h.controller.inspect(0)).toMatchObject({ reservedBy: -1, fence: 0x8000 })
    expect(ledger.write(0, fdA, 0, 1)).toBe(false)
    const fdB2 = h.b.open().rc
    expect(ledger.write(1, fdB2, 0, 1)).toBe(true)
    expect(ledger.violation()).toBeNull()
  })

  it('a fenced-out host cannot reset the DASD to break a reservation', () => {
    const h = twoHosts()
    const fdB = h.b.open().rc
    h.b.ioctl(fdB, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    expect(h.a.openx(SC.FORCED_OPEN, ROOT)).toMatchObject({ errno: 'EIO' })
    expect(h.controller.inspect(0).reservedBy).toBe(1)
  })

  it('adapter failures fail writes with EIO and log them against the adapter', () => {
    const h = twoHosts()
    const fdA = h.a.open().rc
    h.adapterA.faults.notResponding = true
    expect(h.a.write(fdA, new Uint8Array(512), 0)).toMatchObject({ errno: 'EIO' })
    h.adapterA.faults.notResponding = false
    h.adapterA.faults.hardwareFailure = true
    expect(h.a.write(fdA, new Uint8Array(512), 0)).toMatchObject({ errno: 'EIO' })
    h.adapterA.faults.hardwareFailure = false
    h.controller.responding = false
    expect(h.a.write(fdA, new Uint8Array(512), 0)).toMatchObject({ errno: 'EIO' })
    h.controller.responding = true
    h.adapterA.faults.delaySeconds = 31
    expect(h.a.write(fdA, new Uint8Array(512), 0)).toMatchObject({ errno: 'ETIMEDOUT' })
    expect(h.logA.records().map((r) => [r.label, r.resource])).toEqual([
      ['SDA_ERR1', 'serdasda0'],
      ['SDA_ERR2', 'serdasda0'],
      ['SDC_ERR1', 'serdasdc0'],
      ['SDA_ERR3', 'serdasda0'],
    ])
    expect(h.controller.readMedia(0, 0, 1).every((b) => b === 0)).toBe(true)
  })
})
