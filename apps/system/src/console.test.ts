import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Console, EXAMPLES_DIRECTORY } from './console'
import { STS_M_INHIB_MSG, VmsSystem } from './executive'

const root = resolve(import.meta.dirname, '../../..')
const MAIN = ['--conditions=@vax-vms/source', '--import', 'tsx', 'apps/system/src/main.ts']

/** A system whose default directory is a new temporary one, and a console on it. */
function setup(synchronous = true) {
  const directory = mkdtempSync(join(tmpdir(), 'vms-console-'))
  let output = ''
  const system = new VmsSystem({ output: (text) => (output += text), directory })
  const console_ = new Console(system, { synchronous })
  const file = (name: string, text: string) => writeFileSync(join(directory, name), text)
  return { system, console_, directory, file, output: () => output }
}

/** `vms --script` from the sources, run without blocking the test worker. */
async function script(
  text: string,
  cwd = root,
  flags: readonly string[] = [],
): Promise<{ out: string; status: number }> {
  const file = join(mkdtempSync(join(tmpdir(), 'vms-')), 'script.com')
  writeFileSync(file, text)
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...MAIN, ...flags, '--script', file],
      {
        cwd: root,
        env: { ...process.env, INIT_CWD: cwd },
      },
    )
    return { out: stdout, status: 0 }
  } catch (error) {
    const e = error as { stdout: string; code: number }
    return { out: e.stdout, status: e.code }
  }
}

const SPIN = '        .ENTRY  start,^M<>\n10$:    BRB     10$\n        .END    start\n'
const EXIT_WITH = (status: string) =>
  `        .ENTRY  start,^M<>\n        PUSHL   #${status}\n        CALLS   #1,@#SYS$EXIT\n        .END    start\n`

describe('image exit status (book 21.5 image exit, DCL status display)', () => {
  it('$EXIT with an error status shows its message once, and RUN returns the status', () => {
    const { console_, file, output } = setup()
    file('abort.mar', EXIT_WITH('^X2C')) // SS$_ABORT
    const status = console_.execute('RUN abort')
    expect(output()).toBe('%SYSTEM-F-ABORT, abort\n')
    expect(status & 0xffff).toBe(SS.ABORT)
    expect(status & STS_M_INHIB_MSG).not.toBe(0) // shown: the console does not show it again
  })

  it('a success status shows nothing; an informational one is success too', () => {
    const { console_, file, output } = setup()
    file('ok.mar', EXIT_WITH('1'))
    expect(console_.execute('RUN ok')).toBe(SS.NORMAL)
    expect(output()).toBe('')
  })

  it('an image ended by an exception: one message, and the script exits 1', async () => {
    const { out, status } = await script('RUN ACCVIO\n')
    expect(status).toBe(1)
    expect(out.match(/%SYSTEM-F-ACCVIO/g)?.length).toBe(1)
    expect(out).not.toMatch(/NOMSG|BADIMGHDR/)
  })

  it('a script whose last image exits with an error status exits 1; with success, 0', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vms-exit-'))
    writeFileSync(join(directory, 'abort.mar'), EXIT_WITH('^X2C'))
    writeFileSync(join(directory, 'ok.mar'), EXIT_WITH('1'))
    expect((await script('RUN abort\n', directory)).status).toBe(1)
    expect((await script('RUN abort\nRUN ok\n', directory)).status).toBe(0)
  })
})

describe('vms --no-jit (docs/command-line.md)', () => {
  it('runs the same images with the translator off, and SHOW CPU says so', async () => {
    const on = await script('$ RUN HELLO\n$ SHOW CPU\n')
    const off = await script('$ RUN HELLO\n$ SHOW CPU\n', root, ['--no-jit'])
    expect(off.out).toContain('Hello from VAX user mode!')
    expect(off.out).toContain('translation: off (--no-jit)')
    expect(on.out).toMatch(/translation: \d+ blocks compiled/)
    // The instruction counts agree: translation changes nothing observable.
    const count = (out: string) => /CPU: ka655, (\d+) instructions/.exec(out)?.[1]
    expect(count(off.out)).toBe(count(on.out))
    expect(off.status).toBe(0)
  }, 60_000)
})

describe('end of input (book 19.3)', () => {
  it('a RUN in a script with no data lines gets end of file, not a wait', async () => {
    const { out, status } = await script('$ RUN ASKNAME\n$ SHOW SYSTEM\n')
    expect(out).toContain('Your name? \n%SYSTEM-W-ENDOFFILE, end of file\n$ SHOW SYSTEM\n')
    expect(out).not.toContain('ASKNAME ') // the process has gone
    expect(status).toBe(0)
  })

  it('CTRL/Z typed at a program reading the terminal ends its read with SS$_ENDOFFILE', () => {
    const { console_, system, output } = setup()
    console_.execute('RUN ASKNAME')
    expect(system.waitingForTerminal).toBe(true)
    const status = console_.input('\x1a')
    expect(output()).toBe('Your name? ^Z\n%SYSTEM-W-ENDOFFILE, end of file\n')
    expect(status & 0xffff).toBe(SS.ENDOFFILE)
    expect(system.list().length).toBe(1)
  })
})

