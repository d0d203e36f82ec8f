import { assemble } from '@vax/asm'
import { codeRegion, generateProgram, LAYOUT, randomCode, type TestProgram } from './programs'
import { Random } from './random'

/**
 * Programs the random streams cannot make safely: loops with backward branches,
 * procedure calls, subroutines, queues and deliberate exceptions. Each template is
 * MACRO-32 with random values, assembled in the fuzz layout (see programs.ts).
 */
const TEMPLATES: readonly ((r: Random) => string)[] = [
  // SOBGTR/AOBLEQ/ACBL loops with arithmetic in the body.
  (r) => `
        MOVL    #${r.int(1, 40)},R5
        CLRL    R0
10$:    ADDL2   R5,R0
        ${r.pick(['MULL2 #3,R0', 'ASHL #1,R0,R0', 'XORL2 R5,R0', 'ROTL #5,R0,R0'])}
        SOBGTR  R5,10$
        MOVL    #${r.int(-5, 5)},R1
20$:    INCL    R2
        AOBLEQ  #${r.int(-3, 30)},R1,20$
        MOVL    #${r.int(0, 50)},R3
30$:    DECL    R4
        ACBL    #${r.int(-20, 20)},#${r.pick([-3, -1, 1, 2, 7])},R3,30$
        HALT`,
  // CALLS and CALLG with entry masks, argument lists, nested calls and RET.
  (r) =>
    `
        PUSHL   #${r.int(0, 1000)}
        PUSHL   R${r.int(0, 5)}
        CALLS   #2,p1
        MOVAL   args,R4
        CALLG   (R4),p2
        HALT
        .ENTRY  p1,^M<${r.pick(['R2', 'R2,R3', 'R2,R3,R4,R5', 'R6,R11', ''])}>
        ADDL3   4(AP),8(AP),R0
        MOVL    R0,R2
        CALLS   #0,p2
        ${r.pick(['BISPSW #^X20', 'NOP', 'MOVPSL R3'])}
        RET
        .ENTRY  p2,^M<R3,R5${r.chance(0.3) ? ',IV' : ''}>
        MOVL    (AP),R3
        MOVL    FP,R5
        MOVPSL  R1
        RET
        .ALIGN  LONG
args:   .LONG   2,${r.interesting32()},${r.interesting32()}`.replace(',IV', ''),
  // JSB/BSBW/RSB and PUSHR/POPR.
  (r) => `
        MOVL    #${r.interesting32()},R3
        JSB     sub
        BSBW    sub
        PUSHR   #^M<R0,R1,R2,R3,R4,R5>
        CLRQ    R0
        POPR    #^M<${r.pick(['R0,R1', 'R2,R3,R4', 'R0,R1,R2,R3,R4,R5'])}>
        HALT
sub:    ADDL2   R3,R0
        ROTL    #${r.int(0, 31)},R0,R1
        RSB`,
  // Absolute queues: insert at head and tail, remove, empty queue.
  (r) => `
        MOVAL   head,R6
        MOVL    R6,(R6)
        MOVL    R6,4(R6)
        INSQUE  e1,(R6)
        INSQUE  e2,@4(R6)
        INSQUE  e3,(R6)
        REMQUE  @${r.pick(['(R6)', '4(R6)'])},R0
        MOVPSL  R7
        REMQUE  @(R6),R1
        REMQUE  @(R6),R2
        REMQUE  @(R6),R3
        MOVPSL  R8
        HALT
        .ALIGN  QUAD
head:   .LONG   0,0
e1:     .LONG   0,0,${r.interesting32()}
e2:     .LONG   0,0,${r.interesting32()}
e3:     .LONG   0,0,${r.interesting32()}`,
  // Interlocked self-relative queues.
  (r) => `
        MOVAQ   head,R6
        CLRQ    (R6)
        ${r.pick(['INSQHI', 'INSQTI'])} e1,(R6)
        ${r.pick(['INSQHI', 'INSQTI'])} e2,(R6)
        ${r.pick(['INSQHI', 'INSQTI'])} e3,(R6)
        MOVPSL  R7
        ${r.pick(['REMQHI', 'REMQTI'])} (R6),R0
        ${r.pick(['REMQHI', 'REMQTI'])} (R6),R1
        MOVPSL  R8
        ${r.pick(['REMQHI', 'REMQTI'])} (R6),R2
        ${r.pick(['REMQHI', 'REMQTI'])} (R6),R3
        MOVPSL  R9
        ${r.chance(0.3) ? 'INSQHI e1+4,(R6)' : 'NOP'}
        HALT
        .ALIGN  QUAD
head:   .QUAD   0
e1:     .QUAD   0
e2:     .QUAD   0
e3:     .QUAD   0`,
  // Exceptions: the frame each leaves on the stack.
  (r) =>
    r.pick([
      'BPT',
      'XFC',
      '.BYTE ^X57',
      'EXTV #0,#33,R0,R1',
      'EXTZV #32,#1,R0,R1',
      'CASEL R0,#0,#0\n .WORD 0',
      'MOVL R0,PC',
      'MOVAL R1,R2',
      'MOVL (PC),R1',
      'BISPSW #^X100',
      'CALLS #0,bad',
      'MOVL R1,#5',
      'HALT',
    ]) +
    `
        BISPSW  #^X20
        ADDL3   #^X7FFFFFFF,#${r.int(1, 5)},R3
        DIVL2   #0,R4
        INDEX   #${r.int(-5, 15)},#0,#9,#4,#0,R5
        HALT
        .ALIGN  WORD
bad:    .WORD   ^X3000`,
]

