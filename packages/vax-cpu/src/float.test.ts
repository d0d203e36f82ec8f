import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cpu, VAX780 } from './cpu'
import { useFloatCore } from './float'
import { FLOAT_CORE_WASM } from './float-core-wasm'
import { PhysicalMemory } from './memory'

/**
 * EMODF (VAX SRM "EMOD"): mulr times muld, the integer part to int and the fraction to
 * fract. Operands: EMODF R1,#0,R2,R3,R4 (extension 0). F values as longwords: 1.5 is
 * 000040C0, 2.0 00004100, 2.75 00004130, 0.75 00004040, 2^40 00005480.
 */
function emodf(mulr: number, muld: number, psw = 0) {
  const memory = new PhysicalMemory(0x10000)
  memory.load(0x1000, Uint8Array.from([0x54, 0x51, 0x00, 0x52, 0x53, 0x54, 0x00]))
  const cpu = new Cpu(memory)
  cpu.reset(0x1000)
  cpu.r[1] = mulr
  cpu.r[2] = muld
  cpu.psl |= psw
  cpu.run(1)
  return { int: cpu.r[3], fract: (cpu.r[4] as number) >>> 0, cc: cpu.cc, trap: cpu.pendingTrap }
}

describe('EMODF (SRM)', () => {
  it('separates the product into its integer and fraction parts', () => {
    expect(emodf(0x40c0, 0x4100)).toEqual({ int: 3, fract: 0, cc: 4, trap: 0 }) // 1.5 * 2
    expect(emodf(0x4130, 0x4080)).toMatchObject({ int: 2, fract: 0x4040, cc: 0 }) // 2.75 * 1
  })

  it('a negative product gives a negative integer and fraction (N)', () => {
    expect(emodf(0xc130, 0x4080)).toMatchObject({ int: -2, fract: 0xc040, cc: 8 })
  })

  it('an integer part beyond a longword keeps its low 32 bits and sets V (with IV, the trap)', () => {
    expect(emodf(0x5480, 0x4080)).toEqual({ int: 0, fract: 0, cc: 6, trap: 0 })
    expect(emodf(0x5480, 0x4080, 0x20).trap).toBe(1) // integer overflow, taken before the next instruction
  })
})

/**
 * A 780 running `code` at 0x1000 with `registers` set, one instruction at a time until a
 * HALT; SCB vector k points at 0x800 + 4k, where a HALT waits (so the PC after a fault
 * is 0x801 + the vector).
 */
function run780(code: number[], registers: Record<number, number>, table: number[] = []) {
  const memory = new PhysicalMemory(0x10000)
  const view = new DataView(memory.bytes.buffer)
  for (let k = 0; k < 0x80; k++) view.setUint32(4 * k, 0x800 + 4 * k, true)
  memory.load(0x1000, Uint8Array.from([...code, 0x00]))
  for (const [k, v] of table.entries()) view.setUint32(0x3000 + 4 * k, v, true)
  const cpu = new Cpu(memory, VAX780)
  cpu.reset(0x1000)
  cpu.r[14] = 0x8000
  for (const [n, v] of Object.entries(registers)) cpu.r[Number(n)] = v
  const before = Array.from(cpu.r)
  cpu.run(100)
  const r = Array.from(cpu.r, (v) => v >>> 0)
  return { cpu, r, before: before.map((v) => v >>> 0), view }
}

const HALTED = 0x1000 + 1 // plus the instruction's length
const RESERVED_OPERAND = 0x801 + 0x18
const ARITHMETIC = 0x801 + 0x34

// F values: 1.0 00004080, 2.0 00004100, 3.0 00004140, 11.0 00004230.
// POLYF R1,S^#degree,@#^X3000 (55 51 dd 9F 00300000)
const polyf = (degree: number) => [0x55, 0x51, degree, 0x9f, 0x00, 0x30, 0x00, 0x00]
const POLYF = polyf(2)

