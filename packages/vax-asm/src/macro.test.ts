import { describe, expect, it } from 'vitest'
import { type AssembleOptions, AssemblyError, assemble } from './index'

/** Tests cite the VAX MACRO and Instruction Set Reference Manual by directive/section. */
const hex = (source: string, options: AssembleOptions = {}) =>
  Buffer.from(assemble(source, { base: 0x1000, ...options }).image).toString('hex')

function diagnostics(source: string, options: AssembleOptions = {}): string[] {
  try {
    assemble(source, { base: 0x1000, ...options })
  } catch (e) {
    if (e instanceof AssemblyError)
      return e.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)
    throw e
  }
  return []
}

const lines = (...text: string[]) => text.join('\n')

describe('.MACRO and .ENDM (positional and keyword arguments, defaults)', () => {
  const PUSH2 = lines('\t.MACRO PUSH2 A, B=#7', '\tPUSHL A', '\tPUSHL B', '\t.ENDM PUSH2')

  it('binds positional arguments in order and takes a default for a missing one', () => {
    expect(hex(lines(PUSH2, '\tPUSH2 R1', '\tPUSH2 R2,R3'))).toBe('dd51dd07' + 'dd52dd53')
  })

  it('binds keyword arguments by name, in any order ("Keyword arguments")', () => {
    expect(hex(lines(PUSH2, '\tPUSH2 B=R3, A=#1'))).toBe('dd01dd53')
  })

  it('passes a <delimited> argument whole, commas included ("Argument delimiters")', () => {
    const source = lines(
      '\t.MACRO DATA LIST',
      '\t.BYTE LIST',
      '\t.ENDM',
      '\tDATA <1,2,3>',
      '\tDATA ^/4,5/',
    )
    expect(hex(source)).toBe('0102030405')
  })

  it("concatenates with the apostrophe and passes \\expr by value ('Argument concatenation', 'Passing numeric values')", () => {
    const source = lines(
      'N = 6',
      '\t.MACRO LABEL P,V',
      "P'V:\t.BYTE V",
      '\t.ENDM',
      '\tLABEL X,\\N+1',
    )
    const r = assemble(source, { base: 0x1000 })
    expect(r.symbols.get('X7')).toBe(0x1000)
    expect(Buffer.from(r.image).toString('hex')).toBe('07')
  })

  it('an argument left out is empty (no default), and too many is an error on the call line', () => {
    expect(hex(lines('\t.MACRO M A', '\t.BYTE 1 A', '\t.ENDM', '\tM'))).toBe('01')
    expect(diagnostics(lines('\t.MACRO M A', '\t.ENDM', '\tM 1,2'))).toEqual([
      '3:4 macro M takes 1 argument(s)',
    ])
  })

  it('creates local labels 30000$ up for ?name arguments not given ("Created local labels")', () => {
    const source = lines(
      '\t.MACRO WAIT ?L',
      'L:\tBRB L',
      '\t.ENDM',
      '\tWAIT',
      '\tWAIT',
      '\tBRB 30001$',
    )
    // Two expansions, two different labels; the second is 30001$.
    expect(hex(source)).toBe('11fe' + '11fe' + '11fc')
  })

  it('a definition may be replaced, deleted (.MDELETE), and a macro may define another', () => {
    const source = lines(
      '\t.MACRO OUTER',
      '\t.MACRO INNER',
      '\t.BYTE 2',
      '\t.ENDM',
      '\t.ENDM',
      '\tOUTER',
      '\tINNER',
      '\t.MACRO INNER',
      '\t.BYTE 3',
      '\t.ENDM',
      '\tINNER',
    )
    expect(hex(source)).toBe('0203')
    expect(
      diagnostics(
        lines('\t.MACRO NOP', '\t.BYTE 9', '\t.ENDM', '\tNOP', '\t.MDELETE NOP', '\tNOP'),
      ),
    ).toEqual([])
    expect(
      hex(lines('\t.MACRO NOP', '\t.BYTE 9', '\t.ENDM', '\tNOP', '\t.MDELETE NOP', '\tNOP')),
    ).toBe('0901')
  })

  it('.NARG counts positional arguments; .MEXIT ends the expansion', () => {
    const source = lines(
      '\t.MACRO COUNT A,B,C',
      '\t.NARG K',
      '\t.BYTE K',
      '\t.IF EQ K',
      '\t.MEXIT',
      '\t.ENDC',
      '\t.BYTE A',
      '\t.ENDM',
      '\tCOUNT 5,6',
      '\tCOUNT',
    )
    expect(hex(source)).toBe('020500')
  })

  it('errors inside an expansion name the line and column of the call', () => {
    const source = lines('\t.MACRO M', '\tMOVL #1', '\t.ENDM', '', '\t  M')
    expect(diagnostics(source)).toEqual(['5:4 macro M: MOVL takes 2 operand(s), 1 given'])
    expect(diagnostics(lines('\t.MACRO M', '\t.BYTE x', '\t.ENDM', '\tM'))).toEqual([
      '4:2 macro M: undefined symbol X',
    ])
  })

  it('reports .MACRO without .ENDM, .ENDM without .MACRO and a bad formal', () => {
    expect(diagnostics('\t.MACRO M\n\t.BYTE 1')).toEqual(['1:2 .MACRO M without .ENDM'])
    expect(diagnostics('\t.ENDM')).toEqual(['1:2 .ENDM without .MACRO'])
    expect(diagnostics('\t.MACRO M 1A\n\t.ENDM')[0]).toMatch(/^1:\d+ '1A' is not a formal argument/)
  })
})

