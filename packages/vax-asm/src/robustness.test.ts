import { OPCODES, type Opcode, type OperandSpec } from '@vax/cpu'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AssemblyError,
  assemble,
  assembleObject,
  disassemble,
  EncodeError,
  encodeInstruction,
  LinkError,
  link,
  MAX_IMAGE_SIZE,
  type Specifier,
} from './index'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/** The text `vax disasm --source` prints for an image. */
const source = (image: Uint8Array, base: number) =>
  disassemble(image, base)
    .map((line) => `\t${line.text}`)
    .join('\n')

/** Assembling the disassembly of `image` at `base` gives `image` back. */
function roundTrips(image: Uint8Array, base: number): void {
  expect(hex(assemble(source(image, base), { base }).image)).toBe(hex(image))
}

/** assemble() returns, or throws AssemblyError: never another exception. */
function assemblesOrReports(text: string): void {
  try {
    assemble(text, { base: 0x1000 })
  } catch (e) {
    if (!(e instanceof AssemblyError)) throw e
    expect(e.diagnostics.length).toBeGreaterThan(0)
  }
}

/** Bases: the usual ones, any 32-bit address, and the top of the address space. */
const base = (length: number) =>
  fc.oneof(
    fc.constantFrom(0, 0x1000, 0x200),
    fc.integer({ min: 0, max: 2 ** 32 - 1 - length }),
    fc.constant(2 ** 32 - length),
  )

// Many short cases rather than one long run (each must leave the event loop soon).
const SEEDS = 8
const RUNS = Number(process.env.VAX_ASM_FUZZ_RUNS ?? 150)

describe('the disassembly of any bytes assembles back to them (README "round trip")', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`random byte arrays, seed ${seed}`, () => {
      fc.assert(
        fc.property(
          fc
            .uint8Array({ minLength: 1, maxLength: 48 })
            .chain((image) => fc.tuple(fc.constant(image), base(image.length))),
          ([image, at]) => roundTrips(image, at),
        ),
        { seed, numRuns: RUNS },
      )
    })
  }

  it('operands the assembler reads differently by default: literals in written operands, wrapped PC-relative targets, quadword and octaword immediates', () => {
    const cases: [number, number[]][] = [
      [0x1000, [0xd0, 0x50, 0x05]], // MOVL R0,S^#5 (a literal destination)
      [0x1000, [0xef, 0x01, 0x02, 0x03, 0x54]], // EXTZV #1,#2,S^#3,R4 (literal field base)
      [0x10, [0xd0, 0xaf, 0xe0, 0x50]], // MOVL B^-32(PC),R0: target below address 0
      [0xfffffff0, [0xd0, 0xaf, 0x20, 0x50]], // target past the top of the address space
      [0x10, [0x11, 0x80]], // BRB to an address below 0
      [0x1000, [0x7d, 0x8f, 1, 2, 3, 4, 5, 6, 7, 0xf8, 0x52]], // MOVQ I^#^XF807060504030201,R2
      [0x1000, [0xfd, 0x7d, 0x8f, ...Array.from({ length: 16 }, (_, i) => 0xf0 + (i % 16)), 0x52]],
      [0x1000, [0x70, 0x8f, 0xcd, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0x3e, 0x50]], // MOVD #0.1
      [0x1000, [0xfd]], // a two-byte opcode cut short
      [0x1000, [0xd0, 0x44, 0x45, 0x50]], // an index of an index: not an instruction
    ]
    for (const [at, bytes] of cases) roundTrips(Uint8Array.from(bytes), at)
  })
})

/** A specifier the encoder accepts for this operand (VAX SRM "Addressing modes"). */
function specifier(operand: OperandSpec, allowIndex = true): fc.Arbitrary<Specifier> {
  const reg = fc.integer({ min: 0, max: 14 })
  const target = fc.oneof(fc.integer({ min: 0, max: 0x3000 }), fc.nat({ max: 2 ** 32 - 1 }))
  if (operand.access === 'b') return target.map((t) => ({ kind: 'branch', target: t }))
  const size = fc.constantFrom(1 as const, 2 as const, 4 as const)
  const kinds: fc.Arbitrary<Specifier>[] = [
    fc.integer({ min: 0, max: 63 }).map((value) => ({ kind: 'literal', value })),
    fc
      .bigInt({ min: 0n, max: (1n << BigInt(operand.size * 8)) - 1n })
      .map((value) => ({ kind: 'immediate', value })),
    fc.integer({ min: 0, max: 15 }).map((r) => ({ kind: 'register', reg: r })),
    reg.map((r) => ({ kind: 'deferred', reg: r })),
    reg.map((r) => ({ kind: 'autodecrement', reg: r })),
    reg.map((r) => ({ kind: 'autoincrement', reg: r })),
    reg.map((r) => ({ kind: 'autoincrementDeferred', reg: r })),
    fc.nat({ max: 2 ** 32 - 1 }).map((address) => ({ kind: 'absolute', address })),
    fc.record({ reg, size, deferred: fc.boolean(), raw: fc.integer() }).map((d) => ({
      kind: 'displacement',
      reg: d.reg,
      size: d.size,
      deferred: d.deferred,
      displacement: d.size === 4 ? d.raw | 0 : (d.raw << (32 - 8 * d.size)) >> (32 - 8 * d.size),
    })),
    fc.record({ target, size, deferred: fc.boolean() }).map((r) => ({ kind: 'relative', ...r })),
  ]
  if (allowIndex) {
    kinds.push(
      fc
        .record({ base: specifier(operand, false), index: reg })
        .map((x) => ({ kind: 'index', ...x })),
    )
  }
  return fc.oneof(...kinds)
}

