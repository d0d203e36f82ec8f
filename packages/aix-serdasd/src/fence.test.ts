import { describe, expect, it } from 'vitest'
import { CAPACITY, stamped, twoHosts } from '../test/harness'
import {
  fenceBit,
  fenceCdb,
  IOC,
  OP,
  READ10_RWR,
  ROOT,
  rw10,
  SC,
  SC_STATUS,
  SCSI_STATUS,
  SD_RESET_TYPE,
  type SdIocmd,
  type SerialDasdDriver,
  sdIocmd,
  sdIoctlParms,
  simple6,
} from './index'

/** Sends one command through SD_SCSICMD on descriptor `fd` (root). */
function command(
  d: SerialDasdDriver,
  fd: number,
  build: (cdb: Uint8Array) => number,
  length = 0,
  buffer: Uint8Array | null = length > 0 ? new Uint8Array(length) : null,
): { rc: number; errno?: string; cmd: SdIocmd } {
  const cmd = sdIocmd({ data_length: length, buffer })
  cmd.command_length = build(cmd.scsi_cdb)
  const r = d.ioctl(fd, IOC.SD_SCSICMD, cmd, ROOT)
  return { rc: r.rc, ...(r.ok ? {} : { errno: r.errno }), cmd }
}

function fenceReply(buffer: Uint8Array | null): { position: number; old: number } {
  const b = buffer ?? new Uint8Array(4)
  return { position: ((b[0] ?? 0) << 8) | (b[1] ?? 0), old: ((b[2] ?? 0) << 8) | (b[3] ?? 0) }
}

describe('Serial DASD Fence command (INDEX.md facts; Kernel and Subsystems Technical Reference)', () => {
  it('host connector n is fence register bit n counted from the left (0x8000 >> n)', () => {
    expect([0, 1, 7].map(fenceBit)).toEqual([0x8000, 0x4000, 0x0100])
  })

  it('a zero mask changes nothing and returns the host position and the register', () => {
    const h = twoHosts()
    const fdB = h.b.openx(SC.NO_RESERVE, ROOT)
    const r = command(h.b, fdB.rc, (c) => fenceCdb(c, 0, 0), 4)
    expect(r.rc).toBe(0)
    expect(fenceReply(r.cmd.buffer)).toEqual({ position: 0x4000, old: 0 })
    expect(h.controller.inspect(0).fence).toBe(0)
  })

  it('mask and swap: new = (data & mask) | (old & ~mask)', () => {
    const h = twoHosts()
    const fd = h.b.openx(SC.NO_RESERVE, ROOT).rc
    command(h.b, fd, (c) => fenceCdb(c, 0xffff, 0x2a81), 4)
    expect(h.controller.inspect(0).fence).toBe(0x2a81)
    const r = command(h.b, fd, (c) => fenceCdb(c, 0x0f0f, 0x0500), 4)
    expect(fenceReply(r.cmd.buffer).old).toBe(0x2a81)
    expect(h.controller.inspect(0).fence).toBe((0x0500 & 0x0f0f) | (0x2a81 & ~0x0f0f & 0xffff))
  })

  it('a fenced-out host may issue Inquiry, Request Sense, Fence with Force Fence, Read(10) with RWR', () => {
    const h = twoHosts()
    const fdA = h.a.openx(SC.NO_RESERVE, ROOT).rc
    const fdB = h.b.openx(SC.NO_RESERVE, ROOT).rc
    command(h.b, fdB, (c) => fenceCdb(c, 0x8000, 0x8000), 4)
    expect(command(h.a, fdA, (c) => simple6(c, OP.INQUIRY, 36), 36).rc).toBe(0)
    expect(command(h.a, fdA, (c) => simple6(c, OP.REQUEST_SENSE, 18), 18).rc).toBe(0)
    expect(command(h.a, fdA, (c) => rw10(c, OP.READ_10, 0, 1, true), 512).rc).toBe(0)
    // Without RWR, Read(10) is refused with the fenced-out status.
    const plain = command(h.a, fdA, (c) => rw10(c, OP.READ_10, 0, 1), 512)
    expect(plain).toMatchObject({ rc: -1, errno: 'EIO' })
    expect(plain.cmd).toMatchObject({
      status_validity: SC_STATUS.SCSI_ERROR,
      scsi_bus_status: SCSI_STATUS.FENCED_OUT,
    })
    // Fence without Force Fence from a fenced-out host fails; with it, it runs.
    expect(command(h.a, fdA, (c) => fenceCdb(c, 0x8000, 0), 4).cmd.scsi_bus_status).toBe(
      SCSI_STATUS.FENCED_OUT,
    )
    expect(h.controller.inspect(0).fence).toBe(0x8000)
    expect(command(h.a, fdA, (c) => fenceCdb(c, 0x8000, 0, true), 4).rc).toBe(0)
    expect(h.controller.inspect(0).fence).toBe(0)
    expect(READ10_RWR).toBe(0x02)
  })

  it('a fenced-out host cannot write, reserve, or test the unit', () => {
    const h = twoHosts()
    const fdA = h.a.openx(SC.NO_RESERVE, ROOT).rc
    const fdB = h.b.openx(SC.NO_RESERVE, ROOT).rc
    command(h.b, fdB, (c) => fenceCdb(c, 0x8000, 0x8000), 4)
    expect(h.a.write(fdA, stamped(0, 1), 0)).toMatchObject({ rc: -1, errno: 'EIO' })
    expect(h.a.open()).toMatchObject({ rc: -1, errno: 'EIO' })
    expect(h.controller.readMedia(0, 0, 1).every((x) => x === 0)).toBe(true)
    expect(h.controller.inspect(0).reservedBy).toBe(-1)
  })

  it('a reset does not clear a fence; cycling power does', () => {
    const h = twoHosts()
    const fdB = h.b.openx(SC.NO_RESERVE, ROOT).rc
    command(h.b, fdB, (c) => fenceCdb(c, 0x8000, 0x8000), 4)
    h.b.close(fdB)
    const diag = h.b.openx(SC.DIAGNOSTIC, ROOT).rc
    const parms = sdIoctlParms({ reset_type: SD_RESET_TYPE.RESET_OP })
    expect(h.b.ioctl(diag, IOC.SD_RESET, parms).rc).toBe(0)
    expect(h.controller.inspect(0).fence).toBe(0x8000)
    h.controller.powerCycle(0)
    expect(h.controller.inspect(0).fence).toBe(0)
  })

  it('Compare and Swap and unknown modifiers are refused with CHECK CONDITION', () => {
    const h = twoHosts()
    const fd = h.b.openx(SC.NO_RESERVE, ROOT).rc
    const r = command(
      h.b,
      fd,
      (c) => {
        const n = fenceCdb(c, 0xffff, 0xffff)
        c[1] = 0x02
        return n
      },
      4,
    )
    expect(r.cmd.scsi_bus_status).toBe(SCSI_STATUS.CHECK_CONDITION)
    expect(h.controller.inspect(0).fence).toBe(0)
  })

  it('the register holds 16 bits; bits past connector 7 can be set but name no host', () => {
    const h = twoHosts()
    const fd = h.b.openx(SC.NO_RESERVE, ROOT).rc
    command(h.b, fd, (c) => fenceCdb(c, 0x00ff, 0x00ff), 4)
    expect(h.controller.inspect(0).fence).toBe(0x00ff)
    const fdA = h.a.openx(SC.NO_RESERVE, ROOT)
    expect(fdA.ok).toBe(true)
    expect(h.a.write(fdA.rc, stamped(0, 1), (CAPACITY - 1) * 512).rc).toBe(512)
  })
})
