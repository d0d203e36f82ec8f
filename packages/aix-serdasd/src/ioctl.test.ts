import { describe, expect, it } from 'vitest'
import { CAPACITY, snapshot, stamped, twoHosts } from '../test/harness'
import {
  type ConcCmd,
  DD_CONC,
  DEVINFO,
  ddConcRegister,
  devinfo,
  fenceCdb,
  IOC,
  MAX_TRANSFER,
  OP,
  ROOT,
  ROOT_COMMANDS,
  rw10,
  SC,
  SC_ADAPTER,
  SC_STATUS,
  SCSI_STATUS,
  SD_ADAP,
  SD_DD_PURGED_TAG,
  SD_RESET_TYPE,
  SD_STATUS,
  sdIocmd,
  sdIoctlParms,
  simple6,
  USER,
} from './index'

function iocmd(op: (cdb: Uint8Array) => number, length = 0) {
  const cmd = sdIocmd({ data_length: length, buffer: length ? new Uint8Array(length) : null })
  cmd.command_length = op(cmd.scsi_cdb)
  return cmd
}

describe('IOCINFO (page: devinfo, scdk for a DASD; adapter, controller or DASD)', () => {
  it('returns the DASD fields in scdk', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    const info = devinfo()
    expect(h.a.ioctl(fd, IOC.IOCINFO, info)).toEqual({ ok: true, rc: 0 })
    expect(info).toMatchObject({
      devtype: DEVINFO.DD_SCDISK,
      devsubtype: DEVINFO.DS_PV,
      flags: DEVINFO.DF_FIXED | DEVINFO.DF_RAND | DEVINFO.DF_CONC,
    })
    expect(info.un.scdk).toEqual({
      blksize: 512,
      numblks: CAPACITY,
      max_request: MAX_TRANSFER,
      segment_size: 1024 * 1024,
      segment_count: 0,
      byte_count: 0,
    })
  })

  it('can be directed to the adapter and the controller', () => {
    const h = twoHosts()
    const a = devinfo()
    h.adapterB.iocinfo(a)
    expect(a).toMatchObject({ devtype: DEVINFO.DD_BUS, devsubtype: DEVINFO.DS_SDA })
    expect(a.un.scsi).toEqual({ card_scsi_id: 1, max_transfer: MAX_TRANSFER })
    const c = devinfo()
    h.controller.iocinfo(c)
    expect(c).toMatchObject({ devtype: DEVINFO.DD_DISK_C, devsubtype: DEVINFO.DS_SDC })
  })

  it('a devinfo that is not one is EINVAL', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    expect(h.a.ioctl(fd, IOC.IOCINFO, null)).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.ioctl(fd, IOC.IOCINFO, { un: 3 })).toMatchObject({ errno: 'EINVAL' })
  })
})