/** A structured program for `seed`: template seed % count with random values. */
export function generateStructured(seed: number): TestProgram {
  const r = new Random(seed * 7919 + 13)
  const template = TEMPLATES[seed % TEMPLATES.length] as (r: Random) => string
  const source = template(r)
  const code = assemble(source, { base: LAYOUT.code }).image
  const program = withCode(seed, code)
  return {
    ...program,
    dumps: [...program.dumps, { address: LAYOUT.code, length: Math.ceil(code.length / 4) * 4 }],
  }
}

/** The random program of `seed` (registers, data) with `code` in place of its code. */
function withCode(seed: number, code: Uint8Array): TestProgram {
  const base = generateProgram(seed)
  return {
    ...base,
    code,
    loads: base.loads.map((l) =>
      l.address === LAYOUT.code ? { address: LAYOUT.code, bytes: codeRegion(code) } : l,
    ),
    maxSteps: 5000,
  }
}

export const STRUCTURED_TEMPLATES = TEMPLATES.length

/** Where the memory-management programs put their tables and the user code. */
const MAPPED = {
  scb: 0x7000,
  spt: 0x7200,
  p0Table: 0x7300,
  user: 0x1400,
  userStack: 0x5800,
} as const

/** PTE protection codes the scratch pages get (SRM codes: KW, UW, UR, SREW, URKW, NA, ERKW). */
const SCRATCH_PROTECTIONS = [4, 4, 4, 15, 9, 14, 2, 0, 6, 13]

/**
 * A program that turns memory management on and runs random code in user mode: the
 * kernel part builds an SCB (every vector to a HALT in system space), a system page
 * table mapping S0 one to one (KW), and a P0 page table mapping P0 one to one with
 * random protections on the scratch pages, enables MAPEN, and REIs to user mode. The
 * user code (random instructions, PROBEs included) ends in CHMK, or earlier in an
 * access violation or another exception, all of which land in a kernel HALT.
 */
