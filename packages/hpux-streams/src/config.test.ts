import { describe, expect, it } from 'vitest'
import {
  C_CLONESMAJOR,
  DRV_CHAR,
  DRV_PSEUDO,
  DYNAMIC_MAJOR_BASE,
  SQLVL_ELSEWHERE,
  STR_IS_DEVICE,
  STR_IS_MODULE,
} from './config'
import { CLONE_MAJOR, major, makedev, minor, NODEV } from './device'
import { echoDriver } from './examples/echo'
import { createUnitDriver, UNIT_CLONE_MINOR, unitMinor } from './examples/unit'
import { upperModule } from './examples/upper'
import { configureMaster, parseMasterFile } from './master'
import { Streams } from './streams'
import { bytes, expectErrno, install, text } from './test-kit'

describe('device numbers (makedev, major, minor)', () => {
  it('puts the major in the top 8 bits and the minor in the low 24', () => {
    const dev = makedev(75, 0x123456)
    expect(dev).toBe(0x4b123456)
    expect([major(dev), minor(dev)]).toEqual([75, 0x123456])
    expect(makedev(255, 0xffffff)).toBe(0xffffffff)
  })

  it('gives NODEV for a major or minor out of range', () => {
    for (const [M, m] of [
      [256, 0],
      [-1, 0],
      [1, 0x1000000],
      [1, 1.5],
    ] as const)
      expect(makedev(M, m)).toBe(NODEV)
  })
})

describe('device files (mknod)', () => {
  it('records name, type, major and minor; refuses a duplicate (EEXIST) or bad field (EINVAL)', () => {
    const s = new Streams()
    expect(s.mknod('/dev/x', 'c', 75, 3)).toEqual({
      name: '/dev/x',
      type: 'c',
      major: 75,
      minor: 3,
    })
    expectErrno(() => s.mknod('/dev/x', 'c', 75, 4), 'EEXIST')
    expectErrno(() => s.mknod('/dev/y', 'x' as 'c', 75, 4), 'EINVAL')
    expectErrno(() => s.mknod('/dev/y', 'c', 256, 4), 'EINVAL')
    expectErrno(() => s.mknod('/dev/y', 'c', 1, -1), 'EINVAL')
    expect(s.devices.list().length).toBe(1)
  })

  it('open of a missing file is ENOENT, of a block device or an empty major ENXIO', () => {
    const s = new Streams()
    s.mknod('/dev/blk', 'b', 3, 0)
    s.mknod('/dev/empty', 'c', 90, 0)
    expectErrno(() => s.open('/dev/none'), 'ENOENT')
    expectErrno(() => s.open('/dev/blk'), 'ENXIO')
    expectErrno(() => s.open('/dev/empty'), 'ENXIO')
  })
})