describe('.MCALL and macro libraries', () => {
  const LIBRARY = lines(
    '; a library: .MACRO definitions only',
    '\t.MACRO $EXIT CODE=#1',
    '\tPUSHL CODE',
    '\t.ENDM $EXIT',
    '',
    '\t.MACRO ONE',
    '\t.BYTE 1',
    '\t.ENDM',
  )

  it('.MCALL takes definitions from the libraries given', () => {
    expect(hex('\t.MCALL $EXIT\n\t$EXIT', { libraries: [LIBRARY] })).toBe('dd01')
  })

  it('a name that is not an instruction is looked up in the libraries, the last given first', () => {
    const other = '\t.MACRO ONE\n\t.BYTE 2\n\t.ENDM'
    expect(hex('\tONE', { libraries: [LIBRARY, other] })).toBe('02')
    expect(hex('\tONE', { libraries: [other, LIBRARY] })).toBe('01')
  })

  it('a macro in no library is an error on the .MCALL line', () => {
    expect(diagnostics('\n\t.MCALL ONE, TWO', { libraries: [LIBRARY] })).toEqual([
      '2:14 macro TWO is not in any macro library',
    ])
    expect(diagnostics('\tONE')).toEqual(["1:2 unknown instruction or directive 'ONE'"])
  })

  it('a library with text outside a definition is reported where it is first needed', () => {
    expect(diagnostics('\t.MCALL ONE', { libraries: ['\tNOP'] })).toEqual([
      '1:1 macro library 1, line 1: not inside a .MACRO definition',
    ])
  })
})

describe('.IRP, .IRPC and .REPT (indefinite repeat blocks)', () => {
  it('.IRP repeats the block once for each argument', () => {
    expect(hex('\t.IRP R,<R0,R1,R2>\n\tCLRL R\n\t.ENDR')).toBe('d450d451d452')
    expect(hex('\t.IRP R,<>\n\tCLRL R\n\t.ENDR\n\tNOP')).toBe('01')
  })

  it('.IRPC repeats it once for each character', () => {
    expect(hex('\t.IRPC C,<ABC>\n\t.ASCII /C/\n\t.ENDR')).toBe('414243')
  })

  it('.REPT repeats it a pass-1 count of times (zero or less: not at all)', () => {
    expect(hex('N = 3\n\t.REPT N\n\tNOP\n\t.ENDR')).toBe('010101')
    expect(hex('\t.REPT -1\n\tNOP\n\t.ENDR\n\tHALT')).toBe('00')
  })

  it('repeat blocks nest, and .ENDR closes the innermost', () => {
    expect(hex('\t.REPT 2\n\t.IRP X,<1,2>\n\t.BYTE X\n\t.ENDR\n\t.ENDR')).toBe('01020102')
  })

  it('reports a block without .ENDR, .ENDR alone and a count not known in pass 1', () => {
    expect(diagnostics('\t.REPT 2\n\tNOP')).toEqual(['1:2 .REPT without .ENDR'])
    expect(diagnostics('\t.ENDR')).toEqual(['1:2 .ENDR without .IRP, .IRPC or .REPT'])
    expect(diagnostics('\t.REPT later\n\tNOP\n\t.ENDR\nlater = 2')).toEqual([
      "1:8 the value of 'later' is not known here (pass 1)",
    ])
  })
})

describe('expansion is bounded (untrusted input never hangs or exhausts the stack)', () => {
  it('a recursive macro stops at the nesting limit, with one error on the call line', () => {
    const found = diagnostics(lines('\t.MACRO R', '\tR', '\tR', '\t.ENDM', '\tR'))
    expect(found).toEqual(['5:2 macro R: expansions nested more than 64 deep (macro R)'])
  })

  it('a huge .REPT stops at the line budget, with one error', () => {
    expect(diagnostics('\t.REPT 1000000000\n\tNOP\n\t.ENDR')).toEqual([
      '1:2 .REPT: expansion limit reached (100000 lines or 16777216 characters in all)',
    ])
  })

  it('an empty body repeated forever takes no time', () => {
    expect(hex('\t.REPT 1000000000000\n\t.ENDR\n\tNOP')).toBe('01')
  })
})