describe('POLY (SRM "POLY")', () => {
  it("evaluates by Horner's method, highest-order coefficient first: R0 result, R1-R2 0, R3 past the table", () => {
    // 1*x^2 + 2*x + 3 at x = 2 is 11
    const { r, cpu } = run780(POLYF, { 1: 0x4100, 2: 7, 4: 9 }, [0x4080, 0x4100, 0x4140])
    expect(cpu.pc).toBe(HALTED + POLYF.length)
    expect(r.slice(0, 5)).toEqual([0x4230, 0, 0, 0x300c, 9]) // R4 untouched by POLYF
    expect(cpu.cc).toBe(0)
  })

  it('POLYD leaves the result in R0-R1, clears R2, R4 and R5, and R3 points past the table', () => {
    // POLYD R6,S^#2,@#^X3000 with x = 2.0 in R6-R7
    const code = [0x75, 0x56, 0x02, 0x9f, 0x00, 0x30, 0x00, 0x00]
    const table = [0x4080, 0, 0x4100, 0, 0x4140, 0]
    const { r } = run780(code, { 4: 9, 5: 9, 6: 0x4100, 7: 0 }, table)
    expect(r.slice(0, 6)).toEqual([0x4230, 0, 0, 0x3018, 0, 0])
  })

  it('degree 0 gives the first coefficient; a zero with a nonzero fraction becomes 0 (Z)', () => {
    const degree0 = [0x55, 0x51, 0x00, 0x9f, 0x00, 0x30, 0x00, 0x00]
    expect(run780(degree0, { 1: 0x4100 }, [0x4140]).r[0]).toBe(0x4140)
    const dirty = run780(degree0, { 1: 0x4100 }, [0x12340000 | 0x007f])
    expect(dirty.r[0]).toBe(0)
    expect(dirty.cpu.cc).toBe(4)
  })

  it('truncates each product to 31 fraction bits before adding (note 2): a cancellation shows it', () => {
    // x = C0 = 1 - 2^-24; C1 = -(1 - 2^-23). The exact x * C0 + C1 is 2^-48; with the
    // product truncated to 31 bits it is 0.
    const { r, cpu } = run780(polyf(1), { 1: 0xffff407f | 0 }, [0xffff407f, 0xfffec07f])
    expect(r[0]).toBe(0)
    expect(cpu.cc).toBe(4)
  })

  it('a degree over 31 is a reserved operand, and the registers are unchanged', () => {
    // POLYF R1,S^#32,@#^X3000
    const { r, before, cpu } = run780(polyf(32), { 1: 0x4100, 3: 5 }, [0x4080])
    expect(cpu.pc).toBe(RESERVED_OPERAND)
    expect(r.slice(0, 6)).toEqual(before.slice(0, 6))
  })

  it('a reserved coefficient is a reserved operand', () => {
    expect(run780(POLYF, { 1: 0x4100 }, [0x4080, 0x8000, 0x4140]).cpu.pc).toBe(RESERVED_OPERAND)
  })

  it('floating overflow faults at once; an underflow is 0, and a fault only with PSW<FU>', () => {
    // 2^126 * 2^126 overflows
    expect(run780(polyf(1), { 1: 0x7f80 }, [0x7f80, 0]).cpu.pc).toBe(ARITHMETIC)
    // 2^-126 * 2^-126 + 0 underflows to 0
    const quiet = run780(polyf(1), { 1: 0x0100 }, [0x0100, 0])
    expect(quiet.cpu.pc).toBe(HALTED + POLYF.length)
    expect(quiet.r[0]).toBe(0)
    // with FU (BISPSW #^X40 first): the floating underflow fault, code 10 (SRM)
    const faulting = run780([0xb8, 0x8f, 0x40, 0x00, ...polyf(1)], { 1: 0x0100 }, [0x0100, 0])
    expect(faulting.cpu.pc).toBe(ARITHMETIC)
    expect(faulting.view.getUint32(0x8000 - 12, true)).toBe(10)
  })
})

