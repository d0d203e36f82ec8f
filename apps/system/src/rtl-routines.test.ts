import { SS } from '@vms/contracts'
import { HEAP_SIZE, LIB, OTS, RMS, STR } from '@vms/rtl'
import { describe, expect, it } from 'vitest'
import { runVmsProgram } from './rtl-runner'

/**
 * The run-time library's routines called from VAX programs in the system. Each program
 * reports with `SHOW text`: a line "text XXXXXXXX", R0 in hexadecimal ($FAO !XL), R0 kept.
 */
function program(body: string, data = ''): string {
  return String.raw`
        .TITLE  RTLTEST
        $SSDEF
        $LIBDEF
        $STRDEF
        $OTSDEF
        $DSCDEF
        $CHFDEF
fmt:    .ASCID  /!AS !XL/
outbuf: .WORD   80
        .BYTE   DSC$K_DTYPE_T,DSC$K_CLASS_S
        .ADDRESS outtext
result: .WORD   0
        .BYTE   DSC$K_DTYPE_T,DSC$K_CLASS_S
        .ADDRESS outtext
outtext: .BLKB  80
        .ALIGN  LONG
        .MACRO  SHOW    text,?t,?skip
        BRB     skip
t:      .ASCID  \text\
skip:   PUSHL   R0
        PUSHAQ  t
        CALLS   #2,show
        .ENDM   SHOW
${data}

        .ENTRY  show,^M<>
        $FAO_S  CTRSTR=fmt,OUTLEN=result,OUTBUF=outbuf,P1=4(AP),P2=8(AP)
        PUSHAQ  result
        CALLS   #1,G^LIB$PUT_OUTPUT
        MOVL    8(AP),R0
        RET

        .ENTRY  start,^M<R2,R3,R4,R5,R6,R7,R8,R9,R10,R11>
${body}
        MOVL    #SS$_NORMAL,R0
        RET
        .END    start
`
}

const hex = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, '0')
const run = (body: string, data = '', options: Parameters<typeof runVmsProgram>[1] = {}) =>
  runVmsProgram(program(body, data), options)

describe('LIB$PUT_OUTPUT (LIB$ Manual)', () => {
  it('writes the string as one line; an empty string is an empty line', () => {
    const r = run(
      `       PUSHAQ  hello
        CALLS   #1,G^LIB$PUT_OUTPUT
        SHOW    put
        PUSHAQ  empty
        CALLS   #1,G^LIB$PUT_OUTPUT`,
      `hello: .ASCID  /Hello there/
empty:  .ASCID  //`,
    )
    expect(r.output).toBe(`Hello there\nput ${hex(SS.NORMAL)}\n\n`)
    expect(r.status).toBe(SS.NORMAL)
  })

  it('writes a string longer than its buffer whole', () => {
    const text = 'ABCDEFGHIJ'.repeat(60)
    const r = run(
      `       PUSHAQ  long
        CALLS   #1,G^LIB$PUT_OUTPUT
        SHOW    put`,
      `long:  .ASCID  /${text}/`,
    )
    expect(r.output).toBe(`${text}\nput ${hex(SS.NORMAL)}\n`)
  })

  it('without an argument: LIB$_WRONUMARG, nothing written', () => {
    const r = run(`       CALLS   #0,G^LIB$PUT_OUTPUT
        SHOW    none`)
    expect(r.output).toBe(`none ${hex(LIB.WRONUMARG)}\n`)
  })
})