describe('CTRL/Y and CTRL/C, CONTINUE and STOP (book 7.8, DCL)', () => {
  it('CTRL/Y suspends the running image and gives the prompt; CONTINUE resumes it; STOP ends it', () => {
    const { console_, system, file, output } = setup(false)
    file('spin.mar', SPIN)
    expect(console_.execute('RUN spin')).toBe(SS.NORMAL)
    const pid = console_.foreground as number
    expect(console_.step(200_000)).toBeUndefined() // still running
    const poolBefore = system.pool.statistics().variable.inUseBytes
    expect(console_.interrupt()).toBe(true)
    expect(output()).toBe('Interrupt\n')
    expect(console_.foreground).toBeUndefined()
    console_.execute('SHOW SYSTEM')
    expect(output()).toMatch(/^00000021 SPIN +SUSP /m)
    const cpu = system.list().find((p) => p.pcb.pid === pid)?.pcb.cpuTicks
    console_.step(100_000) // suspended: it gets no CPU time
    expect(system.list().find((p) => p.pcb.pid === pid)?.pcb.cpuTicks).toBe(cpu)
    expect(console_.execute('CONTINUE')).toBe(SS.NORMAL)
    expect(console_.foreground).toBe(pid)
    console_.step(100_000)
    expect(system.list().find((p) => p.pcb.pid === pid)?.pcb.cpuTicks).toBeGreaterThan(cpu ?? 0)
    expect(console_.interrupt()).toBe(true)
    expect(console_.execute('STOP')).toBe(SS.NORMAL)
    expect(system.exists(pid)).toBe(false)
    expect(system.pool.statistics().variable.inUseBytes).toBeLessThan(poolBefore)
  })

  it('CTRL/C goes to the image when it enabled a CTRL/C AST (book 7.8.3), and the image goes on', () => {
    const { console_, system, output } = setup(false)
    console_.execute('RUN CTRLC')
    const pid = console_.foreground as number
    for (let i = 0; i < 3; i++) expect(console_.step(50_000)).toBeUndefined()
    expect(console_.interrupt('C')).toBe(true)
    expect(console_.foreground).toBe(pid) // not suspended: the AST runs
    let ended: number | undefined
    for (let i = 0; i < 20 && ended === undefined; i++) ended = console_.step(50_000)
    expect(ended).toBe(SS.NORMAL)
    expect(output()).toBe("CTRL/C caught by the image's own AST\n")
    expect(system.exists(pid)).toBe(false)
  })

  it('CTRL/C at the prompt does nothing and the console goes on', () => {
    const { console_, output } = setup(false)
    expect(console_.interrupt()).toBe(false)
    expect(console_.execute('RUN HELLO')).toBe(SS.NORMAL)
    let ended: number | undefined
    for (let i = 0; i < 20 && ended === undefined; i++) ended = console_.step(100_000)
    expect(ended).toBe(SS.NORMAL)
    expect(output()).toBe('Hello from VAX user mode!\n')
  })

  it('a handler that loops on an exception (SS$_CONTINUE at the faulting PC) can be interrupted', () => {
    const { console_, system, file } = setup(false)
    file(
      'loop.mar',
      `        .ENTRY  start,^M<>
        MOVAB   handler,(FP)
        CLRL    R1
        MOVL    (R1),R0                 ; access violation, continued for ever
        RET
        .ENTRY  handler,^M<>
        MOVL    #1,R0                   ; SS$_CONTINUE: the MOVL faults again
        RET
        .END    start`,
    )
    console_.execute('RUN loop')
    const pid = console_.foreground as number
    for (let i = 0; i < 5; i++) expect(console_.step(50_000)).toBeUndefined()
    expect(console_.interrupt()).toBe(true)
    expect(console_.execute('STOP')).toBe(SS.NORMAL)
    expect(system.exists(pid)).toBe(false)
  })

  it('a new RUN runs down the interrupted image, as DCL does', () => {
    const { console_, system, file } = setup(false)
    file('spin.mar', SPIN)
    console_.execute('RUN spin')
    const pid = console_.foreground as number
    console_.step(10_000)
    console_.interrupt()
    console_.execute('RUN HELLO')
    expect(system.exists(pid)).toBe(false)
    expect(console_.execute('CONTINUE') & 1).toBe(0) // nothing left to continue
  })

  it('RUN/NOWAIT processes run while the interactive console waits for a command', () => {
    const { console_, output } = setup(false)
    console_.execute('RUN/NOWAIT HELLO')
    expect(console_.foreground).toBeUndefined()
    for (let i = 0; i < 20 && !console_.idle; i++) console_.step(100_000)
    expect(output()).toContain('Hello from VAX user mode!\n')
  })

  it('the interactive console: SIGINT interrupts a running image, and commands go on', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vms-sigint-'))
    writeFileSync(join(directory, 'spin.mar'), SPIN)
    const child = spawn(process.execPath, MAIN, {
      cwd: root,
      env: { ...process.env, INIT_CWD: directory },
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const until = async (text: string) => {
      for (let i = 0; i < 600 && !out.includes(text); i++)
        await new Promise((r) => setTimeout(r, 50))
      expect(out).toContain(text)
    }
    await until('$ ')
    child.stdin.write('RUN spin\n')
    await new Promise((r) => setTimeout(r, 500))
    child.kill('SIGINT')
    await until('Interrupt\n')
    child.stdin.write('SHOW SYSTEM\n')
    await until('SUSP')
    child.stdin.end('STOP\nSHOW SYSTEM\n')
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code).toBe(0)
    expect(out.split('SHOW SYSTEM').length).toBe(1) // commands are not echoed on a pipe
    expect(out.slice(out.lastIndexOf('Process Name'))).not.toContain('SPIN')
  }, 60_000)
})

