import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DGVDMCREATEINSTANCE,
  DGVDMGETATTRIBUTES,
  DGVDMIOCTLSUBDRIVER,
  DGVDMLINKCHILDINSTANCE,
  DGVDMMIRRFRACTUREIMAGE,
  DGVDMMIRRSUBDRIVERID,
  DGVDMMIRRSYNCIMAGES,
  DGVDMMIRRTERMINATESYNC,
  DGVDMMIRRTHROTTLESYNC,
  DGVDMUPDATEATTRIBUTES,
} from './constants'
import type { ErrnoName } from './errno'
import { type MirrPacketTypes, vdmmirrinitpacket } from './mirror-packets'
import { mirrorOn, snapshot, system, type TestSystem, vdmmirrsyncimages } from './test-support'
import { vdminitpacket } from './vdm-packets'

/**
 * A mirror in the middle of things: d0 usable and copying to d1, d2 fractured (corrupt,
 * monitored), open, with data written. Every bad request below must leave it exactly so.
 */
function busyMirror(): { t: TestSystem; m: number } {
  const t = system(4, 16 + 64)
  const m = mirrorOn(t, { images: 3 })
  const fd = t.vdm.open(m)
  t.vdm.write(fd, 5, new Uint8Array(512).fill(5))
  const f = vdmmirrinitpacket('fractureimage')
  f.imagedevicenumber = t.phys[2]!
  f.changegranularity = 4
  expect(t.vdm.ioctl(fd, DGVDMMIRRFRACTUREIMAGE, f)).toBe(0)
  const f1 = vdmmirrinitpacket('fractureimage')
  f1.imagedevicenumber = t.phys[1]!
  expect(t.vdm.ioctl(fd, DGVDMMIRRFRACTUREIMAGE, f1)).toBe(0)
  expect(vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [t.phys[1]!], 0, false)).toBe(0)
  t.vdm.syncStep()
  return { t, m }
}

/** Sends a subdriver command through /dev/vdm and expects `errno` with nothing changed. */
function expectRefused(
  t: TestSystem,
  m: number,
  command: number,
  argument: unknown,
  errno: ErrnoName,
): void {
  const before = snapshot(t.vdm, t.raw)
  const wrap = vdminitpacket('ioctlsubdriver')
  Object.assign(wrap, {
    subdriverid: DGVDMMIRRSUBDRIVERID,
    instancedevicenumber: m,
    command,
    argument,
  })
  expect(t.vdm.vdmioctl(DGVDMIOCTLSUBDRIVER, wrap)).toBe(-1)
  expect(t.vdm.errno).toBe(errno)
  expect(snapshot(t.vdm, t.raw)).toEqual(before)
}

const COMMANDS: [keyof MirrPacketTypes, number][] = [
  ['syncimages', DGVDMMIRRSYNCIMAGES],
  ['terminatesync', DGVDMMIRRTERMINATESYNC],
  ['throttlesync', DGVDMMIRRTHROTTLESYNC],
  ['fractureimage', DGVDMMIRRFRACTUREIMAGE],
]

