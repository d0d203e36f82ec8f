import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { parseFileSpec } from './filespec'
import { findImage } from './image-file'
import { RMS, STS_M_INHIB_MSG } from './messages'
import { Harness } from './testing/harness'

describe('file specifications DEV:[DIR.SUB]NAME.TYP;VER (DCL User\'s Guide, "File specifications")', () => {
  it('parse into their fields', () => {
    expect(parseFileSpec('dua0:[user.work]login.com;3')).toEqual({
      device: 'DUA0',
      directory: { relative: false, up: 0, parts: ['USER', 'WORK'] },
      name: 'LOGIN',
      type: 'COM',
      version: 3,
    })
    expect(parseFileSpec('[.sub]x')).toEqual({
      directory: { relative: true, up: 0, parts: ['SUB'] },
      name: 'X',
    })
    expect(parseFileSpec('[--.a]*.*;*')).toEqual({
      directory: { relative: true, up: 2, parts: ['A'] },
      name: '*',
      type: '*',
      version: '*',
    })
    expect(parseFileSpec('[000000]top.txt.2')).toEqual({
      directory: { relative: false, up: 0, parts: [] },
      name: 'TOP',
      type: 'TXT',
      version: 2,
    })
    expect(parseFileSpec('<a.b>c.d;-1').version).toBe(-1)
  })

  it('refuse what is not a file spec (RMS$_SYN): host paths, bad characters, long names', () => {
    for (const bad of [
      '../etc/passwd',
      '/etc/passwd',
      '[a..b]x',
      'a b',
      '[a',
      'x;y',
      `${'A'.repeat(40)}.TXT`,
      'x.y.z.w',
    ])
      expect(() => parseFileSpec(bad), bad).toThrow(expect.objectContaining({ status: RMS.SYN }))
  })
})

describe('the default disk: directories and version numbers on the host tree', () => {
  it('CREATE writes version 1 at the plain host name and later versions as name.typ;N', () => {
    const h = new Harness()
    h.file('make.com', '$ CREATE NOTE.TXT\nfirst\n$ CREATE NOTE.TXT\nsecond\nthird\n$ EXIT\n')
    h.run('@MAKE')
    expect(readFileSync(join(h.root, 'note.txt'), 'utf8')).toBe('first\n')
    expect(readFileSync(join(h.root, 'note.txt;2'), 'utf8')).toBe('second\nthird\n')
    expect(h.run('TYPE NOTE.TXT', 'TYPE NOTE.TXT;1', 'TYPE NOTE.TXT;-1')).toEqual([
      'second',
      'third',
      'first',
      'first',
    ])
    expect(h.run('DIRECTORY')).toEqual([
      '',
      'Directory SYS$DISK:[000000]',
      '',
      'MAKE.COM;1',
      'NOTE.TXT;2',
      'NOTE.TXT;1',
      '',
      'Total of 3 files.',
    ])
  })

  it('COPY, RENAME, DELETE (a version is required), PURGE', () => {
    const h = new Harness()
    h.file('a.txt', 'alpha\n')
    h.run('COPY A.TXT B.TXT', 'COPY A.TXT B.TXT', 'RENAME A.TXT C.DAT')
    expect(h.run('DIRECTORY *.*')).toEqual([
      '',
      'Directory SYS$DISK:[000000]',
      '',
      'B.TXT;2',
      'B.TXT;1',
      'C.DAT;1',
      '',
      'Total of 3 files.',
    ])
    expect(h.run('DELETE C.DAT')).toEqual([
      '%DELETE-E-DELVER, explicit version number or wild card required',
    ])
    h.run('DELETE C.DAT;*', 'PURGE B.TXT')
    expect(h.run('DIRECTORY')).toEqual([
      '',
      'Directory SYS$DISK:[000000]',
      '',
      'B.TXT;2',
      '',
      'Total of 1 file.',
    ])
    expect(h.run('TYPE B.TXT')).toEqual(['alpha'])
  })

  it('SET DEFAULT and SHOW DEFAULT; [-] and [.SUB] are relative; a missing directory is DNF', () => {
    const h = new Harness()
    h.run('CREATE/DIRECTORY [WORK.SUB]')
    expect(existsSync(join(h.root, 'work', 'sub'))).toBe(true)
    h.run('SET DEFAULT [WORK]')
    expect(h.run('SHOW DEFAULT')).toEqual(['  SYS$DISK:[WORK]'])
    h.run('SET DEFAULT [.SUB]')
    expect(h.run('SHOW DEFAULT')).toEqual(['  SYS$DISK:[WORK.SUB]'])
    h.run('SET DEFAULT [-]')
    expect(h.run('SHOW DEFAULT')).toEqual(['  SYS$DISK:[WORK]'])
    const r = h.status('SET DEFAULT [NOSUCH]')
    expect(r.output).toEqual(['%RMS-E-DNF, directory not found', ' \\[NOSUCH]\\'])
    expect(r.status).toBe((RMS.DNF | STS_M_INHIB_MSG) >>> 0)
    expect(h.run('SHOW DEFAULT')).toEqual(['  SYS$DISK:[WORK]'])
  })

  it('a logical name in the device part (DEFINE WORK SYS$DISK:[WORK])', () => {
    const h = new Harness()
    h.file('work/x.txt', 'in work\n')
    h.run('DEFINE W SYS$DISK:[WORK]')
    expect(h.run('TYPE W:X.TXT')).toEqual(['in work'])
    expect(h.run('TYPE NODEV:X.TXT')[1]).toBe('-SYSTEM-W-NOSUCHDEV, no such device available')
  })

  it('DIRECTORY [...] searches the tree; host names that are no VMS names are not shown', () => {
    const h = new Harness()
    h.file('a/b/deep.txt', 'x')
    h.file('a/top.txt', 'x')
    h.file('not a vms name.txt', 'x')
    expect(h.run('DIRECTORY [...]*.TXT')).toEqual([
      '',
      'Directory SYS$DISK:[A]',
      '',
      'TOP.TXT;1',
      '',
      '',
      'Directory SYS$DISK:[A.B]',
      '',
      'DEEP.TXT;1',
      '',
      'Total of 2 files.',
    ])
  })

  it('a host error is an RMS status, not an exception (CREATE/DIRECTORY over a file)', () => {
    const h = new Harness()
    h.file('a', 'a file, not a directory')
    const r = h.status('CREATE/DIRECTORY [A]')
    expect(r.output).toEqual([
      '%CREATE-E-OPENOUT, error on [A]',
      '-RMS-E-PRV, insufficient privilege or file protection violation',
    ])
    expect(r.status & 1).toBe(0)
  })

  it('TYPE of a missing file: SEARCHFAIL and RMS$_FNF', () => {
    const h = new Harness()
    const r = h.status('TYPE NOSUCH.TXT')
    expect(r.output).toEqual([
      '%TYPE-W-SEARCHFAIL, error searching for NOSUCH.TXT',
      '-RMS-E-FNF, file not found',
    ])
    expect(r.status).toBe((RMS.FNF | STS_M_INHIB_MSG) >>> 0)
  })
})