describe('files: the user directory, missing files and assembly errors', () => {
  it('relative names are taken from the directory the console was started in', () => {
    const { console_, directory, file, output } = setup()
    file('mine.mar', EXIT_WITH('1'))
    expect(console_.execute('LINK mine')).toBe(SS.NORMAL)
    expect(existsSync(join(directory, 'mine.exe'))).toBe(true)
    expect(console_.execute('RUN mine.exe')).toBe(SS.NORMAL)
    expect(output()).toBe(`%LINK-I-CREATED, ${join(directory, 'mine.exe')} created\n`)
  })

  it('LINK of an example writes its image to the current directory, not into the examples', () => {
    const { console_, directory } = setup()
    expect(console_.execute('LINK HELLO')).toBe(SS.NORMAL)
    expect(existsSync(join(directory, 'hello.exe'))).toBe(true)
    expect(existsSync(join(EXAMPLES_DIRECTORY, 'hello.exe'))).toBe(false)
  })

  it('a missing image is RMS file-not-found, shown once', () => {
    const { console_, output } = setup()
    const status = console_.execute('RUN nosuch')
    expect(output()).toBe(
      '%DCL-W-ACTIMAGE, error activating image NOSUCH\n-RMS-E-FNF, file not found\n',
    )
    expect(status & 0xfffffff).toBe(0x18292)
    console_.execute('LINK nosuch')
    expect(output()).toContain('%LINK-F-OPENIN, error opening NOSUCH as input\n-RMS-E-FNF')
    expect(output()).not.toMatch(/NOSUCHDEV|NOMSG/)
  })

  it('assembly errors name the file and the line of the source, and nothing follows them', () => {
    const { console_, file, output } = setup()
    file(
      'bad.mar',
      '        .ENTRY  start,^M<>\n        MOVL    #1,R0\n        JUNK    R1\n        RET\n',
    )
    const status = console_.execute('RUN bad.mar')
    expect(output()).toBe("%MACRO-E-ERROR, bad.mar:3:9: unknown instruction or directive 'JUNK'\n")
    expect(status & 1).toBe(0)
    console_.execute('LINK bad')
    expect(output()).toContain("%MACRO-E-ERROR, bad:3:9: unknown instruction or directive 'JUNK'\n")
    expect(output()).not.toMatch(/BADIMGHDR|NOMSG|Cannot read|Maximum call stack/)
  })

  it('an unwritable LINK output is an RMS error, not a host exception', () => {
    const { console_, output } = setup()
    const status = console_.execute('LINK HELLO /OUTPUT=no/such/dir/hello.exe')
    expect(status & 1).toBe(0)
    expect(output()).toContain('%LINK-F-OPENOUT')
    expect(output()).toContain('-RMS-E-DNF, directory not found')
  })
})

describe('a failing service writes none of its output arguments (book 20.1 step 25, 18.4 step 1)', () => {
  it('$CREPRC and $ASSIGN that fail leave the PID longword and the channel word as they were', () => {
    const { system } = setup()
    const source = `        .ENTRY  start,^M<R2>
        CALLG   crargs,@#SYS$CREPRC     ; no such image: SS$_NOSUCHFILE
        CLRQ    -(SP)
        PUSHAL  chan
        PUSHAQ  noname
        CALLS   #4,@#SYS$ASSIGN         ; no such device: SS$_NOSUCHDEV
        MOVL    pid,R2
        CMPW    chan,#^X5555
        BEQL    1$
        CLRL    R2                      ; the channel word was written
1$:     PUSHL   R2                      ; exit with what is left in the PID longword
        CALLS   #1,@#SYS$EXIT
crargs: .LONG   12
        .ADDRESS pid
        .ADDRESS noname
        .LONG   0, 0, 0, 0, 0, 0, 4, 0, 0, 0
noname: .LONG   5
        .ADDRESS 2$
2$:     .ASCII  /XYZ0:/
pid:    .LONG   ^X7777
chan:   .WORD   ^X5555
        .END    start`
    const created = system.createProcess('PROBE', source)
    expect(system.run()).toBe('idle')
    expect(system.exitStatus(created.pid as number)).toBe(0x7777)
  })
})
