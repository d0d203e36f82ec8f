import { SERVICE_VECTOR, type ServiceName } from '@vms/contracts'

export type { ServiceName }

/**
 * The system service vector (book 9.2, Figure 9-2): every service any build may have,
 * at a fixed code (SERVICE_VECTOR in @vms/contracts). Each vector is 8 bytes in the
 * first page of system space: an entry mask, `CHMK #code`, `RET`; user code calls
 * `SYS$name` with CALLS or CALLG. A service whose subsystem the build left out still
 * has its vector, and answers SS$_ILLSER.
 */
export const SERVICES: readonly { name: ServiceName; args: number; waits?: ServiceName }[] =
  SERVICE_VECTOR

/** System virtual address of the service vectors (book 9.2: the first page of S0). */
export const VECTOR_BASE = 0x80000000
const VECTOR_SIZE = 8

export function vectorAddress(code: number): number {
  return VECTOR_BASE + VECTOR_SIZE * code
}

export const ASTEXIT = SERVICES.findIndex((s) => s.name === 'ASTEXIT')
export const CONDRET = SERVICES.findIndex((s) => s.name === 'CONDRET')
export const CMODTRAP = SERVICES.findIndex((s) => s.name === 'CMODTRAP')
export const SIGNAL = SERVICES.findIndex((s) => s.name === 'SIGNAL')
export const STOP = SERVICES.findIndex((s) => s.name === 'STOP')
const code = (name: ServiceName) => SERVICES.findIndex((s) => s.name === name)

/**
 * MACRO-32 for the vector page. $QIOW is $QIO followed by $WAITFR on its event flag
 * (a wait that an AST interrupts and that then waits again), so its vector branches to
 * a short procedure. After the vectors comes the AST dispatcher, which runs in the
 * AST's access mode (book 7.5.1 step k, 7.5.3): EXE$ASTDEL calls the AST routine (its
 * address in R1) with the argument list on the stack; EXE$ASTRET drops the count and
 * the parameter, exits the AST in kernel mode, restores R0 and R1, and REIs to the
 * interrupted PC and PSL. Last, the condition handler caller (book 4.6): it CALLGs
 * the handler (address in R1) with the argument list on the stack and reports the
 * handler's answer in R0 to the executive.
 */
export function vectorSource(): string {
  const waitfr = vectorAddress(code('WAITFR')).toString(16)
  const lines = SERVICES.map((s, n) =>
    s.name === 'QIOW' || s.waits !== undefined
      ? `; SYS$${s.name}\n        .WORD   0\n        BRW     ${s.name.toLowerCase()}\n        .ALIGN  QUAD`
      : `; SYS$${s.name}\n        .WORD   0\n        CHMK    #${n}\n        RET\n        .ALIGN  QUAD`,
  )
  // $name W: the service, then $WAITFR on its event flag (the first argument); the
  // service's own status stays in R0 (book 13.2, $ENQW; 18.6, $QIOW).
  for (const s of SERVICES) {
    if (s.waits === undefined) continue
    lines.push(`${s.name.toLowerCase()}:
        CHMK    #${code(s.waits)}
        BLBC    R0,1$
        PUSHL   R0
        PUSHL   4(AP)
        CALLS   #1,@#^X${waitfr}
        MOVL    (SP)+,R0
1$:     RET`)
  }
  lines.push(`qiow:   CHMK    #${code('QIOW')}
        BLBC    R0,1$
        PUSHL   4(AP)
        CALLS   #1,@#^X${waitfr}
        MOVL    #1,R0
1$:     RET
exe$astdel:
        CALLG   (SP),(R1)
exe$astret:
        ADDL2   #8,SP
        CHMK    #${ASTEXIT}
        MOVQ    (SP)+,R0
        REI
exe$callhandler:
        CALLG   (SP),(R1)
        CHMK    #${CONDRET}
        .ALIGN  LONG
exe$cmodtrap:
        CHMK    #${CMODTRAP}
exe$unwind:                             ; $UNWIND: FP is the last frame removed
        RET
exe$callexh:                            ; an exit handler: R0 its address, R1 its
        CALLG   (R1),(R0)               ; argument list, R2 the exit status; then
        PUSHL   R2                      ; $EXIT again for the next one
        CALLS   #1,@#^X${vectorAddress(code('EXIT')).toString(16)}
exe$cmode:                              ; $CMKRNL, $CMEXEC: R0 the routine, R1 its
        CALLG   (R1),(R0)               ; argument list; REI back to the caller
        REI
        .ALIGN  LONG
exe$noargs:
        .LONG   0`)
  return lines.join('\n')
}

/** `SYS$name = address` for every service, prepended to user programs. */
export function serviceSymbols(): string {
  return SERVICES.map(
    (s, code) => `SYS$${s.name} = ^X${vectorAddress(code).toString(16).toUpperCase()}`,
  ).join('\n')
}
