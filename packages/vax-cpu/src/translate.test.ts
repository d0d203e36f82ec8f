import { describe, expect, it } from 'vitest'
import { Cpu } from './cpu'
import { lockstep } from './lockstep'
import { PhysicalMemory } from './memory'
import type { AddressTranslator } from './model'
import { PSL_T, SCB } from './psl'
import { translateBlock } from './translate'

/**
 * The block translator (translate.ts, block-cache.ts) against the interpreter: every
 * program runs both ways and must leave the same registers, PSL, memory and instruction
 * count (ARCHITECTURE.md: the interpreter is the reference). The programs loop, so that
 * their blocks become hot and run translated. Exceptions push PSL and PC through the SCB
 * (SRM "Exceptions and interrupts") to HALTs at HANDLERS + vector.
 */
const HANDLERS = 0x800
const CODE = 0x1000
const SIZE = 0x10000

function machine(code: number[], jit: boolean, options: { jitBlocks?: number } = {}): Cpu {
  const memory = new PhysicalMemory(SIZE)
  const view = new DataView(memory.bytes.buffer)
  for (let k = 0; k < 0x80; k++) view.setUint32(4 * k, HANDLERS + 4 * k, true)
  memory.load(CODE, Uint8Array.from(code))
  const cpu = new Cpu(memory, undefined, { jit, ...options })
  cpu.reset(CODE)
  cpu.r[14] = 0x8000
  cpu.fullPsl = 0x041f0000
  return cpu
}

const long = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]
/** @#address (absolute) specifier. */
const absolute = (address: number) => [0x9f, ...long(address)]

/** Runs `code` translated and interpreted; expects the same final state and returns both. */
function agree(code: number[], maxSteps = 100_000, setup: (cpu: Cpu) => void = () => {}) {
  const make = (jit: boolean) => {
    const cpu = machine(code, jit)
    setup(cpu)
    return cpu
  }
  const translated = make(true)
  const interpreted = make(false)
  const x = translated.run(maxSteps)
  const y = interpreted.run(maxSteps)
  expect(x).toEqual(y)
  expect(Array.from(translated.r)).toEqual(Array.from(interpreted.r))
  expect(translated.fullPsl).toBe(interpreted.fullPsl)
  expect(translated.instructions).toBe(interpreted.instructions)
  expect(Buffer.compare(translated.memory.bytes, interpreted.memory.bytes)).toBe(0)
  return { translated, interpreted }
}

