import { describe, expect, it } from 'vitest'
import {
  AssemblyError,
  assemble,
  assembleObject,
  DEFAULT_ATTRIBUTES,
  LinkError,
  link,
  type ObjectModule,
} from './index'

/** Tests cite the VAX MACRO reference manual (directives) and the VMS Linker manual. */
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const lines = (...text: string[]) => text.join('\n')

function diagnostics(source: string): string[] {
  try {
    assemble(source, { base: 0x1000 })
  } catch (e) {
    if (e instanceof AssemblyError)
      return e.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)
    throw e
  }
  return []
}

function linkProblems(objects: ObjectModule[]): string[] {
  try {
    link(objects)
  } catch (e) {
    if (e instanceof LinkError) return e.diagnostics.map((d) => `${d.module}: ${d.message}`)
    throw e
  }
  return []
}

describe('.PSECT (program sections and their attributes)', () => {
  it('each psect has its own location counter, continued when it is entered again', () => {
    const r = assemble(
      lines(
        '\t.PSECT A',
        'a1:\t.BYTE 1',
        '\t.PSECT B',
        'b1:\t.BYTE 2',
        '\t.PSECT A',
        'a2:\t.BYTE 3',
      ),
      { base: 0x1000 },
    )
    expect(hex(r.image)).toBe('010302')
    expect(Object.fromEntries(r.symbols)).toEqual({ A1: 0x1000, A2: 0x1001, B1: 0x1002 })
  })

  it('lays psects out as LINK does: by attributes into image sections, alphabetically within one', () => {
    const r = assemble(
      lines(
        '\t.PSECT ZCODE,NOWRT',
        '\t.BYTE 1',
        '\t.PSECT DATA,NOEXE',
        '\t.BYTE 2',
        '\t.PSECT ACODE,NOWRT',
        '\t.BYTE 3',
      ),
      { base: 0x200 },
    )
    expect(r.psects.map((p) => `${p.name}@${p.address.toString(16)}`)).toEqual([
      'ACODE@200',
      'ZCODE@201',
      'DATA@202',
    ])
    expect(hex(r.image)).toBe('030102')
  })

  it('aligns a psect as its alignment attribute says (BYTE .. PAGE, or 0..9)', () => {
    const r = assemble(
      lines('\t.BYTE 1', '\t.PSECT D,LONG', 'd:\t.BYTE 2', '\t.PSECT E,PAGE', 'e:\t.BYTE 3'),
      {
        base: 0x1000,
      },
    )
    expect(r.symbols.get('D')).toBe(0x1004)
    expect(r.symbols.get('E')).toBe(0x1200)
  })

  it('an ABS psect defines offsets and holds no data', () => {
    const r = assemble(
      lines('\t.PSECT $OFFSETS,ABS', 'first:\t.BLKL 1', 'second:\t.BLKW 1', '\t.PSECT', '\tNOP'),
      {
        base: 0x1000,
      },
    )
    expect(r.symbols.get('FIRST')).toBe(0)
    expect(r.symbols.get('SECOND')).toBe(4)
    expect(hex(r.image)).toBe('01')
    expect(diagnostics('\t.PSECT X,ABS\n\t.BYTE 1')).toEqual([
      '2:2 no data may be placed in ABS psect X',
    ])
  })

  it('reports unknown attributes and a psect given again with other attributes', () => {
    expect(diagnostics('\t.PSECT X,FAST')).toEqual(['1:11 unknown psect attribute FAST'])
    expect(diagnostics('\t.PSECT X,NOWRT\n\t.PSECT X,WRT')).toEqual([
      '2:2 psect X given again with other attributes',
    ])
  })

  it('.SAVE_PSECT and .RESTORE_PSECT return to the psect saved', () => {
    const r = assemble(
      lines(
        '\t.PSECT A',
        '\t.SAVE_PSECT',
        '\t.PSECT B',
        'b:\t.BYTE 1',
        '\t.RESTORE_PSECT',
        'a:\t.BYTE 2',
      ),
      {
        base: 0,
      },
    )
    expect([r.symbols.get('A'), r.symbols.get('B')]).toEqual([0, 1])
    expect(diagnostics('\t.RESTORE_PSECT')).toEqual(['1:2 .RESTORE_PSECT without .SAVE_PSECT'])
  })
})

