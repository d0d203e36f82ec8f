import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Console, EXAMPLES_DIRECTORY } from './console'
import { VmsSystem } from './executive'

/**
 * Runs `pnpm -s vms --script FILE` (main.ts from source) on `text`: its output and exit
 * status. The child runs without blocking the test worker's event loop.
 */
async function runScript(text: string): Promise<{ out: string; status: number | null }> {
  const script = join(mkdtempSync(join(tmpdir(), 'vms-')), 'script.com')
  writeFileSync(script, text)
  const root = resolve(import.meta.dirname, '../../..')
  const args = [
    '--conditions=@vax-vms/source',
    '--import',
    'tsx',
    'apps/system/src/main.ts',
    '--script',
    script,
  ]
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root })
    return { out: stdout, status: 0 }
  } catch (error) {
    const e = error as { stdout: string; code: number }
    return { out: e.stdout, status: e.code }
  }
}

/** Boots a system, runs console commands, and returns what the terminal showed. */
function session(commands: string[]) {
  let output = ''
  const trace: string[] = []
  const system = new VmsSystem({
    output: (text) => (output += text),
    trace: (line) => trace.push(line),
  })
  const console_ = new Console(system)
  const statuses = commands.map((c) => console_.execute(c))
  return { output, trace, system, statuses }
}

describe('example programs (user-mode VAX code calling system services by CHMK)', () => {
  it('HELLO writes its line with $ASSIGN and $QIOW and exits', () => {
    const { output, system, statuses } = session(['RUN HELLO'])
    expect(output).toBe('Hello from VAX user mode!\n')
    expect(statuses).toEqual([SS.NORMAL])
    expect(system.list().map((p) => p.pcb.name)).toEqual(['NULL'])
  })

  it('PING and PONG take turns through $HIBER and $WAKE (book 12.3)', () => {
    const { output, trace } = session(['RUN/NOWAIT PONG', 'RUN PING'])
    expect(output).toBe(
      `%RUN-S-PROC_ID, identification of created process is 00000021\n${'ping\npong\n'.repeat(3)}`,
    )
    expect(trace.filter((l) => l.includes('event WAKE')).length).toBe(6)
  })

  it('ACCVIO ends its image with the VMS message and the system goes on (book 4.4)', () => {
    const { output, statuses } = session(['RUN ACCVIO', 'RUN HELLO'])
    expect(output).toBe(
      '%SYSTEM-F-ACCVIO, access violation, reason mask=04, virtual address=00000000, PC=00000214, PSL=03C00004\nHello from VAX user mode!\n',
    )
    // The image's status is the condition, its message already shown (STS$M_INHIB_MSG).
    expect(statuses).toEqual([(SS.ACCVIO | 0x10000000) >>> 0, SS.NORMAL])
  })

  it('TIMER waits 0.5 s of virtual time for its $SETIMR event flag (book 11.4)', () => {
    const { output, system, trace } = session(['RUN TIMER'])
    expect(output).toBe('timer expired\n')
    const woke = trace.find((l) => l.includes('event EVENT_FLAG for TIMER'))
    expect(Number(woke?.slice(2, 7))).toBeCloseTo(0.5, 2)
    expect(system.now).toBeGreaterThanOrEqual(5_000_000)
  })
})