describe('translated blocks run like the interpreter', () => {
  it('a register loop is translated and counts every instruction', () => {
    // MOVL #100,R6; CLRL R0; 10$: ADDL2 R6,R0; SOBGTR R6,10$; HALT
    const code = [0xd0, 0x8f, ...long(100), 0x56, 0xd4, 0x50, 0xc0, 0x56, 0x50, 0xf5, 0x56, 0xfa, 0]
    const { translated } = agree(code)
    expect(translated.r[0]).toBe(5050)
    const stats = translated.jitStatistics()
    expect(stats.enabled).toBe(true)
    expect(stats.compiled).toBeGreaterThan(0)
    expect(stats.translatedInstructions).toBeGreaterThan(100)
    expect(stats.lookups).toBeGreaterThan(0)
    expect(stats.hitRate).toBeLessThanOrEqual(1)
  })

  it('statistics are zero with translation off, and it can be switched at run time', () => {
    const code = [0xd0, 0x8f, ...long(1000), 0x56, 0xc0, 0x56, 0x50, 0xf5, 0x56, 0xfa, 0]
    const cpu = machine(code, false)
    expect(cpu.jitStatistics().compiled).toBe(0)
    cpu.run(500)
    cpu.jit = true
    cpu.run()
    expect(cpu.r[0]).toBe(500500)
    expect(cpu.jitStatistics().translatedInstructions).toBeGreaterThan(0)
    cpu.jit = false
    expect(cpu.jitStatistics().enabled).toBe(false)
  })

  it('a fault in the middle of a block backs up to its instruction and undoes (R2)+ (SRM faults)', () => {
    // MOVL #40,R6; 10$: MOVL #1,R0; MOVL (R2)+,R3; INCL R1; SOBGTR R6,10$; HALT
    // R2 walks off the end of memory on the 20th pass: machine check, vector 04.
    const code = [
      0xd0, 0x28, 0x56, 0xd0, 0x01, 0x50, 0xd0, 0x82, 0x53, 0xd6, 0x51, 0xf5, 0x56, 0xf5, 0,
    ]
    const { translated } = agree(code, 100_000, (cpu) => {
      cpu.r[2] = SIZE - 4 * 19
    })
    expect(translated.pc).toBe(HANDLERS + SCB.MACHINE_CHECK + 1)
    expect(translated.r[2]).toBe(SIZE) // the autoincrement of the faulting MOVL undone
    expect(translated.r[1]).toBe(19)
    expect(translated.jitStatistics().translatedInstructions).toBeGreaterThan(0)
  })

  it('an integer overflow trap is taken after the instruction, at the same count (SRM arithmetic traps)', () => {
    // BISPSW #IV; MOVL #^X7FFFFFF0,R0; 10$: INCL R0; NOP; BRB 10$
    const code = [0xb8, 0x20, 0xd0, 0x8f, ...long(0x7ffffff0), 0x50, 0xd6, 0x50, 0x01, 0x11, 0xfb]
    const { translated } = agree(code)
    expect(translated.pc).toBe(HANDLERS + SCB.ARITHMETIC + 1)
  })

  it('a device interrupt arrives between the same two instructions (SRM interrupts)', () => {
    // MTPR #0,#IPL; 10$: INCL R0; INCL R1; BRB 10$
    const code = [0xda, 0x00, 0x12, 0xd6, 0x50, 0xd6, 0x51, 0x11, 0xfa]
    const { translated } = agree(code, 100_000, (cpu) => {
      cpu.events.schedule(1001, () => cpu.requestInterrupt(0x15, 0x100))
    })
    expect(translated.pc).toBe(HANDLERS + 0x100 + 1)
    expect(translated.instructions).toBe(1002) // the handler's HALT is the 1002nd
  })

  it('with PSL<T> set every instruction traces through the interpreter (SRM trace)', () => {
    const code = [0xd0, 0x14, 0x56, 0xc0, 0x56, 0x50, 0xf5, 0x56, 0xfa, 0]
    const { translated } = agree(code, 100_000, (cpu) => {
      cpu.fullPsl = 0x041f0000 | PSL_T
    })
    expect(translated.pc).toBe(HANDLERS + SCB.TRACE + 1)
    expect(translated.jitStatistics().translatedInstructions).toBe(0)
  })

  it('agrees in lockstep, compared after every stretch of 1 to 7 instructions', () => {
    const code = [
      0xd0, 0x28, 0x56, 0xd0, 0x01, 0x50, 0xd0, 0x82, 0x53, 0xd6, 0x51, 0xf5, 0x56, 0xf5, 0,
    ]
    const mismatch = lockstep(
      (jit) => {
        const cpu = machine(code, jit)
        cpu.r[2] = 0x4000
        return cpu
      },
      { maxSteps: 400, maxChunk: 7 },
    )
    expect(mismatch).toBeUndefined()
  })
})

