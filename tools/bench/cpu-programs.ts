/**
 * The benchmark programs, in MACRO-32. Each runs a fixed amount of work and halts; the
 * same image runs on @vax/cpu and on SIMH, so the instruction counts are identical.
 */
export const BENCH_PROGRAMS: readonly { name: string; source: string }[] = [
  {
    name: 'arithmetic loop',
    source: `
        MOVL    #3000000,R6
        CLRL    R0
        MOVL    #7,R1
10$:    ADDL2   R1,R0
        MULL3   #3,R0,R2
        XORL2   R2,R1
        BICL2   #^XFFFF0000,R1
        ASHL    #-1,R2,R3
        SUBL2   R3,R0
        SOBGTR  R6,10$
        HALT`,
  },
  {
    name: 'MOVC3 block copies',
    source: `
        MOVL    #200000,R6
10$:    MOVC3   #4096,src,dst
        MOVC3   #1000,dst,src+1
        SOBGTR  R6,10$
        HALT
        .ALIGN  LONG
src:    .BLKB   4100
dst:    .BLKB   4100`,
  },
  {
    name: 'recursive CALLS/RET (fib 25)',
    source: `
        MOVL    #^X80000,SP
        MOVL    #4,R6
5$:     PUSHL   #25
        CALLS   #1,fib
        SOBGTR  R6,5$
        HALT
        .ENTRY  fib,^M<R2>
        MOVL    4(AP),R2
        CMPL    R2,#2
        BGEQ    10$
        MOVL    R2,R0
        RET
10$:    SUBL3   #1,R2,-(SP)
        CALLS   #1,fib
        MOVL    R0,R1
        PUSHR   #^M<R1>
        SUBL3   #2,R2,-(SP)
        CALLS   #1,fib
        POPR    #^M<R1>
        ADDL2   R1,R0
        RET`,
  },
  {
    name: 'bit fields and strings',
    source: `
        MOVL    #600000,R6
        MOVAB   buf,R7
10$:    EXTZV   R6,#7,(R7),R1
        INSV    R1,#13,#9,4(R7)
        FFS     #0,#32,R6,R2
        CMPC3   #40,buf,buf2
        LOCC    #^A/z/,#64,buf
        SKPC    #0,#32,buf2
        SOBGTR  R6,10$
        HALT
buf:    .ASCII  /The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz/
buf2:   .ASCII  /The quick brown fox jumps over the lazy cat 0123456789 abcdefghijklmnopqrstuvwxyz/`,
  },
]
