import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { DC, DEV, DVI, IoFunction } from './constants'
import { diskDriver } from './disk'
import type { Driver } from './driver'
import { nullDriver, terminalDriver } from './drivers'
import { memoryDisk, qioArgs, testSystem } from './test-host'

/** A nonshareable output device (a line printer): writes finish in the FDT routine. */
function printerDriver(): Driver {
  return {
    name: 'LP',
    fdt: new Map([
      [IoFunction.WRITELBLK, () => ({ kind: 'finish', status: SS.NORMAL, count: 0 }) as const],
    ]),
    prolog: { devchar: DEV.REC | DEV.AVL | DEV.ODV, devclass: 67, devbufsiz: 132 },
    completionBoost: () => 1,
    startIo: () => {},
  }
}

function withDevices() {
  const system = testSystem({ io: { images: [printerDriver(), diskDriver()] } })
  const { io } = system
  io.load('LPDRIVER')
  io.connect('LPA0', 'LPDRIVER')
  io.connect('LPA1', 'LPDRIVER')
  io.addUnit('NLA0', nullDriver(), ['NL'])
  io.addUnit(
    'OPA0',
    terminalDriver(() => {}),
    ['TT'],
  )
  io.load('DKDRIVER')
  io.connect('DKA0', 'DKDRIVER', { storage: memoryDisk(4) })
  return system
}

describe('logical name translation of device names (book 18.1)', () => {
  it('translates iteratively until a terminal equivalence or a physical name', () => {
    const { io } = withDevices()
    io.logicalNames.define('PRINTER', 'SYS$PRINT')
    io.logicalNames.define('SYS$PRINT', 'LPA1:')
    expect(io.unit('printer:')?.name).toBe('LPA1')
    io.logicalNames.define('SYS$PRINT', 'LPA0', { terminal: true })
    io.logicalNames.define('LPA0', 'NL') // never reached: the equivalence above is terminal
    expect(io.unit('PRINTER')?.name).toBe('LPA0')
    // A leading underscore marks a physical name: no translation.
    io.logicalNames.define('LPA1', 'NL')
    expect(io.unit('_LPA1:')?.name).toBe('LPA1')
    expect(io.unit('LPA1')?.name).toBe('NLA0')
  })

  it('more than LNM$C_MAXDEPTH (10) translations is SS$_TOOMANYLNAM', () => {
    const { io } = withDevices()
    for (let i = 0; i < 10; i++) io.logicalNames.define(`L${i}`, `L${i + 1}`)
    io.logicalNames.define('L10', '_NLA0:')
    expect(io.assign(1, 'L1', 3).status).toBe(SS.NORMAL) // ten translations
    expect(io.assign(1, 'L0', 3)).toEqual({ status: SS.TOOMANYLNAM })
    io.logicalNames.define('LOOP', 'LOOP')
    expect(io.assign(1, 'LOOP', 3)).toEqual({ status: SS.TOOMANYLNAM })
    expect(io.assign(1, 'FOO::LPA0', 3)).toEqual({ status: SS.NONLOCAL })
    expect(io.channelsOf(1)).toEqual([16])
  })
})