describe('LIB$GET_INPUT (LIB$ Manual)', () => {
  const data = `prompt: .ASCID  /Name: /
name:   .ASCID  /          /
short:  .ASCID  /abc/
len:    .WORD   0
dyn:    .WORD   0
        .BYTE   DSC$K_DTYPE_T,DSC$K_CLASS_D
        .LONG   0`

  it('prompts, reads a line into a fixed-length string (blank filled) and its length', () => {
    const r = run(
      `       PUSHAW  len
        PUSHAQ  prompt
        PUSHAQ  name
        CALLS   #3,G^LIB$GET_INPUT
        SHOW    get
        MOVZWL  len,R0
        SHOW    len
        PUSHAQ  name
        CALLS   #1,G^LIB$PUT_OUTPUT`,
      data,
      { input: 'Ada\r' },
    )
    expect(r.output).toBe(`Name: Ada\nget ${hex(SS.NORMAL)}\nlen 00000003\nAda       \n`)
  })

  it('a line longer than a fixed-length string: LIB$_INPSTRTRU, the first characters kept', () => {
    const r = run(
      `       PUSHAW  len
        CLRL    -(SP)
        PUSHAQ  short
        CALLS   #3,G^LIB$GET_INPUT
        SHOW    get
        MOVZWL  len,R0
        SHOW    len
        PUSHAQ  short
        CALLS   #1,G^LIB$PUT_OUTPUT`,
      data,
      { input: 'Lovelace\r' },
    )
    expect(r.output).toBe(`Lovelace\nget ${hex(LIB.INPSTRTRU)}\nlen 00000003\nLov\n`)
  })

  it('into a dynamic string, which takes the length of the line', () => {
    const r = run(
      `       PUSHAQ  dyn
        CALLS   #1,G^LIB$GET_INPUT
        SHOW    get
        MOVZWL  dyn,R0
        SHOW    len
        PUSHAQ  dyn
        CALLS   #1,G^LIB$PUT_OUTPUT`,
      data,
      { input: 'Grace Hopper\r' },
    )
    expect(r.output).toBe(`Grace Hopper\nget ${hex(SS.NORMAL)}\nlen 0000000C\nGrace Hopper\n`)
  })

  it("at end of file: RMS$_EOF (as RMS's $GET returns it), the string unchanged", () => {
    const r = run(
      `       PUSHAQ  short
        CALLS   #1,G^LIB$GET_INPUT
        SHOW    get
        PUSHAQ  short
        CALLS   #1,G^LIB$PUT_OUTPUT`,
      data,
      { endOfInput: true },
    )
    expect(r.output).toBe(`get ${hex(RMS.EOF)}\nabc\n`)
  })

  it('without an argument: LIB$_WRONUMARG, nothing read', () => {
    const r = run(`       CALLS   #0,G^LIB$GET_INPUT
        SHOW    none`)
    expect(r.output).toBe(`none ${hex(LIB.WRONUMARG)}\n`)
  })
})