export function generateMapped(seed: number): TestProgram {
  const r = new Random(seed * 104729 + 7)
  const protections = Array.from({ length: 16 }, () => r.pick(SCRATCH_PROTECTIONS))
  // Base group only: SIMH 3.8.1 runs the emulation handler of a user-mode emulated
  // instruction without the protection check on its first fetch (see tools/README.md).
  const user = randomCode(r, 'ka655', MAPPED.user, 'CHMK', true)
  const pte = (code: number, page: number) =>
    `^X${((0x80000000 | (code << 27) | page) >>> 0).toString(16)}`
  const p0Entries = Array.from({ length: 48 }, (_, page) => {
    if (page >= 24 && page < 40) return pte(protections[page - 24] as number, page)
    return pte(page < 8 ? 2 : 4, page) // SCB and handlers kernel only; code, table, stack UW
  })
  const source = `
        MOVAL   @#^X${(0x80000000 + MAPPED.scb).toString(16)},R0   ; build the SCB
        MOVL    #^X80000600,R1
        MOVL    #128,R2
1$:     MOVL    R1,(R0)+
        ADDL2   #4,R1
        SOBGTR  R2,1$
        MOVAL   @#^X${MAPPED.spt.toString(16)},R0                  ; SPT: S0 = physical, KW
        MOVL    #^X90000000,R1
        MOVL    #64,R2
2$:     MOVL    R1,(R0)+
        INCL    R1
        SOBGTR  R2,2$
        MOVAL   @#^X${MAPPED.p0Table.toString(16)},R0
        MOVAL   p0ptes,R1
        MOVC3   #${48 * 4},(R1),(R0)
        MTPR    #^X${MAPPED.spt.toString(16)},#12              ; SBR
        MTPR    #64,#13                                         ; SLR
        MTPR    #^X${(0x80000000 + MAPPED.p0Table).toString(16)},#8   ; P0BR
        MTPR    #48,#9                                          ; P0LR
        MTPR    #^X${MAPPED.scb.toString(16)},#17              ; SCBB
        MTPR    #^X80006800,#0                                  ; KSP
        MTPR    #^X${MAPPED.userStack.toString(16)},#3         ; USP
        MOVL    #^X80006C00,SP                                  ; ISP, in system space
        MTPR    #1,#56                                          ; MAPEN
        JMP     @#^X80000000+on
on:     ${r.chance(0.5) ? 'MTPR #0,#57' : 'NOP'}
        MOVQ    #0,R0
        PUSHL   #^X03C00000                                     ; user mode, previous user
        PUSHL   #^X${MAPPED.user.toString(16)}
        REI
        .ALIGN  LONG
p0ptes: .LONG   ${p0Entries.join(',')}
`
  const kernel = assemble(source, { base: LAYOUT.code }).image
  if (LAYOUT.code + kernel.length > MAPPED.user) throw new Error('kernel part too long')
  const code = new Uint8Array(MAPPED.user - LAYOUT.code + user.length)
  code.set(kernel)
  code.set(user, MAPPED.user - LAYOUT.code)
  return withCode(seed, code)
}

const DECIMAL_OPERATIONS = [
  ...['ADDP4', 'ADDP6', 'SUBP4', 'SUBP6', 'MULP', 'DIVP', 'CMPP3', 'CMPP4', 'MOVP', 'ASHP'],
  ...['CVTLP', 'CVTPL', 'CVTPS', 'CVTSP', 'CVTPT', 'CVTTP', 'EDITPC', 'EDITPC'],
]

/**
 * An EDITPC pattern that consumes exactly `digits` source digits (after an optional
 * EO$ADJUST_INPUT): fill and sign loads, then moves, floats, fills, inserts, sign
 * stores, significance clears and zero blanking, and EO$END (sometimes EO$END_FLOAT
 * first). EO$SET_SIGNIF and a mid-pattern EO$END_FLOAT are left out: after them SIMH's
 * EO$FLOAT keeps Z for a nonzero digit (tools/README.md).
 */