const instruction: fc.Arbitrary<{ op: Opcode; specifiers: Specifier[]; address: number }> = fc
  .constantFrom(...OPCODES)
  .chain((op) =>
    fc.record({
      op: fc.constant(op),
      specifiers: fc.tuple(...op.operands.map((o) => specifier(o))),
      address: fc.oneof(fc.constant(0x1000), fc.integer({ min: 0, max: 2 ** 32 - 64 })),
    }),
  )

describe('random valid instructions disassemble to text that assembles to the same bytes', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`seed ${seed}`, () => {
      fc.assert(
        fc.property(instruction, ({ op, specifiers, address }) => {
          let bytes: Uint8Array
          try {
            bytes = encodeInstruction(op, specifiers, address)
          } catch (e) {
            // A displacement that does not reach its target: not a valid instruction.
            if (e instanceof EncodeError) return
            throw e
          }
          const [first] = disassemble(bytes, address)
          expect(first?.text.split(' ')[0]).toBe(op.mnemonic)
          roundTrips(bytes, address)
        }),
        { seed, numRuns: RUNS },
      )
    })
  }
})

/** Pieces of MACRO-32, valid and not, for random lines. */
const FRAGMENTS = [
  'MOVL',
  'CASEL',
  'BRB',
  'MOVQ',
  'ADDF2',
  'EXTZV',
  'start:',
  'x::',
  '10$:',
  '10$',
  '#',
  'S^#',
  'I^#',
  'B^',
  'W^',
  'L^',
  '@',
  '@#',
  '^X',
  '^O',
  '^B',
  '^A/',
  '^M<R2,R3>',
  '^C',
  '(R1)',
  '-(SP)',
  '(R2)+',
  '[R3]',
  'R0',
  'PC',
  ',',
  '+',
  '-',
  '*',
  '/',
  '<',
  '>',
  '=',
  '. =',
  '.',
  ';',
  '"',
  ' ',
  '\t',
  '\n',
  '\r',
  '\f',
  '\u2028',
  '\u00a0',
  '0',
  '63',
  '1234',
  'FFFF',
  '99999999999999999999999999',
  '.BYTE',
  '.WORD',
  '.QUAD',
  '.ADDRESS',
  '.ASCII',
  '.ASCIC',
  '.BLKB',
  '.BLKO',
  '.ALIGN',
  'PAGE',
  '.ENTRY',
  '.END',
  '.TITLE',
  '__proto__',
  'constructor',
]

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join('')),
  fc
    .array(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 }), { maxLength: 10 })
    .map((lines) => lines.map((l) => `\t${l.join(' ')}`).join('\n')),
)

describe('assemble() of any text returns or throws AssemblyError', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`seed ${seed}`, () => {
      fc.assert(fc.property(text, assemblesOrReports), { seed, numRuns: RUNS })
    })
  }

  it('a CR inside a line, deep nesting and long expressions are reported, not thrown', () => {
    for (const bad of [
      '\tMOVL\r#1,R0',
      'x\r=1',
      `\t.LONG ${'-'.repeat(100_000)}1`,
      `\t.LONG ${'<'.repeat(100_000)}`,
      `\t.LONG ${Array(50_000).fill('1').join('+')}`,
      `\tMOVL ${'('.repeat(10_000)}R1${')'.repeat(10_000)},R0`,
      `\tMOVL ${'[R1]'.repeat(100_000)},R0`,
      `\t.LONG ${'9'.repeat(1_000_000)}`,
      `\t.LONG ^X${'F'.repeat(1_000_000)}`,
      `\t.LONG ^A/${'x'.repeat(1_000_000)}/`,
      '\t.BLKB 99999999999999999999999999',
      '\t.LONG ^X1@1000000000',
      '\t. = 1/0',
    ]) {
      assemblesOrReports(bad)
    }
  })

  it('accepts a CR as a blank inside a line and CRLF line ends', () => {
    expect(hex(assemble('\tMOVL #1,\tR0\r\n\tHALT\r\n').image)).toBe('d0015000')
  })
})

