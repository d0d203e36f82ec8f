import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { PRINT_MACRO, runProgram } from './testing/run-program'

/** The item list and buffers a $GETJPI test reads: PID, process name, base priority. */
const JPI_LIST = `
items:  .WORD   4,JPI$_PID
        .ADDRESS pid
        .LONG   0
        .WORD   15,JPI$_PRCNAM
        .ADDRESS name
        .ADDRESS namlen
        .WORD   4,JPI$_PRIB
        .ADDRESS prib
        .LONG   0
        .LONG   0
pid:    .LONG   0
name:   .BLKB   15
namlen: .WORD   0
prib:   .LONG   0
`

describe('$GETJPI (book 11.5; System Services Reference Manual)', () => {
  it('returns the items of the caller: PID, name with its length, base priority; IOSB and event flag', () => {
    const r = runProgram(
      `${PRINT_MACRO}
        $JPIDEF
${JPI_LIST}
iosb:   .QUAD   0
        .ENTRY  start,^M<>
        OPENTT
        $GETJPIW_S EFN=#5,ITMLST=items,IOSB=iosb
        BLBC    R0,90$
        MOVZWL  iosb,R0
        BLBC    R0,90$
        CMPW    namlen,#6
        BNEQ    80$
        CMPC3   #6,name,expect
        BNEQ    80$
        CMPL    prib,#4
        BNEQ    80$
        MOVL    pid,R0
        $EXIT_S CODE=R0
80$:    MOVL    #SS$_BADPARAM,R0
90$:    $EXIT_S CODE=R0
expect: .ASCII  /JPITST/
        .END    start
`,
      { name: 'JPITST' },
    )
    expect(r.status).toBe(r.pid)
  })

  it('a wildcard PID of -1 visits every process, then SS$_NOMOREPROC', () => {
    const r = runProgram(`${PRINT_MACRO}
        $JPIDEF
${JPI_LIST}
ctx:    .LONG   -1
count:  .LONG   0
child:  .ASCID  /HELLO/
        .ENTRY  start,^M<>
        OPENTT
        $CREPRC_S IMAGE=child,PRCNAM=child,BASPRI=#1
10$:    $GETJPIW_S PIDADR=ctx,ITMLST=items
        CMPL    R0,#SS$_NOMOREPROC
        BEQL    20$
        BLBC    R0,90$
        INCL    count
        BRB     10$
20$:    MOVL    count,R0
90$:    $EXIT_S CODE=R0
        .END    start
`)
    expect(r.status).toBe(2)
  })

  it('an unknown item is SS$_BADPARAM, an unwritable buffer SS$_ACCVIO, an unknown PID SS$_NONEXPR; nothing written', () => {
    const r = runProgram(`${PRINT_MACRO}
        $JPIDEF
bad:    .WORD   4,^X7777
        .ADDRESS pid
        .LONG   0,0
ro:     .WORD   4,JPI$_PID
        .LONG   ^X80000000,0,0          ; the service vectors: user mode may only read
${JPI_LIST}
nobody: .LONG   ^X7FFF
        .ENTRY  start,^M<>
        $GETJPIW_S ITMLST=bad
        CMPL    R0,#SS$_BADPARAM
        BNEQ    90$
        TSTL    pid
        BNEQ    90$
        $GETJPIW_S ITMLST=ro
        CMPL    R0,#SS$_ACCVIO
        BNEQ    90$
        $GETJPIW_S PIDADR=nobody,ITMLST=items
        CMPL    R0,#SS$_NONEXPR
        BNEQ    90$
        TSTL    pid
        BNEQ    90$
        $EXIT_S CODE=#1
90$:    $EXIT_S CODE=#SS$_ABORT
        .END    start
`)
    expect(r.status).toBe(SS.NORMAL)
  })
})

describe('$GETSYI', () => {
  it('gives the node name; another node is SS$_NOSUCHNODE', () => {
    const r = runProgram(`${PRINT_MACRO}
        $SYIDEF
items:  .WORD   15,SYI$_NODENAME
        .ADDRESS node
        .ADDRESS nodlen
        .LONG   0
node:   .BLKB   15
nodlen: .WORD   0
other:  .ASCID  /ELSEWHERE/
        .ENTRY  start,^M<>
        OPENTT
        $GETSYIW_S ITMLST=items
        BLBC    R0,90$
        MOVZWL  nodlen,R2
        $QIOW_S CHAN=tt,FUNC=#IO$_WRITEVBLK,P1=node,P2=R2
        $GETSYIW_S NODENAME=other,ITMLST=items
        CMPL    R0,#SS$_NOSUCHNODE
        BNEQ    90$
        MOVL    #1,R0
90$:    $EXIT_S CODE=R0
        .END    start
`)
    expect(r.output).toBe('VAXVMS\n')
    expect(r.status).toBe(SS.NORMAL)
  })
})