describe('implicit and explicit allocation (book 18.3, 18.4.2, 18.4.3)', () => {
  it('$ASSIGN allocates a nonshareable device implicitly; others get SS$_DEVALLOC until the last channel goes', () => {
    const { io } = withDevices()
    const a = io.assign(1, 'LPA0', 3)
    expect(a.status).toBe(SS.NORMAL)
    expect(io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.PID).value).toBe(1)
    expect((io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.DEVCHAR).value as number) & DEV.ALL).toBe(0)
    expect(io.assign(2, 'LPA0', 3)).toEqual({ status: SS.DEVALLOC })
    expect(io.assign(1, 'LPA0', 3).status).toBe(SS.NORMAL) // the owner may assign more
    expect(io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.REFCNT).value).toBe(2)
    io.deassign(1, 16, 3)
    expect(io.assign(2, 'LPA0', 3)).toEqual({ status: SS.DEVALLOC })
    io.deassign(1, 32, 3)
    expect(io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.PID).value).toBe(0)
    expect(io.assign(2, 'LPA0', 3).status).toBe(SS.NORMAL)
    // Shareable devices are never allocated by $ASSIGN.
    io.assign(1, 'NL', 3)
    expect(io.assign(2, 'NL', 3).status).toBe(SS.NORMAL)
    expect(io.getdvi(1, 3, { devnam: 'NL' }, DVI.PID).value).toBe(0)
  })

  it('$ALLOC sets DEV$M_ALL, the owner and a reference; the device stays allocated across channels', () => {
    const { io } = withDevices()
    expect(io.allocate(1, 'LPA0', 3)).toEqual({ status: SS.NORMAL, name: '_LPA0:' })
    const devchar = io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.DEVCHAR).value as number
    expect(devchar & DEV.ALL).toBe(DEV.ALL)
    expect(io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.REFCNT).value).toBe(1)
    expect(io.allocate(1, 'LPA0', 3).status).toBe(SS.DEVALRALLOC)
    expect(io.allocate(2, 'LPA0', 3)).toEqual({ status: SS.DEVALLOC })
    expect(io.assign(2, 'LPA0', 3)).toEqual({ status: SS.DEVALLOC })
    const { channel } = io.assign(1, 'LPA0', 3)
    io.deassign(1, channel as number, 3)
    expect(io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.PID).value).toBe(1) // still allocated
    expect(io.deallocate(2, 'LPA0', 3)).toBe(SS.DEVNOTALLOC)
    expect(io.deallocate(1, 'LPA0', 3)).toBe(SS.NORMAL)
    expect(io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.PID).value).toBe(0)
    expect(io.getdvi(1, 3, { devnam: 'LPA0' }, DVI.REFCNT).value).toBe(0)
    expect(io.deallocate(1, 'LPA0', 3)).toBe(SS.DEVNOTALLOC) // only an explicit allocation
  })

  it('the allocation mode is the less privileged of ACMODE and the caller; $DALLOC from outer modes may not undo it', () => {
    const { io } = withDevices()
    expect(io.allocate(1, 'LPA0', 1, { acmode: 0 }).status).toBe(SS.NORMAL)
    expect(io.unit('LPA0')?.amod).toBe(1)
    expect(io.deallocate(1, 'LPA0', 3)).toBe(SS.DEVNOTALLOC)
    expect(io.deallocate(1, undefined, 3)).toBe(SS.NORMAL) // all from user mode: not this one
    expect(io.unit('LPA0')?.pid).toBe(1)
    expect(io.deallocate(1, undefined, 1)).toBe(SS.NORMAL)
    expect(io.unit('LPA0')?.pid).toBe(0)
  })

  it('$ALLOC with flags 1 takes the first free unit of the generic type; refusals change nothing', () => {
    const { io } = withDevices()
    io.allocate(2, 'LPA0', 3)
    expect(io.allocate(1, 'LP', 3, { flags: 1 })).toEqual({ status: SS.NORMAL, name: '_LPA1:' })
    expect(io.allocate(3, 'LP', 3, { flags: 1 })).toEqual({ status: SS.DEVALLOC })
    expect(io.allocate(3, 'XYA0', 3)).toEqual({ status: SS.NOSUCHDEV })
    expect(io.allocate(3, 'bad name', 3)).toEqual({ status: SS.IVDEVNAM })
    io.mountForeign(1, 'DKA0')
    expect(io.allocate(3, 'DKA0', 3)).toEqual({ status: SS.DEVMOUNT })
    expect(io.unit('DKA0')?.pid).toBe(0)
    expect(io.unit('DKA0')?.refc).toBe(0)
  })

  it('process rundown deassigns its channels and deallocates its devices', () => {
    const { io } = withDevices()
    io.allocate(1, 'LPA0', 3)
    io.assign(1, 'LPA1', 3)
    io.deleteProcess(1)
    expect(io.unit('LPA0')).toMatchObject({ pid: 0, refc: 0 })
    expect(io.unit('LPA1')).toMatchObject({ pid: 0, refc: 0 })
    expect(io.channelsOf(1)).toEqual([])
  })
})

describe('$GETDVI', () => {
  it('returns the common items of a device named by channel or by name', () => {
    const { io, advance } = withDevices()
    const { channel } = io.assign(1, 'NL', 3)
    const item = (code: number) => io.getdvi(1, 3, { channel: channel as number }, code).value
    io.qio(1, 3, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 4]))
    advance(0)
    expect(item(DVI.DEVNAM)).toBe('_NLA0:')
    expect(item(DVI.FULLDEVNAM)).toBe('_NLA0:')
    expect(item(DVI.DEVCLASS)).toBe(DC.MISC)
    expect(item(DVI.UNIT)).toBe(0)
    expect(item(DVI.OPCNT)).toBe(1)
    expect(item(DVI.ERRCNT)).toBe(0)
    expect(item(DVI.REFCNT)).toBe(1)
    expect(item(DVI.PID)).toBe(0)
    expect((item(DVI.DEVCHAR) as number) & DEV.SHR).toBe(DEV.SHR)
    expect(io.getdvi(1, 3, { devnam: 'DKA0' }, DVI.MAXBLOCK).value).toBe(4)
    expect(io.getdvi(1, 3, { devnam: 'DKA0' }, DVI.DEVBUFSIZ).value).toBe(512)
    expect(io.getdvi(1, 3, { devnam: 'TT' }, DVI.DEVCLASS).value).toBe(DC.TERM)
    expect(io.getdvi(1, 3, { devnam: 'NL' }, 9999)).toEqual({ status: SS.BADPARAM })
    expect(io.getdvi(1, 3, { channel: 999 }, DVI.UNIT)).toEqual({ status: SS.IVCHAN })
    expect(io.getdvi(1, 3, { devnam: 'XYA0' }, DVI.UNIT)).toEqual({ status: SS.NOSUCHDEV })
  })
})