describe('.ASCID, .ENTRY, .GLOBAL/.EXTERNAL and the listing', () => {
  it('.ASCID makes a string descriptor (length, DTYPE_T 14, CLASS_S 1, address) and the string', () => {
    expect(hex(assemble('\t.ASCID /hi/', { base: 0x1000 }).image)).toBe(
      '02000e01' + '08100000' + '6869',
    )
  })

  it('.ENTRY stores the entry mask, IV and DV as bits 14 and 15, and defines a global', () => {
    const r = assemble('\t.ENTRY go,^M<R2,R11,IV,DV>\n\tRET', { base: 0x1000 })
    expect(hex(r.image)).toBe('04c804')
    expect(r.globals.has('GO')).toBe(true)
    expect(diagnostics('\t.ENTRY go,^M<AP>')).toEqual([
      '1:2 bits 12 and 13 of an entry mask (AP, FP) must be zero',
    ])
  })

  it('name:: and name == are global, as are names given to .GLOBAL', () => {
    const r = assemble('a:: NOP\nb == 2\nc = 3\nd: NOP\n\t.GLOBAL d', { base: 0 })
    expect([...r.globals].sort()).toEqual(['A', 'B', 'D'])
  })

  it('reports a bad name to .GLOBAL or .EXTERNAL; an external symbol has no value in an image', () => {
    expect(diagnostics('\t.GLOBAL a, 1b')).toEqual(["1:12 '1b' is not a symbol"])
    expect(diagnostics('\t.EXTERNAL ext\n\t.LONG ext')).toEqual(['2:2 undefined symbol EXT'])
    expect(assembleObject('\t.EXTERNAL ext\n\t.LONG ext').externals).toEqual(['EXT'])
  })

  it('.ERROR reports its line with its text', () => {
    expect(diagnostics('\t.IF NDF SIZE\n\t.ERROR ; SIZE must be defined\n\t.ENDC')).toEqual([
      '2:2 .ERROR ; SIZE must be defined',
    ])
  })

  it('the listing ends with the symbol table, globals marked G', () => {
    const listing = assemble('start:: NOP\nx = 5', { base: 0x1000 }).listing.split('\n')
    expect(listing).toContain(`START${' '.repeat(26)}  00001000  G`)
    expect(listing).toContain(`X${' '.repeat(30)}  00000005`)
    expect(listing).toContain('Symbol table')
  })
})