describe('SD_SCSICMD (page: Diagnostic mode and root rules, status bytes)', () => {
  it('in Diagnostic mode any listed command runs, e.g. Write and Read Capacity', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, { diagnostic: true }).rc
    const write = iocmd((c) => rw10(c, OP.WRITE_10, 3, 1), 512)
    write.buffer?.set(stamped(0, 5))
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, write)).toEqual({ ok: true, rc: 0 })
    expect(write.status_validity).toBe(0)
    expect(h.controller.readMedia(0, 3, 1)).toEqual(stamped(0, 5))
    const cap = iocmd((c) => {
      c[0] = OP.READ_CAPACITY
      return 10
    }, 8)
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cap).ok).toBe(true)
    expect(new DataView(cap.buffer!.buffer).getUint32(0)).toBe(CAPACITY - 1)
  })

  it('in Diagnostic mode every command of the first table is carried to the DASD and runs', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const six =
      (op: number, byte4 = 0) =>
      (c: Uint8Array) =>
        simple6(c, op, byte4)
    const ten =
      (op: number, lba = 0, count = 1) =>
      (c: Uint8Array) =>
        rw10(c, op, lba, count)
    const reassign = new Uint8Array([0, 0, 0, 4, 0, 0, 0, 9])
    const table: [string, (c: Uint8Array) => number, number, Uint8Array?][] = [
      ['Test Unit Ready', six(OP.TEST_UNIT_READY), 0],
      ['Inquiry', six(OP.INQUIRY, 36), 36],
      ['Mode Select', six(OP.MODE_SELECT, 12), 12],
      ['Mode Sense', six(OP.MODE_SENSE, 12), 12],
      ['Read (6)', (c) => simple6(c, OP.READ_6, 2), 1024],
      ['Read (10)', ten(OP.READ_10, 5, 2), 1024],
      ['Read Capacity', ten(OP.READ_CAPACITY, 0, 0), 8],
      ['Reassign Blocks', six(OP.REASSIGN_BLOCKS), 8, reassign],
      ['Release', six(OP.RELEASE), 0],
      ['Request Sense', six(OP.REQUEST_SENSE, 18), 18],
      ['Reserve', six(OP.RESERVE), 0],
      ['Start Stop Unit (start)', six(OP.START_STOP_UNIT, 1), 0],
      ['Verify', ten(OP.VERIFY, 0, 4), 0],
      ['Write', ten(OP.WRITE_10, 7, 1), 512],
      ['Write And Verify', ten(OP.WRITE_AND_VERIFY, 8, 1), 512],
      ['Write Buffer', six(OP.WRITE_BUFFER), 0],
      ['Write Sense', six(OP.WRITE_SENSE), 0],
      ['Format Unit', six(OP.FORMAT_UNIT), 0],
    ]
    for (const [name, build, length, data] of table) {
      const cmd = iocmd(build, length)
      if (data) cmd.buffer = data
      expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd), name).toEqual({ ok: true, rc: 0 })
      expect(cmd.status_validity, name).toBe(0)
    }
    expect(h.controller.inspect(0)).toMatchObject({ reservedBy: 0, relocated: { 9: 0 } })
    // Start Stop Unit (stop) leaves media commands NOT READY.
    h.a.ioctl(fd, IOC.SD_SCSICMD, iocmd(six(OP.START_STOP_UNIT, 0)))
    const tur = iocmd(six(OP.TEST_UNIT_READY))
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, tur)).toMatchObject({ errno: 'EIO' })
    expect(tur.scsi_bus_status).toBe(SCSI_STATUS.CHECK_CONDITION)
  })

  it('outside Diagnostic mode: root may issue the second list only; others EACCES', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    const read = () => iocmd((c) => rw10(c, OP.READ_10, 0, 1), 512)
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, read(), ROOT).ok).toBe(true)
    const read6 = iocmd((c) => simple6(c, OP.READ_6, 1), 512)
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, read6, ROOT).ok).toBe(true)
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, read(), USER)).toMatchObject({ errno: 'EACCES' })
    const before = snapshot(h)
    for (const op of [
      OP.WRITE_10,
      OP.RESERVE,
      OP.RELEASE,
      OP.FORMAT_UNIT,
      OP.TEST_UNIT_READY,
      OP.MODE_SELECT,
    ]) {
      const cmd = iocmd((c) => {
        c[0] = op
        return 10
      })
      expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd, ROOT)).toMatchObject({ errno: 'EACCES' })
    }
    expect(snapshot(h)).toBe(before)
  })

  it('more than the maximum transfer is EINVAL and changes nothing', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const before = snapshot(h)
    const cmd = iocmd(
      (c) => rw10(c, OP.WRITE_10, 0, (MAX_TRANSFER + 512) / 512),
      MAX_TRANSFER + 512,
    )
    cmd.buffer?.fill(0x77)
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd)).toMatchObject({ errno: 'EINVAL' })
    expect(snapshot(h)).toBe(before)
  })

  it('root outside Diagnostic mode may issue each command of the second list', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    const builds: [number, (c: Uint8Array) => number, number][] = [
      [OP.FENCE, (c) => fenceCdb(c, 0, 0), 4],
      [OP.RECEIVE_DIAGNOSTICS, (c) => simple6(c, OP.RECEIVE_DIAGNOSTICS, 8), 8],
      [OP.INQUIRY, (c) => simple6(c, OP.INQUIRY, 36), 36],
      [OP.REQUEST_SENSE, (c) => simple6(c, OP.REQUEST_SENSE, 18), 18],
      [OP.READ_6, (c) => simple6(c, OP.READ_6, 1), 512],
      [OP.WRITE_BUFFER, (c) => simple6(c, OP.WRITE_BUFFER), 0],
      [OP.READ_10, (c) => rw10(c, OP.READ_10, 0, 1), 512],
    ]
    expect(new Set(builds.map(([op]) => op))).toEqual(ROOT_COMMANDS)
    for (const [op, build, length] of builds)
      expect(h.a.ioctl(fd, IOC.SD_SCSICMD, iocmd(build, length), ROOT), `op ${op}`).toEqual({
        ok: true,
        rc: 0,
      })
  })

  it('a frozen argument (the driver could not write its outputs) is EINVAL', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const before = snapshot(h)
    expect(
      h.a.ioctl(fd, IOC.SD_SCSICMD, Object.freeze(iocmd((c) => simple6(c, OP.TEST_UNIT_READY)))),
    ).toMatchObject({
      errno: 'EINVAL',
    })
    expect(h.a.ioctl(fd, IOC.SD_RESET, Object.freeze(sdIoctlParms()))).toMatchObject({
      errno: 'EINVAL',
    })
    expect(h.a.ioctl(fd, IOC.IOCINFO, Object.freeze(devinfo()))).toMatchObject({ errno: 'EINVAL' })
    expect(snapshot(h)).toBe(before)
  })

  it('a command slower than timeout_value is ETIMEDOUT, with adapter status SC_CMD_TIMEOUT', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    h.adapterA.faults.delaySeconds = 40
    const cmd = iocmd((c) => simple6(c, OP.TEST_UNIT_READY))
    cmd.timeout_value = 30
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd)).toEqual({ ok: false, rc: -1, errno: 'ETIMEDOUT' })
    expect(cmd).toMatchObject({
      status_validity: SC_STATUS.ADAPTER_ERROR | SC_STATUS.VALID_ALERTREG,
      adapter_status: SC_ADAPTER.CMD_TIMEOUT,
      resvd2: SD_ADAP.TIME_OUT,
    })
  })

  it('with timeout_value 0 the driver never times the command out', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    h.adapterA.faults.delaySeconds = 10_000
    const cmd = iocmd((c) => simple6(c, OP.TEST_UNIT_READY))
    cmd.timeout_value = 0
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd).ok).toBe(true)
  })

  it('status_validity 0x01: SCSI status only (a reservation conflict)', () => {
    const h = twoHosts()
    h.b.open()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const cmd = iocmd((c) => simple6(c, OP.TEST_UNIT_READY))
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd)).toMatchObject({ errno: 'EBUSY' })
    expect(cmd).toMatchObject({
      status_validity: SC_STATUS.SCSI_ERROR,
      scsi_bus_status: SCSI_STATUS.RESERVATION_CONFLICT,
      adapter_status: 0,
    })
  })

  it('adapter not responding: SC_ADAPTER_HDW_FAILURE, alert register not valid; EIO', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    h.adapterA.faults.notResponding = true
    const cmd = iocmd((c) => simple6(c, OP.TEST_UNIT_READY))
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd)).toMatchObject({ errno: 'EIO' })
    expect(cmd).toMatchObject({
      status_validity: SC_STATUS.ADAPTER_ERROR,
      adapter_status: SC_ADAPTER.HDW_FAILURE,
      resvd1: 0,
      resvd2: 0,
    })
  })

  it('controller not responding: adapter status valid and alert register valid', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    h.controller.responding = false
    const cmd = iocmd((c) => simple6(c, OP.TEST_UNIT_READY))
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd)).toMatchObject({ errno: 'EIO' })
    expect(cmd).toMatchObject({
      status_validity: SC_STATUS.ADAPTER_ERROR | SC_STATUS.VALID_ALERTREG,
      adapter_status: SC_ADAPTER.NO_DEVICE_RESPONSE,
      resvd2: SD_ADAP.CTRL_NOT_RESPONDING,
    })
  })

  it('performs no error recovery and no error logging on failure', () => {
    const h = twoHosts()
    h.controller.addDefect(0, 4, 'unrecoverable')
    const fd = h.a.open().rc
    const cmd = iocmd((c) => rw10(c, OP.READ_10, 4, 1), 512)
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd, ROOT)).toMatchObject({ errno: 'EIO' })
    expect(cmd.scsi_bus_status).toBe(SCSI_STATUS.CHECK_CONDITION)
    expect(h.logA.records()).toEqual([])
    // The sense is still there for the caller's own Request Sense (no driver recovery took it).
    const sense = iocmd((c) => simple6(c, OP.REQUEST_SENSE, 18), 18)
    h.a.ioctl(fd, IOC.SD_SCSICMD, sense, ROOT)
    expect([sense.buffer?.[2], sense.buffer?.[12]]).toEqual([0x03, 0x11])
    expect(h.controller.inspect(0).relocated).toEqual({})
  })

  it('bad sd_iocmd fields are EINVAL and change nothing', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const before = snapshot(h)
    const good = () => iocmd((c) => rw10(c, OP.WRITE_10, 0, 1), 512)
    const bad: Record<string, unknown>[] = [
      { resvd3: 1 },
      { resvd4: 7 },
      { resvd5: 2 },
      { resvd6: 0x40 },
      { resvd7: 0x01 },
      { flags: 2 },
      { command_length: 7 },
      { scsi_cdb: new Uint8Array(4) },
      { buffer: new Uint8Array(100) },
      { buffer: null },
      { data_length: -1 },
      { timeout_value: 1.5 },
    ]
    for (const patch of bad)
      expect(
        h.a.ioctl(fd, IOC.SD_SCSICMD, { ...good(), ...patch }),
        JSON.stringify(patch),
      ).toMatchObject({
        errno: 'EINVAL',
      })
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, 'cmd')).toMatchObject({ errno: 'EINVAL' })
    expect(snapshot(h)).toBe(before)
  })

  it('an unknown operation code in Diagnostic mode comes back CHECK CONDITION', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const cmd = iocmd((c) => {
      c[0] = 0xee
      return 6
    })
    expect(h.a.ioctl(fd, IOC.SD_SCSICMD, cmd)).toMatchObject({ errno: 'EIO' })
    expect(cmd.scsi_bus_status).toBe(SCSI_STATUS.CHECK_CONDITION)
  })
})

