import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { defaultSubsystems } from './build'
import { Console } from './console'
import { VmsSystem } from './executive'

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