describe('control flow inside a block', () => {
  /** Lockstep over every stretch length from 1 to 9, so that a budget ends on every instruction. */
  function inLockstep(code: number[], setup: (cpu: Cpu) => void = () => {}) {
    for (const maxChunk of [1, 2, 3, 5, 9]) {
      const mismatch = lockstep(
        (jit) => {
          const cpu = machine(code, jit)
          setup(cpu)
          return cpu
        },
        { maxSteps: 3000, maxChunk },
      )
      expect(mismatch).toBeUndefined()
    }
  }

  it('a conditional branch forward within the block jumps in it and stops where the budget ends', () => {
    // MOVL #300,R6; 10$: BLBS R6,20$; INCL R0; INCL R1; 20$: INCL R2; SOBGTR R6,10$; HALT
    const code = [
      0xd0,
      0x8f,
      ...long(300),
      0x56,
      0xe8,
      0x56,
      0x04,
      0xd6,
      0x50,
      0xd6,
      0x51,
      0xd6,
      0x52,
    ]
    code.push(0xf5, 0x56, 0xf4, 0)
    inLockstep(code)
    const { translated } = agree(code)
    expect(Array.from(translated.r.slice(0, 3))).toEqual([150, 150, 300])
    // The loop ran inside one function: one lookup or so per pass would mean side exits.
    expect(translated.jitStatistics().lookups).toBeLessThan(100)
  })

  it('two forward branches whose ranges cross: one jumps inside, the other leaves the block', () => {
    // 10$: BLBS R6,20$; BLBC R7,30$; INCL R0; 20$: INCL R1; 30$: INCL R2; INCL R7; SOBGTR R6,10$; HALT
    const code = [0xd0, 0x8f, ...long(200), 0x56, 0xe8, 0x56, 0x05, 0xe9, 0x57, 0x04, 0xd6, 0x50]
    code.push(0xd6, 0x51, 0xd6, 0x52, 0xd6, 0x57, 0xf5, 0x56, 0xef, 0)
    inLockstep(code)
    agree(code)
  })

  it('a call to a procedure in the same page goes on in the block, and RET leaves it (SRM CALLS)', () => {
    // MOVL #200,R6; 10$: PUSHL R6; CALLS #1,sub; SOBGTR R6,10$; HALT;
    // sub: .WORD ^M<R2>; MOVL 4(AP),R2; ADDL2 R2,R0; RET
    const code = [0xd0, 0x8f, ...long(200), 0x56, 0xdd, 0x56, 0xfb, 0x01, 0xaf, 0x04, 0xf5, 0x56]
    code.push(0xf7, 0, 0x04, 0x00, 0xd0, 0xac, 0x04, 0x52, 0xc0, 0x52, 0x50, 0x04)
    inLockstep(code)
    const { translated } = agree(code)
    expect(translated.r[0]).toBe(20100)
  })

  it('CALLS and RET in line fall back to the full forms for an unaligned SP and a frame across pages (SRM CALLS, RET)', () => {
    // MOVL #40,R6; 10$: PUSHL R6 (kept: SP goes down a longword a pass); PUSHL R6;
    // CALLS #1,sub; BLBS R6,20$; SUBL2 #1,SP; CALLS #0,sub (SP unaligned); ADDL2 #1,SP;
    // 20$: SOBGTR R6,10$; HALT; sub: .WORD ^M<R2,R3,IV>; MOVL R6,R2; ADDL2 R2,R3;
    // ADDL2 R6,R0; RET. Mapped one to one, SP from 0x7E40: frames cross 0x7E00.
    const code = [0xd0, 0x8f, ...long(40), 0x56, 0xdd, 0x56, 0xdd, 0x56, 0xfb, 0x01, 0xaf, 17]
    code.push(0xe8, 0x56, 10, 0xc2, 0x01, 0x5e, 0xfb, 0x00, 0xaf, 7, 0xc0, 0x01, 0x5e)
    code.push(0xf5, 0x56, 0xe8, 0x00, 0x0c, 0x40, 0xd0, 0x56, 0x52, 0xc0, 0x52, 0x53)
    code.push(0xc0, 0x56, 0x50, 0x04)
    const setup = (cpu: Cpu) => {
      cpu.translator = remapping(-1, 0)
      cpu.mapen = true
      cpu.r[14] = 0x7e40
    }
    inLockstep(code, setup)
    const { translated } = agree(code, 100_000, setup)
    // Each pass adds R6 once, twice when it is even; RET restores R2 and R3.
    expect([translated.r[0], translated.r[2], translated.r[3]]).toEqual([1240, 0, 0])
  })

  it('RET shared by two procedures with different entry masks restores each its own (the in-line form checks its guess)', () => {
    // MOVL #50,R6; MOVAB tail,R5; 10$: CALLS #0,p1; CALLS #0,p2; SOBGTR R6,10$; HALT
    // p1: .WORD ^M<R2>; INCL R2; INCL R0; JMP (R5); p2: .WORD ^M<R3>; INCL R3; INCL R1;
    // JMP (R5); tail: INCL R4; RET
    const code = [0xd0, 0x32, 0x56, 0x9e, 0xaf, 29, 0x55, 0xfb, 0x00, 0xaf, 8, 0xfb, 0x00]
    code.push(0xaf, 12, 0xf5, 0x56, 0xf5, 0x00, 0x04, 0x00, 0xd6, 0x52, 0xd6, 0x50, 0x17)
    code.push(0x65, 0x08, 0x00, 0xd6, 0x53, 0xd6, 0x51, 0x17, 0x65, 0xd6, 0x54, 0x04)
    inLockstep(code)
    const { translated } = agree(code)
    expect(Array.from(translated.r.slice(0, 5))).toEqual([50, 50, 0, 0, 100])
  })

  it('RET from a followed call goes on after the CALLS, and leaves the block when it returns elsewhere (SRM RET)', () => {
    // MOVL #50,R6; 10$: CALLS #0,sub; INCL R1; 20$: SOBGTR R6,10$; HALT
    // sub: .WORD 0; CMPL R6,#25; BNEQ 30$; MOVAB 40$,16(FP) (a new saved PC); 30$: RET;
    // 40$: INCL R2; BRB 20$
    const code = [0xd0, 0x32, 0x56, 0xfb, 0x00, 0xaf, 6, 0xd6, 0x51, 0xf5, 0x56, 0xf7, 0x00]
    code.push(0x00, 0x00, 0xd1, 0x56, 0x19, 0x12, 5, 0x9e, 0xaf, 3, 0xad, 0x10, 0x04)
    code.push(0xd6, 0x52, 0x11, 0xeb)
    inLockstep(code)
    const { translated } = agree(code)
    expect([translated.r[1], translated.r[2]]).toEqual([49, 1])
  })

  it('RSB from a followed BSBB goes on after it, and leaves the block when it returns elsewhere', () => {
    // MOVL #50,R6; 10$: BSBB sub; INCL R1; 20$: SOBGTR R6,10$; HALT
    // sub: CMPL R6,#25; BNEQ 30$; MOVAB 40$,(SP) (a new return address); 30$: RSB;
    // 40$: INCL R2; BRB 20$
    const code = [0xd0, 0x32, 0x56, 0x10, 6, 0xd6, 0x51, 0xf5, 0x56, 0xf9, 0x00]
    code.push(0xd1, 0x56, 0x19, 0x12, 4, 0x9e, 0xaf, 2, 0x6e, 0x05, 0xd6, 0x52, 0x11, 0xee)
    inLockstep(code)
    const { translated } = agree(code)
    expect([translated.r[1], translated.r[2]]).toEqual([49, 1])
  })

  it('RET that restores PSL<T> stops the block: the next instruction traces (SRM trace)', () => {
    // MOVL #50,R6; 10$: CALLS #0,sub; INCL R1; SOBGTR R6,10$; HALT
    // sub: .WORD 0; CMPL R6,#25; BNEQ 30$; BISL2 #^X10,4(FP) (T in the saved PSW); 30$: RET
    const code = [0xd0, 0x32, 0x56, 0xfb, 0x00, 0xaf, 6, 0xd6, 0x51, 0xf5, 0x56, 0xf7, 0x00]
    code.push(0x00, 0x00, 0xd1, 0x56, 0x19, 0x12, 4, 0xc8, 0x10, 0xad, 0x04, 0x04)
    inLockstep(code)
    const { translated } = agree(code)
    expect(translated.pc).toBe(HANDLERS + SCB.TRACE + 1)
    expect(translated.r[1]).toBe(26)
  })

  it('condition codes left pending are the same wherever the run stops (lazy codes, C kept across MOVL and BICL)', () => {
    // MOVL #400,R6; 10$: ADDL2 R6,R0 (C from the add); MOVL R0,R1 (keeps C); BICL2 #^XFF,R1
    // (keeps C); MULL3 R6,R6,R2; CMPL R2,R0; BLEQ 20$; XORL2 R1,R3; 20$: ADWC #0,R4 (reads C);
    // SOBGTR R6,10$; HALT
    const code = [0xd0, 0x8f, ...long(400), 0x56, 0xc0, 0x56, 0x50, 0xd0, 0x50, 0x51, 0xca, 0x8f]
    code.push(...long(0xff), 0x51, 0xc5, 0x56, 0x56, 0x52, 0xd1, 0x52, 0x50, 0x15, 0x03, 0xcc, 0x51)
    code.push(0x53, 0xd8, 0x00, 0x54, 0xf5, 0x56, 0xe1, 0)
    inLockstep(code, (cpu) => {
      cpu.r[0] = 0x7fffff00
    })
    agree(code, 100_000, (cpu) => {
      cpu.r[0] = 0x7fffff00
    })
  })

  it('an integer overflow with PSW<IV> traps after the instruction whose codes were pending (SRM)', () => {
    // BISPSW #^X20 (IV); MOVL #50,R6; 10$: INCL R0; SOBGTR R6,10$; HALT, R0 reaching 2^31 - 1
    const code = [0xb8, 0x20, 0xd0, 0x32, 0x56, 0xd6, 0x50, 0xf5, 0x56, 0xfb, 0]
    inLockstep(code, (cpu) => {
      cpu.r[0] = 0x7fffffe0
    })
  })

  it('PUSHR and POPR of one register move it through the stack, codes untouched, and fault as the full form', () => {
    // MOVL #300,R6; 10$: ADDL2 R6,R3; PUSHR #^M<R3>; POPR #^M<R4>; SOBGTR R6,10$; HALT
    const code = [0xd0, 0x8f, ...long(300), 0x56, 0xc0, 0x56, 0x53, 0xbb, 0x08, 0xba, 0x10]
    code.push(0xf5, 0x56, 0xf6, 0)
    inLockstep(code)
    const { translated } = agree(code)
    expect(translated.r[4]).toBe(45150)
    // With SP at the end of memory, PUSHR faults (a machine check here) and SP stays.
    agree(code, 100_000, (cpu) => {
      cpu.r[14] = SIZE + 0x100
    })
  })

  it('a branch into the next page is not followed: the block ends at it', () => {
    // MOVL #50,R6; 10$: BRW to 11F8; at 11F8: BRB to 1202 (the next page);
    // 1202: INCL R0; DECL R6; BEQL 20$; BRW 10$; 20$: HALT
    const code = new Array(0x20c).fill(0x01) // NOPs
    code.splice(0, 10, 0xd0, 0x8f, ...long(50), 0x56, 0x31, 0xee, 0x01)
    code.splice(0x1f8, 2, 0x11, 0x08)
    code.splice(0x202, 10, 0xd6, 0x50, 0xd7, 0x56, 0x13, 0x03, 0x31, 0xfc, 0xfd, 0)
    inLockstep(code)
    const { translated } = agree(code)
    expect(translated.r[0]).toBe(50)
    expect(translated.jitStatistics().translatedInstructions).toBeGreaterThan(0)
  })
})

