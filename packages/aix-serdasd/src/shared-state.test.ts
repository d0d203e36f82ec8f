import { linkSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileBlockDevice } from '@vax-vms/block-device'
import { afterAll, describe, expect, it } from 'vitest'
import { stamped } from '../test/harness'
import {
  ErrorLog,
  IOC,
  ROOT,
  SC,
  SD_NO_RESERVE,
  SerialDasdAdapter,
  SerialDasdController,
  SerialDasdDriver,
  sdIoctlParms,
} from './index'

const dir = mkdtempSync(join(tmpdir(), 'serdasd-shared-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0

/**
 * Two "processes" in one: each host has its own controller object, its own handle on
 * the backing file and its own view of the state file, exactly as separate processes
 * have; only the files are shared.
 */
function sharedHosts() {
  const mediaFile = join(dir, `dasd${++n}.img`)
  const stateFile = `${mediaFile}.state`
  FileBlockDevice.create(mediaFile, 64 + 8).close()
  const side = (connector: number) => {
    const media = FileBlockDevice.open(mediaFile)
    const controller = SerialDasdController.shared({ stateFile, dasds: [{ media, spares: 8 }] })
    const log = new ErrorLog()
    const driver = new SerialDasdDriver({
      adapter: new SerialDasdAdapter(controller, connector),
      dasd: 0,
      errorLog: log,
    })
    return { media, controller, driver, log }
  }
  return { stateFile, a: side(0), b: side(1) }
}

describe('state shared through a state file (README: hosts in several processes)', () => {
  it('a reservation taken in one process shuts out the other', () => {
    const { a, b } = sharedHosts()
    const fdA = a.driver.open()
    expect(fdA.ok).toBe(true)
    expect(b.driver.open()).toMatchObject({ errno: 'EBUSY' })
    expect(b.controller.inspect(0).reservedBy).toBe(0)
    expect(a.driver.write(fdA.rc, stamped(0, 1), 0).rc).toBe(512)
    // B sees A's data through its own file handle.
    expect(b.controller.readMedia(0, 0, 1)).toEqual(stamped(0, 1))
  })

  it("a fence set in one process refuses the other process's writes", () => {
    const { a, b } = sharedHosts()
    const fdA = a.driver.openx(SD_NO_RESERVE, ROOT).rc
    const fdB = b.driver.openx(SC.FORCED_OPEN, ROOT).rc
    expect(
      b.driver.ioctl(fdB, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 })).ok,
    ).toBe(true)
    expect(a.driver.write(fdA, stamped(0, 2), 0)).toMatchObject({ errno: 'EIO' })
    expect(a.controller.readMedia(0, 0, 1).every((x) => x === 0)).toBe(true)
  })

  it('after a power cycle each process learns of it from its next command; the fencer then re-fences', () => {
    const { a, b } = sharedHosts()
    const fdA = a.driver.openx(SD_NO_RESERVE, ROOT).rc
    const fdB = b.driver.openx(SD_NO_RESERVE, ROOT).rc
    b.driver.ioctl(fdB, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    a.controller.powerCycle(0) // in A's process: B's driver cannot hear the event
    expect(b.controller.inspect(0).fence).toBe(0)
    // B's next command meets the power-on report, re-issues the fence, then runs.
    expect(b.driver.read(fdB, new Uint8Array(512), 0).rc).toBe(512)
    expect(b.log.records().map((r) => r.label)).toEqual(['SDD_ERR4'])
    expect(a.controller.inspect(0).fence).toBe(0x8000)
    expect(a.driver.write(fdA, stamped(0, 3), 0)).toMatchObject({ errno: 'EIO' })
  })

  it('a lock left by a process that no longer exists is broken', () => {
    const { stateFile, a } = sharedHosts()
    const dead = `${stateFile}.lock.999999999.1`
    writeFileSync(dead, '')
    linkSync(dead, `${stateFile}.lock`)
    expect(a.driver.open().ok).toBe(true)
    expect(readdirSync(dir).filter((f) => f.includes('999999999'))).toEqual([])
  })
})
