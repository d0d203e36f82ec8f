import { type ConsoleCommand, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { fromConsoleCommand } from './console-command'
import { CLI } from './messages'
import { Harness } from './testing/harness'

/** A subsystem's console command that records the words `run` gets. */
function recorder(command: Omit<ConsoleCommand, 'run'>): {
  command: ConsoleCommand
  got: string[][]
} {
  const got: string[][] = []
  return {
    got,
    command: {
      ...command,
      run: (args, say) => {
        got.push([...args])
        say(`${command.name}: ${args.join(' ')}`)
        return SS.NORMAL
      },
    },
  }
}

const SYSGEN = {
  name: 'SYSGEN',
  help: 'SYSGEN LOAD / CONNECT',
  parameters: [
    { label: 'Command', required: true },
    { label: 'Unit', required: true },
  ],
  qualifiers: [
    { name: 'DRIVER', value: 'required' },
    { name: 'FILE', value: 'required', type: 'file' },
    { name: 'MIRROR', value: 'required', type: 'file', list: true },
    { name: 'BLOCKS', value: 'required', type: 'number' },
    { name: 'CLUSTER' },
  ],
} as const

describe('a subsystem command declares its syntax (ConsoleCommand, @vms/contracts)', () => {
  it('run gets the parameters, then each qualifier by its full name; a file value keeps its case', () => {
    const { command, got } = recorder(SYSGEN)
    const h = new Harness()
    fromConsoleCommand(h.dcl.table, command)
    h.run('SYSGEN CONN VDA0 /DRIV=vddriver /FILE=Disk.dsk /BLO=64 /CLU')
    expect(got).toEqual([
      ['CONN', 'VDA0', '/DRIVER=VDDRIVER', '/FILE=Disk.dsk', '/BLOCKS=64', '/CLUSTER'],
    ])
  })

  it('a file value may be a host path, and a file list may be given without parentheses', () => {
    const { command, got } = recorder(SYSGEN)
    const h = new Harness()
    fromConsoleCommand(h.dcl.table, command)
    h.run('SYSGEN CONNECT DKA0 /MIRROR=a.img,/tmp/B.img /DRIVER=DK')
    h.run('SYSGEN CONNECT DKA0 /FILE=/tmp/x/Disk.dsk/CLUSTER')
    expect(got).toEqual([
      ['CONNECT', 'DKA0', '/MIRROR=a.img,/tmp/B.img', '/DRIVER=DK'],
      ['CONNECT', 'DKA0', '/FILE=/tmp/x/Disk.dsk', '/CLUSTER'],
    ])
  })

  it('an undeclared qualifier is IVQUAL, a missing parameter INSFPRM, one too many MAXPARM', () => {
    const { command, got } = recorder(SYSGEN)
    const h = new Harness()
    fromConsoleCommand(h.dcl.table, command)
    expect(h.run('SYSGEN LOAD X/FOREIGN')).toEqual([
      '%DCL-W-IVQUAL, unrecognized qualifier - check validity, spelling, and placement',
      ' \\FOREIGN\\',
    ])
    expect(h.dcl.status & 0xfffffff).toBe(CLI.IVQUAL)
    h.run('SYSGEN LOAD')
    expect(h.dcl.status & 0xfffffff).toBe(CLI.INSFPRM)
    h.run('SYSGEN LOAD A B')
    expect(h.dcl.status & 0xfffffff).toBe(CLI.MAXPARM)
    expect(got).toEqual([]) // run was never called
  })

  it('a command without declarations takes up to eight words and no qualifiers', () => {
    const { command, got } = recorder({ name: 'SHELVE', help: 'SHELVE disk block...' })
    const h = new Harness()
    fromConsoleCommand(h.dcl.table, command)
    h.run('SHELVE VDA0 5 6')
    h.run('SHELVE/FAST VDA0')
    expect(got).toEqual([['VDA0', '5', '6']])
    expect(h.dcl.status & 0xfffffff).toBe(CLI.IVQUAL)
  })

  it('a verb a subsystem adds needs four characters, so it never makes SH ambiguous', () => {
    const { command } = recorder({ name: 'SHELVE', help: 'SHELVE disk block...' })
    const h = new Harness()
    fromConsoleCommand(h.dcl.table, command)
    expect(h.run('SH TIME')).toEqual(['   9-NOV-2026 14:05:33'])
    expect(h.run('SHE')[0]).toMatch(/^%DCL-W-IVVERB/) // SHELVE needs SHEL
    expect(h.run('SHEL VDA0')).toEqual(['SHELVE: VDA0'])
  })

  it('a two-word name is a keyword of its verb, with its own qualifiers', () => {
    const { command, got } = recorder({
      name: 'SHOW DEVICES',
      help: 'devices',
      parameters: [],
      qualifiers: [{ name: 'FULL' }],
    })
    const h = new Harness()
    fromConsoleCommand(h.dcl.table, command)
    h.run('SHOW DEV/FULL')
    h.run('SHOW DEVICES/NOFULL')
    expect(got).toEqual([['/FULL'], ['/NOFULL']])
  })
})

describe('host paths as parameters (a trusted host RUN)', () => {
  it('./x and ../x are paths even without a dot in the name', () => {
    const h = new Harness()
    expect(h.run('RUN ./spin')).toEqual(['./spin read 0 lines'])
    expect(h.run('RUN ../up/prog')).toEqual(['../up/prog read 0 lines'])
  })
})