function editPattern(r: Random, digits: number): number[] {
  const pattern: number[] = []
  if (r.chance(0.5)) pattern.push(0x40, r.pick([0x2a, 0x20, 0x30])) // EO$LOAD_FILL
  if (r.chance(0.5)) pattern.push(r.pick([0x41, 0x42, 0x43]), r.pick([0x2b, 0x2d, 0x43]))
  let left = digits
  if (r.chance(0.3)) {
    left = r.int(1, 31)
    pattern.push(0x47, left) // EO$ADJUST_INPUT
  }
  let written = 0
  while (left > 0) {
    const k = Math.min(left, r.int(1, 15))
    const kind = r.int(0, 7)
    if (kind <= 1) {
      pattern.push((kind === 0 ? 0x90 : 0xa0) | k) // EO$MOVE, EO$FLOAT
      left -= k
      written += k
    } else if (kind === 2) {
      const n = r.int(1, 3)
      pattern.push(0x80 | n) // EO$FILL
      written += n
    } else if (kind === 3) {
      pattern.push(0x44, r.pick([0x2c, 0x2e, 0x24])) // EO$INSERT
      written++
    } else if (kind === 4) {
      pattern.push(0x04) // EO$STORE_SIGN
      written++
    } else if (kind === 5)
      pattern.push(0x02) // EO$CLEAR_SIGNIF
    else if (written > 0) pattern.push(kind === 6 ? 0x45 : 0x46, r.int(1, written)) // EO$BLANK_ZERO, EO$REPLACE_SIGN
  }
  if (r.chance(0.5)) pattern.push(0x01) // EO$END_FLOAT
  pattern.push(0x00)
  return pattern
}

/**
 * Packed decimal programs for the 780 model: valid packed strings of random lengths,
 * digits and signs (SRM: other digits give unpredictable results, so they are not
 * generated) and numeric strings, and a run of random ADDP/SUBP/MULP/DIVP/CMPP/MOVP/
 * ASHP, conversions (CVTLP/CVTPL/CVTPS/CVTSP/CVTPT/CVTTP) and EDITPC with results in the
 * scratch area, sometimes with PSW<DV> or PSW<IV> set, a zero
 * divisor, or a length over 31 (a reserved operand). ASHP shifts left by at most 7
 * digits: SIMH 3.8.1 reports overflow for longer left shifts that fit (tools/README.md).
 */
