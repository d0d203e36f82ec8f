import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { FileBlockDevice } from '@vax-vms/block-device'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { defaultSubsystems } from './build'
import { Console } from './console'
import { VmsSystem } from './executive'
import { EXAMPLES_DIRECTORY } from './programs'

/**
 * The I/O system's devices in the assembled system (book ch. 18-19): a virtual disk
 * loaded and connected as SYSGEN does, mounted foreign, written and read by VAX code
 * with $QIO, a mailbox created with $CREMBX; the console's SHOW DEVICES.
 */
function boot() {
  const directory = mkdtempSync(join(tmpdir(), 'vms-devices-'))
  let output = ''
  const system = new VmsSystem({
    output: (text) => (output += text),
    subsystems: defaultSubsystems,
    directory,
  })
  return { system, console_: new Console(system), output: () => output, directory }
}

describe('disks and mailboxes for VAX programs', () => {
  it('MBXDISK: a line through a mailbox, onto VDA0: and back; the container file holds it', () => {
    const { console_, output, directory, system } = boot()
    expect(console_.execute('SYSGEN LOAD VDDRIVER')).toBe(SS.NORMAL)
    expect(console_.execute('SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=disk.dsk')).toBe(SS.NORMAL)
    expect(console_.execute('MOUNT/FOREIGN VDA0')).toBe(SS.NORMAL)
    expect(console_.execute('RUN MBXDISK')).toBe(SS.NORMAL)
    expect(output()).toContain('through a mailbox, a disk and back\n')
    const container = readFileSync(join(directory, 'disk.dsk'))
    expect(container.length).toBe(2048 * 512)
    expect(container.subarray(0, 34).toString('latin1')).toBe('through a mailbox, a disk and back')
    expect(system.list().length).toBe(1)
  })

  it('a disk that is not mounted refuses I/O: SS$_DEVNOTMOUNT ends the image', () => {
    const { console_, output } = boot()
    console_.execute('SYSGEN LOAD VDDRIVER')
    console_.execute('SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=disk.dsk')
    const status = console_.execute('RUN MBXDISK')
    expect(status & 0xffff).toBe(SS.DEVNOTMOUNT)
    expect(output()).toContain('%SYSTEM-F-DEVNOTMOUNT, device is not mounted')
  })

  it('SHOW DEVICES lists the terminal, the null device, the mailbox template and the disk', () => {
    const { console_, output } = boot()
    console_.execute('SYSGEN LOAD VDDRIVER /ALLOCATION_CLASS=193 /CLUSTER')
    console_.execute('SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=disk.dsk /BLOCKS=64')
    console_.execute('MOUNT/FOREIGN VDA0')
    console_.execute('SHOW DEVICES/FULL')
    expect(output()).toMatch(/^OPA0:? .*Online/m)
    expect(output()).toMatch(/^\$193\$VDA0: +Online mnt foreign/m)
    expect(output()).toMatch(/64 blocks/)
  })

  it('a build without the lock manager still has every I/O service', () => {
    let output = ''
    const directory = mkdtempSync(join(tmpdir(), 'vms-devices-'))
    const system = new VmsSystem({ output: (text) => (output += text), directory, subsystems: [] })
    const console_ = new Console(system)
    console_.execute('SYSGEN LOAD VDDRIVER')
    console_.execute('SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=disk.dsk')
    console_.execute('MOUNT/FOREIGN VDA0')
    expect(console_.execute('RUN MBXDISK')).toBe(SS.NORMAL)
    expect(output).toContain('through a mailbox, a disk and back\n')
  })
})

describe('the foreign storage packages as VMS disks (issue 15 item 5)', () => {
  const root = join(import.meta.dirname, '../../..')
  const vdm = async (args: string[]) =>
    promisify(execFile)(process.execPath, [
      join(root, 'packages/dgux-vdm-mirror/dist/cli.js'),
      ...args,
    ])

  it('a DG/UX mirror made by `vdm create` is a disk unit: VAX writes reach both images', async () => {
    const { console_, output, directory } = boot()
    const [a, b] = [join(directory, 'a.img'), join(directory, 'b.img')]
    await vdm(['create', '--name', 'm0', '--size', '2M', a, b])
    await vdm(['sync', a, b])
    expect(console_.execute('SYSGEN LOAD DKDRIVER')).toBe(SS.NORMAL)
    expect(console_.execute('SYSGEN CONNECT DKA0 /DRIVER=DKDRIVER /MIRROR=a.img,b.img')).toBe(
      SS.NORMAL,
    )
    expect(console_.execute('MOUNT/FOREIGN DKA0')).toBe(SS.NORMAL)
    writeFileSync(
      join(directory, 'mbxdisk.mar'),
      readFileSync(join(EXAMPLES_DIRECTORY, 'mbxdisk.mar'), 'utf8').replace('/VDA0:/', '/DKA0:/'),
    )
    expect(console_.execute('RUN mbxdisk.mar')).toBe(SS.NORMAL)
    expect(output()).toContain('through a mailbox, a disk and back\n')
    const line = Buffer.from('through a mailbox, a disk and back')
    for (const image of [a, b]) expect(readFileSync(image).includes(line)).toBe(true)
  })

  it('a serial DASD is a disk unit through the AIX driver (host connector 0)', () => {
    const { console_, output, directory } = boot()
    FileBlockDevice.create(join(directory, 'dasd.img'), 256).close()
    console_.execute('SYSGEN LOAD DKDRIVER')
    expect(console_.execute('SYSGEN CONNECT DKA1 /DRIVER=DKDRIVER /SERDASD=dasd.img')).toBe(
      SS.NORMAL,
    )
    console_.execute('MOUNT/FOREIGN DKA1')
    writeFileSync(
      join(directory, 'mbxdisk.mar'),
      readFileSync(join(EXAMPLES_DIRECTORY, 'mbxdisk.mar'), 'utf8').replace('/VDA0:/', '/DKA1:/'),
    )
    expect(console_.execute('RUN mbxdisk.mar')).toBe(SS.NORMAL)
    expect(output()).toContain('through a mailbox, a disk and back\n')
    expect(readFileSync(join(directory, 'dasd.img')).subarray(0, 34).toString('latin1')).toBe(
      'through a mailbox, a disk and back',
    )
  })

  it('a CONNECT whose storage cannot be opened says so and connects nothing', () => {
    const { console_, output } = boot()
    console_.execute('SYSGEN LOAD DKDRIVER')
    expect(
      console_.execute('SYSGEN CONNECT DKA0 /DRIVER=DKDRIVER /MIRROR=no.img,such.img') & 1,
    ).toBe(0)
    expect(output()).toMatch(/%SYSGEN-E-OPENIN, .*no\.img does not exist/)
    console_.execute('SHOW DEVICES')
    expect(output()).not.toMatch(/^DKA0/m)
  })
})
