import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { defaultSubsystems } from './build'
import { Console } from './console'
import { VmsSystem } from './executive'
import { EXAMPLES_DIRECTORY } from './programs'

/**
 * The lock manager in the assembled system (book ch. 13): VAX programs call $ENQ[W],
 * $DEQ and $GETLKI through their vectors; completion and blocking ASTs arrive through
 * the AST path of chapter 7; a deleted process leaves no lock and no pool behind.
 */
function boot() {
  let output = ''
  const system = new VmsSystem({
    output: (text) => (output += text),
    subsystems: defaultSubsystems,
  })
  return { system, console_: new Console(system), output: () => output }
}

const inUse = (system: VmsSystem) => {
  const p = system.pool.statistics()
  return [p.variable.inUseBytes, p.srp.inUsePackets, p.irp.inUsePackets, p.lrp.inUsePackets]
}

describe('the lock manager for VAX programs (book 13.2)', () => {
  it('LOCKCNT twice: a counter in a value block, incremented under PW locks, reaches 20', () => {
    const { console_, output } = boot()
    expect(console_.execute('RUN/NOWAIT LOCKCNT')).toBe(SS.NORMAL)
    expect(console_.execute('RUN LOCKCNT')).toBe(SS.NORMAL)
    const counts = [...output().matchAll(/counter = (\d+)/g)].map((m) => Number(m[1]))
    expect(counts.length).toBe(2)
    expect(Math.max(...counts)).toBe(20)
  })

  it('HOLDER gives its EX lock up on demand when WAITER asks: the blocking AST (13.2.4)', () => {
    const { console_, output, system } = boot()
    console_.execute('RUN/NOWAIT HOLDER')
    expect(console_.execute('RUN WAITER')).toBe(SS.NORMAL)
    expect(output()).toBe(
      [
        '%RUN-S-PROC_ID, identification of created process is 00000021',
        'HOLDER has the printer',
        'WAITER asks for the printer',
        'HOLDER gives the printer up on demand',
        'WAITER has the printer',
        'HOLDER done',
        '',
      ].join('\n'),
    )
    expect(system.list().length).toBe(1)
  })

  it('SHOW LOCKS lists the resource with its granted and waiting locks', () => {
    const { console_, output, system } = boot()
    console_.execute('RUN/NOWAIT HOLDER')
    system.run(200_000) // HOLDER takes the lock and hibernates
    console_.execute('SHOW LOCKS')
    expect(output()).toMatch(
      /Resource: PRINTER +Group 1, mode 3\n {2}Granted +lock [0-9A-F]{8} {2}PID 00000021 {2}EX\n/,
    )
  })

  it('a process stopped while holding and waiting for locks leaves none behind, and returns all pool', () => {
    const { console_, system } = boot()
    const before = inUse(system)
    console_.execute('RUN/NOWAIT HOLDER')
    system.run(200_000)
    const waiter = system.createProcess('W2', readExample('waiter'))
    system.run(200_000) // W2 waits for PRINTER, HOLDER has its blocking AST
    console_.execute('SHOW LOCKS')
    system.stopProcess(waiter.pid as number)
    const holder = system.list().find((p) => p.pcb.name === 'HOLDER')?.pcb.pid
    if (holder !== undefined) system.stopProcess(holder)
    system.run()
    expect(system.list().length).toBe(1)
    expect(inUse(system)).toEqual(before)
  })

  it('a build without the lock manager answers $ENQW with SS$_ILLSER', () => {
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text), subsystems: [] })
    const created = system.createProcess('WAITER', readExample('waiter'))
    system.run()
    expect(system.exitStatus(created.pid as number)).toBe(SS.ILLSER)
    expect(output).toBe('WAITER asks for the printer\n')
  })

  it('bad arguments: an unwritable status block, a bad mode, a stale lock ID; nothing changes', () => {
    const source = `LCK$M_CONVERT = 2
        .ENTRY  start,^M<R6>
        PUSHL   #1
        CALLS   #1,@#SYS$SETAST         ; a first service, for the state before $ENQ
        MOVL    #^X80001000,lksbp       ; the status block in system space: SS$_ACCVIO
        CALLG   enq,@#SYS$ENQ
        MOVL    R0,results
        MOVAB   lksb,lksbp
        MOVL    #9,mode                 ; no such lock mode: SS$_BADPARAM
        CALLG   enq,@#SYS$ENQ
        MOVL    R0,results+4
        MOVL    #3,mode
        MOVL    #LCK$M_CONVERT,flags
        MOVL    #^X12345,lksb+4         ; convert a lock that does not exist: SS$_IVLOCKID
        CALLG   enq,@#SYS$ENQ
        MOVL    R0,results+8
        CLRQ    -(SP)
        CLRL    -(SP)
        PUSHL   #^X12345
        CALLS   #4,@#SYS$DEQ            ; SS$_IVLOCKID
        MOVL    R0,results+12
        MOVL    #1,R0
        RET
        .ALIGN  LONG
enq:    .LONG   11, 1
mode:   .LONG   3
lksbp:  .ADDRESS lksb
flags:  .LONG   0
        .ADDRESS resnam
        .LONG   0, 0, 0, 0, 0, 0
lksb:   .LONG   0, 0
resnam: .LONG   4
        .ADDRESS 1$
1$:     .ASCII  /DATA/
results: .LONG  0, 0, 0, 0
        .END    start`
    const statuses: string[] = []
    let previous = ''
    const traced: VmsSystem = new VmsSystem({
      output: () => {},
      subsystems: defaultSubsystems,
      trace: (line) => {
        const m = / \$(\S+) from \S+: (\S+)/.exec(line)
        if (m === null) return
        // Pool (so every RSB and LKB), channels, quotas: as after the service before.
        const state = traced.snapshot(0x21)
        if (m[1] === 'ENQ' || m[1] === 'DEQ') {
          statuses.push(`${m[1]} ${m[2]}`)
          expect(state).toBe(previous)
        }
        previous = state
      },
    })
    const created = traced.createProcess('BAD', source)
    traced.run()
    expect(statuses).toEqual([
      'ENQ SS$_ACCVIO',
      'ENQ SS$_BADPARAM',
      'ENQ SS$_IVLOCKID',
      'DEQ SS$_IVLOCKID',
    ])
    expect(traced.exitStatus(created.pid as number)).toBe(SS.NORMAL)
  })
})