// H values as longwords: 1.0 is 00004001 0 0 0; 2^-113 00003F90 0 0 0; 1 + 2^-112 has
// 00010000 in its last longword.
describe('H floating on the 780 (SRM "Floating point instructions")', () => {
  it('ADDH3 rounds a tie away from zero: 1 + 2^-113 is 1 + 2^-112', () => {
    // ADDH3 R4,R8,R0
    const { r } = run780([0xfd, 0x61, 0x54, 0x58, 0x50], { 4: 0x4001, 8: 0x3f90 })
    expect(r.slice(0, 4)).toEqual([0x4001, 0, 0, 0x10000])
  })

  it('MULH3 and DIVH3: 1.5 * 1.5 = 2.25, 1 / 3 rounded to 113 bits', () => {
    // 1.5 = 00008001 (fraction .1 after the hidden bit); MULH3 R4,R4,R0
    expect(run780([0xfd, 0x65, 0x54, 0x54, 0x50], { 4: 0x80004001 | 0 }).r.slice(0, 4)).toEqual([
      0x20004002, 0, 0, 0,
    ])
    // DIVH3 R4,R8,R0 with R4 = 3.0, R8 = 1.0: 1/3 = 0.010101... = 0.10101...b x 2^-1
    const third = run780([0xfd, 0x67, 0x54, 0x58, 0x50], { 4: 0x80004002 | 0, 8: 0x4001 })
    expect(third.r.slice(0, 4)).toEqual([0x55553fff, 0x55555555, 0x55555555, 0x55555555])
  })

  it('CVTHF rounds to 24 bits, and an H value beyond F range is a floating overflow fault', () => {
    // CVTHF R4,R0 of 1 + 2^-24 (a tie for F): rounds up to 1 + 2^-23
    const tie = run780([0xfd, 0xf6, 0x54, 0x50], { 4: 0x4001, 5: 0x0100 })
    expect(tie.r[0]).toBe(0x00014080)
    const big = run780([0xfd, 0xf6, 0x54, 0x50], { 4: 0x4101 })
    expect(big.cpu.pc).toBe(ARITHMETIC)
  })

  it('MOVH of a reserved operand (sign 1, exponent 0) faults; MOVH of a dirty zero writes 0', () => {
    expect(run780([0xfd, 0x70, 0x54, 0x50], { 4: 0x8000 }).cpu.pc).toBe(RESERVED_OPERAND)
    const zero = run780([0xfd, 0x70, 0x54, 0x50], { 0: 9, 4: 0x12340000, 6: 7 })
    expect(zero.r.slice(0, 4)).toEqual([0, 0, 0, 0])
    expect(zero.cpu.cc).toBe(4)
  })

  it('EMODH: 1.5 * 3.0 = 4.5 gives int 4 and fract 0.5', () => {
    // EMODH R4,S^#0,R8,R0,@#^X3000
    const code = [0xfd, 0x74, 0x54, 0x00, 0x58, 0x50, 0x9f, 0x00, 0x30, 0x00, 0x00]
    const { r, view } = run780(code, { 4: 0x80004001 | 0, 8: 0x80004002 | 0 })
    expect(r[0]).toBe(4)
    expect(view.getUint32(0x3000, true)).toBe(0x4000) // 0.5
  })

  it('CVTRHL rounds half away from zero: -2.5 becomes -3', () => {
    // -2.5 = 0.101b x 2^2, negative: C002 with fraction .01 -> 4000 in the high word
    expect(run780([0xfd, 0x6b, 0x54, 0x50], { 4: 0x4000c002 }).r[0]).toBe(-3 >>> 0)
  })
})

/**
 * The fast path (float-core.wat, WebAssembly on 64-bit integers) against the definition
 * (float.ts on bigints, itself checked against SIMH by the differential suite): the same
 * instruction on the same operands, on a 780 with each, must leave the same registers,
 * condition codes, PC (a fault shows as the handler's HALT) and PSL.
 */