describe("bad packets give the page's errno and change nothing (vdmmirr(7) STRUCTURES: version, zeroed packets)", () => {
  it.each(COMMANDS)('%s with a wrong version: EINVAL', (kind, command) => {
    fc.assert(
      fc.property(fc.integer({ min: -0x8000_0000, max: 0xffff_ffff }), (version) => {
        fc.pre(version !== vdmmirrinitpacket(kind).version)
        const { t, m } = busyMirror()
        expectRefused(t, m, command, { ...vdmmirrinitpacket(kind), version }, 'EINVAL')
      }),
      { numRuns: 15 },
    )
  })

  it.each(COMMANDS)('%s with a nonzero byte outside its fields: EINVAL', (kind, command) => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 255 }),
        (key, value) => {
          fc.pre(!(key in vdmmirrinitpacket(kind)) && key !== '__proto__')
          const { t, m } = busyMirror()
          expectRefused(t, m, command, { ...vdmmirrinitpacket(kind), [key]: value }, 'EINVAL')
        },
      ),
      { numRuns: 15 },
    )
  })

  it.each(COMMANDS)('%s with a field out of its C type: EINVAL', (kind, command) => {
    const fields = Object.keys(vdmmirrinitpacket(kind)).filter((k) => k !== 'version')
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        fc.oneof(
          fc.constant(-2),
          fc.constant(0x1_0000_0000),
          fc.constant(1.5),
          fc.constant('x'),
          fc.constant(null),
        ),
        (key, value) => {
          const { t, m } = busyMirror()
          expectRefused(t, m, command, { ...vdmmirrinitpacket(kind), [key]: value }, 'EINVAL')
        },
      ),
      { numRuns: 15 },
    )
  })

  it('a device number past numberofdestinations that is not zero: EINVAL', () => {
    const { t, m } = busyMirror()
    const p = vdmmirrinitpacket('syncimages')
    Object.assign(p, {
      sourceimage: t.phys[0]!,
      numberofdestinations: 1,
      destimages: [t.phys[2]!, t.phys[1]!],
    })
    expectRefused(t, m, DGVDMMIRRSYNCIMAGES, p, 'EINVAL')
  })

  it('an unknown ioctl: EINVAL', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (command) => {
        fc.pre(
          ![
            DGVDMMIRRSYNCIMAGES,
            DGVDMMIRRTERMINATESYNC,
            DGVDMMIRRTHROTTLESYNC,
            DGVDMMIRRFRACTUREIMAGE,
            0x6401,
            0x6402,
          ].includes(command),
        )
        const { t, m } = busyMirror()
        expectRefused(t, m, command, vdmmirrinitpacket('terminatesync'), 'EINVAL')
      }),
      { numRuns: 20 },
    )
  })

  it('out-of-range images and counts: EINVAL', () => {
    const { t, m } = busyMirror()
    const other = t.phys[3]! // an instance that is not an image of the mirror
    const cases: [number, object][] = [
      [DGVDMMIRRSYNCIMAGES, { sourceimage: t.phys[0]!, numberofdestinations: 0 }],
      [
        DGVDMMIRRSYNCIMAGES,
        { sourceimage: t.phys[0]!, numberofdestinations: 3, destimages: [t.phys[2]!, 0] },
      ],
      [
        DGVDMMIRRSYNCIMAGES,
        { sourceimage: other, numberofdestinations: 1, destimages: [t.phys[2]!, 0] },
      ],
      [
        DGVDMMIRRSYNCIMAGES,
        { sourceimage: t.phys[0]!, numberofdestinations: 1, destimages: [other, 0] },
      ],
      [
        DGVDMMIRRSYNCIMAGES,
        { sourceimage: t.phys[0]!, numberofdestinations: 2, destimages: [t.phys[2]!, t.phys[2]!] },
      ],
      [DGVDMMIRRTERMINATESYNC, { destimage: other }],
      [DGVDMMIRRTERMINATESYNC, { destimage: t.phys[2]! }],
      [DGVDMMIRRTHROTTLESYNC, { destimage: 0x12345 }],
      [DGVDMMIRRFRACTUREIMAGE, { imagedevicenumber: other }],
      [DGVDMMIRRFRACTUREIMAGE, { imagedevicenumber: t.phys[2]! }], // already corrupt
    ]
    const kinds: Record<number, keyof MirrPacketTypes> = {
      [DGVDMMIRRSYNCIMAGES]: 'syncimages',
      [DGVDMMIRRTERMINATESYNC]: 'terminatesync',
      [DGVDMMIRRTHROTTLESYNC]: 'throttlesync',
      [DGVDMMIRRFRACTUREIMAGE]: 'fractureimage',
    }
    for (const [command, fields] of cases)
      expectRefused(t, m, command, { ...vdmmirrinitpacket(kinds[command]!), ...fields }, 'EINVAL')
  })

  it('fracturing the source of a running synchronization: EBUSY', () => {
    const { t, m } = busyMirror()
    const p = { ...vdmmirrinitpacket('fractureimage'), imagedevicenumber: t.phys[0]! }
    expectRefused(t, m, DGVDMMIRRFRACTUREIMAGE, p, 'EBUSY')
  })

  it('fracturing the last usable image: EINVAL', () => {
    const t = system(2, 16 + 64)
    const m = mirrorOn(t, { images: 1 })
    const p = { ...vdmmirrinitpacket('fractureimage'), imagedevicenumber: t.phys[0]! }
    expectRefused(t, m, DGVDMMIRRFRACTUREIMAGE, p, 'EINVAL')
  })

  it('a synchronization onto its own source: EINVAL', () => {
    const { t, m } = busyMirror()
    const p = vdmmirrinitpacket('syncimages')
    Object.assign(p, {
      sourceimage: t.phys[0]!,
      numberofdestinations: 2,
      destimages: [t.phys[2]!, t.phys[0]!],
    })
    expectRefused(t, m, DGVDMMIRRSYNCIMAGES, p, 'EINVAL')
  })

  it('bad create, update, attribute and link packets: EINVAL, nothing created or changed', () => {
    const { t, m } = busyMirror()
    const before = snapshot(t.vdm, t.raw)
    const create = (sub: object) => {
      const p = vdminitpacket('create')
      Object.assign(p, {
        instancename: 'x',
        subdriverid: DGVDMMIRRSUBDRIVERID,
        subdriverattributespacketptr: sub,
      })
      return t.vdm.vdmioctl(DGVDMCREATEINSTANCE, p)
    }
    const base = vdmmirrinitpacket('create')
    for (const sub of [
      { ...base, version: 0 },
      { ...base, numberofimages: 0 },
      { ...base, numberofimages: 4, imagedevicenumbers: [t.phys[3]!, 0, 0] },
      {
        ...base,
        numberofimages: 1,
        imagedevicenumbers: [t.phys[3]!, 0, 0],
        minimumimagesrequiredtouse: -2,
      },
      { ...base, numberofimages: 1, imagedevicenumbers: [t.phys[3]!, 0, 0], automaticsync: 2 },
      { ...base, numberofimages: 1, imagedevicenumbers: [t.phys[3]!, t.phys[0]!, 0] },
      { ...base, numberofimages: 2, imagedevicenumbers: [t.phys[3]!, t.phys[3]!, 0] },
      { ...base, numberofimages: 1, imagedevicenumbers: [t.phys[3]!, 0, 0], reserved: 1 },
    ]) {
      expect(create(sub)).toBe(-1)
      expect(t.vdm.errno).toBe('EINVAL')
    }
    const upd = vdminitpacket('attributes')
    upd.devicenumber = m
    for (const sub of [
      { ...vdmmirrinitpacket('update'), version: 7 },
      { ...vdmmirrinitpacket('update'), maximumimagesmissingtouse: -3 },
      { ...vdmmirrinitpacket('update'), minimumimagesrequiredtouse: 0x8000 },
    ]) {
      upd.subdriverattributespacketptr = sub
      expect(t.vdm.vdmioctl(DGVDMUPDATEATTRIBUTES, upd)).toBe(-1)
      expect(t.vdm.errno).toBe('EINVAL')
    }
    const get = vdminitpacket('attributes')
    get.devicenumber = m
    get.subdriverattributespacketptr = { ...vdmmirrinitpacket('get'), version: 1 }
    expect(t.vdm.vdmioctl(DGVDMGETATTRIBUTES, get)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    const link = {
      ...vdminitpacket('link'),
      parentdevicenumber: m,
      childdevicenumber: t.phys[3]!,
      version: 3,
    }
    expect(t.vdm.vdmioctl(DGVDMLINKCHILDINSTANCE, link)).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    expect(t.vdm.vdmioctl(0x56ff, vdminitpacket('delete'))).toBe(-1)
    expect(t.vdm.errno).toBe('EINVAL')
    for (const junk of [null, 42, 'x', [], undefined]) {
      expect(t.vdm.vdmioctl(DGVDMCREATEINSTANCE, junk)).toBe(-1)
      expect(t.vdm.errno).toBe('EINVAL')
    }
    expect(snapshot(t.vdm, t.raw)).toEqual(before)
  })
})