describe('LIB$GET_VM and LIB$FREE_VM: first fit on the image heap (LIB$ Manual)', () => {
  const data = `size:   .LONG   0
a:      .LONG   0
b:      .LONG   0
c:      .LONG   0
bogus:  .LONG   0`
  const get = (bytes: number | string, into: string) => `       MOVL    #${bytes},size
        PUSHAL  ${into}
        PUSHAL  size
        CALLS   #2,G^LIB$GET_VM`
  const free = (bytes: number, from: string) => `       MOVL    #${bytes},size
        PUSHAL  ${from}
        PUSHAL  size
        CALLS   #2,G^LIB$FREE_VM`

  it('gives distinct 8-byte aligned blocks, and a freed block to the next request that fits', () => {
    const r = run(
      `${get(100, 'a')}
        SHOW    get
${get(20, 'b')}
        SUBL3   a,b,R0
        SHOW    b-a
        BICL3   #^C7,a,R0
        SHOW    align
${free(100, 'a')}
        SHOW    free
${get(50, 'c')}
        SUBL3   a,c,R0
        SHOW    c-a`,
      data,
    )
    // 100 bytes and the 8-byte header, rounded to 8: the next block is 112 bytes on.
    expect(r.output).toBe(
      [
        `get ${hex(SS.NORMAL)}`,
        'b-a 00000070',
        'align 00000000',
        `free ${hex(SS.NORMAL)}`,
        'c-a 00000000',
        '',
      ].join('\n'),
    )
  })

  it('a size of zero or less is LIB$_BADBLOSIZ; more than the heap is LIB$_INSVIRMEM', () => {
    const r = run(
      `${get(0, 'a')}
        SHOW    zero
${get(-5, 'a')}
        SHOW    negative
${get(HEAP_SIZE, 'a')}
        SHOW    whole
        MOVL    a,R0
        SHOW    untouched`,
      data,
    )
    expect(r.output).toBe(
      `zero ${hex(LIB.BADBLOSIZ)}\nnegative ${hex(LIB.BADBLOSIZ)}\nwhole ${hex(LIB.INSVIRMEM)}\nuntouched 00000000\n`,
    )
  })

  it('frees merge: after every block goes back, the whole heap can be had again', () => {
    const r = run(
      `${get(1000, 'a')}
${get(1000, 'b')}
${get(1000, 'c')}
${free(1000, 'b')}
${free(1000, 'a')}
${free(1000, 'c')}
        SHOW    free
${get(HEAP_SIZE - 8, 'a')}
        SHOW    all`,
      data,
    )
    expect(r.output).toBe(`free ${hex(SS.NORMAL)}\nall ${hex(SS.NORMAL)}\n`)
  })

  it('the heap runs out: LIB$_INSVIRMEM', () => {
    const r = run(
      `${get(HEAP_SIZE / 2, 'a')}
        SHOW    half
${get(HEAP_SIZE / 2, 'b')}
        SHOW    more`,
      data,
    )
    expect(r.output).toBe(`half ${hex(SS.NORMAL)}\nmore ${hex(LIB.INSVIRMEM)}\n`)
  })

  it('an address never given, one inside a block, or one freed twice: LIB$_BADBLOADR, nothing changed', () => {
    const r = run(
      `${get(64, 'a')}
        MOVAB   start,bogus
${free(64, 'bogus')}
        SHOW    code
        ADDL3   #8,a,bogus
${free(64, 'bogus')}
        SHOW    inside
${free(64, 'a')}
        SHOW    once
${free(64, 'a')}
        SHOW    twice
${get(64, 'b')}
        SUBL3   a,b,R0
        SHOW    same`,
      data,
    )
    expect(r.output).toBe(
      [
        `code ${hex(LIB.BADBLOADR)}`,
        `inside ${hex(LIB.BADBLOADR)}`,
        `once ${hex(SS.NORMAL)}`,
        `twice ${hex(LIB.BADBLOADR)}`,
        'same 00000000',
        '',
      ].join('\n'),
    )
  })

  it('a size that is not the block size: LIB$_BADBLOSIZ, and the block stays allocated', () => {
    const r = run(
      `${get(64, 'a')}
${free(200, 'a')}
        SHOW    wrong
${get(64, 'b')}
        SUBL3   a,b,R0
        SHOW    b-a
${free(64, 'a')}
        SHOW    right`,
      data,
    )
    expect(r.output).toBe(`wrong ${hex(LIB.BADBLOSIZ)}\nb-a 00000048\nright ${hex(SS.NORMAL)}\n`)
  })

  it('with one argument: LIB$_WRONUMARG', () => {
    const r = run(
      `       PUSHAL  size
        CALLS   #1,G^LIB$GET_VM
        SHOW    get
        PUSHAL  size
        CALLS   #1,G^LIB$FREE_VM
        SHOW    free`,
      data,
    )
    expect(r.output).toBe(`get ${hex(LIB.WRONUMARG)}\nfree ${hex(LIB.WRONUMARG)}\n`)
  })
})