describe('install functions (page: INSTALL FUNCTION CONFIGURATION)', () => {
  const info = (charMajor = -1, name = 'example') => ({
    name,
    class: 'pseudo',
    flags: DRV_CHAR | DRV_PSEUDO,
    blockMajor: -1,
    charMajor,
  })
  const streamsInfo = (name = 'example') => ({
    name,
    major: -1,
    streamtab: echoDriver,
    flags: STR_IS_DEVICE,
    syncLevel: 0,
    syncName: '',
  })

  it('install_driver with char major -1 assigns one dynamically; str_install with major -1 takes it', () => {
    const s = new Streams()
    const m = s.installDriver(info(), { flags: C_CLONESMAJOR })
    expect(m).toBe(DYNAMIC_MAJOR_BASE)
    s.strInstall(streamsInfo())
    s.mknod('/dev/example', 'c', m, 0)
    const f = s.open('/dev/example')
    f.write(bytes('hi'))
    expect(text(f.read(2))).toBe('hi')
  })

  it('example_install(): when str_install fails, uninstall_driver leaves the system as it was', () => {
    const s = new Streams()
    const before = s.snapshot()
    const exampleInstall = (streamtab: unknown): number => {
      const drvInfo = info()
      s.installDriver(drvInfo, { flags: C_CLONESMAJOR })
      try {
        s.strInstall({ ...streamsInfo(), streamtab: streamtab as never })
      } catch (e) {
        s.uninstallDriver(drvInfo)
        return (e as { code: number }).code
      }
      return 0
    }
    expect(exampleInstall({})).toBe(22) // EINVAL: no qinit
    expect(s.snapshot()).toEqual(before)
    expect(exampleInstall(echoDriver)).toBe(0)
    expect(s.switch.driverNamed('example')?.streams?.streamtab).toBe(echoDriver)
  })

  it('never assigns the clone major dynamically, nor accepts it explicitly', () => {
    const s = new Streams()
    const majors = Array.from({ length: 10 }, (_, i) =>
      s.installDriver(info(-1, `d${i}`), { flags: 0 }),
    )
    expect(majors).not.toContain(CLONE_MAJOR)
    expect(majors).toContain(CLONE_MAJOR + 1)
    expectErrno(() => s.installDriver(info(CLONE_MAJOR, 'clone'), { flags: 0 }), 'EINVAL')
  })

  it('refuses a name installed twice (EEXIST), a major in use (EBUSY), bad drv_info (EINVAL); nothing changes', () => {
    const s = new Streams()
    s.installDriver(info(75), { flags: 0 })
    const before = s.snapshot()
    expectErrno(() => s.installDriver(info(76), { flags: 0 }), 'EEXIST')
    expectErrno(() => s.installDriver(info(75, 'other'), { flags: 0 }), 'EBUSY')
    expectErrno(() => s.installDriver({ ...info(77, 'blk'), flags: 2 }, { flags: 0 }), 'EINVAL')
    expectErrno(() => s.installDriver(info(300, 'big'), { flags: 0 }), 'EINVAL')
    expectErrno(() => s.installDriver(null as never, { flags: 0 }), 'EINVAL')
    expectErrno(() => s.installDriver(info(78, 'noops'), null as never), 'EINVAL')
    expect(s.snapshot()).toEqual(before)
  })

  it('str_install refuses a driver not installed (ENXIO), twice (EEXIST), bad streams_info (EINVAL); uninstall_driver then undoes install_driver', () => {
    const s = new Streams()
    expectErrno(() => s.strInstall(streamsInfo()), 'ENXIO')
    s.installDriver(info(75), { flags: 0 })
    const before = s.snapshot()
    expectErrno(() => s.strInstall({ ...streamsInfo(), flags: 0 }), 'EINVAL')
    expectErrno(
      () => s.strInstall({ ...streamsInfo(), flags: STR_IS_DEVICE | STR_IS_MODULE }),
      'EINVAL',
    )
    expectErrno(() => s.strInstall({ ...streamsInfo(), major: 76 }), 'EINVAL')
    expectErrno(() => s.strInstall({ ...streamsInfo(), syncLevel: 9 }), 'EINVAL')
    expectErrno(() => s.strInstall({ ...streamsInfo(), syncLevel: SQLVL_ELSEWHERE }), 'EINVAL')
    expectErrno(
      () => s.strInstall({ ...streamsInfo(), streamtab: { rdinit: echoDriver.rdinit } as never }),
      'EINVAL',
    )
    expect(s.snapshot()).toEqual(before)
    s.uninstallDriver(info())
    expect(s.switch.cdevsw.size).toBe(0)
    expectErrno(() => s.uninstallDriver(info()), 'ENXIO')
  })

  it('uninstall_driver while a stream of it is open is EBUSY; after close it goes', () => {
    const s = new Streams()
    const m = install(s, 'echo', echoDriver)
    const f = s.openDev(makedev(m, 0))
    expectErrno(() => s.uninstallDriver({ name: 'echo' }), 'EBUSY')
    f.close()
    s.uninstallDriver({ name: 'echo' })
    expectErrno(() => s.openDev(makedev(m, 0)), 'ENXIO')
  })

  it('str_install with STR_IS_MODULE registers a pushable module; str_uninstall refuses while pushed', () => {
    const s = new Streams()
    const m = install(s, 'echo', echoDriver)
    s.strInstall({
      name: 'upper',
      major: -1,
      streamtab: upperModule,
      flags: STR_IS_MODULE,
      syncLevel: 0,
      syncName: '',
    })
    expectErrno(
      () =>
        s.strInstall({
          name: 'upper',
          major: -1,
          streamtab: upperModule,
          flags: STR_IS_MODULE,
          syncLevel: 0,
          syncName: '',
        }),
      'EEXIST',
    )
    const f = s.openDev(makedev(m, 0))
    f.push('upper')
    expectErrno(() => s.strUninstall('upper'), 'EBUSY')
    f.pop()
    s.strUninstall('upper')
    expectErrno(() => f.push('upper'), 'EINVAL')
  })
})