describe('object modules and link()', () => {
  const MAIN = lines(
    '\t.TITLE MAIN',
    '\t.PSECT CODE,NOWRT',
    'start::\tMOVL\tcount,R0',
    '\tCALLS\t#0,G^sub',
    '\tRET',
    '\t.PSECT DATA,NOEXE,LONG',
    'count:\t.LONG\tsub',
    '\t.END\tstart',
  )
  const SUB = lines('\t.TITLE SUB', '\t.PSECT CODE,NOWRT', '\t.ENTRY sub,^M<>', '\tRET')

  it('an object module holds psects, globals, externals and relocations', () => {
    const main = assembleObject(MAIN)
    expect(main.name).toBe('MAIN')
    expect(main.psects.map((p) => `${p.name}:${p.size}`)).toEqual(['CODE:15', 'DATA:4'])
    expect(main.globals).toEqual([{ name: 'START', psect: 'CODE', value: 0 }])
    expect(main.externals).toEqual(['SUB'])
    expect(main.entry).toEqual({ psect: 'CODE', offset: 0 })
    expect(
      main.relocations.map((r) => [r.psect, r.offset, r.size, r.pcRelative, r.target]),
    ).toEqual([
      ['CODE', 2, 4, true, { psect: 'DATA' }],
      ['CODE', 10, 4, true, { symbol: 'SUB' }],
      ['DATA', 0, 4, false, { symbol: 'SUB' }],
    ])
    // Relocated fields hold zeros until linked.
    expect(hex(main.psects[0]?.bytes ?? new Uint8Array())).toBe('d0ef0000000050fb00ef0000000004')
  })

  it('links modules: same-named psects concatenated, globals resolved, fields filled in', () => {
    const r = link([assembleObject(MAIN), assembleObject(SUB)], { base: 0x200 })
    expect(r.psects.map((p) => `${p.name}@${p.address.toString(16)}+${p.size}`)).toEqual([
      'CODE@200+18',
      'DATA@214+4',
    ])
    expect(r.symbols.get('SUB')).toBe(0x20f)
    expect(r.entry).toBe(0x200)
    // MOVL count,R0: 214 - 206; CALLS #0,sub: 20F - 20E; .LONG sub: 20F.
    expect(hex(r.image)).toBe('d0ef0e00000050fb00ef010000000400000400000f020000')
    expect(r.map).toContain('SUB                              0000020F')
  })

  it('a one-module link gives the bytes assemble() gives for the same source and base', () => {
    const source = lines(
      '\t.PSECT A,LONG',
      'x:\t.LONG y',
      '\t.PSECT B,WORD',
      'y:\t.WORD x',
      '\tBRB y',
    )
    expect(hex(link([assembleObject(source)], { base: 0x1000 }).image)).toBe(
      hex(assemble(source, { base: 0x1000 }).image),
    )
  })

  it('OVR psects overlay; CON ones are aligned contribution by contribution', () => {
    const common = (v: number) => `\t.PSECT COMMON,OVR,NOEXE\n\t.BYTE ${v},${v}`
    const r = link([
      assembleObject(common(1)),
      assembleObject('\t.PSECT COMMON,OVR,NOEXE\n\t.BYTE 2'),
    ])
    expect(hex(r.image)).toBe('0201')
    const con = (v: number) => `\t.PSECT C,LONG\n\t.BYTE ${v}`
    expect(hex(link([assembleObject(con(1)), assembleObject(con(2))], { base: 0 }).image)).toBe(
      '0100000002',
    )
  })

  it('reports undefined and multiply defined symbols, naming the modules', () => {
    const main = assembleObject(MAIN)
    const sub = assembleObject(SUB)
    expect(linkProblems([main])).toEqual(['MAIN: undefined symbol SUB (referenced on line 4)'])
    expect(linkProblems([main, sub, { ...sub, name: 'SUB2' }])).toEqual([
      'SUB2: symbol SUB is multiply defined (first in module SUB)',
    ])
  })

  it('reports a value that does not fit its field, and an unknown entry symbol', () => {
    const small = assembleObject('\t.BYTE far')
    const far = assembleObject('\t.PSECT F\n\t.BLKB 300\nfar::\tNOP')
    expect(linkProblems([small, far])[0]).toMatch(/value \^X32D does not fit the 1-byte field/)
    expect(() => link([far], { entry: 'nowhere' })).toThrow(
      'the entry symbol nowhere is not defined',
    )
  })

  it('refuses what cannot be relocated: a branch out of its psect, a quadword, a product', () => {
    const errors = (source: string) => {
      try {
        assembleObject(source)
      } catch (e) {
        if (e instanceof AssemblyError) return e.diagnostics.map((d) => d.message)
      }
      return []
    }
    expect(errors('\tBRB elsewhere')).toEqual(['operand 1 of BRB branches out of its psect'])
    expect(errors('\t.QUAD ext')).toEqual(['a 8-byte field cannot hold a relocatable value'])
    expect(errors('\t.LONG ext*2')).toEqual(['operator * on a relocatable value'])
  })

  it('psect attributes default as VAX MACRO gives them (REL CON EXE WRT RD NOSHR, BYTE)', () => {
    expect(assembleObject('\tNOP').psects[0]?.attributes).toEqual(DEFAULT_ATTRIBUTES)
    expect(DEFAULT_ATTRIBUTES).toMatchObject({
      abs: false,
      ovr: false,
      exe: true,
      wrt: true,
      align: 0,
    })
  })
})

describe('link() of modules not made by assembleObject', () => {
  it('reports a malformed module (sizes, psects, relocations) and links nothing', () => {
    const good = assembleObject('\t.PSECT P\nx::\t.LONG y\ny:\t.BYTE 1')
    const psect = good.psects[0]
    if (psect === undefined) throw new Error('no psect')
    const bad: ObjectModule = {
      ...good,
      psects: [{ ...psect, size: 10 }],
      relocations: [
        { ...(good.relocations[0] as ObjectModule['relocations'][number]), size: 3 as 4 },
      ],
    }
    expect(linkProblems([bad])).toEqual([
      '.MAIN.: psect P has a bad size or too few bytes',
      '.MAIN.: a relocation (line 2) is malformed',
    ])
    expect(linkProblems([good])).toEqual([])
  })
})