describe('STR$COPY_DX (STR$ Manual)', () => {
  const data = `src:    .ASCID  /VAX/
long:   .ASCID  /VAXstation/
fixed:  .ASCID  /......./
dyn:    .WORD   0
        .BYTE   DSC$K_DTYPE_T,DSC$K_CLASS_D
        .LONG   0
odd:    .WORD   4
        .BYTE   DSC$K_DTYPE_T,3         ; DSC$K_CLASS_P: a procedure, not a string
        .ADDRESS oddtext
oddtext: .ASCII /....../`
  const copy = (to: string, from: string) => `       PUSHAQ  ${from}
        PUSHAQ  ${to}
        CALLS   #2,G^STR$COPY_DX`
  const put = (what: string) => `       PUSHAQ  ${what}
        CALLS   #1,G^LIB$PUT_OUTPUT`

  it('a fixed-length destination is blank filled', () => {
    const r = run(`${copy('fixed', 'src')}\n        SHOW    copy\n${put('fixed')}`, data)
    expect(r.output).toBe(`copy ${hex(SS.NORMAL)}\nVAX    \n`)
  })

  it('a fixed-length destination too short is truncated: STR$_TRU, a warning', () => {
    const r = run(`${copy('src', 'long')}\n        SHOW    copy\n${put('src')}`, data)
    expect(r.output).toBe(`copy ${hex(STR.TRU)}\nVAX\n`)
    expect(STR.TRU & 7).toBe(0)
  })

  it('a dynamic destination takes the source length, its storage from LIB$GET_VM', () => {
    const r = run(
      `${copy('dyn', 'long')}
        SHOW    first
${put('dyn')}
${copy('dyn', 'src')}
        SHOW    second
        MOVZWL  dyn,R0
        SHOW    length
${put('dyn')}`,
      data,
    )
    expect(r.output).toBe(
      `first ${hex(SS.NORMAL)}\nVAXstation\nsecond ${hex(SS.NORMAL)}\nlength 00000003\nVAX\n`,
    )
  })

  it('a dynamic destination keeps storage large enough for the new text', () => {
    const r = run(
      `${copy('dyn', 'long')}
        MOVL    dyn+4,R2
${copy('dyn', 'src')}
        SUBL3   R2,dyn+4,R0
        SHOW    moved
${copy('dyn', 'long')}
        SUBL3   R2,dyn+4,R0
        SHOW    again
${put('dyn')}`,
      data,
    )
    expect(r.output).toBe('moved 00000000\nagain 00000000\nVAXstation\n')
  })

  it('a varying destination: at most MAXSTRLEN characters, CURLEN set, no padding', () => {
    const r = run(
      `${copy('vs', 'src')}
        SHOW    short
        MOVZWL  vstext,R0
        SHOW    curlen
${copy('vs', 'long')}
        SHOW    long
        MOVZWL  vstext,R0
        SHOW    curlen
        MOVW    vstext,vsout
${put('vsout')}`,
      `${data}
vs:     .WORD   6
        .BYTE   DSC$K_DTYPE_T,DSC$K_CLASS_VS
        .ADDRESS vstext
vstext: .WORD   0
        .ASCII  /######/
vsout:  .WORD   0
        .BYTE   DSC$K_DTYPE_T,DSC$K_CLASS_S
        .ADDRESS vstext+2`,
    )
    expect(r.output).toBe(
      [
        `short ${hex(SS.NORMAL)}`,
        'curlen 00000003',
        `long ${hex(STR.TRU)}`,
        'curlen 00000006',
        'VAXsta',
        '',
      ].join('\n'),
    )
  })

  it('a destination of another class: STR$_ILLSTRCLA is signalled; continued, returned', () => {
    const r = run(
      `       MOVAB   handler,(FP)
${copy('odd', 'src')}
        SHOW    copy
${put('odd')}`,
      `${data}
handler: .WORD  ^M<>
        MOVL    CHF$L_SIGARGLST(AP),R0
        MOVL    CHF$L_SIG_NAME(R0),R0
        SHOW    signalled
        MOVL    #SS$_CONTINUE,R0
        RET`,
    )
    expect(r.output).toBe(`signalled ${hex(STR.ILLSTRCLA)}\ncopy ${hex(STR.ILLSTRCLA)}\n....\n`)
  })

  it('not handled, the signalled STR$_ILLSTRCLA (severe) ends the image', () => {
    const r = run(`${copy('odd', 'src')}\n        SHOW    never`, data)
    expect(r.output).toBe('%NONAME-F-NOMSG, Message number 00248054\n')
    expect(((r.status ?? 0) & 0x0fffffff) >>> 0).toBe(STR.ILLSTRCLA)
  })

  it('with one argument: STR$_WRONUMARG', () => {
    const r = run(
      `       PUSHAQ  src\n        CALLS   #1,G^STR$COPY_DX\n        SHOW    copy`,
      data,
    )
    expect(r.output).toBe(`copy ${hex(STR.WRONUMARG)}\n`)
  })
})