describe('scheduled wakeups and event flag waits (book 11.5.2, 12.1)', () => {
  it('$SCHDWK wakes a hibernating process after a delta time; $CANWAK cancels a wakeup', () => {
    const r = runProgram(`${PRINT_MACRO}
delta:  .LONG   -100000,-1              ; 10 ms
later:  .LONG   -10000000,-1            ; 1 s
        .ENTRY  start,^M<>
        OPENTT
        $SCHDWK_S DAYTIM=delta
        BSBW    check
        $HIBER_S
        PRINT   <woken>
        $SCHDWK_S DAYTIM=later
        $CANWAK_S
        BSBW    check
        $SETIMR_S EFN=#3,DAYTIM=later
        $WFLOR_S EFN=#3,MASK=#^X18      ; event flag 3 or 4
        PRINT   <timer, not the wakeup>
        $EXIT_S CODE=#1
check:  BLBS    R0,10$
        $EXIT_S CODE=R0
10$:    RSB
        .END    start
`)
    expect(r.output).toBe('woken\ntimer, not the wakeup\n')
  })

  it('$WFLAND waits for every flag of the mask; $WFLOR for any; a bad cluster is SS$_ILLEFC', () => {
    const r = runProgram(`${PRINT_MACRO}
short:  .LONG   -100000,-1
long:   .LONG   -2000000,-1
        .ENTRY  start,^M<>
        OPENTT
        $SETIMR_S EFN=#1,DAYTIM=short
        $SETIMR_S EFN=#2,DAYTIM=long
        $WFLAND_S EFN=#0,MASK=#6
        $READEF_S EFN=#2,STATE=flags
        CMPL    R0,#SS$_WASSET
        BNEQ    90$
        PRINT   <both set>
        $WFLOR_S EFN=#200,MASK=#1
        CMPL    R0,#SS$_ILLEFC
        BNEQ    90$
        MOVL    #1,R0
90$:    $EXIT_S CODE=R0
flags:  .LONG   0
        .END    start
`)
    expect(r.output).toBe('both set\n')
    expect(r.status).toBe(SS.NORMAL)
  })

  it('$ASCEFC names a common event flag cluster, $DACEFC lets go of it, $DLCEFC marks it for deletion', () => {
    const r = runProgram(`${PRINT_MACRO}
cname:  .ASCID  /SHARED/
flags:  .LONG   0
        .ENTRY  start,^M<>
        $ASCEFC_S EFN=#64,NAME=cname
        BLBC    R0,90$
        $SETEF_S EFN=#65
        $READEF_S EFN=#64,STATE=flags
        CMPL    flags,#2
        BNEQ    80$
        $DACEFC_S EFN=#64
        BLBC    R0,90$
        $SETEF_S EFN=#65
        CMPL    R0,#SS$_UNASEFC
        BNEQ    80$
        $DLCEFC_S NAME=cname            ; a permanent cluster's end: PRMCEB
        CMPL    R0,#SS$_NOPRIV
        BNEQ    80$
        MOVL    #1,R0
        BRB     90$
80$:    MOVL    #SS$_ABORT,R0
90$:    $EXIT_S CODE=R0
        .END    start
`)
    expect(r.status).toBe(SS.NORMAL)
  })
})

describe('$DELPRC, $SUSPND and $RESUME (book 12.4, 22.2)', () => {
  it('a process suspends, resumes and deletes its subprocess; a PID that is gone is SS$_NONEXPR', () => {
    const r = runProgram(`${PRINT_MACRO}
child:  .ASCID  /WAITER/
cpid:   .LONG   0
        .ENTRY  start,^M<>
        OPENTT
        $CREPRC_S PIDADR=cpid,IMAGE=child,PRCNAM=child,BASPRI=#4
        BLBC    R0,90$
        $SUSPND_S PIDADR=cpid
        BLBC    R0,90$
        $RESUME_S PIDADR=cpid
        BLBC    R0,90$
        $DELPRC_S PIDADR=cpid
        BLBC    R0,90$
        PRINT   <deleted>
        $DELPRC_S PIDADR=cpid
        CMPL    R0,#SS$_NONEXPR
        BNEQ    90$
        MOVL    #1,R0
90$:    $EXIT_S CODE=R0
        .END    start
`)
    expect(r.output).toMatch(/deleted\n$/)
    expect(r.status).toBe(SS.NORMAL)
    expect(r.system.list().filter((p) => p.process !== undefined)).toEqual([])
  })
})