function readExample(name: string): string {
  return readFileSync(join(EXAMPLES_DIRECTORY, `${name}.mar`), 'utf8')
}

describe('$GETLKIW for VAX programs (book 13.2.6)', () => {
  it('returns the lock PID and state of a granted lock in the caller buffers, with lengths', () => {
    const { system } = boot()
    const source = `        .ENTRY  start,^M<>
        CALLG   enq,@#SYS$ENQW          ; PR on DATA
        BLBC    R0,90$
        CALLG   lki,@#SYS$GETLKIW
        BLBC    R0,90$
        CMPL    pid,#^X21               ; LKI$_PID: ourselves
        BNEQ    80$
        CMPB    state+1,#3              ; LKI$_STATE: granted mode PR
        BNEQ    80$
        CMPW    pidlen,#4
        BNEQ    80$
        MOVZWL  iosb,R0                 ; the I/O status block: success
        RET
80$:    MOVL    #^X2C,R0
90$:    RET
        .ALIGN  LONG
enq:    .LONG   11, 1, 3
        .ADDRESS lksb
        .LONG   0
        .ADDRESS resnam
        .LONG   0, 0, 0, 0, 0, 0
lki:    .LONG   7, 2
        .ADDRESS lksb+4                 ; the lock ID from the status block
        .ADDRESS items
        .ADDRESS iosb
        .LONG   0, 0, 0
items:  .WORD   4, 256                  ; LKI$_PID
        .ADDRESS pid, pidlen
        .WORD   3, 257                  ; LKI$_STATE
        .ADDRESS state, 0
        .LONG   0
lksb:   .LONG   0, 0
pid:    .LONG   0
pidlen: .WORD   0
state:  .BLKB   4
iosb:   .QUAD   0
resnam: .LONG   4
        .ADDRESS 1$
1$:     .ASCII  /DATA/
        .END    start`
    const created = system.createProcess('LKI', source)
    system.run()
    expect(system.exitStatus(created.pid as number)).toBe(SS.NORMAL)
  })
})