describe('ASTs delivered into VAX code (book 7.5)', () => {
  it('a timer AST interrupts $HIBER and a declared AST runs when $DCLAST returns', () => {
    const { output, trace } = session(['RUN ASTS'])
    expect(output).toBe('AST: timer fired\nmain: woken\nAST: declared\nmain: done\n')
    expect(trace.filter((l) => l.includes('AST to 00000021 mode 3')).length).toBe(2)
  })

  it('after an AST that does not wake it, a hibernating process hibernates again (10.4.1)', () => {
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    const source = `
        .ENTRY  start,^M<>
        CLRL    -(SP)
        PUSHL   #5
        PUSHAL  ast
        CALLS   #3,@#SYS$DCLAST
        CALLS   #0,@#SYS$HIBER
        MOVL    #1,R0
        RET
        .ENTRY  ast,^M<>
        MOVL    4(AP),count
        RET
        .ALIGN  LONG
count:  .LONG   0
        .END    start`
    const { pid } = system.createProcess('SLEEPER', source)
    expect(system.run()).toBe('idle')
    const sleeper = system.list().find((p) => p.pcb.pid === pid)
    expect(sleeper?.pcb.stateName).toBe('HIB')
    expect(system.scheduler.wake(pid as number)).toBe(SS.NORMAL)
    expect(system.run()).toBe('idle')
    expect(system.list().length).toBe(1)
    expect(output).toBe('')
  })

  it('$SETAST disables delivery: SS$_WASSET, then SS$_WASCLR', () => {
    const trace: string[] = []
    const system = new VmsSystem({ output: () => {}, trace: (l) => trace.push(l) })
    system.createProcess(
      'NOAST',
      `
        .ENTRY  start,^M<>
        PUSHL   #0
        CALLS   #1,@#SYS$SETAST
        PUSHL   #0
        CALLS   #1,@#SYS$SETAST
        CLRL    -(SP)
        CLRL    -(SP)
        PUSHAL  ast
        CALLS   #3,@#SYS$DCLAST
        MOVL    #1,R0
        RET
        .ENTRY  ast,^M<>
        RET
        .END    start`,
    )
    system.run()
    // SS$_WASCLR has the value of SS$_NORMAL (1), which is the name the trace shows.
    expect(trace.filter((l) => l.includes('$SETAST')).map((l) => l.split(': ')[1])).toEqual([
      'SS$_WASSET',
      'SS$_NORMAL',
    ])
    expect(trace.some((l) => l.includes('AST to'))).toBe(false)
  })
})

describe('condition handlers in VAX call frames (book 4.6, 4.7)', () => {
  it('a handler in an outer frame continues after a trap; a resignalled fault reaches the last chance', () => {
    const { output, trace } = session(['RUN HANDLERS', 'RUN HELLO'])
    expect(output).toBe(
      [
        'handler: integer divide by zero, continuing',
        'divide: after the DIVL',
        'main: back from divide',
        '%SYSTEM-F-ACCVIO, access violation, reason mask=00, virtual address=00000000, PC=00000234, PSL=03C00004',
        'Hello from VAX user mode!',
        '',
      ].join('\n'),
    )
    // Both conditions went to MAIN's handler (the second frame from DIVIDE, the first from MAIN).
    expect(trace.filter((l) => l.includes('condition to 00000021: handler')).length).toBe(2)
  })

  it('a handler that corrupts the PSL in the signal array cannot raise its privilege', () => {
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    system.createProcess(
      'SNEAKY',
      `
        .ENTRY  start,^M<>
        MOVAB   handler,(FP)
        CLRL    R1
        DIVL2   R1,R0
        MOVPSL  R2
        MOVL    R2,psl
        MOVL    #1,R0
        RET
        .ENTRY  handler,^M<R2>
        MOVL    4(AP),R2
        CLRL    12(R2)                  ; the PSL in the signal array := 0 (kernel mode)
        MOVL    #1,R0
        RET
        .ALIGN  LONG
psl:    .LONG   0
        .END    start`,
    )
    expect(system.run()).toBe('idle')
    expect(output).toBe('')
    expect(system.list().length).toBe(1)
  })
})

