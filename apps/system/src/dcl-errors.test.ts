import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SS } from '@vms/contracts'
import { CLI, STS_M_INHIB_MSG } from '@vms/dcl'
import { describe, expect, it } from 'vitest'
import { Console } from './console'
import { VmsSystem } from './executive'

const OK = '        .ENTRY  start,^M<>\n        MOVL    #1,R0\n        RET\n        .END    start\n'

/** A system console whose default disk is a new temporary directory, booted at a fixed time. */
function setup() {
  const directory = mkdtempSync(join(tmpdir(), 'vms-dcl-'))
  let output = ''
  const system = new VmsSystem({ output: (text) => (output += text), directory })
  const console_ = new Console(system, { boot: new Date('2026-11-09T14:05:33Z') })
  const file = (name: string, text: string) => writeFileSync(join(directory, name), text)
  /** Runs a command; returns what it printed and its status. */
  const run = (line: string) => {
    const before = output.length
    const status = console_.execute(line)
    return { out: output.slice(before), status, value: (status & ~STS_M_INHIB_MSG) >>> 0 }
  }
  return { system, console_, directory, file, run }
}

/**
 * Each DCL error in DCL's own wording (the DCL message file; $CLIMSGDEF values), with the
 * `\token\` line naming what DCL could not take, through the system's console.
 */
describe('DCL errors at the system console (DCL Dictionary; CLI facility messages)', () => {
  const cases: [string, string, number, string | undefined][] = [
    ['FROB', 'IVVERB', CLI.IVVERB, 'FROB'],
    ['DE X', 'ABVERB', CLI.ABVERB, 'DE'],
    ['RUN/FOO HELLO', 'IVQUAL', CLI.IVQUAL, 'FOO'],
    ['SHOW MEMXYZ', 'IVKEYW', CLI.IVKEYW, 'MEMXYZ'],
    ['SHOW DE', 'ABKEYW', CLI.ABKEYW, 'DE'],
    ['RUN', 'INSFPRM', CLI.INSFPRM, undefined],
    ['RUN HELLO EXTRA', 'MAXPARM', CLI.MAXPARM, 'EXTRA'],
    ['SHOW SYSTEM/FULL=YES', 'NOVALU', CLI.NOVALU, 'FULL=YES'],
    ['RUN/PRIORITY HELLO', 'VALREQ', CLI.VALREQ, 'PRIORITY'],
    ['RUN/NOPRIORITY HELLO', 'NOTNEG', CLI.NOTNEG, 'NOPRIORITY'],
    ['RUN/PRIORITY=HIGH HELLO', 'NUMBER', CLI.NUMBER, 'HIGH'],
    ['RUN A,B', 'ONEVAL', CLI.ONEVAL, 'A,B'],
    ['SHOW SYMBOL NOPE', 'UNDSYM', CLI.UNDSYM, 'NOPE'],
    ['SHOW DEVICES/BRIEF', 'IVQUAL', CLI.IVQUAL, 'BRIEF'],
    ['MOUNT', 'INSFPRM', CLI.INSFPRM, undefined],
  ]
  for (const [line, name, value, token] of cases) {
    it(`${line}: %DCL-?-${name}${token === undefined ? '' : ` \\${token}\\`}`, () => {
      const { run } = setup()
      const { out, status } = run(line)
      const lines = out.split('\n')
      expect(lines[0]).toMatch(new RegExp(`^%DCL-[WEF]-${name}, `))
      if (token !== undefined) expect(lines[1]).toBe(` \\${token}\\`)
      expect((status & ~STS_M_INHIB_MSG) >>> 0).toBe(value)
      expect(status & STS_M_INHIB_MSG).not.toBe(0) // shown once
    })
  }

  it('the wording is the DCL message file’s', () => {
    const { run } = setup()
    expect(run('FROB').out).toBe(
      '%DCL-W-IVVERB, unrecognized command verb - check validity and spelling\n \\FROB\\\n',
    )
    expect(run('RUN/FOO').out).toBe(
      '%DCL-W-IVQUAL, unrecognized qualifier - check validity, spelling, and placement\n \\FOO\\\n',
    )
    expect(run('SHOW MEMXYZ').out).toBe(
      '%DCL-W-IVKEYW, unrecognized keyword - check validity and spelling\n \\MEMXYZ\\\n',
    )
    expect(run('S').out).toBe(
      '%DCL-W-ABVERB, ambiguous command verb - supply more characters\n \\S\\\n',
    )
    expect(run('RUN').out).toBe(
      '%DCL-W-INSFPRM, missing command parameters - supply all required parameters\n',
    )
    expect(run('STOP A B').out).toBe(
      '%DCL-W-MAXPARM, too many parameters - reenter command with fewer parameters\n \\B\\\n',
    )
    expect(run('SHOW SYSTEM/FULL=1').out).toBe(
      '%DCL-W-NOVALU, value not allowed - remove value specification\n \\FULL=1\\\n',
    )
  })
})

