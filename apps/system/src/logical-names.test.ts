import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { defaultSubsystems } from './build'
import { PRINT_MACRO, runProgram } from './testing/run-program'

/** @vms/lnm in the default build, as VAX programs use it (book ch. 28). */
describe('logical names from VAX code (book 28.8)', () => {
  it('the system table has the names a system defines at boot; $TRNLNM finds them through LNM$FILE_DEV', () => {
    const r = runProgram(
      `${PRINT_MACRO}
        $LNMDEF
table:  .ASCID  /LNM$FILE_DEV/
name:   .ASCID  /SYS$SYSTEM/
items:  .WORD   64,LNM$_STRING
        .ADDRESS buffer
        .ADDRESS length
        .LONG   0
buffer: .BLKB   64
length: .WORD   0
        .ENTRY  start,^M<R2>
        OPENTT
        $TRNLNM_S TABNAM=table,LOGNAM=name,ITMLST=items
        BLBC    R0,90$
        MOVZWL  length,R2
        $QIOW_S CHAN=tt,FUNC=#IO$_WRITEVBLK,P1=buffer,P2=R2
        MOVL    #1,R0
90$:    $EXIT_S CODE=R0
        .END    start
`,
      { subsystems: defaultSubsystems },
    )
    expect(r.output).toBe('SYS$SYSROOT:[SYSEXE]\n')
    expect(r.status).toBe(SS.NORMAL)
  })

  it('a process defines a name in its own table and translates it; another name is SS$_NOLOGNAM', () => {
    const r = runProgram(
      `${PRINT_MACRO}
        $LNMDEF
ptable: .ASCID  /LNM$PROCESS_TABLE/
ftable: .ASCID  /LNM$FILE_DEV/
name:   .ASCID  /WORK/
other:  .ASCID  /NOSUCH/
value:  .ASCII  /DUA1:[SMITH]/
define: .WORD   12,LNM$_STRING
        .ADDRESS value
        .LONG   0,0
items:  .WORD   64,LNM$_STRING
        .ADDRESS buffer
        .ADDRESS length
        .LONG   0
buffer: .BLKB   64
length: .WORD   0
        .ENTRY  start,^M<R2>
        OPENTT
        $CRELNM_S TABNAM=ptable,LOGNAM=name,ITMLST=define
        BLBC    R0,90$
        $TRNLNM_S TABNAM=ftable,LOGNAM=name,ITMLST=items
        BLBC    R0,90$
        MOVZWL  length,R2
        $QIOW_S CHAN=tt,FUNC=#IO$_WRITEVBLK,P1=buffer,P2=R2
        $TRNLNM_S TABNAM=ftable,LOGNAM=other,ITMLST=items
        CMPL    R0,#SS$_NOLOGNAM
        BNEQ    90$
        MOVL    #1,R0
90$:    $EXIT_S CODE=R0
        .END    start
`,
      { subsystems: defaultSubsystems },
    )
    expect(r.output).toBe('DUA1:[SMITH]\n')
    expect(r.status).toBe(SS.NORMAL)
  })
})