describe('OTS$CVT_L_TI: integer to decimal text (OTS$ Manual)', () => {
  const data = `out:    .ASCID  /12345678/
tiny:   .ASCID  /12/
wide:   .ASCID  /12345678901/
value:  .LONG   0`
  const cvt = (value: number, to: string, extra: readonly number[] = []) =>
    `       MOVL    #${value},value
${[...extra]
  .reverse()
  .map((e) => `        PUSHL   #${e}`)
  .join('\n')}
        PUSHAQ  ${to}
        PUSHAL  value
        CALLS   #${2 + extra.length},G^OTS$CVT_L_TI
        SHOW    cvt
        PUSHAQ  ${to}
        CALLS   #1,G^LIB$PUT_OUTPUT`
  const cases: [string, number, string, number[], string, number][] = [
    ['right-justified', 1234, 'out', [], '    1234', SS.NORMAL],
    ['negative', -56, 'out', [], '     -56', SS.NORMAL],
    ['at least number-of-digits digits', 42, 'out', [5], '   00042', SS.NORMAL],
    ['zero with no digits asked for: blanks', 0, 'out', [0], '        ', SS.NORMAL],
    ['a plus sign with flags bit 0', 7, 'out', [1, 4, 1], '      +7', SS.NORMAL],
    ['a word, sign-extended', 0xfffe, 'out', [1, 2], '      -2', SS.NORMAL],
    ['a byte, sign-extended', 0x1ff, 'out', [1, 1], '      -1', SS.NORMAL],
    ['the most negative longword', -2147483648, 'wide', [], '-2147483648', SS.NORMAL],
    ['too long for the string: asterisks', 12345, 'tiny', [], '**', OTS.OUTCONERR],
    ['a sign that does not fit: asterisks', -12, 'tiny', [], '**', OTS.OUTCONERR],
    ['too many digits asked for: asterisks', 1, 'out', [9], '********', OTS.OUTCONERR],
    ['a size that is not 1, 2 or 4: asterisks', 1, 'out', [1, 3], '********', OTS.OUTCONERR],
  ]
  it.each(cases)('%s', (_what, value, to, extra, text, status) => {
    const r = run(cvt(value, to, extra), data)
    expect(r.output).toBe(`cvt ${hex(status)}\n${text}\n`)
  })
})

