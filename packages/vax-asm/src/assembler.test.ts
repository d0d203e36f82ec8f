import { OPCODES } from '@vax/cpu'
import { describe, expect, it } from 'vitest'
import { AssemblyError, assemble } from './assembler'
import { decodeInstruction } from './decode'
import { disassemble } from './disassembler'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase()

/** Operand texts for each access type, one per addressing mode (VAX SRM "Addressing modes"). */
const READ = [
  '#5',
  'S^#63',
  'I^#5',
  '#^X12345',
  'R3',
  '(R4)',
  '-(R5)',
  '(R6)+',
  '@(R7)+',
  '@#^X2000',
  'B^4(R8)',
  'W^300(R9)',
  'L^-70000(R10)',
  '@B^8(R11)',
  '@W^-2(AP)',
  '@L^4(FP)',
  'data',
  'W^data',
  'L^data',
  '@data',
  '4(R2)[R3]',
  '@#^X2000[R4]',
  '(R5)+[R6]',
  '-(R7)[R8]',
  '@(R9)+[R10]',
  '@4(R1)[R2]',
  'data[R1]',
]
const WRITE = READ.filter((t) => !t.includes('#') || t.startsWith('@#'))
const ADDRESS = WRITE.filter((t) => !/^R\d+$/.test(t))

function operandText(access: string, size: number, n: number): string {
  const list = access === 'r' ? READ : access === 'a' ? ADDRESS : WRITE
  let text = list[n % list.length] as string
  // A quadword or octaword register operand uses Rn and Rn+1 (..Rn+3).
  if (/^R\d+$/.test(text) && size >= 8) text = 'R2'
  return text
}

/** One line per opcode, cycling through the addressing modes. */
function corpus(): string {
  const lines = ['start:']
  let n = 0
  OPCODES.forEach((op, i) => {
    // A CASE's table length follows from its limit: one entry for limit #0.
    const operands = op.mnemonic.startsWith('CASE')
      ? ['(R1)+', '#0', '#0']
      : op.operands.map((o) => (o.access === 'b' ? `L${i}` : operandText(o.access, o.size, n++)))
    lines.push(`        ${op.mnemonic} ${operands.join(',')}`)
    if (op.mnemonic.startsWith('CASE')) lines.push(`        .WORD   L${i}-.`)
    lines.push(`L${i}:`)
  })
  lines.push('next:   HALT', 'data:   .LONG 1,2,3,4', '        .END start')
  return lines.join('\n')
}

describe('assemble, disassemble, assemble (round trip)', () => {
  it('is the identity on a corpus with every opcode and every addressing mode', () => {
    const first = assemble(corpus(), { base: 0x1000 })
    const lines = disassemble(first.image, 0x1000)
    const text = lines.map((l) => `        ${l.text}`).join('\n')
    const second = assemble(text, { base: 0x1000 })
    expect(hex(second.image)).toBe(hex(first.image))
    const mnemonics = new Set(lines.map((l) => l.text.split(' ')[0]))
    for (const op of OPCODES) expect(mnemonics, op.mnemonic).toContain(op.mnemonic)
    const modes = new Set<string>()
    let address = 0x1000
    while (address < 0x1000 + first.image.length) {
      const d = decodeInstruction((a) => first.image[a - 0x1000], address)
      for (const s of d.specifiers) {
        modes.add(s.kind)
        if (s.kind === 'index') modes.add(`index:${s.base.kind}`)
      }
      address += d.length + 2 * (d.caseTable?.length ?? 0)
    }
    for (const mode of [
      'literal',
      'immediate',
      'register',
      'deferred',
      'autodecrement',
      'autoincrement',
      'autoincrementDeferred',
      'absolute',
      'displacement',
      'relative',
      'index',
      'branch',
    ]) {
      expect(modes, mode).toContain(mode)
    }
  })
})

describe('encodings (VAX SRM addressing modes; bytes as SIMH deposit -m assembles them)', () => {
  it.each([
    ['MOVL #1,R0', 'D00150'],
    ['MOVL I^#^X12345678,-(SP)', 'D08F785634127E'],
    ['ADDL3 4(R1),@8(R2)[R3],(R4)+', 'C1A10443B20884'],
    ['MOVAB W^-^X20(R5),@(R6)+', '9EC5E0FF96'],
    ['CALLS #0,@#^X1234', 'FB009F34120000'],
    ['MOVL ^X10(PC),R0', 'D0AF1050'],
    ['MOVL S^#^X3F,L^^X1234(R9)', 'D03FE934120000'],
    ['EXTZV #2,#3,(R2),R4', 'EF02036254'],
    ['MOVO R0,R2', 'FD7D5052'],
  ])('%s', (source, bytes) => {
    expect(hex(assemble(`  ${source}`, { base: 0x1000 }).image)).toBe(bytes)
  })

  it('a PC-relative operand gets the smallest displacement that reaches its target', () => {
    const near = assemble('  MOVL x,R0\nx: .LONG 0', { base: 0x1000 })
    expect(hex(near.image.subarray(0, 4))).toBe('D0AF0150')
    const far = assemble('  MOVL x,R0\n  .BLKB 300\nx: .LONG 0', { base: 0x1000 })
    expect(hex(far.image.subarray(0, 5))).toBe('D0CF2D0150')
    const farther = assemble('  MOVL x,R0\n  .BLKB 70000\nx: .LONG 0', { base: 0x1000 })
    expect(farther.image[1]).toBe(0xef)
  })
})