describe('F, D and G on the fast path agree with the bigint definition, bit for bit', () => {
  it('float-core-wasm.ts holds what float-core.wat compiles to (pnpm --filter @vax/cpu wasm)', async () => {
    const script = '../scripts/wasm.mjs'
    const { compileFloatCore } = (await import(script)) as { compileFloatCore: () => Uint8Array }
    expect(Buffer.from(compileFloatCore()).toString('base64')).toBe(FLOAT_CORE_WASM)
  })

  /** Format: its opcode group's first byte(s), exponent bits, fraction bits in the first word. */
  const FORMATS = {
    F: { prefix: [], arith: 0x40, other: 0x50, exponentBits: 8, topBits: 7, quad: false },
    D: { prefix: [], arith: 0x60, other: 0x70, exponentBits: 8, topBits: 7, quad: true },
    G: { prefix: [0xfd], arith: 0x40, other: 0x50, exponentBits: 11, topBits: 4, quad: true },
  } as const
  type Name = keyof typeof FORMATS

  /** A datum's longwords, biased to the edges: extreme and close exponents, zeros, reserved operands. */
  const datum = (name: Name) => {
    const { exponentBits, topBits } = FORMATS[name]
    const max = (1 << exponentBits) - 1
    const bias = 1 << (exponentBits - 1)
    const exponent = fc.oneof(
      fc.constantFrom(0, 1, 2, max - 1, max),
      fc.integer({ min: bias - 3, max: bias + 3 }),
      fc.integer({ min: bias - 40, max: bias + 40 }),
      fc.integer({ min: 0, max }),
    )
    const top = fc.oneof(
      fc.constantFrom(0, (1 << topBits) - 1),
      fc.integer({ min: 0, max: (1 << topBits) - 1 }),
    )
    const word = fc.oneof(fc.constantFrom(0, 0xffff, 0x8000), fc.integer({ min: 0, max: 0xffff }))
    const low = fc.oneof(
      fc.constantFrom(0, 0xffffffff, 0x80),
      fc.integer({ min: 0, max: 0xffffffff }),
    )
    return fc
      .tuple(fc.boolean(), exponent, top, word, low)
      .map(
        ([sign, e, t, w, l]) =>
          [(sign ? 0x8000 : 0) | (e << topBits) | t | (w << 16) | 0, l | 0] as const,
      )
  }

  /** Runs code with R0-R1, R2-R3, R4-R5 holding a, b, c and the table at 0x3000; one instruction. */
  function both(
    code: number[],
    a: readonly number[],
    b: readonly number[],
    c: readonly number[],
    fu: boolean,
    table: number[] = [],
  ) {
    const registers = { 0: a[0], 1: a[1], 2: b[0], 3: b[1], 4: c[0], 5: c[1], 6: 0x11, 7: 0x22 }
    const run = (core: boolean) => {
      useFloatCore(core)
      try {
        const prefix = fu ? [0xb8, 0x8f, 0x40, 0x00] : [] // BISPSW #^X40: PSW<FU>
        const { cpu, r } = run780([...prefix, ...code], registers as Record<number, number>, table)
        return { r, cc: cpu.cc, pc: cpu.pc, psl: cpu.psl >>> 0 }
      } finally {
        useFloatCore(true)
      }
    }
    expect(run(true)).toEqual(run(false))
  }

  const settings = { numRuns: 400 }

  for (const name of ['F', 'D', 'G'] as const) {
    const { prefix, arith, other } = FORMATS[name]
    it(`${name}: ADD, SUB and MUL in their 2- and 3-operand forms`, () => {
      fc.assert(
        fc.property(
          datum(name),
          datum(name),
          fc.integer({ min: 0, max: 5 }),
          fc.boolean(),
          (a, b, low, fu) => {
            // opcode R0,R2[,R4]
            both([...prefix, arith + low, 0x50, 0x52, ...(low & 1 ? [0x54] : [])], a, b, [0, 0], fu)
          },
        ),
        settings,
      )
    })

    it(`${name}: CMP, TST, MOV, MNEG and ACB`, () => {
      fc.assert(
        fc.property(
          datum(name),
          datum(name),
          datum(name),
          fc.constantFrom(0, 1, 2, 3, 0xf),
          (a, b, c, low) => {
            const group = low === 0xf ? arith : other
            const operands =
              low === 0xf ? [0x50, 0x52, 0x54, 0x10, 0x00] : low === 3 ? [0x50] : [0x50, 0x52]
            both([...prefix, group + low, ...operands], a, b, c, false)
          },
        ),
        settings,
      )
    })

    it(`${name}: POLY of degree 0 to 33 (over 31 is reserved) over random tables`, () => {
      fc.assert(
        fc.property(
          datum(name),
          fc.integer({ min: 0, max: 33 }),
          fc.array(datum(name), { minLength: 34, maxLength: 34 }),
          fc.boolean(),
          (x, degree, entries, fu) => {
            const table = entries.flatMap((e) => (FORMATS[name].quad ? [e[0], e[1]] : [e[0]]))
            // POLYx R0,S^#degree,@#^X3000
            both(
              [...prefix, other + 5, 0x50, degree, 0x9f, 0x00, 0x30, 0x00, 0x00],
              x,
              [0, 0],
              [0, 0],
              fu,
              table,
            )
          },
        ),
        { numRuns: 200 },
      )
    })
  }

  it('POLY whose table runs off the end of memory faults on the entry it cannot read, after earlier steps', () => {
    // The table at 0xFFF8 in 64 KB: POLYD reads one entry, then the next is nonexistent
    // memory (a machine check on the 780).
    const code = [0x75, 0x50, 0x03, 0x9f, 0xf8, 0xff, 0x00, 0x00]
    for (const first of [0x4080, 0x7f80, 0x8000]) {
      const run = (core: boolean) => {
        useFloatCore(core)
        try {
          const memory = new PhysicalMemory(0x10000)
          const view = new DataView(memory.bytes.buffer)
          for (let k = 0; k < 0x80; k++) view.setUint32(4 * k, 0x800 + 4 * k, true)
          memory.load(0x1000, Uint8Array.from([...code, 0x00]))
          view.setUint32(0xfff8, first, true)
          const cpu = new Cpu(memory, VAX780)
          cpu.reset(0x1000)
          cpu.r[14] = 0x8000
          cpu.r[0] = 0x7f80
          cpu.run(100)
          return { pc: cpu.pc, r: Array.from(cpu.r) }
        } finally {
          useFloatCore(true)
        }
      }
      expect(run(true)).toEqual(run(false))
    }
  })
})