describe('.IF, .IIF and the subconditionals', () => {
  const when = (condition: string, value = '') =>
    hex(lines(`X = ${value || '0'}`, `\t.IF ${condition}`, '\t.BYTE 1', '\t.ENDC', '\tNOP'))

  it.each([
    ['EQ X', '0', true],
    ['EQ X', '1', false],
    ['NE X', '1', true],
    ['GT X', '1', true],
    ['GT X', '^XFFFFFFFF', false], // a longword: -1
    ['LT X', '-1', true],
    ['GE X', '0', true],
    ['LE X', '1', false],
    ['EQUAL, X', '0', true],
    ['LESS_THAN X', '-2', true],
  ])('.IF %s with X = %s is %s (condition tests of .IF)', (condition, value, expected) => {
    expect(when(condition, value)).toBe(expected ? '0101' : '01')
  })

  it('DF and NDF test whether symbols are defined so far, & and ! combining them', () => {
    expect(when('DF X')).toBe('0101')
    expect(when('NDF X')).toBe('01')
    expect(when('DF X & Y')).toBe('01')
    expect(when('DF Y ! X')).toBe('0101')
    expect(hex('\t.IF DF L\n\t.BYTE 1\n\t.ENDC\nL:\tNOP')).toBe('01')
  })

  it('B and NB test a macro argument for blank; IDN and DIF compare two', () => {
    const source = lines(
      '\t.MACRO T P,Q',
      '\t.IF B <P>',
      '\t.BYTE 1',
      '\t.ENDC',
      '\t.IF NB P',
      '\t.BYTE 2',
      '\t.ENDC',
      '\t.IF IDN <P>,<Q>',
      '\t.BYTE 3',
      '\t.ENDC',
      '\t.IF DIF P,Q',
      '\t.BYTE 4',
      '\t.ENDC',
      '\t.ENDM',
      '\tT',
      '\tT R0,r0',
      '\tT R0,R1',
    )
    expect(hex(source)).toBe('0103' + '0203' + '0204')
  })

  it('.IF_FALSE, .IF_TRUE and .IF_TRUE_FALSE select parts of the block', () => {
    const block = (v: number) =>
      hex(
        lines(
          `\t.IF EQ ${v}`,
          '\t.BYTE 1',
          '\t.IF_FALSE',
          '\t.BYTE 2',
          '\t.IF_TRUE_FALSE',
          '\t.BYTE 3',
          '\t.IFT',
          '\t.BYTE 4',
          '\t.ENDC',
        ),
      )
    expect(block(0)).toBe('010304')
    expect(block(1)).toBe('0203')
  })

  it('a block inside one not assembled is skipped whatever its condition', () => {
    const source = lines(
      '\t.IF NE 0',
      '\t.IF EQ 0',
      '\t.BYTE 1',
      '\t.IF_FALSE',
      '\t.BYTE 2',
      '\t.ENDC',
      '\t.BYTE 3',
      '\t.ENDC',
      '\tNOP',
    )
    expect(hex(source)).toBe('01')
    // Nothing in the skipped part is assembled, errors included.
    expect(hex('\t.IF NE 0\n\tJUNK\n\t.BYTE undefined\n\t.ENDC\n\tNOP')).toBe('01')
  })

  it('.IIF assembles the statement after the condition when it is true', () => {
    expect(hex('X = 1\n\t.IIF NE X, MOVL #1,R0\n\t.IIF EQ X, HALT\n\t.IIF DF X, .BYTE 7')).toBe(
      'd0015007',
    )
    // The statement keeps its own column on the line.
    expect(diagnostics('\t.IIF EQ 0, MOVL #1')).toEqual(['1:13 MOVL takes 2 operand(s), 1 given'])
  })

  it('reports .ENDC alone, a missing .ENDC, a subconditional outside a block, a bad condition', () => {
    expect(diagnostics('\t.ENDC')).toEqual(['1:2 .ENDC without .IF'])
    expect(diagnostics('\t.IF EQ 0\n\tNOP')).toEqual(['1:2 .IF without .ENDC'])
    expect(diagnostics('\t.IFF')).toEqual(['1:2 .IFF outside a conditional block'])
    expect(diagnostics('\t.IF ZZ 0\n\t.ENDC')[0]).toMatch(/^1:5 condition expected/)
    expect(diagnostics('\t.IF EQ later\n\t.ENDC\nlater = 1')).toEqual([
      "1:9 the value of 'later' is not known here (pass 1)",
    ])
  })

  it('a macro that leaves a block open is reported on its call', () => {
    expect(diagnostics('\t.MACRO M\n\t.IF EQ 0\n\t.ENDM\n\tM\n\tNOP')).toEqual([
      '4:2 macro M: .IF without .ENDC',
    ])
  })
})