/** Macro, conditional and psect syntax, valid and not (README "Directives"). */
const MACRO_FRAGMENTS = [
  '.MACRO',
  '.ENDM',
  'M',
  'N',
  'A',
  'B=1',
  '?L',
  'L:',
  '.MCALL',
  '.MDELETE',
  '.IRP',
  '.IRPC',
  '.REPT',
  '.ENDR',
  '.IF',
  '.IIF',
  '.ENDC',
  '.IF_FALSE',
  '.IFF',
  '.IF_TRUE',
  '.IF_TRUE_FALSE',
  'EQ',
  'NE',
  'GT',
  'LE',
  'DF',
  'NDF',
  'B',
  'NB',
  'IDN',
  'DIF',
  '<',
  '>',
  "'",
  '\\',
  '^/',
  ',',
  '=',
  '.NARG',
  '.MEXIT',
  '.PSECT',
  'CODE',
  'ABS',
  'OVR',
  'LONG',
  'NOWRT',
  '.SAVE_PSECT',
  '.RESTORE_PSECT',
  '.ASCID',
  '/x/',
  '.ENTRY',
  '^M<IV,DV>',
  '.GLOBAL',
  '.EXTERNAL',
  'x::',
  'x',
  'y==',
  '30000$',
  '.ERROR',
  '.END',
  'MOVL',
  'BRB',
  '#1',
  'R0',
  '0',
  '2',
  '3',
]

const fragmentLines = (maxLength: number) =>
  fc
    .array(fc.array(fc.constantFrom(...MACRO_FRAGMENTS), { maxLength: 6 }), { maxLength })
    .map((lines) => lines.map((l) => `\t${l.join(' ')}`))

/** A macro definition with a random body, then random calls and lines. */
const structured = fc
  .record({
    formals: fc.constantFrom('', 'A', 'A,B=2', 'A,?L', 'A=<1,2>,B'),
    body: fragmentLines(5),
    opener: fc.constantFrom('', '\t.IF EQ 0', '\t.IRP X,<1,2>', '\t.REPT 2'),
    calls: fc.array(fc.constantFrom('\tM', '\tM 1', '\tM B=3', '\tM <R0>,R1', '\tM \\2', '\tM ,'), {
      maxLength: 4,
    }),
    rest: fragmentLines(4),
  })
  .map(({ formals, body, opener, calls, rest }) => {
    const closer = opener.includes('.IF') ? '\t.ENDC' : opener === '' ? '' : '\t.ENDR'
    return [`\t.MACRO M ${formals}`, opener, ...body, closer, '\t.ENDM', ...calls, ...rest].join(
      '\n',
    )
  })

const macroText = fc.oneof(
  fragmentLines(14).map((lines) => lines.join('\n')),
  structured,
)

/** assembleObject() and link() of any text return or throw AssemblyError / LinkError. */
function objectOrReports(text: string): void {
  let object: ReturnType<typeof assembleObject>
  try {
    object = assembleObject(text)
  } catch (e) {
    if (!(e instanceof AssemblyError)) throw e
    return
  }
  try {
    link([object, object])
  } catch (e) {
    if (!(e instanceof LinkError)) throw e
  }
}