describe('master file entries (page: MASTER FILE ENTRY and $DEVICE TABLE CONFIGURATION)', () => {
  const PAGE = `
$DRIVER_INSTALL
* Driver Block major Char major
example 1 -1
$$$

$DEVICE
* name handle type mask block char
example exampleinfo 21 80FC -1 75 /* 0x8000 set in mask */
$$$
`

  it('parses the page example: $DRIVER_INSTALL and $DEVICE, with the 0x8000 mask bit', () => {
    expect(parseMasterFile(PAGE)).toEqual({
      driverInstall: [{ name: 'example', blockMajor: 1, charMajor: -1, line: 4 }],
      devices: [
        {
          name: 'example',
          handle: 'exampleinfo',
          type: 0x21,
          mask: 0x80fc,
          blockMajor: -1,
          charMajor: 75,
          clonesMajor: true,
          line: 9,
        },
      ],
    })
    expect(parseMasterFile(PAGE.replace('80FC', '00FC')).devices[0]?.clonesMajor).toBe(false)
  })

  it('skips other sections and refuses malformed lines with EINVAL naming the line', () => {
    expect(parseMasterFile('$TUNABLE\nanything goes here\n$$$\n').devices).toEqual([])
    expect(
      expectErrno(() => parseMasterFile('$DEVICE\nexample x 21 80FC -1\n'), 'EINVAL').message,
    ).toMatch(/line 2/)
    expectErrno(() => parseMasterFile('$DEVICE\nexample x 21 8G -1 75\n'), 'EINVAL')
    expectErrno(() => parseMasterFile('$DEVICE\nexample x 21 80 -1 256\n'), 'EINVAL')
    expectErrno(() => parseMasterFile('$DRIVER_INSTALL\nexample 1\n'), 'EINVAL')
    expectErrno(() => parseMasterFile('$DRIVER_INSTALL\nx 1 2\nx 1 2\n'), 'EINVAL')
    expectErrno(() => parseMasterFile('stray text\n'), 'EINVAL')
  })

  it('configures the page example: major 75 from $DEVICE, C_CLONESMAJOR from the mask, so it clones by method 2', () => {
    const s = new Streams()
    const unit = createUnitDriver(2)
    const majors = configureMaster(s, PAGE, { example: { streamtab: unit.streamtab } })
    expect(majors.get('example')).toBe(75)
    expect(s.switch.cdevsw.get(75)?.ops.flags).toBe(C_CLONESMAJOR)
    s.mknod('/dev/example', 'c', 75, UNIT_CLONE_MINOR)
    expect(s.open('/dev/example').dev).toBe(makedev(75, unitMinor(1)))
  })

  it('without the 0x8000 bit the same driver cannot clone: its changed device number is refused', () => {
    const s = new Streams()
    configureMaster(s, PAGE.replace('80FC', '00FC'), {
      example: { streamtab: createUnitDriver(2).streamtab },
    })
    expectErrno(() => s.openDev(makedev(75, UNIT_CLONE_MINOR)), 'ENXIO')
  })

  it('is all or nothing: a failure part way uninstalls what it installed', () => {
    const s = new Streams()
    s.installDriver(
      { name: 'taken', class: 'x', flags: DRV_CHAR, blockMajor: -1, charMajor: 80 },
      { flags: 0 },
    )
    const before = s.snapshot()
    const master = '$DEVICE\nfirst f 21 0 -1 79\nsecond s 21 0 -1 80\n$$$\n'
    expectErrno(
      () =>
        configureMaster(s, master, {
          first: { streamtab: echoDriver },
          second: { streamtab: echoDriver },
        }),
      'EBUSY',
    )
    expect(s.snapshot()).toEqual(before)
    expectErrno(() => configureMaster(s, master, { first: { streamtab: echoDriver } }), 'EINVAL')
  })
})