describe('MACRO-32 source', () => {
  it('evaluates expressions left to right, with ^X, ^O, ^B, ^M and the location counter', () => {
    const r = assemble(
      [
        'a = 2+3*4',
        'b = ^X10!^B1',
        'c = ^M<R2,R3,R11>',
        'd = <1+2>*3',
        'e = ^O17&^C1',
        'f = 1@4',
        'here: .LONG .',
      ].join('\n'),
      { base: 0x200 },
    )
    expect(Object.fromEntries(r.symbols)).toMatchObject({
      A: 20,
      B: 17,
      C: 0x80c,
      D: 9,
      E: 14,
      F: 16,
      HERE: 0x200,
    })
    expect(hex(r.image)).toBe('00020000')
  })

  it('scopes local labels (10$) between ordinary labels', () => {
    const r = assemble(['a:  BRB 10$', '10$: NOP', 'b:  BRB 10$', '10$: HALT'].join('\n'), {
      base: 0,
    })
    expect(hex(r.image)).toBe('1100011100' + '00')
  })

  it('lays out data directives', () => {
    const r = assemble(
      [
        '.BYTE 1,-1',
        '.WORD ^X1234',
        '.ASCIC /ab/',
        '.ASCIZ "c"<10>',
        '.ALIGN LONG',
        '.LONG ^XDEADBEEF',
        '.BLKW 2',
        '.QUAD 1',
        '.ENTRY p,^M<R2,R3>',
        'RET',
        '.END p',
      ].join('\n'),
      { base: 0x100 },
    )
    expect(hex(r.image)).toBe('01FF3412026162630A000000EFBEADDE0000000001000000000000000C0004')
    expect(r.entry).toBe(0x100 + 28)
  })

  it('continues a statement on the next line after a trailing hyphen (VAX MACRO 2.3), line numbers kept', () => {
    const one = assemble(' MOVL #1,R0\n .LONG 1,2,3\n HALT', { base: 0 })
    const continued = assemble(
      ' MOVL #1,- ; the source\n   R0 ; the destination\n .LONG 1,-\n 2,-\n 3\n HALT',
      { base: 0 },
    )
    expect(hex(continued.image)).toBe(hex(one.image))
    expect(() => assemble(' MOVL #1,-\n R0\n BOGUS R1', { base: 0 })).toThrow(
      /^line 3, column 2: unknown instruction/,
    )
  })

  it('a label is defined once: a second label, an .ENTRY or an assignment of the same name is an error', () => {
    const errors = (source: string) => {
      try {
        assemble(source, { base: 0 })
      } catch (error) {
        return (error as Error).message
      }
      return ''
    }
    expect(errors('a: NOP\na: NOP')).toMatch(/^line 2, column \d+: multiple definition of symbol A/)
    expect(errors('name: .LONG 0\n .ENTRY name,^M<>\n RET')).toMatch(
      /^line 2, column \d+: multiple definition of symbol NAME/,
    )
    expect(errors('a: NOP\na = 3')).toMatch(/^line 2, column \d+: A is a label/)
    expect(errors('a = 3\na: NOP')).toMatch(/^line 2, column \d+: multiple definition of symbol A/)
    expect(errors('x: BRB 10$\n10$: NOP\n10$: NOP')).toMatch(
      /^line 3, .*multiple definition of symbol 10\$/,
    )
    // The same local label in two blocks, and reassigned symbols, are fine.
    expect(errors('a: BRB 10$\n10$: NOP\nb: BRB 10$\n10$: NOP\nn = 1\nn = 2')).toBe('')
  })

  it('writes a listing with line numbers, addresses and bytes', () => {
    const r = assemble('start: MOVL #1,R0 ; one\n HALT', { base: 0x1000 })
    expect(r.listing).toContain('    1  00001000  D0 01 50')
    expect(r.listing).toContain('start: MOVL #1,R0 ; one')
  })
})

describe('errors name the line and column', () => {
  function diagnostics(source: string) {
    try {
      assemble(source)
    } catch (e) {
      if (e instanceof AssemblyError)
        return e.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)
    }
    return []
  }

  it('reports every error, not just the first', () => {
    const found = diagnostics(
      ['  MOVL #1,R0', '  FROB R1', '  MOVL R0', '  MOVL #1,(R16)', '  BRB nowhere'].join('\n'),
    )
    expect(found).toEqual([
      "2:3 unknown instruction or directive 'FROB'",
      '3:3 MOVL takes 2 operand(s), 1 given',
      '4:11 R16 is not a register',
      '5:3 undefined symbol NOWHERE',
    ])
  })

  it('refuses a branch that does not reach, and a literal out of range', () => {
    expect(diagnostics('  BRB far\n  .BLKB 200\nfar: HALT')[0]).toMatch(
      /^1:3 branch target is 200 bytes away/,
    )
    expect(diagnostics('  MOVL S^#64,R0')[0]).toMatch(/short literal 64/)
    expect(diagnostics('  .BYTE 256')[0]).toMatch(/does not fit in 1 byte/)
  })
})