export function generateDecimal(seed: number): TestProgram {
  const r = new Random(seed * 15485863 + 3)
  const strings = Array.from({ length: 8 }, () => {
    const length = r.chance(0.2) ? r.int(0, 3) : r.int(0, 31)
    const zero = r.chance(0.1)
    const digits = Array.from({ length }, () => (zero ? 0 : r.int(0, 9)))
    const sign = r.pick([0xc, 0xc, 0xd, 0xd, 0xa, 0xb, 0xe, 0xf])
    const nibbles = [...(length % 2 === 0 ? [0] : []), ...digits, sign]
    const bytes = []
    for (let i = 0; i < nibbles.length; i += 2)
      bytes.push(((nibbles[i] as number) << 4) | (nibbles[i + 1] as number))
    return { length, bytes }
  })
  const source = () => {
    const k = r.int(0, strings.length - 1)
    return { length: (strings[k] as { length: number }).length, label: `d${k}` }
  }
  const length = () => (r.chance(0.03) ? r.int(32, 40) : r.chance(0.2) ? r.int(0, 4) : r.int(0, 31))
  const scratch = () => `@#^X${(LAYOUT.scratch + 0x100 + 0x20 * r.int(0, 15)).toString(16)}`
  // Numeric strings: leading separate (a sign character, then digits; sometimes a bad
  // character, a reserved operand), and trailing, whose last character the table turns
  // into digit << 4 | sign: '0'-'9' positive, 'p'-'y' negative, anything else invalid.
  const digitsOf = (n: number) => Array.from({ length: n }, () => String(r.int(0, 9))).join('')
  const numerics = Array.from(
    { length: 3 },
    () => r.pick(['+', '-', ' ', r.chance(0.2) ? '*' : '-']) + digitsOf(r.int(0, 31)),
  )
  const trailing = Array.from({ length: 3 }, () => {
    const n = r.int(0, 31)
    const last = r.pick(['0123456789', 'pqrstuvwxy', '*'])
    return n === 0 ? '' : digitsOf(n - 1) + last.charAt(r.int(0, last.length - 1))
  })
  const table = Array.from({ length: 256 }, (_, c) =>
    c >= 0x30 && c <= 0x39
      ? ((c - 0x30) << 4) | 0xc
      : c >= 0x70 && c <= 0x79
        ? ((c - 0x70) << 4) | 0xd
        : 0,
  )
  const patterns: number[][] = []
  const lines: string[] = []
  if (r.chance(0.3)) lines.push(`        BISPSW  #^X${r.pick(['80', '20', 'A0'])}`)
  for (let n = r.int(1, 8); n > 0; n--) {
    const a = source()
    const b = source()
    const op = r.pick(DECIMAL_OPERATIONS)
    const dst = scratch()
    switch (op) {
      case 'ADDP4':
      case 'SUBP4':
        lines.push(`        MOVP    #${b.length},${b.label},${dst}`)
        lines.push(`        ${op}   #${a.length},${a.label},#${b.length},${dst}`)
        break
      case 'CMPP3':
        lines.push(`        CMPP3   #${a.length},${a.label},${a.label}`)
        break
      case 'CMPP4':
        lines.push(`        CMPP4   #${a.length},${a.label},#${b.length},${b.label}`)
        break
      case 'MOVP':
        lines.push(`        MOVP    #${a.length},${a.label},${dst}`)
        break
      case 'ASHP':
        lines.push(
          `        ASHP    #${r.int(-40, 7)},#${a.length},${a.label},#${r.chance(0.8) ? r.int(0, 9) : r.int(0, 15)},#${length()},${dst}`,
        )
        break
      case 'CVTLP':
        lines.push(`        CVTLP   #${r.interesting32()},#${length()},${dst}`)
        break
      case 'CVTPS':
        lines.push(`        CVTPS   #${a.length},${a.label},#${length()},${dst}`)
        break
      case 'CVTPT':
        lines.push(`        CVTPT   #${a.length},${a.label},table,#${length()},${dst}`)
        break
      case 'CVTSP': {
        const k = r.int(0, numerics.length - 1)
        const n = (numerics[k] as string).length - 1
        lines.push(`        CVTSP   #${n},s${k},#${length()},${dst}`)
        break
      }
      case 'CVTTP': {
        const k = r.int(0, trailing.length - 1)
        lines.push(
          `        CVTTP   #${(trailing[k] as string).length},t${k},table,#${length()},${dst}`,
        )
        break
      }
      case 'EDITPC':
        patterns.push(editPattern(r, a.length))
        lines.push(`        EDITPC  #${a.length},${a.label},p${patterns.length - 1},${dst}`)
        break
      case 'CVTPL':
        lines.push(
          `        CVTPL   #${a.length},${a.label},${r.chance(0.5) ? `R${r.int(0, 5)}` : dst}`,
        )
        break
      default:
        lines.push(
          `        ${op}    #${a.length},${a.label},#${b.length},${b.label},#${length()},${dst}`,
        )
    }
  }
  lines.push('        HALT')
  for (const [k, s] of strings.entries())
    lines.push(`d${k}:     .BYTE   ${s.bytes.map((b) => `^X${b.toString(16)}`).join(',')}`)
  const ascii = (text: string) => (text === '' ? '.BLKB 0' : `.ASCII  /${text}/`)
  for (const [k, text] of numerics.entries()) lines.push(`s${k}:     ${ascii(text)}`)
  for (const [k, text] of trailing.entries()) lines.push(`t${k}:     ${ascii(text)}`)
  lines.push(`table:  .BYTE   ${table.join(',')}`)
  for (const [k, pattern] of patterns.entries())
    lines.push(`p${k}:     .BYTE   ${pattern.join(',')}`)
  const code = assemble(lines.join('\n'), { base: LAYOUT.code }).image
  const program = withCode(seed, code)
  return {
    ...program,
    dumps: [...program.dumps, { address: LAYOUT.code, length: Math.ceil(code.length / 4) * 4 }],
  }
}
