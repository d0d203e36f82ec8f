/**
 * The benchmark programs, in MACRO-32. Each runs a fixed amount of work and halts; the
 * same image runs on @vax/cpu and on SIMH, so the instruction counts are identical.
 */
export interface BenchProgram {
  readonly name: string
  readonly source: string
  /** The machine both run it as: SIMH's `vax` (KA655, the default) or `vax780`. */
  readonly machine?: 'ka655' | 'vax780'
}

/**
 * A positive number as VAX F (one longword) or D (two) floating, for .LONG: the
 * fraction 0.1f x 2^e, rounded to 24 bits (F) or extended from a double's 53 bits (D).
 */
function vaxFloat(x: number, format: 'F' | 'D'): string {
  const e = Math.floor(Math.log2(x)) + 1
  const fraction = BigInt(Math.round((x / 2 ** e) * 2 ** 53)) // 53 bits, hidden bit at 52
  const bits = format === 'F' ? (fraction + (1n << 28n)) >> 29n : fraction << 3n
  const precision = format === 'F' ? 24 : 56
  const value =
    (BigInt(e + 128) << BigInt(precision - 1)) | (bits & ((1n << BigInt(precision - 1)) - 1n))
  const longwords = precision === 24 ? 1 : 2
  const out: string[] = []
  for (let k = 0; k < longwords; k++) {
    const chunk = Number((value >> BigInt(32 * (longwords - 1 - k))) & 0xffffffffn)
    out.push(`^X${(((chunk >>> 16) | ((chunk & 0xffff) << 16)) >>> 0).toString(16)}`)
  }
  return out.join(',')
}

/** e^x to degree 7, highest-order coefficient first (as POLY reads its table). */
const EXP_SERIES = [5040, 720, 120, 24, 6, 2, 1, 1].map((n) => 1 / n)

export const BENCH_PROGRAMS: readonly BenchProgram[] = [
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
  {
    name: 'POLYF/POLYD e^x (780)',
    machine: 'vax780',
    source: `
        MOVL    #300000,R6
        CLRL    R7
        CLRL    R8
        CLRQ    R10
10$:    POLYF   R7,#7,expf
        ADDF2   R0,R8
        POLYD   R10,#7,expd
        ADDF2   step,R7
        ADDD2   stepd,R10
        CMPF    R7,one
        BLEQ    20$
        CLRL    R7
        CLRQ    R10
20$:    SOBGTR  R6,10$
        HALT
        .ALIGN  LONG
expf:   .LONG   ${EXP_SERIES.map((c) => vaxFloat(c, 'F')).join(',')}
expd:   .LONG   ${EXP_SERIES.map((c) => vaxFloat(c, 'D')).join(',')}
step:   .LONG   ${vaxFloat(1 / 64, 'F')}
stepd:  .LONG   ${vaxFloat(1 / 64, 'D')}
one:    .LONG   ${vaxFloat(1, 'F')}`,
  },
]