describe('SD_RESET (page: diagnostic only, reset or quiesce, EIO when the adapter does not answer)', () => {
  it('is EACCES outside Diagnostic mode', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    expect(h.a.ioctl(fd, IOC.SD_RESET, sdIoctlParms(), ROOT)).toMatchObject({ errno: 'EACCES' })
    expect(h.controller.inspect(0).reservedBy).toBe(0)
  })

  it('a full reset breaks any reservation; a quiesce does not', () => {
    const h = twoHosts()
    h.b.open()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const quiesce = sdIoctlParms({ reset_type: SD_RESET_TYPE.QUIESCE_OP })
    expect(h.a.ioctl(fd, IOC.SD_RESET, quiesce).ok).toBe(true)
    expect(h.controller.inspect(0).reservedBy).toBe(1)
    const reset = sdIoctlParms({ reset_type: SD_RESET_TYPE.RESET_OP })
    expect(h.a.ioctl(fd, IOC.SD_RESET, reset).ok).toBe(true)
    expect(reset.status_validity).toBe(SD_STATUS.NO_STATUS)
    expect(h.controller.inspect(0).reservedBy).toBe(-1)
  })

  it('EIO when the adapter does not respond', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    h.adapterA.faults.notResponding = true
    const parms = sdIoctlParms()
    expect(h.a.ioctl(fd, IOC.SD_RESET, parms)).toEqual({ ok: false, rc: -1, errno: 'EIO' })
    expect(parms).toMatchObject({
      status_validity: SD_STATUS.DRIVER_STATUS,
      adapter_status: SD_DD_PURGED_TAG,
    })
  })

  it('adapter and controller status come back in the fields', () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    h.controller.powerOff(0)
    const parms = sdIoctlParms()
    expect(h.a.ioctl(fd, IOC.SD_RESET, parms)).toMatchObject({ errno: 'EIO' })
    expect(parms).toMatchObject({
      status_validity: SD_STATUS.VALID_ADAP_STATUS,
      adapter_status: SD_ADAP.OPEN_LINK,
    })
    h.adapterA.faults.delaySeconds = 100
    h.controller.powerOn(0)
    const slow = sdIoctlParms({ time_out: 5 })
    expect(h.a.ioctl(fd, IOC.SD_RESET, slow)).toMatchObject({ errno: 'ETIMEDOUT' })
    expect(slow.adapter_status).toBe(SD_ADAP.TIME_OUT)
  })

  it("with time_out 0 the driver never times the reset out (the page's note)", () => {
    const h = twoHosts()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    h.adapterA.faults.delaySeconds = 10_000
    expect(h.a.ioctl(fd, IOC.SD_RESET, sdIoctlParms({ time_out: 0 })).ok).toBe(true)
  })

  it('bad reset_type or nonzero reserved fields are EINVAL and change nothing', () => {
    const h = twoHosts()
    h.b.open()
    const fd = h.a.openx(SC.DIAGNOSTIC, ROOT).rc
    const before = snapshot(h)
    for (const patch of [
      { reset_type: 2 },
      { resvd1: 1 },
      { resvd5: 1 },
      { resvd7: 9 },
      { data_length: 4 },
      { time_out: -1 },
    ])
      expect(h.a.ioctl(fd, IOC.SD_RESET, sdIoctlParms(patch))).toMatchObject({ errno: 'EINVAL' })
    expect(snapshot(h)).toBe(before)
  })
})