describe('the system service vectors in P1 space (book 9.2)', () => {
  it('are the same code at 0x7FFEDE00, readable but not writable from user mode', () => {
    let output = ''
    const trace: string[] = []
    const system = new VmsSystem({
      output: (text) => (output += text),
      trace: (l) => trace.push(l),
    })
    system.createProcess(
      'P1VEC',
      `
        .ENTRY  start,^M<>
        PUSHL   #5
        CALLS   #1,@#^X7FFEDE18         ; $SETEF through the P1 vector
        PUSHL   #5
        CALLS   #1,@#^X7FFEDE18
        CLRL    @#^X7FFEDE00            ; a write to the vector page
        RET
        .END    start`,
    )
    expect(system.run()).toBe('idle')
    expect(trace.filter((l) => l.includes('$SETEF')).map((l) => l.split(': ')[1])).toEqual([
      'SS$_NORMAL',
      'SS$_WASSET',
    ])
    expect(output).toMatch(
      /^%SYSTEM-F-ACCVIO, access violation, reason mask=04, virtual address=7FFEDE00, /,
    )
  })
})

describe('CHME, CHMS and CHMU from user code (book 9.5)', () => {
  it.each([
    ['CHMU #5', /^%SYSTEM-F-CMODUSER, change mode to user trap, code=00000005, PC=/],
    ['CHMS #7', /^%SYSTEM-F-CMODSUPR, change mode to supervisor trap, code=00000007, PC=/],
    ['CHME #9', /^%SYSTEM-F-ILLSER, illegal system service code/],
  ])(
    '%s with no change-mode handler ends the image; the system goes on',
    (instruction, message) => {
      let output = ''
      const system = new VmsSystem({ output: (text) => (output += text) })
      system.createProcess(
        'CHM',
        `\n        .ENTRY  start,^M<>\n        ${instruction}\n        RET\n        .END    start`,
      )
      expect(system.run()).toBe('idle')
      expect(output).toMatch(message)
      expect(system.list().length).toBe(1)
      expect(
        system.createProcess('HELLO', readFileSync(join(EXAMPLES_DIRECTORY, 'hello.mar'), 'utf8'))
          .status,
      ).toBe(SS.NORMAL)
      expect(system.run()).toBe('idle')
      expect(output).toContain('Hello from VAX user mode!')
    },
  )
})

describe('executive structures in nonpaged pool (book 3.1, ARCHITECTURE rule 6)', () => {
  it('a process holds its PCB and its TQEs in pool, up to TQELM; they return as it ends', () => {
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    const inUse = () => {
      const p = system.pool.statistics()
      return p.variable.inUseBytes + p.srp.inUsePackets * p.srp.packetSize
    }
    const idle = inUse()
    // Eleven $SETIMRs with an AST each (the eleventh is over TQELM), then a loop that
    // keeps the process computable, so that the run stops long before the timers fire.
    const source = `        .ENTRY  start,^M<R2>
        MOVL    #11,R2
10$:    PUSHL   #0              ; reqidt
        PUSHAL  ast             ; astadr
        PUSHAQ  delta           ; daytim
        PUSHL   #5              ; efn
        CALLS   #4,SYS$SETIMR
        SOBGTR  R2,10$
        MOVL    R0,status
20$:    BRB     20$
        .ENTRY  ast,^M<>
        RET
        .ALIGN  QUAD
delta:  .LONG   -100000000,-1   ; 10 seconds from now
status: .LONG   0
        .END    start`
    const created = system.createProcess('TIMERS', source)
    expect(created.status).toBe(SS.NORMAL)
    expect(inUse()).toBe(idle + 256) // the PCB
    expect(system.run(20_000)).toBe('limit')
    // Ten TQEs of 48 bytes, each in a 96-byte small packet; the eleventh was refused.
    expect(inUse()).toBe(idle + 256 + 10 * 96)
    system.stopProcess(created.pid as number)
    expect(inUse()).toBe(idle)
    expect(output).toBe('')
  })
})

describe('$CREPRC (book 20.2)', () => {
  it('creates a process running an image; refuses a duplicate name and a missing image', () => {
    const { output, trace, system } = session(['RUN SPAWN'])
    expect(output).toBe('Hello from VAX user mode!\n')
    expect(trace.filter((l) => l.includes('$CREPRC from')).map((l) => l.split(': ')[1])).toEqual([
      'SS$_NORMAL',
      'SS$_DUPLNAM',
      'SS$_NOSUCHFILE',
    ])
    expect(trace.some((l) => /create GREETER pid 00000022 base 4/.test(l))).toBe(true)
    expect(system.list().length).toBe(1)
  })
})