describe('self-modifying code (SRM: a write to the instruction stream is seen after it)', () => {
  it('an instruction rewrites the literal of one ahead of it in the same block', () => {
    // MOVL #20,R6; 10$: MOVB R6,@#patch; ADDL2 #0,R1 (patch: its literal); SOBGTR R6,10$; HALT
    const patch = CODE + 3 + 7 + 1
    const code = [
      0xd0,
      0x14,
      0x56,
      0x90,
      0x56,
      ...absolute(patch),
      0xc0,
      0x00,
      0x51,
      0xf5,
      0x56,
      0xf3,
      0,
    ]
    const { translated } = agree(code)
    expect(translated.r[1]).toBe(210) // 20 + 19 + ... + 1: every pass saw its own literal
  })

  it('a rewritten entry mask is the one the next CALLS uses (the block read it when translated)', () => {
    // MOVL #100,R6; 10$: CALLS #0,sub; CMPL R6,#50; BNEQ 20$; MOVW #^M<R3>,sub;
    // 20$: SOBGTR R6,10$; HALT; sub: .WORD ^M<R2>; INCL R3; RET
    const code = [0xd0, 0x8f, ...long(100), 0x56, 0xfb, 0x00, 0xaf, 13, 0xd1, 0x56, 0x32]
    code.push(0x12, 4, 0xb0, 0x08, 0xaf, 4, 0xf5, 0x56, 0xf0, 0x00, 0x04, 0x00, 0xd6, 0x53, 0x04)
    const { translated } = agree(code)
    // With R2 saved, R3 keeps each call's increment (51 calls); then RET restores it.
    expect(translated.r[3]).toBe(51)
    expect(translated.jitStatistics().invalidations).toBeGreaterThan(0)
  })

  it('a loop rewrites a subroutine in another page', () => {
    // MOVL #30,R6; 10$: MOVB R6,@#sub+1; JSB @#sub; SOBGTR R6,10$; HALT
    // sub (next page): ADDL2 #0,R1; RSB
    const sub = CODE + 0x200
    const code = [
      0xd0,
      0x1e,
      0x56,
      0x90,
      0x56,
      ...absolute(sub + 1),
      0x16,
      ...absolute(sub),
      0xf5,
      0x56,
      0xf0,
      0,
    ]
    const program = [...code, ...new Array(0x200 - code.length).fill(0), 0xc0, 0x00, 0x51, 0x05]
    const { translated } = agree(program)
    expect(translated.r[1]).toBe(465)
  })

  it('a write through a second virtual mapping of the same frame is seen', () => {
    // Pages: VA 0x1000 and VA 0x3000 both map to frame 8 (PA 0x1000); VA 0x800 to PA 0x800, and so on
    // (identity elsewhere). The loop writes its patch through VA 0x3000.
    const patch = CODE + 3 + 7 + 1
    const alias = patch + 0x2000
    const code = [
      0xd0,
      0x14,
      0x56,
      0x90,
      0x56,
      ...absolute(alias),
      0xc0,
      0x00,
      0x51,
      0xf5,
      0x56,
      0xf3,
      0,
    ]
    const { translated } = agree(code, 100_000, (cpu) => {
      cpu.translator = aliasing(0x3000 >>> 9, CODE >>> 9)
      cpu.mapen = true
    })
    expect(translated.r[1]).toBe(210)
    expect(translated.memory.bytes[patch]).toBe(1)
  })

  it('code loaded by the host (DMA, an image activation) replaces the old translation', () => {
    // MOVL #50,R6; 10$: ADDL2 #1,R1; SOBGTR R6,10$; HALT
    const code = [0xd0, 0x32, 0x56, 0xc0, 0x01, 0x51, 0xf5, 0x56, 0xfa, 0]
    const cpu = machine(code, true)
    cpu.run(60)
    cpu.memory.bytes[CODE + 4] = 0x02 // ADDL2 #2,R1 from now on
    cpu.run()
    const interpreted = machine(code, false)
    interpreted.run(60)
    interpreted.memory.bytes[CODE + 4] = 0x02
    interpreted.run()
    expect(cpu.r[1]).toBe(interpreted.r[1])
    expect(cpu.jitStatistics().invalidations).toBeGreaterThan(0)
  })
})

