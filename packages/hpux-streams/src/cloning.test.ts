import { describe, expect, it } from 'vitest'
import { CLONE_MAJOR, major, makedev, minor } from './device'
import { Errno } from './errno'
import { echoStreamtab } from './examples/echo'
import { LOOP_SET } from './examples/loop'
import { createUnitDriver, UNIT_CLONE_MINOR, UNIT_INFO, unitMinor } from './examples/unit'
import type { OpenProc, Streamtab } from './queue'
import { Streams } from './streams'
import { CLONEOPEN, DRVOPEN } from './stropts'
import { bytes, expectErrno, install, system, text } from './test-kit'

/** A driver whose open routine is `open`, echoing data otherwise. */
const driverWith = (open: OpenProc, close?: () => number): Streamtab =>
  echoStreamtab({ name: 'test', open, ...(close ? { close } : {}) })

describe('two cloning methods (page, paragraph 1)', () => {
  it('a system can clone by both methods at once', () => {
    const { s, loopMajor } = system()
    const unit = createUnitDriver(2)
    const unitMajor = install(s, 'unit', unit.streamtab, { clonesMajor: true })
    s.mknod('/dev/unit', 'c', unitMajor, UNIT_CLONE_MINOR)
    const a = s.open('/dev/loop')
    const b = s.open('/dev/unit')
    expect([major(a.dev), minor(a.dev)]).toEqual([loopMajor, 0])
    expect([major(b.dev), minor(b.dev)]).toEqual([unitMajor, unitMinor(1)])
  })
})

describe('cloning method 1: the clone major 72 (page, paragraph 2)', () => {
  it('opens the real driver through a device file with major 72 and minor = the real major', () => {
    const { s, loopMajor } = system()
    expect(CLONE_MAJOR).toBe(72)
    const f = s.open('/dev/loop')
    expect(major(f.dev)).toBe(loopMajor) // the true major, not 72
    expect(minor(f.dev)).toBe(0)
  })

  it('passes CLONEOPEN in sflag, and the device number the driver returns becomes the stream', () => {
    const s = new Streams()
    const seen: Array<{ dev: number; sflag: number }> = []
    const maj = install(
      s,
      'spy',
      driverWith((_q, devp, _o, sflag) => {
        seen.push({ dev: devp.dev, sflag })
        devp.dev = makedev(major(devp.dev), 0x1234)
        return 0
      }),
    )
    s.mknod('/dev/spy', 'c', CLONE_MAJOR, maj)
    const f = s.open('/dev/spy')
    expect(seen).toEqual([{ dev: makedev(maj, 0), sflag: CLONEOPEN }])
    expect(f.dev).toBe(makedev(maj, 0x1234))
    expect(s.streamOf(makedev(maj, 0x1234))).toBe(f.stream)
  })

  it('gives every open of the clone device a distinct minor, and each is a stream of its own', () => {
    const { s } = system({}, 8)
    const files = Array.from({ length: 8 }, () => s.open('/dev/loop'))
    expect(new Set(files.map((f) => f.dev)).size).toBe(8)
    expect(files.map((f) => minor(f.dev))).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(new Set(files.map((f) => f.stream)).size).toBe(8)
  })

  it('reuses a minor after its stream is closed', () => {
    const { s, loop } = system({}, 4)
    const [a, b, c] = [s.open('/dev/loop'), s.open('/dev/loop'), s.open('/dev/loop')]
    b.close()
    expect(loop.minorsInUse()).toEqual([0, 2])
    const d = s.open('/dev/loop')
    expect(minor(d.dev)).toBe(1)
    expect([a, c].map((f) => minor(f.dev))).toEqual([0, 2])
  })

  it('fails cleanly when the driver has no minor left: ENXIO, nothing changed, and a close frees one', () => {
    const { s } = system({}, 2)
    const a = s.open('/dev/loop')
    s.open('/dev/loop')
    const before = s.snapshot()
    expectErrno(() => s.open('/dev/loop'), 'ENXIO')
    expect(s.snapshot()).toEqual(before)
    a.close()
    expect(minor(s.open('/dev/loop').dev)).toBe(0)
  })

  it('gives ENXIO when the clone minor is not the major of an installed STREAMS driver', () => {
    const s = new Streams()
    s.mknod('/dev/none', 'c', CLONE_MAJOR, 99) // nothing at major 99
    s.installDriver(
      { name: 'plain', class: 'pseudo', flags: 1, blockMajor: -1, charMajor: 98 },
      { flags: 0 },
    )
    s.mknod('/dev/plain', 'c', CLONE_MAJOR, 98) // installed, but never str_install'ed
    expectErrno(() => s.open('/dev/none'), 'ENXIO')
    expectErrno(() => s.open('/dev/plain'), 'ENXIO')
    expect(s.openDevices()).toEqual([])
  })

  it('refuses a clone open that returns a major other than the true major (ENXIO) and lets the driver release its minor', () => {
    const s = new Streams()
    let closed = 0
    const other = install(s, 'other', echoStreamtab())
    const maj = install(
      s,
      'liar',
      driverWith(
        (_q, devp) => {
          devp.dev = makedev(other, 1)
          return 0
        },
        () => ++closed,
      ),
    )
    expectErrno(() => s.openDev(makedev(CLONE_MAJOR, maj)), 'ENXIO')
    expect(closed).toBe(1)
    expect(s.openDevices()).toEqual([])
  })

  it('refuses a clone open that returns an invalid device number or one already open (ENXIO)', () => {
    const s = new Streams()
    let next: number = makedev(0, 0)
    const maj = install(
      s,
      'bad',
      driverWith((_q, devp) => {
        devp.dev = next
        return 0
      }),
    )
    for (const dev of [-5, 2 ** 32, 1.5, Number.NaN]) {
      next = dev
      expectErrno(() => s.openDev(makedev(CLONE_MAJOR, maj)), 'ENXIO')
    }
    next = makedev(maj, 7)
    const first = s.openDev(makedev(CLONE_MAJOR, maj))
    expect(first.dev).toBe(next)
    const before = s.snapshot()
    expectErrno(() => s.openDev(makedev(CLONE_MAJOR, maj)), 'ENXIO')
    expect(s.snapshot()).toEqual(before)
    first.write(bytes('still works'))
    expect(text(first.read(64))).toBe('still works')
  })

  it('returns the driver open routine errno unchanged', () => {
    const s = new Streams()
    const maj = install(
      s,
      'busy',
      driverWith(() => Errno.EBUSY),
    )
    expectErrno(() => s.openDev(makedev(CLONE_MAJOR, maj)), 'EBUSY')
  })

  it('cross-connects two clone opens of the loop driver', () => {
    const { s } = system()
    const a = s.open('/dev/loop')
    const b = s.open('/dev/loop')
    const arg = new Uint8Array(4)
    new DataView(arg.buffer).setInt32(0, minor(b.dev))
    a.str(LOOP_SET, arg)
    a.write(bytes('hello b'))
    b.write(bytes('hello a'))
    expect(text(b.read(100))).toBe('hello b')
    expect(text(a.read(100))).toBe('hello a')
  })
})