describe('bad arguments from VAX code', () => {
  it('every service answers with its VMS status, changes nothing, and the process carries on', () => {
    const { output, trace } = session(['RUN BADARGS', 'RUN HELLO'])
    const statuses = trace
      .filter((l) => / \$\S+(?: #\d+)? from 00000021/.test(l))
      .map((l) => l.replace(/^.* \$(\S+(?: #\d+)?) from \S+ /, '$1 '))
    expect(statuses).toEqual([
      'ASSIGN SS$_NORMAL',
      'QIOW SS$_IVCHAN',
      'QIOW SS$_ILLEFC',
      'QIOW SS$_ILLIOFUNC',
      'QIOW SS$_ACCVIO', // buffer at address 0
      'QIOW SS$_ACCVIO', // IOSB in system space: nothing is written to the terminal
      'ASSIGN SS$_ACCVIO',
      'ASSIGN SS$_NOSUCHDEV',
      'DASSGN SS$_IVCHAN',
      'SETEF SS$_ILLEFC',
      'SETEF SS$_UNASEFC',
      'SETEF SS$_INSFARG',
      'SETEF SS$_ACCVIO', // argument list in system space
      'CHMK #99 SS$_ILLSER',
      'WAKE SS$_NONEXPR',
      'READEF SS$_ACCVIO',
      'SETPRI SS$_NOPRIV',
      'SETIMR SS$_ACCVIO',
      'CLREF SS$_ILLEFC',
      'WAITFR SS$_ILLEFC',
      'DCLAST SS$_BADPARAM',
      'CREPRC SS$_ACCVIO',
      'CREPRC SS$_NOSUCHFILE',
      'QIOW SS$_NORMAL',
      'WAITFR SS$_NORMAL', // $QIOW is $QIO and then $WAITFR
      'EXIT SS$_NORMAL',
    ])
    expect(output).toBe('bad arguments survived\nHello from VAX user mode!\n')
  })
})

describe('scheduling VAX processes (book 10.4.3, Table 10-3)', () => {
  it('an I/O-bound process preempts compute-bound ones on each terminal completion, at base + 4 - 1', () => {
    const { output, trace, system } = session([
      'RUN/NOWAIT COMPUTE',
      'RUN/NOWAIT COMPUTE2',
      'RUN TYPER',
    ])
    expect(output.split('\n').filter((l) => l.startsWith('The quick')).length).toBe(20)
    const completions = trace.flatMap((l, i) =>
      l.includes('event EVENT_FLAG for TYPER in LEF') ? [i] : [],
    )
    expect(completions.length).toBe(20)
    // While the compute-bound processes still have their creation boost (10, decaying one
    // level a quantum) they may outrank TYPER; from then on each completion boosts TYPER
    // to 8 (base 4 + PRI$_TOCOM 4), it preempts at once and runs one level lower.
    for (const i of completions.slice(2)) expect(trace[i + 1]).toMatch(/schedule TYPER pri 7$/)
    // The compute-bound processes share the rest round robin at quantum end.
    const quantumEnds = trace.filter((l) => /quantum end COMPUTE/.test(l)).length
    expect(quantumEnds).toBeGreaterThan(10)
    expect(system.list().map((p) => p.pcb.name)).toEqual(['NULL'])
    expect(system.now / 1e7).toBeGreaterThan(4)
  })
})

describe('terminal input (book 19.3)', () => {
  it('a program reads a line typed at the console, echoed, and greets it', () => {
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    const console_ = new Console(system)
    console_.execute('RUN ASKNAME')
    expect(output).toBe('Your name? ')
    expect(system.waitingForTerminal).toBe(true)
    expect(console_.input('Ada Lovelace')).toBe(SS.NORMAL)
    expect(output).toBe('Your name? Ada Lovelace\nHello, Ada Lovelace!\n')
    expect(system.list().length).toBe(1)
  })

  it('in a script, lines without $ are typed ahead for the program the command before them runs', async () => {
    const { out, status } = await runScript('$ RUN ASKNAME\nGrace\n$ SHOW SYSTEM\n')
    expect(status).toBe(0)
    expect(out).toContain('$ RUN ASKNAME\nYour name? Grace\nHello, Grace!\n$ SHOW SYSTEM\n')
  })
})

describe('determinism', () => {
  it('the same commands give the same output and the same instruction count', () => {
    const script = ['RUN/NOWAIT PONG', 'RUN/NOWAIT COMPUTE', 'RUN PING', 'RUN TIMER', 'SHOW SYSTEM']
    const a = session(script)
    const b = session(script)
    expect(a.output).toBe(b.output)
    expect(a.system.cpu.instructions).toBe(b.system.cpu.instructions)
    expect(a.trace).toEqual(b.trace)
  })
})

describe('console', () => {
  it('answers unknown verbs and processes with DCL and SS$ messages', () => {
    const { output, statuses } = session([
      'FROB',
      'STOP NOBODY',
      'RUN NOSUCHPROGRAM',
      'SHOW WIBBLE',
    ])
    expect(output).toContain('%DCL-W-IVVERB, unrecognized command verb')
    expect(output).toContain('%SYSTEM-W-NONEXPR, nonexistent process')
    expect(output).toContain(
      '%DCL-W-ACTIMAGE, error activating image NOSUCHPROGRAM\n-RMS-E-FNF, file not found',
    )
    expect(statuses.every((s) => (s & 1) === 0)).toBe(true)
  })

  it('SHOW SYSTEM lists each process with its state and priority; STOP deletes it', () => {
    const { output, system } = session(['RUN/NOWAIT/PRIORITY=6 HELLO', 'SHOW SYSTEM', 'STOP HELLO'])
    expect(output).toMatch(/^00000021 HELLO +COM +12 +0 +0 00:00:00\.00$/m)
    expect(system.list().length).toBe(1)
  })

  it('STOP of the process on the CPU in the middle of its user code: the next process runs normally', () => {
    // $DELPRC may end a process anywhere; what the CPU was doing in it must not carry
    // over (it was running user code, with PSW bits set, when the console stopped it).
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    const spin = system.createProcess(
      'SPIN',
      '        .ENTRY  start,^M<>\n        BISPSW  #^X2A\n10$:    BRB     10$\n        .END    start\n',
    )
    expect(system.run(50_000)).toBe('limit')
    expect(system.stopProcess(spin.pid as number)).toBe(SS.NORMAL)
    const next = `        .ENTRY  start,^M<>
        PUSHL   #0              ; acmode
        PUSHL   #0              ; astprm
        PUSHL   #2              ; astadr
        CALLS   #3,SYS$DCLAST
        RET
        .END    start`
    expect(system.createProcess('NEXT', next).status).toBe(SS.NORMAL)
    expect(system.run()).toBe('idle')
    expect(output).not.toContain('BUGCHECK')
    // The AST routine address 2 is not valid user memory: the process's own ACCVIO.
    expect(output).toMatch(
      /%SYSTEM-F-ACCVIO, access violation, reason mask=00, virtual address=00000002/,
    )
    expect(system.list().length).toBe(1)
  })

  it('pnpm -s vms --script FILE runs commands without a terminal and exits with the last status', async () => {
    const { out, status } = await runScript('RUN HELLO\nSHOW SYSTEM\n')
    expect(status).toBe(0)
    expect(out).toContain('$ RUN HELLO\nHello from VAX user mode!\n$ SHOW SYSTEM\n')
    expect((await runScript('RUN HELLO\nSTOP NOBODY\n')).status).toBe(1)
  })
})

describe('bad arguments change nothing (ARCHITECTURE rule 4)', () => {
  it('after every failing service of BADARGS, pool, channels, AST quota and scheduling state are as before', () => {
    const snapshots: { line: string; state: string }[] = []
    let system: VmsSystem | undefined
    let before = ''
    const compared: string[] = []
    system = new VmsSystem({
      output: () => {},
      trace: (line) => {
        const m = / \$(\S+(?: #\d+)?) from 00000021: (\S+)/.exec(line)
        if (m === null || system === undefined) return
        const state = system.snapshot(0x21)
        if (!(m[2] as string).startsWith('SS$_NORMAL') && m[1] !== 'EXIT') {
          compared.push(`${m[1]} ${m[2]}`)
          expect(state, `${m[1]} ${m[2]} changed something`).toBe(before)
        }
        snapshots.push({ line, state })
        before = state
      },
    })
    const console_ = new Console(system)
    before = system.snapshot(0x21)
    console_.execute('RUN BADARGS')
    expect(compared.length).toBe(22)
    expect(snapshots.length).toBeGreaterThan(20)
  })

  it('$ASSIGN with a channel address it may not write: SS$_ACCVIO, no channel used, 40 times over', () => {
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    const source = `        .ENTRY  start,^M<R6>
        MOVL    #40,R6
10$:    CLRQ    -(SP)
        PUSHL   #^X80001000             ; the channel word in system space
        PUSHAQ  ttname
        CALLS   #4,@#SYS$ASSIGN
        CMPL    R0,#^XC                 ; SS$_ACCVIO
        BNEQ    90$
        SOBGTR  R6,10$
        CLRQ    -(SP)                   ; every channel is still free: this one works
        PUSHAL  chan
        PUSHAQ  ttname
        CALLS   #4,@#SYS$ASSIGN
        RET
90$:    MOVL    #^X2C,R0                ; SS$_ABORT: a bad $ASSIGN did not fail as it must
        RET
ttname: .LONG   5
        .ADDRESS 1$
1$:     .ASCII  /OPA0:/
chan:   .LONG   0
        .END    start`
    const created = system.createProcess('ASSIGNS', source)
    let channels: number[] = []
    system.run(10_000_000, () => {
      if (system.exists(created.pid as number))
        channels = system.io.channelsOf(created.pid as number)
      return false
    })
    expect(system.exitStatus(created.pid as number)).toBe(SS.NORMAL)
    expect(channels).toEqual([16]) // only the good $ASSIGN took a channel
    expect(output).toBe('')
  })

  it('$QIOW with an IOSB whose second longword is not writable: SS$_ACCVIO and no I/O (18.5)', () => {
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    // The IOSB is the last longword of the image's last page: its second longword is in
    // the page after, which is not mapped. Probing 4 bytes instead of 8 would pass.
    const source = `        .ENTRY  start,^M<>
        CLRQ    -(SP)
        PUSHAL  chan
        PUSHAQ  ttname
        CALLS   #4,@#SYS$ASSIGN
        CLRQ    -(SP)                   ; p5, p6
        CLRQ    -(SP)                   ; p3, p4
        PUSHL   #6                      ; p2: length
        PUSHAB  text                    ; p1
        CLRQ    -(SP)                   ; astadr, astprm
        PUSHAB  edge                    ; iosb
        PUSHL   #^X30                   ; IO$_WRITEVBLK
        PUSHL   chan
        PUSHL   #1
        CALLS   #12,@#SYS$QIOW
        RET                             ; exits with the status of the $QIOW
ttname: .LONG   5
        .ADDRESS 1$
1$:     .ASCII  /OPA0:/
text:   .ASCII  /oops!/<10>
chan:   .LONG   0
        .ALIGN  PAGE
        .BLKB   508
edge:   .LONG   0
        .END    start`
    const created = system.createProcess('IOSB', source)
    expect(created.status).toBe(SS.NORMAL)
    system.run()
    expect(system.exitStatus(created.pid as number)).toBe((SS.ACCVIO | 0) >>> 0)
    expect(output).toBe('')
  })
})