describe('SD_SET_FENCE and SD_CLEAR_FENCE (page)', () => {
  it('sets the fence by Mask and Swap and returns position, old and current fence', () => {
    const h = twoHosts()
    const fd = h.b.open().rc
    const parms = sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 })
    expect(h.b.ioctl(fd, IOC.SD_SET_FENCE, parms)).toEqual({ ok: true, rc: 0 })
    expect(parms).toMatchObject({ status_validity: 0, resvd3: 0x4000, resvd4: 0, resvd5: 0x8000 })
    expect(h.controller.inspect(0).fence).toBe(0x8000)
  })

  it('successive sets build a composite fence; SD_CLEAR_FENCE clears all of it', () => {
    const h = twoHosts()
    const fd = h.b.open().rc
    h.b.ioctl(fd, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    const second = sdIoctlParms({ resvd1: 0x2000, resvd2: 0x2000 })
    h.b.ioctl(fd, IOC.SD_SET_FENCE, second)
    expect(second).toMatchObject({ resvd4: 0x8000, resvd5: 0xa000 })
    expect(h.b.compositeFence).toEqual({ mask: 0xa000, data: 0xa000 })
    const clear = sdIoctlParms()
    expect(h.b.ioctl(fd, IOC.SD_CLEAR_FENCE, clear)).toEqual({ ok: true, rc: 0 })
    expect(clear).toMatchObject({ resvd3: 0x4000, resvd4: 0xa000 })
    expect(h.controller.inspect(0).fence).toBe(0)
    expect(h.b.compositeFence).toBeNull()
  })

  it('clear leaves fence bits it did not set', () => {
    const h = twoHosts()
    const fd = h.b.open().rc
    // Another agent (root SD_SCSICMD) fences host 5.
    h.b.ioctl(
      fd,
      IOC.SD_SCSICMD,
      iocmd((c) => fenceCdb(c, 0x0400, 0x0400), 4),
      ROOT,
    )
    h.b.ioctl(fd, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    h.b.ioctl(fd, IOC.SD_CLEAR_FENCE, sdIoctlParms())
    expect(h.controller.inspect(0).fence).toBe(0x0400)
  })

  it('SD_CLEAR_FENCE without a fence set is EINVAL (and after a clear)', () => {
    const h = twoHosts()
    const fd = h.b.open().rc
    expect(h.b.ioctl(fd, IOC.SD_CLEAR_FENCE, sdIoctlParms())).toMatchObject({ errno: 'EINVAL' })
    h.b.ioctl(fd, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    h.b.ioctl(fd, IOC.SD_CLEAR_FENCE, sdIoctlParms())
    expect(h.b.ioctl(fd, IOC.SD_CLEAR_FENCE, sdIoctlParms())).toMatchObject({ errno: 'EINVAL' })
  })

  it('a fence that would fence out this host is EINVAL and changes nothing', () => {
    const h = twoHosts()
    const fd = h.b.open().rc
    h.b.ioctl(fd, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0, resvd2: 0 })) // learn the position
    const before = snapshot(h)
    for (const [mask, data] of [
      [0x4000, 0x4000],
      [0xffff, 0xffff],
      [0xc000, 0x4000],
    ] as const)
      expect(
        h.b.ioctl(fd, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: mask, resvd2: data })),
      ).toMatchObject({
        errno: 'EINVAL',
      })
    expect(snapshot(h)).toBe(before)
  })

  it('a DASD without fencing gives EINVAL to both', () => {
    const h = twoHosts({ fencing: false })
    const fd = h.b.open().rc
    expect(
      h.b.ioctl(fd, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 })),
    ).toMatchObject({
      errno: 'EINVAL',
    })
    expect(h.b.ioctl(fd, IOC.SD_CLEAR_FENCE, sdIoctlParms())).toMatchObject({ errno: 'EINVAL' })
    expect(h.controller.inspect(0).fence).toBe(0)
  })

  it('fields out of range or reserved fields set are EINVAL and change nothing', () => {
    const h = twoHosts()
    const fd = h.b.open().rc
    const before = snapshot(h)
    for (const patch of [
      { resvd1: 0x10000 },
      { resvd2: -1 },
      { resvd6: 1 },
      { resvd7: 1 },
      { reset_type: 1 },
      { resvd1: 0.5 },
    ])
      expect(h.b.ioctl(fd, IOC.SD_SET_FENCE, sdIoctlParms(patch))).toMatchObject({
        errno: 'EINVAL',
      })
    expect(h.b.ioctl(fd, IOC.SD_SET_FENCE, [1, 2])).toMatchObject({ errno: 'EINVAL' })
    expect(snapshot(h)).toBe(before)
  })

  it('the driver reissues the fence after a power off and on', () => {
    const h = twoHosts()
    const fdB = h.b.open().rc
    h.b.ioctl(fdB, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    h.controller.powerCycle(0)
    expect(h.controller.inspect(0).fence).toBe(0x8000)
    expect(h.logB.records().map((r) => r.label)).toContain('SDD_ERR4')
    const fdA = h.a.openx(SC.NO_RESERVE, ROOT)
    expect(h.a.write(fdA.rc, stamped(0, 1), 0)).toMatchObject({ errno: 'EIO' })
  })

  it('a fenced-out host cannot set a fence (status: SCSI status as controller status)', () => {
    const h = twoHosts()
    const fdB = h.b.openx(SC.NO_RESERVE, ROOT).rc
    const fdA = h.a.openx(SC.NO_RESERVE, ROOT).rc
    h.b.ioctl(fdB, IOC.SD_SET_FENCE, sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 }))
    const parms = sdIoctlParms({ resvd1: 0x4000, resvd2: 0x4000 })
    expect(h.a.ioctl(fdA, IOC.SD_SET_FENCE, parms)).toMatchObject({ errno: 'EIO' })
    expect(parms).toMatchObject({
      status_validity: SD_STATUS.VALID_ADAP_STATUS | SD_STATUS.VALID_CTRL_STATUS,
      adapter_status: SD_ADAP.SCSI_STATUS,
      controller_status: SCSI_STATUS.FENCED_OUT,
    })
    expect(h.controller.inspect(0).fence).toBe(0x8000)
  })
})