describe('nothing outside the default-disk root is reachable through a file spec', () => {
  it('[-] stops at the top, and .. is not a directory name', () => {
    const h = new Harness()
    const outside = join(h.root, '..', `outside-${process.pid}.txt`)
    writeFileSync(outside, 'secret')
    onTestFinished(() => rmSync(outside, { force: true }))
    expect(h.run('SET DEFAULT [-]', 'SHOW DEFAULT')).toEqual(['  SYS$DISK:[000000]'])
    expect(h.run(`TYPE [-]OUTSIDE-${process.pid}.TXT`)[1]).toBe('-RMS-E-FNF, file not found')
    expect(h.run('TYPE [..]X.TXT')[1]).toBe('-RMS-F-SYN, file specification syntax error')
  })

  it('a symbolic link out of the tree is refused (RMS$_PRV)', () => {
    const h = new Harness()
    const outside = join(h.root, '..', `vms-dcl-out-${process.pid}`)
    mkdirSync(outside, { recursive: true })
    onTestFinished(() => rmSync(outside, { recursive: true, force: true }))
    writeFileSync(join(outside, 'secret.txt'), 'secret\n')
    symlinkSync(outside, join(h.root, 'link'))
    symlinkSync(join(outside, 'secret.txt'), join(h.root, 'file.txt'))
    // The linked directory is not part of the disk; the linked file cannot be read.
    expect(h.run('TYPE [LINK]SECRET.TXT')).toEqual([
      '%TYPE-W-SEARCHFAIL, error searching for [LINK]SECRET.TXT',
      '-RMS-E-FNF, file not found',
    ])
    expect(h.run('SET DEFAULT [LINK]')[0]).toBe(
      '%RMS-E-PRV, insufficient privilege or file protection violation',
    )
    const out = h.run('TYPE FILE.TXT', 'COPY FILE.TXT COPY.TXT', '@FILE.TXT')
    expect(out.join('\n')).not.toContain('secret')
    expect(out.join('\n')).not.toContain('/')
    expect(out).toEqual([
      '%TYPE-W-OPENIN, error opening SYS$DISK:[000000]FILE.TXT;1',
      '-RMS-E-PRV, insufficient privilege or file protection violation',
      '%COPY-W-OPENOUT, error opening COPY.TXT',
      '-RMS-E-PRV, insufficient privilege or file protection violation',
      '%DCL-E-OPENIN, error opening FILE.TXT as input',
      '-RMS-E-PRV, insufficient privilege or file protection violation',
    ])
  })
})

describe("findImage: the file-spec resolver for the host's RUN and LINK", () => {
  it('tries the default types in turn; a host path with a / is taken as one', () => {
    const h = new Harness()
    h.file('hello.mar', '; source')
    h.file('progs/hello.exe', 'image')
    expect(findImage(h.dcl.disk, 'HELLO', ['EXE', 'MAR'])).toBe(join(h.root, 'hello.mar'))
    expect(findImage(h.dcl.disk, '[PROGS]HELLO', ['EXE', 'MAR'])).toBe(
      join(h.root, 'progs', 'hello.exe'),
    )
    expect(findImage(h.dcl.disk, 'progs/hello.exe', ['EXE'], h.root)).toBe(
      join(h.root, 'progs', 'hello.exe'),
    )
    expect(findImage(h.dcl.disk, 'NOSUCH', ['EXE', 'MAR'])).toBeUndefined()
    expect(findImage(h.dcl.disk, '../x', ['EXE'])).toBeUndefined()
  })
})
