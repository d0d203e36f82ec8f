import { describe, expect, it } from 'vitest'
import { Cpu } from './cpu'
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