describe('cloning method 2: the driver designates its own clone minor (page, paragraphs 3-6)', () => {
  function unitSystem(options = {}) {
    const s = new Streams(options)
    const unit = createUnitDriver(2)
    const maj = install(s, 'unit', unit.streamtab, { clonesMajor: true })
    s.mknod('/dev/unit', 'c', maj, UNIT_CLONE_MINOR)
    s.mknod('/dev/unit1.raw', 'c', maj, unitMinor(1, 0x42))
    return { s, unit, maj }
  }
  const info = (f: ReturnType<Streams['open']>) => {
    const v = new DataView(f.str(UNIT_INFO).data.buffer)
    return { major: v.getInt32(0), unit: v.getInt32(4), mode: v.getInt32(8) }
  }

  it('opens of the clone minor get new device numbers; the driver sees a plain open (DRVOPEN)', () => {
    const s = new Streams()
    const flags: number[] = []
    const unit = createUnitDriver(3)
    const inner = unit.streamtab.rdinit.open as OpenProc
    const tab: Streamtab = {
      ...unit.streamtab,
      rdinit: {
        ...unit.streamtab.rdinit,
        open: (q, devp, o, sflag) => {
          flags.push(sflag)
          return inner(q, devp, o, sflag)
        },
      },
    }
    const maj = install(s, 'unit', tab, { clonesMajor: true })
    s.mknod('/dev/unit', 'c', maj, UNIT_CLONE_MINOR)
    const devs = [s.open('/dev/unit'), s.open('/dev/unit'), s.open('/dev/unit')].map((f) => f.dev)
    expect(devs).toEqual([1, 2, 3].map((u) => makedev(maj, unitMinor(u))))
    expect(flags).toEqual([DRVOPEN, DRVOPEN, DRVOPEN])
  })

  it('is needed because a method 1 clone file cannot carry information in its minor (paragraph 3)', () => {
    const { s, loopMajor } = system()
    s.mknod('/dev/loop.with.info', 'c', CLONE_MAJOR, (0x42 << 8) | loopMajor)
    expectErrno(() => s.open('/dev/loop.with.info'), 'ENXIO') // that minor is no driver's major
  })

  it('lets the other minor numbers carry information: unit and mode decoded from the minor', () => {
    const { s, maj } = unitSystem()
    const raw = s.open('/dev/unit1.raw')
    expect(raw.dev).toBe(makedev(maj, 0x142))
    expect(info(raw)).toEqual({ major: maj, unit: 1, mode: 0x42 })
    const cloned = s.open('/dev/unit') // unit 1 is busy: the clone open takes unit 2
    expect(info(cloned)).toEqual({ major: maj, unit: 2, mode: 0 })
    raw.write(bytes('echoed'))
    expect(text(raw.read(10))).toBe('echoed')
  })

  it('a second open of a cloned device number joins its stream (no new clone)', () => {
    const { s } = unitSystem()
    const a = s.open('/dev/unit')
    const again = s.openDev(a.dev)
    expect(again.stream).toBe(a.stream)
    expect(a.stream.opens).toBe(2)
  })

  it('is selected by the 0x8000 bit of the $DEVICE mask as well as by C_CLONESMAJOR (see config tests); without it a changed device number is refused', () => {
    const s = new Streams()
    const unit = createUnitDriver(2)
    const maj = install(s, 'unit', unit.streamtab) // no C_CLONESMAJOR
    expectErrno(() => s.openDev(makedev(maj, UNIT_CLONE_MINOR)), 'ENXIO')
    expect(unit.unitsInUse()).toEqual([]) // the driver's close released the unit it chose
    expect(s.open !== undefined && s.openDev(makedev(maj, unitMinor(2))).dev).toBe(
      makedev(maj, 0x200),
    )
  })

  it('may return another major with the same streamtab and MP character', () => {
    const s = new Streams()
    const unit = createUnitDriver(1)
    const a = install(s, 'unit', unit.streamtab, { clonesMajor: true, mpSafe: true })
    const b = install(s, 'unit2', unit.streamtab, { clonesMajor: true, mpSafe: true })
    unit.spill(b)
    const first = s.openDev(makedev(a, UNIT_CLONE_MINOR))
    const second = s.openDev(makedev(a, UNIT_CLONE_MINOR))
    expect(first.dev).toBe(makedev(a, unitMinor(1)))
    expect(second.dev).toBe(makedev(b, unitMinor(1))) // a's only unit is busy
    expect(s.streamOf(second.dev)).toBe(second.stream)
    second.write(bytes('via b'))
    expect(text(second.read(10))).toBe('via b')
  })

  it('refuses a new major whose driver has a different streamtab (ENXIO), and nothing changes', () => {
    const s = new Streams()
    const unit = createUnitDriver(1)
    const a = install(s, 'unit', unit.streamtab, { clonesMajor: true })
    const b = install(s, 'other', createUnitDriver(1).streamtab, { clonesMajor: true })
    unit.spill(b)
    s.openDev(makedev(a, UNIT_CLONE_MINOR))
    const before = s.snapshot()
    expectErrno(() => s.openDev(makedev(a, UNIT_CLONE_MINOR)), 'ENXIO')
    expect(s.snapshot()).toEqual(before)
    expect(unit.unitsInUse()).toEqual([`${a}:1`])
  })

  it('refuses a new major that is not a STREAMS driver, or not installed (ENXIO)', () => {
    for (const plain of [true, false]) {
      const s = new Streams()
      const unit = createUnitDriver(1)
      const a = install(s, 'unit', unit.streamtab, { clonesMajor: true })
      if (plain)
        s.installDriver(
          { name: 'plain', class: 'pseudo', flags: 1, blockMajor: -1, charMajor: 200 },
          { flags: 0 },
        )
      unit.spill(200)
      s.openDev(makedev(a, UNIT_CLONE_MINOR))
      expectErrno(() => s.openDev(makedev(a, UNIT_CLONE_MINOR)), 'ENXIO')
    }
  })

  it.each([
    [true, false, 'MP scalable to UP emulation'],
    [false, true, 'UP emulation to MP scalable'],
  ])('on a multiprocessor refuses a major change from %s to %s (%s)', (from, to) => {
    const s = new Streams({ multiprocessor: true })
    const unit = createUnitDriver(1)
    const a = install(s, 'unit', unit.streamtab, { clonesMajor: true, mpSafe: from })
    const b = install(s, 'unit2', unit.streamtab, { clonesMajor: true, mpSafe: to })
    unit.spill(b)
    s.openDev(makedev(a, UNIT_CLONE_MINOR))
    expectErrno(() => s.openDev(makedev(a, UNIT_CLONE_MINOR)), 'ENXIO')
  })

  it('allows the same change on a uniprocessor, where the MP rule does not apply', () => {
    const s = new Streams({ multiprocessor: false })
    const unit = createUnitDriver(1)
    const a = install(s, 'unit', unit.streamtab, { clonesMajor: true, mpSafe: true })
    const b = install(s, 'unit2', unit.streamtab, { clonesMajor: true, mpSafe: false })
    unit.spill(b)
    s.openDev(makedev(a, UNIT_CLONE_MINOR))
    expect(major(s.openDev(makedev(a, UNIT_CLONE_MINOR)).dev)).toBe(b)
  })

  it('both majors exhausted: ENXIO, and closing any unit makes room again', () => {
    const s = new Streams()
    const unit = createUnitDriver(1)
    const a = install(s, 'unit', unit.streamtab, { clonesMajor: true })
    const b = install(s, 'unit2', unit.streamtab, { clonesMajor: true })
    unit.spill(b)
    const x = s.openDev(makedev(a, UNIT_CLONE_MINOR))
    s.openDev(makedev(a, UNIT_CLONE_MINOR))
    expectErrno(() => s.openDev(makedev(a, UNIT_CLONE_MINOR)), 'ENXIO')
    x.close()
    expect(s.openDev(makedev(a, UNIT_CLONE_MINOR)).dev).toBe(makedev(a, unitMinor(1)))
  })
})
