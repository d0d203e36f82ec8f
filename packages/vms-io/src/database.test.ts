import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { DC, DEV, DEV2, DVI, IoFunction, LENGTH } from './constants'
import { parseDeviceName } from './device-names'
import { diskDriver, virtualDiskDriver } from './disk'
import { nullDriver } from './drivers'
import { memoryDisk, testSystem } from './test-host'

describe('driver loading and unit connection (book 18.2; SYSGEN LOAD and CONNECT)', () => {
  it('LOAD builds the DPT from pool with the FDT masks; CONNECT builds DDB, CRB, IDB and UCB', () => {
    const { io, pool } = testSystem({ io: { images: [virtualDiskDriver()] } })
    const before = pool.stats()
    expect(io.load('VDDRIVER')).toBe(SS.NORMAL)
    const dpt = io.driver('VDDRIVER')
    expect(dpt?.generic).toBe('VD')
    // The first FDT mask: legal functions; the second: buffered ones (a disk has none: direct I/O).
    expect(dpt?.fdt.legal).toBe(
      (1n << 0x20n) | (1n << 0x21n) | (1n << 0x30n) | (1n << 0x31n) | (1n << 0x0bn) | (1n << 0x0cn),
    )
    expect(dpt?.fdt.buffered).toBe(0n)
    expect(pool.stats().bytes).toBe(before.bytes + LENGTH.DPT)
    expect(io.connect('VDA0', 'VDDRIVER', { storage: memoryDisk(16) })).toBe(SS.NORMAL)
    expect(pool.stats().bytes).toBe(
      before.bytes + LENGTH.DPT + LENGTH.DDB + LENGTH.CRB + LENGTH.IDB + LENGTH.UCB,
    )
    // A second unit on the same controller takes a UCB only.
    expect(io.connect('VDA1', 'VDDRIVER', { storage: memoryDisk(16) })).toBe(SS.NORMAL)
    expect(pool.stats().blocks).toBe(before.blocks + 6)
    const ucb = io.unit('VDA1')
    expect(ucb?.ddb.name).toBe('VDA')
    expect(ucb?.ddb.ucbs.map((u) => u.name)).toEqual(['VDA0', 'VDA1'])
    expect(ucb?.ddb.crb.idb.units.length).toBe(2)
    expect(ucb?.devclass).toBe(DC.DISK)
    expect(ucb?.maxblock).toBe(16)
    expect(dpt?.refc).toBe(1)
  })

  it('LOAD and CONNECT refuse with the statuses SYSGEN gives, changing nothing', () => {
    const { io, pool } = testSystem({ io: { images: [virtualDiskDriver()] } })
    expect(io.load('XYDRIVER')).toBe(SS.NOSUCHFILE)
    expect(io.load('VDDRIVER', { allocationClass: 256 })).toBe(SS.BADPARAM)
    expect(io.load('VDDRIVER', { allocationClass: 1.5 })).toBe(SS.BADPARAM)
    expect(io.connect('VDA0', 'VDDRIVER', { storage: memoryDisk(1) })).toBe(SS.NONEXDRV)
    expect(io.load('VDDRIVER')).toBe(SS.NORMAL)
    expect(io.load('VDDRIVER')).toBe(SS.DRVEXISTS)
    expect(io.load(nullDriver())).toBe(SS.NORMAL)
    expect(io.connect('VDA0', 'VDDRIVER', { storage: memoryDisk(1) })).toBe(SS.NORMAL)
    const before = pool.stats()
    const devices = io.devices().length
    for (const bad of ['VDA', 'V0', '$1$VDA1', 'NODE$VDA1', 'VDA12345', 'VD A1', ''])
      expect(io.connect(bad, 'VDDRIVER', { storage: memoryDisk(1) }), bad).toBe(SS.IVDEVNAM)
    expect(io.connect('VDA0', 'VDDRIVER', { storage: memoryDisk(1) })).toBe(SS.DEVEXISTS)
    expect(io.connect('VDA1', 'NLDRIVER')).toBe(SS.DEVEXISTS) // VDA is the VD driver's controller
    expect(io.connect('VDA1', 'VDDRIVER')).toBe(SS.BADPARAM) // a disk needs its storage
    expect(pool.stats()).toEqual(before)
    expect(io.devices().length).toBe(devices)
  })

  it('when pool runs out part way through CONNECT, SS$_INSFMEM and nothing is left allocated', () => {
    for (const room of [
      0,
      LENGTH.DDB,
      LENGTH.DDB + LENGTH.CRB,
      LENGTH.DDB + LENGTH.CRB + LENGTH.IDB,
    ]) {
      const { io, pool, setPoolLimit } = testSystem({ io: { images: [virtualDiskDriver()] } })
      io.load('VDDRIVER')
      const before = pool.stats()
      setPoolLimit(before.bytes + room)
      expect(io.connect('VDA0', 'VDDRIVER', { storage: memoryDisk(1) })).toBe(SS.INSFMEM)
      expect(pool.stats()).toEqual(before)
      expect(io.devices()).toEqual([])
      expect(io.driver('VDDRIVER')?.refc).toBe(0)
    }
    const { io, pool, setPoolLimit } = testSystem({ io: { images: [virtualDiskDriver()] } })
    setPoolLimit(pool.stats().bytes + LENGTH.DPT - 1)
    expect(io.load('VDDRIVER')).toBe(SS.INSFMEM)
    expect(io.driver('VDDRIVER')).toBeUndefined()
  })
})