/** The issue's new-user session: each command a VMS user would type, as DCL takes it. */
describe('what a new user types (issue 20)', () => {
  it('SH SYS and sh mem are SHOW SYSTEM and SHOW MEMORY (any unique prefix)', () => {
    const { run } = setup()
    const sys = run('SH SYS')
    expect(sys.status).toBe(SS.NORMAL)
    expect(sys.out).toContain('  Pid    Process Name    State  Pri      I/O       CPU\n')
    const mem = run('sh mem')
    expect(mem.status).toBe(SS.NORMAL)
    expect(mem.out).toContain('Physical Memory Usage (pages):')
  })

  it('SHOW SYSTEM/FULL adds a line per process', () => {
    const { run } = setup()
    run('RUN/NOWAIT/PRIORITY=6 HELLO')
    const { out, status } = run('SHOW SYSTEM/FULL')
    expect(status).toBe(SS.NORMAL)
    expect(out).toMatch(
      /^00000021 HELLO +COM .*\n {9}Base priority 6 {2}Owner 00000000 {2}Job 00000021 {2}Pages \d+$/m,
    )
  })

  it('SHOW PROCESS shows the console at the prompt, and a process by name or /IDENTIFICATION', () => {
    const { run } = setup()
    const own = run('SHOW PROCESS')
    expect(own.status).toBe(SS.NORMAL)
    expect(own.out).toContain('Process name: "SYSTEM"')
    run('RUN/NOWAIT HELLO')
    expect(run('SHOW PROCESS HELLO').out).toContain('Process ID:   00000021')
    expect(run('SHOW PROCESS/IDENTIFICATION=21').out).toContain('Process name: "HELLO"')
    expect(run('SHOW PROCESS/ID=99').value).toBe(SS.NONEXPR)
  })

  it('SHOW TIME is the boot time plus virtual time, in VMS absolute format', () => {
    const { run } = setup()
    const { out, status } = run('SHOW TIME')
    expect(out).toBe('   9-NOV-2026 14:05:33\n')
    expect(status & 1).toBe(1)
  })

  it('SHOW MEMXYZ is IVKEYW, not SHOW MEMORY; RUN/FOO is IVQUAL, not BADPARAM', () => {
    const { run } = setup()
    expect(run('SHOW MEMXYZ').value).toBe(CLI.IVKEYW)
    expect(run('RUN/FOO').value).toBe(CLI.IVQUAL)
    expect(run('RUN/FOO').out).not.toContain('BADPARAM')
  })

  it('a qualifier attached to the file name is a qualifier: RUN HELLO/NOWAIT', () => {
    const { run, console_ } = setup()
    const { out, status } = run('RUN HELLO/NOWAIT')
    expect(status).toBe(SS.NORMAL)
    expect(out).toBe('%RUN-S-PROC_ID, identification of created process is 00000021\n')
    expect(console_.foreground).toBeUndefined()
  })

  it('a host path without a dot is a file, not qualifiers', () => {
    const { run, file, directory } = setup()
    file('ok.mar', OK)
    expect(run(`RUN ${directory}/ok`)).toMatchObject({ out: '', status: SS.NORMAL })
    expect(run('RUN ./ok')).toMatchObject({ out: '', status: SS.NORMAL })
  })

  it('@x.com runs a command procedure, not an unknown verb', () => {
    const { run, file } = setup()
    file('x.com', `$ WRITE SYS$OUTPUT "from X.COM, P1 is ''P1'"\n`)
    expect(run('@x.com hello').out).toBe('from X.COM, P1 is HELLO\n')
    expect(run('@X').out).toBe('from X.COM, P1 is \n')
  })

  it('RUN, LINK and @ take VMS file specifications on the default disk', () => {
    const { run, file } = setup()
    run('CREATE/DIRECTORY [.WORK]')
    file('work/ok.mar', OK)
    expect(run('LINK [.WORK]OK').out).toMatch(/%LINK-I-CREATED, .*\/ok\.exe created\n/)
    expect(run('RUN SYS$DISK:[WORK]OK.MAR').status).toBe(SS.NORMAL)
    run('SET DEFAULT [.WORK]')
    expect(run('RUN OK').status).toBe(SS.NORMAL)
    file('work/p.com', '$ WRITE SYS$OUTPUT F$ENVIRONMENT("DEFAULT")\n')
    expect(run('@P').out).toBe('SYS$DISK:[WORK]\n')
  })

  it('SET PROCESS/PRIORITY sets a base priority; STOP/IDENTIFICATION deletes a process', () => {
    const { run, system } = setup()
    run('RUN/NOWAIT/PRIORITY=6 HELLO')
    expect(run('SET PROCESS/PRIORITY=2 HELLO').status).toBe(SS.NORMAL)
    expect(system.list().find((p) => p.pcb.pid === 0x21)?.pcb.basePriority).toBe(2)
    // The operator may raise it past the process's authorized priority (book 12.3).
    expect(run('SET PROCESS/PRIORITY=12 HELLO').status).toBe(SS.NORMAL)
    expect(system.list().find((p) => p.pcb.pid === 0x21)?.pcb.basePriority).toBe(12)
    expect(run('STOP/IDENTIFICATION=21').status).toBe(SS.NORMAL)
    expect(system.exists(0x21)).toBe(false)
  })

  it('SPAWN runs an image in a process of its own; /NOWAIT goes on', () => {
    const { run } = setup()
    expect(run('SPAWN/NOWAIT RUN HELLO').out).toBe('%DCL-S-SPAWNED, process HELLO spawned\n')
    expect(run('SPAWN HELLO').out).toContain('Hello from VAX user mode!\n')
  })

  it('SHOW CPU shows the model, the instructions run and what the translator (JIT) did', () => {
    const { run, system } = setup()
    run('RUN HELLO')
    const shown = run('SHOW CPU').out.split('\n')
    expect(shown[0]).toBe(`CPU: ka655, ${system.cpu.instructions} instructions run`)
    expect(shown[1]).toMatch(/^translation: \d+ blocks compiled \(\d+ held\), hit rate /)
    system.cpu.jit = false // what vms --no-jit does at boot
    expect(run('SHOW CPU').out.split('\n')[1]).toBe('translation: off (--no-jit)')
  })

  it('EXIT at the terminal shuts the system down', () => {
    const { run, console_ } = setup()
    expect(run('EXIT').out).toBe('SYSTEM SHUTDOWN COMPLETE\n')
    expect(console_.shutdown).toBe(true)
  })

  it('HELP lists the topics, the build’s commands and the examples; HELP RUN its qualifiers', () => {
    const { run } = setup()
    const all = run('HELP').out
    expect(all).toContain('Information available:')
    expect(all).toContain('SHOW DEVICES')
    expect(all).toMatch(/Example programs \(RUN name\): .*HELLO/)
    expect(run('HELP RUN').out).toContain('/PRIORITY')
    expect(run('HELP SHOW SYSTEM').out).toContain('/FULL')
  })

  it('a subsystem command’s declared file value keeps its case: SYSGEN CONNECT /FILE=', () => {
    const { run, directory } = setup()
    expect(run('SYSGEN LOAD VDDRIVER').status).toBe(SS.NORMAL)
    expect(run('SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=Disk.dsk /BLOCKS=16').status).toBe(
      SS.NORMAL,
    )
    expect(run('DIRECTORY').out).toContain('DISK.DSK;1')
    expect(directory).toBeTruthy()
  })
})