describe('remapping (SRM: TBIS/TBIA after a PTE change; LDPCTX)', () => {
  it('a virtual page remapped to another frame runs the code of the new frame', () => {
    // Frame 0x2000: MOVL #30,R6; 10$: ADDL2 #1,R1; SOBGTR R6,10$; HALT. Frame 0x4000: the
    // same with ADDL2 #2. VA 0x6000 maps to the first, then (a new TB generation) the second.
    const loop = (k: number) => [0xd0, 0x1e, 0x56, 0xc0, k, 0x51, 0xf5, 0x56, 0xfa, 0]
    const run = (jit: boolean) => {
      const cpu = machine([], jit)
      cpu.memory.load(0x2000, Uint8Array.from(loop(1)))
      cpu.memory.load(0x4000, Uint8Array.from(loop(2)))
      const mapping = remapping(0x6000 >>> 9, 0x2000 >>> 9)
      cpu.translator = mapping
      cpu.mapen = true
      cpu.pc = 0x6000
      cpu.run()
      mapping.frame = 0x4000 >>> 9
      mapping.generation++
      cpu.pc = 0x6000
      cpu.run()
      return cpu
    }
    const translated = run(true)
    expect(translated.r[1]).toBe(30 + 60)
    expect(translated.r[1]).toBe(run(false).r[1])
    expect(translated.jitStatistics().compiled).toBeGreaterThanOrEqual(2)
  })
})