describe('device names and allocation classes (book 18.2.3, 18.4.2; cluster-known virtual disks)', () => {
  it('parses ddcu names with an optional allocation class or node, and knows remote ones', () => {
    expect(parseDeviceName('_$193$VDA0:').name).toEqual({
      allocationClass: 193,
      node: undefined,
      letters: 'VDA',
      unit: 0,
    })
    expect(parseDeviceName('vaxa$dua12').name).toMatchObject({
      node: 'VAXA',
      letters: 'DUA',
      unit: 12,
    })
    expect(parseDeviceName('MB').name).toMatchObject({ letters: 'MB', unit: undefined })
    expect(parseDeviceName('VAXA::DUA0:').status).toBe(SS.NONLOCAL)
    expect(parseDeviceName('DUA0:X').status).toBe(SS.IVDEVNAM)
  })

  it('a virtual disk driver loaded with an allocation class and cluster set is $193$VDA0: with DEV$M_CLU', () => {
    const { io } = testSystem({ io: { images: [virtualDiskDriver()], nodeName: 'VAXA' } })
    expect(io.load('VDDRIVER', { allocationClass: 193, cluster: true })).toBe(SS.NORMAL)
    expect(io.connect('VDA0', 'VDDRIVER', { storage: memoryDisk(8) })).toBe(SS.NORMAL)
    const ucb = io.unit('$193$VDA0:')
    expect(ucb?.ddb.allocationClass).toBe(193)
    expect((ucb?.devchar2 ?? 0) & DEV2.CLU).toBe(DEV2.CLU)
    expect(io.getdvi(1, 3, { devnam: '_$193$VDA0:' }, DVI.FULLDEVNAM)).toEqual({
      status: SS.NORMAL,
      value: '_$193$VDA0:',
    })
    expect(io.getdvi(1, 3, { devnam: 'VDA0' }, DVI.DEVCHAR2).value).toBe(DEV2.CLU)
    expect(io.search('$194$VDA0:').status).toBe(SS.NOSUCHDEV)
    // A disk on a driver loaded without them is local: no allocation class, no DEV$M_CLU.
    io.load(diskDriver())
    io.connect('DKA0', 'DKDRIVER', { storage: memoryDisk(8) })
    expect(io.getdvi(1, 3, { devnam: 'DKA0' }, DVI.FULLDEVNAM).value).toBe('_VAXA$DKA0:')
    expect(io.getdvi(1, 3, { devnam: 'DKA0' }, DVI.DEVNAM).value).toBe('_DKA0:')
    expect(io.getdvi(1, 3, { devnam: 'DKA0' }, DVI.DEVCHAR2).value).toBe(0)
    expect(io.search('VAXB$DKA0:').status).toBe(SS.NOSUCHDEV)
    expect(io.unit('VAXA$DKA0:')?.name).toBe('DKA0')
  })

  it('DEVCHAR carries the DEV$V_ bits with VMS bit numbers', () => {
    expect([DEV.TRM, DEV.SHR, DEV.AVL, DEV.MNT, DEV.MBX, DEV.ALL, DEV.FOR]).toEqual([
      0x4, 0x10000, 0x40000, 0x80000, 0x100000, 0x800000, 0x1000000,
    ])
    expect([DEV2.CLU, DEV2['2P']]).toEqual([0x1, 0x10])
    expect(IoFunction.WRITEOF).toBe(0x28)
  })
})