describe('macro and conditional syntax: assemble() returns or throws AssemblyError', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`assemble, seed ${seed}`, () => {
      fc.assert(fc.property(macroText, assemblesOrReports), { seed, numRuns: RUNS })
    })
    it(`assembleObject and link, seed ${seed}`, () => {
      fc.assert(fc.property(macroText, objectOrReports), { seed, numRuns: RUNS })
    })
  }

  it('link() of modules with random sizes, offsets and addends returns or throws LinkError', () => {
    const object = assembleObject(
      '\t.PSECT P,LONG\nx::\t.LONG y,x\ny:\tMOVL z,R0\n\t.PSECT Q\nz:\t.WORD x',
    )
    const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 32, 2 ** 53))
    fc.assert(
      fc.property(
        fc.record({
          size: number,
          offset: number,
          addend: number,
          value: number,
          base: fc.nat({ max: 2 ** 32 - 1 }),
        }),
        ({ size, offset, addend, value, base: at }) => {
          const [first, ...others] = object.psects
          const [r, ...rest] = object.relocations
          if (first === undefined || r === undefined) throw new Error('no psect')
          const mutated = {
            ...object,
            psects: [{ ...first, size }, ...others],
            relocations: [{ ...r, offset, addend }, ...rest],
            globals: object.globals.map((g) => ({ ...g, value })),
          }
          try {
            link([mutated, object], { base: at })
          } catch (e) {
            if (!(e instanceof LinkError)) throw e
          }
        },
      ),
      { seed: 1, numRuns: RUNS },
    )
  })

  it('recursive and runaway expansions end with a diagnostic', () => {
    for (const bad of [
      '\t.MACRO M\n\tM\n\t.ENDM\n\tM',
      "\t.MACRO M A\n\tM <A'A'A>\n\t.ENDM\n\tM x",
      '\t.REPT 100000000\n\t.REPT 100000000\n\t.BYTE 1\n\t.ENDR\n\t.ENDR',
      `\t${'.IIF EQ 0, '.repeat(10_000)}NOP`,
      `${'\t.IF EQ 0\n'.repeat(10_000)}`,
      `\t.MACRO M ${Array.from({ length: 5000 }, (_, i) => `A${i}`).join(',')}\n\t.ENDM\n\tM`,
    ]) {
      assemblesOrReports(bad)
    }
  })
})

describe('image size (README "Limits")', () => {
  const diagnostics = (text: string) => {
    try {
      assemble(text, { base: 0x1000 })
    } catch (e) {
      if (e instanceof AssemblyError) return e.diagnostics.map((d) => `${d.line}: ${d.message}`)
    }
    return []
  }

  it('zero-fills a large .BLKB without per-byte work, and lists it by its address only', () => {
    const small = assemble('\t.BLKB 200000\n\tHALT', { base: 0x1000 })
    expect(small.image.length).toBe(200_001)
    const large = assemble('\tHALT\n\t.BLKB 50000000\n\t.BYTE 7', { base: 0 })
    expect(large.image.length).toBe(50_000_002)
    expect(large.image[50_000_001]).toBe(7)
    expect(large.image.subarray(1, 1000).every((b) => b === 0)).toBe(true)
    expect(large.listing.split('\n')[1]).toBe(`    2  00000001  ${''.padEnd(24)}  \t.BLKB 50000000`)
  })

  it('refuses an image beyond 64 MiB, naming the line, once', () => {
    expect(MAX_IMAGE_SIZE).toBe(64 * 1024 * 1024)
    expect(diagnostics('\tNOP\n\t.BLKB 500000000\n\tHALT\n\tHALT')).toEqual([
      '2: 500000000 byte(s) at ^X1001 reach beyond the 64 MiB image maximum (base ^X1000)',
    ])
    expect(assemble(`\t.BLKB ${MAX_IMAGE_SIZE}`).image.length).toBe(MAX_IMAGE_SIZE)
    expect(diagnostics(`\t.BLKB ${MAX_IMAGE_SIZE - 0x1000}\n\t.BYTE 1`)).toEqual([])
    expect(diagnostics(`\t.BLKB ${MAX_IMAGE_SIZE}\n\t.BYTE 1`)[0]).toMatch(/^2: 1 byte\(s\)/)
  })

  it('refuses bytes past the 32-bit address space and below the base', () => {
    expect(diagnostics('\t. = ^XFFFFFFFE\n\t.LONG 1')).toEqual([
      '2: 4 byte(s) at ^XFFFFFFFE reach beyond the 32-bit address space',
    ])
    expect(diagnostics('\t. = 0\n\t.BYTE 1')).toEqual(['2: code below the base address ^X1000'])
    expect(diagnostics('\t.BLKB -1')[0]).toMatch(/^1: block size -1 is not a count/)
  })

  it('reports a statement that overwrites bytes placed before it, once', () => {
    expect(diagnostics('\t.LONG 1\n\t. = . - 2\n\t.LONG 2')).toEqual([
      '3: overwrites address ^X1002',
    ])
  })

  it('keeps every digit of a quadword (.QUAD and immediates)', () => {
    const r = assemble('\t.QUAD ^XFEDCBA9876543210\n\tMOVQ #-2,R0', { base: 0 })
    expect(hex(r.image)).toBe('1032547698badcfe' + '7d8ffeffffffffffffff50')
    expect(diagnostics('\t.QUAD ^X1FEDCBA9876543210')[0]).toMatch(/does not fit in 8 byte/)
    // ^C complements a longword, as before exact values: ^C^XFFFFFFFF is 0.
    expect(hex(assemble('\t.LONG ^C^XFFFFFFFF,^C1\n\t.QUAD ^C0').image)).toBe(
      '00000000' + 'feffffff' + 'ffffffffffffffff',
    )
  })
})