describe('the cache of translations', () => {
  it('the same code on another machine gets the same, already compiled, block function', () => {
    const code = [0xd0, 0x8f, ...long(100), 0x56, 0xd4, 0x50, 0xc0, 0x56, 0x50, 0xf5, 0x56, 0xfa, 0]
    const first = translateBlock(machine(code, true), CODE, CODE)
    const second = translateBlock(machine(code, true), CODE, CODE)
    expect(first?.run).toBeDefined()
    expect(second?.run).toBe(first?.run)
    // Other bytes, another function (its first check compares them).
    const other = translateBlock(
      machine([...code.slice(0, 6), 0x57, ...code.slice(7)], true),
      CODE,
      CODE,
    )
    expect(other?.run).not.toBe(first?.run)
  })

  it('holds at most the bound given, emptying itself when full', () => {
    // Eight loops one after another, each hot: MOVL #40,R6; 10$: INCL R1; SOBGTR R6,10$ (x8); HALT
    const loop = [0xd0, 0x28, 0x56, 0xd6, 0x51, 0xf5, 0x56, 0xfb]
    const code = [...Array.from({ length: 8 }, () => loop).flat(), 0]
    const cpu = machine(code, true, { jitBlocks: 3 })
    cpu.run()
    expect(cpu.r[1]).toBe(320)
    const stats = cpu.jitStatistics()
    expect(stats.blocks).toBeLessThanOrEqual(3)
    expect(stats.flushes).toBeGreaterThan(0)
    expect(stats.compiled).toBeGreaterThan(3)
  })
})

/** Identity mapping, except that page `page` maps to frame `frame`, which may be changed. */
function remapping(
  page: number,
  frame: number,
): AddressTranslator & { frame: number; generation: number } {
  const mapping = {
    frame,
    generation: 0,
    translate: (va: number) => ((va >>> 9 === page ? mapping.frame : va >>> 9) << 9) | (va & 0x1ff),
    probe: () => true,
    invalidateAll: () => {},
    invalidateSingle: () => {},
    invalidateProcess: () => {},
    check: () => false,
  }
  return mapping
}

/** Identity mapping, except that page `alias` maps to the frame of page `frame`. */
function aliasing(alias: number, frame: number): AddressTranslator {
  return {
    generation: 0,
    translate: (va) => ((va >>> 9 === alias ? frame : va >>> 9) << 9) | (va & 0x1ff),
    probe: () => true,
    invalidateAll: () => {},
    invalidateSingle: () => {},
    invalidateProcess: () => {},
    check: () => false,
  }
}