describe('DD_CONC_REGISTER and DD_CONC_UNREGISTER (page: concurrent mode)', () => {
  it('registers one kernel extension and returns the driver entry point', () => {
    const h = twoHosts()
    const fdA = h.a.openx(SC.NO_RESERVE, ROOT).rc
    const fdB = h.b.openx(SC.NO_RESERVE, ROOT).rc
    const heard: [ConcCmd, number][] = []
    const regA = ddConcRegister({ conc_intr_addr: () => {} })
    const regB = ddConcRegister({ conc_intr_addr: (cmd, from) => heard.push([cmd, from]) })
    expect(h.a.ioctl(fdA, IOC.DD_CONC_REGISTER, regA)).toEqual({ ok: true, rc: 0 })
    expect(h.b.ioctl(fdB, IOC.DD_CONC_REGISTER, regB).ok).toBe(true)
    expect(typeof regA.conc_func_addr).toBe('function')
    const cmd: ConcCmd = { error: 0, cmd_op: DD_CONC.SEND_REFRESH, message: 42, devno: 0 }
    expect(regA.conc_func_addr?.(cmd)).toBe(0)
    expect(heard).toEqual([[{ error: 0, cmd_op: DD_CONC.RECV_REFRESH, message: 42, devno: 0 }, 0]])
    expect(regA.conc_func_addr?.({ error: 0, cmd_op: DD_CONC.TEST, message: 0, devno: 0 })).toBe(0)
  })

  it('EINVAL: no handler, a second registration, no concurrent support, Diagnostic mode', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    expect(h.a.ioctl(fd, IOC.DD_CONC_REGISTER, ddConcRegister())).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.ioctl(fd, IOC.DD_CONC_REGISTER, null)).toMatchObject({ errno: 'EINVAL' })
    expect(
      h.a.ioctl(fd, IOC.DD_CONC_REGISTER, ddConcRegister({ conc_intr_addr: () => {} })).ok,
    ).toBe(true)
    expect(
      h.a.ioctl(fd, IOC.DD_CONC_REGISTER, ddConcRegister({ conc_intr_addr: () => {} })),
    ).toMatchObject({
      errno: 'EINVAL',
    })
    const off = twoHosts({ concurrent: false })
    const fdOff = off.a.open().rc
    expect(
      off.a.ioctl(fdOff, IOC.DD_CONC_REGISTER, ddConcRegister({ conc_intr_addr: () => {} })),
    ).toMatchObject({
      errno: 'EINVAL',
    })
    const diag = twoHosts()
    const fdDiag = diag.a.openx(SC.DIAGNOSTIC, ROOT).rc
    expect(
      diag.a.ioctl(fdDiag, IOC.DD_CONC_REGISTER, ddConcRegister({ conc_intr_addr: () => {} })),
    ).toMatchObject({
      errno: 'EINVAL',
    })
  })

  it('unregister: EINVAL when nothing is registered or for another handler', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    const handler = () => {}
    expect(
      h.a.ioctl(fd, IOC.DD_CONC_UNREGISTER, ddConcRegister({ conc_intr_addr: handler })),
    ).toMatchObject({
      errno: 'EINVAL',
    })
    const reg = ddConcRegister({ conc_intr_addr: handler })
    h.a.ioctl(fd, IOC.DD_CONC_REGISTER, reg)
    expect(
      h.a.ioctl(fd, IOC.DD_CONC_UNREGISTER, ddConcRegister({ conc_intr_addr: () => {} })),
    ).toMatchObject({
      errno: 'EINVAL',
    })
    expect(h.a.ioctl(fd, IOC.DD_CONC_UNREGISTER, reg).ok).toBe(true)
    // After unregistering the entry point refuses commands.
    const cmd: ConcCmd = { error: 0, cmd_op: DD_CONC.SEND_REFRESH, message: 1, devno: 0 }
    expect(reg.conc_func_addr?.(cmd)).toBe(22)
  })
})

describe('ioctl operations', () => {
  it('an unknown operation is EINVAL and a bad descriptor EBADF; nothing changes', () => {
    const h = twoHosts()
    const fd = h.a.open().rc
    const before = snapshot(h)
    for (const op of [0, 0x70, 0x72, 0x7e, 0xff02, -1, 1.5])
      expect(h.a.ioctl(fd, op, sdIoctlParms(), ROOT)).toMatchObject({ errno: 'EINVAL' })
    expect(h.a.ioctl(77, IOC.IOCINFO, devinfo())).toMatchObject({ errno: 'EBADF' })
    expect(snapshot(h)).toBe(before)
  })
})