describe('OTS$CVT_TI_L: decimal text to integer (OTS$ Manual)', () => {
  const cvt = (text: string, extra: readonly number[] = [], show = 'MOVL    value,R0') =>
    run(
      `${[...extra]
        .reverse()
        .map((e) => `        PUSHL   #${e}`)
        .join('\n')}
        PUSHAL  value
        PUSHAQ  in
        CALLS   #${2 + extra.length},G^OTS$CVT_TI_L
        SHOW    cvt
        ${show}
        SHOW    value`,
      `in:     .ASCID  "${text}"
value:  .LONG   ^X55555555`,
    ).output
  const cases: [string, string, number[], number, number][] = [
    ['digits', '1234', [], SS.NORMAL, 1234],
    ['leading blanks and a sign', '   -123', [], SS.NORMAL, -123],
    ['a plus sign', '+77', [], SS.NORMAL, 77],
    ['blanks after a digit are zeros', '12 3 ', [], SS.NORMAL, 12030],
    ['flags bit 0: every blank ignored', '12 3 ', [4, 1], SS.NORMAL, 123],
    ['all blanks: zero', '    ', [], SS.NORMAL, 0],
    ['the most negative longword', '-2147483648', [], SS.NORMAL, -2147483648],
    ['a longword overflow: zero', '2147483648', [], OTS.INPCONERR, 0],
    ['a bad character: zero', '12a', [], OTS.INPCONERR, 0],
    ['a sign after digits: zero', '12-', [], OTS.INPCONERR, 0],
    ['a tab: invalid', '1\t2', [], OTS.INPCONERR, 0],
    ['a tab with flags bit 4: ignored', '1\t2', [4, 16], SS.NORMAL, 12],
    ['size 0 means a longword', '99', [0], SS.NORMAL, 99],
  ]
  it.each(cases)('%s', (_what, text, extra, status, value) => {
    expect(cvt(text.replace('\t', '"<9>"'), extra)).toBe(
      `cvt ${hex(status)}\nvalue ${hex(value)}\n`,
    )
  })

  it('a byte: 127 fits, 128 overflows; -128 fits; only the byte is written', () => {
    expect(cvt('127', [1])).toBe(`cvt ${hex(SS.NORMAL)}\nvalue 5555557F\n`)
    expect(cvt('128', [1])).toBe(`cvt ${hex(OTS.INPCONERR)}\nvalue 55555500\n`)
    expect(cvt('-128', [1])).toBe(`cvt ${hex(SS.NORMAL)}\nvalue 55555580\n`)
  })

  it('a word: -32768 fits, 32768 overflows', () => {
    expect(cvt('-32768', [2])).toBe(`cvt ${hex(SS.NORMAL)}\nvalue 55558000\n`)
    expect(cvt('32768', [2])).toBe(`cvt ${hex(OTS.INPCONERR)}\nvalue 55550000\n`)
  })

  it('a size that is not 1, 2 or 4: OTS$_INPCONERR, the value untouched', () => {
    expect(cvt('5', [3])).toBe(`cvt ${hex(OTS.INPCONERR)}\nvalue 55555555\n`)
  })
})

describe('LIB$SIGNAL and LIB$STOP: a CHMK in their own frame (LIB$ Manual; book 4.4)', () => {
  const handler = `handler:
        .WORD   ^M<R2>
        MOVL    4(AP),R2                ; the signal array
        PUSHL   (R2)                    ; its count of longwords
        PUSHL   4(R2)                   ; the condition
        CALLS   #2,seen
        MOVL    #SS$_CONTINUE,R0
        RET
        .ENTRY  seen,^M<>
        MOVL    4(AP),R0
        SHOW    condition
        MOVL    8(AP),R0
        SHOW    longwords
        RET`
  const establish = `       MOVAB   handler,(FP)`

  it('a handler that continues makes LIB$SIGNAL return; FAO arguments are in the signal array', () => {
    const r = run(
      `${establish}
        PUSHL   #^X1234
        PUSHL   #^X10
        PUSHL   #SS$_ACCVIO
        MOVL    #^X5A5A,R0
        CALLS   #3,G^LIB$SIGNAL
        SHOW    returned`,
      handler,
    )
    // The condition, two FAO arguments, the PC and the PSL: 5 longwords after the count.
    // LIB$SIGNAL returns with R0 and R1 from the mechanism array: as they were at the call.
    expect(r.output).toBe(`condition ${hex(SS.ACCVIO)}\nlongwords 00000005\nreturned 00005A5A\n`)
    expect(r.status).toBe(SS.NORMAL)
  })

  it('with no handler, a warning is shown and LIB$SIGNAL returns; an error ends the image', () => {
    const r = run(
      `       PUSHL   #SS$_ENDOFFILE
        CALLS   #1,G^LIB$SIGNAL
        SHOW    warning
        PUSHL   #SS$_NOPRIV
        CALLS   #1,G^LIB$SIGNAL
        SHOW    never`,
    )
    expect(r.output).toBe(
      `%SYSTEM-W-ENDOFFILE, end of file\nwarning ${hex(SS.NORMAL)}\n%SYSTEM-F-NOPRIV, no privilege for attempted operation\n`,
    )
    expect(((r.status ?? 0) & 0x0fffffff) >>> 0).toBe(SS.NOPRIV)
  })

  it('LIB$STOP cannot be continued: a warning is made severe and ends the image', () => {
    const r = run(
      `${establish}
        PUSHL   #SS$_ENDOFFILE
        CALLS   #1,G^LIB$STOP
        SHOW    never`,
      handler,
    )
    // The handler sees the condition with its severity forced to severe (4).
    const severe = ((SS.ENDOFFILE & ~7) | 4) >>> 0
    expect(r.output).toBe(
      `condition ${hex(severe)}\nlongwords 00000003\n%SYSTEM-F-ENDOFFILE, end of file\n`,
    )
    expect((r.status ?? 0) & 7).toBe(4)
  })

  it('without a condition value: SS$_INSFARG, nothing signalled', () => {
    const r = run(
      `${establish}
        CALLS   #0,G^LIB$SIGNAL
        SHOW    signal
        CALLS   #0,G^LIB$STOP
        SHOW    stop`,
      handler,
    )
    expect(r.output).toBe(`signal ${hex(SS.INSFARG)}\nstop ${hex(SS.INSFARG)}\n`)
  })
})
