/**
 * The system services this system implements, in the order of their vectors. Each
 * vector is 8 bytes in the first page of system space (book 9.2, Figure 9-2): an entry
 * mask, `CHMK #code`, `RET`. User code calls `SYS$name` with CALLS or CALLG.
 */
export const SERVICES = [
  { name: 'EXIT', args: 1 },
  { name: 'HIBER', args: 0 },
  { name: 'WAKE', args: 2 },
  { name: 'SETEF', args: 1 },
  { name: 'CLREF', args: 1 },
  { name: 'READEF', args: 2 },
  { name: 'WAITFR', args: 1 },
  { name: 'SETIMR', args: 4 },
  { name: 'CANTIM', args: 2 },
  { name: 'ASSIGN', args: 4 },
  { name: 'DASSGN', args: 1 },
  { name: 'QIOW', args: 12 },
  { name: 'SETPRI', args: 4 },
  { name: 'DCLAST', args: 3 },
  { name: 'SETAST', args: 1 },
  { name: 'CREPRC', args: 12 },
  /** $CLRAST, the AST exit path (book 7.5.3): CHMK from EXE$ASTRET, no argument list. */
  { name: 'ASTEXIT', args: 0 },
  /** A condition handler returned (book 4.6): continue, or search the next frame. */
  { name: 'CONDRET', args: 0 },
  /** A CHME, CHMS or CHMU with no handler for it arrived in the vector page (book 9.5). */
  { name: 'CMODTRAP', args: 0 },
] as const

export type ServiceName = (typeof SERVICES)[number]['name']

/** System virtual address of the service vectors (book 9.2: the first page of S0). */
export const VECTOR_BASE = 0x80000000
const VECTOR_SIZE = 8

export function vectorAddress(code: number): number {
  return VECTOR_BASE + VECTOR_SIZE * code
}

export const ASTEXIT = SERVICES.findIndex((s) => s.name === 'ASTEXIT')
export const CONDRET = SERVICES.findIndex((s) => s.name === 'CONDRET')
export const CMODTRAP = SERVICES.findIndex((s) => s.name === 'CMODTRAP')
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
  const lines = SERVICES.map((s, n) =>
    s.name === 'QIOW'
      ? '; SYS$QIOW\n        .WORD   0\n        BRW     qiow\n        .ALIGN  QUAD'
      : `; SYS$${s.name}\n        .WORD   0\n        CHMK    #${n}\n        RET\n        .ALIGN  QUAD`,
  )
  lines.push(`qiow:   CHMK    #${code('QIOW')}
        BLBC    R0,1$
        PUSHL   4(AP)
        CALLS   #1,@#^X${vectorAddress(code('WAITFR')).toString(16)}
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
        CHMK    #${CMODTRAP}`)
  return lines.join('\n')
}

/** `SYS$name = address` for every service, prepended to user programs. */
export function serviceSymbols(): string {
  return SERVICES.map(
    (s, code) => `SYS$${s.name} = ^X${vectorAddress(code).toString(16).toUpperCase()}`,
  ).join('\n')
}
