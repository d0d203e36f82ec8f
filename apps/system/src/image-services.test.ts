import { SERVICE_VECTOR, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { PRINT_MACRO, runProgram } from './testing/run-program'

const SIGNAL = SERVICE_VECTOR.findIndex((s) => s.name === 'SIGNAL')
const STOP = SERVICE_VECTOR.findIndex((s) => s.name === 'STOP')

describe('exit handlers: $DCLEXH, $CANEXH and $EXIT (book 21.4)', () => {
  const program = (cancel: string) => `${PRINT_MACRO}
status: .LONG   0
blk1:   .LONG   0,handler1
        .LONG   1,status
blk2:   .LONG   0,handler2
        .LONG   1,status
        .ENTRY  handler1,^M<>
        PRINT   <handler one>
        RET
        .ENTRY  handler2,^M<>
        CMPL    @4(AP),#^X1234          ; the exit status, where the block said
        BNEQ    10$
        PRINT   <handler two saw the status>
10$:    RET
        .ENTRY  start,^M<>
        OPENTT
        $DCLEXH_S DESBLK=blk1
        $DCLEXH_S DESBLK=blk2
        ${cancel}
        PRINT   <main exits>
        $EXIT_S CODE=#^X1234
        .END    start
`

  it('run at $EXIT, the last declared first, each given the exit status; then the image ends with it', () => {
    const r = runProgram(program(''))
    expect(r.output).toBe('main exits\nhandler two saw the status\nhandler one\n')
    expect(r.status).toBe(0x1234)
  })

  it('$CANEXH takes one handler off the list; with no address, all of them', () => {
    expect(runProgram(program('$CANEXH_S DESBLK=blk2')).output).toBe('main exits\nhandler one\n')
    expect(runProgram(program('$CANEXH_S')).output).toBe('main exits\n')
  })

  it('$CANEXH of a block never declared is SS$_NOHANDLER; $DCLEXH of an unreadable block SS$_ACCVIO', () => {
    const r = runProgram(`${PRINT_MACRO}
blk:    .LONG   0,0,0,0
        .ENTRY  start,^M<>
        $CANEXH_S DESBLK=blk
        CMPL    R0,#SS$_NOHANDLER
        BNEQ    10$
        $DCLEXH_S DESBLK=@#^X10
        CMPL    R0,#SS$_ACCVIO
        BNEQ    10$
        $DCLEXH_S DESBLK=blk            ; no handler address
        CMPL    R0,#SS$_BADPARAM
        BNEQ    10$
        $EXIT_S CODE=#1
10$:    $EXIT_S CODE=R0
        .END    start
`)
    expect(r.status).toBe(SS.NORMAL)
  })
})

describe('the last-chance handler exits through the exit handlers (book 4.7, 21.4)', () => {
  const program = (fault: string) => `${PRINT_MACRO}
status: .LONG   0
blk:    .LONG   0,handler
        .LONG   1,status
        .ENTRY  handler,^M<>
        MOVL    @4(AP),R0               ; the condition the image died of
        BICL2   #^XF0000000,R0
        CMPL    R0,#${fault === 'exception' ? 'SS$_INTDIV' : 'SS$_NOPRIV'}
        BNEQ    10$
        PRINT   <exit handler saw the condition>
10$:    RET
        .ENTRY  LIB$STOP,^M<>
        CHMK    #${STOP}
        RET
        .ENTRY  start,^M<R2>
        OPENTT
        $DCLEXH_S DESBLK=blk
        ${fault === 'exception' ? 'CLRL R2\n        DIVL2 R2,R0' : 'PUSHL #SS$_NOPRIV\n        CALLS #1,LIB$STOP'}
        PRINT   <not reached>
        $EXIT_S CODE=#1
        .END    start
`

  it('an exception no handler takes: its message, then the exit handler with the condition', () => {
    const r = runProgram(program('exception'))
    expect(r.output).toMatch(/^%SYSTEM-F-INTDIV, .*\nexit handler saw the condition\n$/)
    expect(r.status).toBe((SS.INTDIV | 0x10000000) >>> 0)
  })

  it('LIB$STOP with no handler: the same', () => {
    const r = runProgram(program('stop'))
    expect(r.output).toMatch(/^%SYSTEM-F-NOPRIV, .*\nexit handler saw the condition\n$/)
    expect(r.status).toBe((SS.NOPRIV | 0x10000000) >>> 0)
  })
})

describe('$UNWIND (book 4.7)', () => {
  const program = (handlerBody: string) => `${PRINT_MACRO}
        .ENTRY  start,^M<>
        OPENTT
        CALLS   #0,outer
        PRINT   <back in main>
        $EXIT_S CODE=R0
        .ENTRY  outer,^M<>
        MOVAB   handler,(FP)            ; outer establishes the handler
        CALLS   #0,inner
        PRINT   <not reached: outer>
        RET
        .ENTRY  inner,^M<R2>
        CLRL    R2
        DIVL2   R2,R0                   ; integer divide by zero
        PRINT   <not reached: inner>
        RET
        .ENTRY  handler,^M<>
        PRINT   <handler>
        ${handlerBody}
        RET
        .END    start
`

  it('by default removes the frames out to the establisher: execution goes on in its caller, R0 from the mechanism array', () => {
    const r = runProgram(
      program(`MOVL    8(AP),R1
        MOVL    #^X4001,12(R1)          ; R0 for the caller
        $UNWIND_S
        BLBS    R0,10$
        PRINT   <unwind refused>
10$:`),
    )
    expect(r.output).toBe('handler\nback in main\n')
    expect(r.status).toBe(0x4001)
  })

  it('a depth of 1 removes only the faulting frame: execution goes on in the establisher', () => {
    const r = runProgram(
      program(`PUSHL   #1
        PUSHL   #0
        PUSHAL  4(SP)
        CALLS   #2,@#SYS$UNWIND         ; depth 1: back into outer, after its CALLS
        BLBS    R0,10$
        PRINT   <unwind refused>
10$:`),
    )
    expect(r.output).toBe('handler\nnot reached: outer\nback in main\n')
  })

  it('with NEWPC the caller goes on at the new PC instead of its return address', () => {
    const r = runProgram(
      program(`$UNWIND_S NEWPC=elsewhere
        BLBS    R0,10$
        PRINT   <unwind refused>
10$:`).replace(
        '        $EXIT_S CODE=R0\n',
        '        $EXIT_S CODE=R0\nelsewhere: PRINT <at the new PC>\n        $EXIT_S CODE=#1\n',
      ),
    )
    expect(r.output).toBe('handler\nat the new PC\n')
  })

  it('outside a handler it is SS$_NOSIGNAL; asked twice SS$_UNWINDING; too deep SS$_INSFRAME', () => {
    const outside = runProgram(`${PRINT_MACRO}
        .ENTRY  start,^M<>
        $UNWIND_S
        $EXIT_S CODE=R0
        .END    start
`)
    expect(outside.status).toBe(SS.NOSIGNAL)
    const twice = runProgram(
      program(`$UNWIND_S
        $UNWIND_S
        CMPL    R0,#SS$_UNWINDING
        BNEQ    10$
        PRINT   <second refused>
10$:`),
    )
    expect(twice.output).toBe('handler\nsecond refused\nback in main\n')
    const deep = runProgram(
      program(`PUSHL   #50
        PUSHL   #0
        PUSHAL  4(SP)
        CALLS   #2,@#SYS$UNWIND
        CMPL    R0,#SS$_INSFRAME
        BNEQ    10$
        PRINT   <too deep>
10$:    MOVL    #SS$_RESIGNAL,R0`),
    )
    expect(deep.output).toMatch(/^handler\ntoo deep\n%SYSTEM-F-INTDIV, /)
    expect(deep.status).toBe((SS.INTDIV | 0x10000000) >>> 0)
  })
})

describe('$CMKRNL and $CMEXEC (book 9.4)', () => {
  const program = (service: string) => `${PRINT_MACRO}
args:   .LONG   1,^X100
        .ENTRY  inner,^M<R2>
        MOVPSL  R2
        EXTZV   #24,#2,R2,R0            ; the mode it runs in
        EXTZV   #22,#2,R2,R2            ; and the previous mode
        ASHL    #4,R2,R2
        BISL2   R2,R0
        ADDL2   4(AP),R0                ; plus its argument
        RET
        .ENTRY  start,^M<>
        ${service}
        $EXIT_S CODE=R0
        .END    start
`

  it('call the routine in kernel (executive) mode with the caller as previous mode, and return its R0', () => {
    const k = runProgram(program('$CMKRNL_S ROUTIN=inner,ARGLST=args'), { privileges: ['CMKRNL'] })
    expect(k.status).toBe(0x100 + 0x30 + 0)
    const e = runProgram(program('$CMEXEC_S ROUTIN=inner,ARGLST=args'), { privileges: ['CMEXEC'] })
    expect(e.status).toBe(0x100 + 0x30 + 1)
  })

  it('without the privilege: SS$_NOPRIV, and the routine does not run', () => {
    expect(runProgram(program('$CMKRNL_S ROUTIN=inner,ARGLST=args')).status).toBe(SS.NOPRIV)
    expect(runProgram(program('$CMEXEC_S ROUTIN=inner,ARGLST=args')).status).toBe(SS.NOPRIV)
  })

  it('an argument list the caller cannot read is SS$_ACCVIO', () => {
    const r = runProgram(program('$CMKRNL_S ROUTIN=inner,ARGLST=@#^X10'), {
      privileges: ['CMKRNL'],
    })
    expect(r.status).toBe(SS.ACCVIO)
  })
})

describe('$PUTMSG (book 4.8)', () => {
  it('writes each message of the vector: SYSTEM ones take their FAO arguments, others a count', () => {
    const r = runProgram(`${PRINT_MACRO}
vector: .LONG   8                       ; 8 longwords follow
        .LONG   SS$_NOPRIV
        .LONG   SS$_ACCVIO,4,^X200,^X1234,^X3C00000
        .LONG   ^X08008002,0            ; facility 0x800: an FAO count of 0
fac:    .ASCID  /MYAPP/
        .ENTRY  start,^M<>
        $PUTMSG_S MSGVEC=vector,FACNAM=fac
        $EXIT_S CODE=R0
        .END    start
`)
    expect(r.output).toBe(
      [
        '%MYAPP-F-NOPRIV, no privilege for attempted operation',
        '-SYSTEM-F-ACCVIO, access violation, reason mask=04, virtual address=00000200, PC=00001234, PSL=03C00000',
        '-NONAME-E-NOMSG, Message number 08008002',
        '',
      ].join('\n'),
    )
    expect(r.status).toBe(SS.NORMAL)
  })
})

describe('LIB$SIGNAL and LIB$STOP: software conditions (book 4.4, 4.7)', () => {
  const program = (handler: string, call: string) => `${PRINT_MACRO}
        .ENTRY  LIB$SIGNAL,^M<>
        CHMK    #${SIGNAL}
        RET
        .ENTRY  LIB$STOP,^M<>
        CHMK    #${STOP}
        RET
        .ENTRY  handler,^M<>
        MOVL    4(AP),R1                ; the signal array: count, condition, ...
        CMPL    4(R1),#^X1234
        BNEQ    10$
        PRINT   <handler saw the condition>
10$:    MOVL    #${handler},R0
        RET
        .ENTRY  start,^M<>
        OPENTT
        MOVAB   handler,(FP)
        ${call}
        PRINT   <went on>
        $EXIT_S CODE=#1
        .END    start
`

  it('a handler that answers SS$_CONTINUE returns from LIB$SIGNAL', () => {
    const r = runProgram(program('SS$_CONTINUE', 'PUSHL #^X1234\n        CALLS #1,LIB$SIGNAL'))
    expect(r.output).toBe('handler saw the condition\nwent on\n')
  })

  it('with no handler, a warning is shown and the image goes on; an error ends it', () => {
    const warning = runProgram(
      program('SS$_RESIGNAL', 'PUSHL #SS$_NOPRIV-4\n        CALLS #1,LIB$SIGNAL'),
    )
    expect(warning.output).toBe('%SYSTEM-W-NOPRIV, no privilege for attempted operation\nwent on\n')
    const error = runProgram(
      program('SS$_RESIGNAL', 'PUSHL #SS$_NOPRIV\n        CALLS #1,LIB$SIGNAL'),
    )
    expect(error.output).toBe('%SYSTEM-F-NOPRIV, no privilege for attempted operation\n')
    expect(error.status).toBe((SS.NOPRIV | 0x10000000) >>> 0)
  })

  it('LIB$STOP does not come back even when the handler says continue: the condition is severe', () => {
    const r = runProgram(program('SS$_CONTINUE', 'PUSHL #^X1234\n        CALLS #1,LIB$STOP'))
    expect(r.output).toMatch(/^handler saw the condition\n/)
    expect(r.output).not.toContain('went on')
    expect((r.status ?? 0) & 7).toBe(4)
  })
})
