import { describe, expect, it } from 'vitest'
import { Cpu, KA655, VAX780 } from './cpu'
import { VaxException } from './exceptions'
import { PhysicalMemory } from './memory'
import { PSL_FPD, PSL_IV, RESET_PSL, SCB } from './psl'

/**
 * Exceptions and traps taken through the SCB (VAX SRM "Exceptions and interrupts";
 * book 4.2 for the frames VMS sees). Programs are hand-assembled bytes; the
 * differential tests against SIMH cover the instruction set at large.
 */
const CODE = 0x1000
const HANDLERS = 0x800
const STACK = 0x8000

/** A machine whose SCB vector k points at HANDLERS + 4k, where a HALT waits. */
function machine(code: number[], options: { memory?: number; model?: typeof KA655 } = {}) {
  const memory = new PhysicalMemory(options.memory ?? 0x10000)
  const view = new DataView(memory.bytes.buffer)
  for (let k = 0; k < 0x80; k++) view.setUint32(4 * k, HANDLERS + 4 * k, true)
  memory.load(CODE, Uint8Array.from(code))
  const cpu = new Cpu(memory, options.model ?? KA655)
  cpu.reset(CODE)
  cpu.r[14] = STACK
  const stack = (offset: number) => view.getUint32(STACK - offset, true)
  return { cpu, memory, view, stack }
}

/** The PC after the handler's HALT for an exception through `vector`. */
const handled = (vector: number) => HANDLERS + vector + 1

describe('reset and HALT', () => {
  it('starts like a reset MicroVAX 3900 and reports the PC after the HALT', () => {
    const { cpu } = machine([0xd0, 0x01, 0x50, 0x00]) // MOVL #1,R0; HALT
    expect(cpu.fullPsl).toBe(RESET_PSL)
    const result = cpu.run()
    expect(result).toEqual({ reason: 'HALT', detail: 'HALT', steps: 2 })
    expect(cpu.pc).toBe(CODE + 4)
    expect(cpu.r[0]).toBe(1)
  })

  it('stops after --max-steps instructions', () => {
    const { cpu } = machine([0x11, 0xfe]) // BRB .
    expect(cpu.run(1000)).toMatchObject({ reason: 'max-steps', steps: 1000 })
  })
})

describe('faults back up the PC and restore autoincremented registers', () => {
  it('reserved operand: EXTZV with a size of 33 (SRM bit field rules)', () => {
    // EXTZV #0,#33,(R1)+,R2 -- size > 32 is a reserved operand fault
    const { cpu, stack } = machine([0xef, 0x00, 0x8f, 0x21, 0x81, 0x52, 0x00])
    cpu.r[1] = 0x4000
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.RESERVED_OPERAND))
    expect(stack(8)).toBe(CODE) // saved PC: the faulting instruction
    expect(stack(4)).toBe(RESET_PSL) // saved PSL
    expect(cpu.r[1]).toBe(0x4000) // (R1)+ undone
    expect(cpu.r[14]).toBe(STACK - 8)
  })

  it('reserved addressing mode: a short literal as a destination', () => {
    const { cpu, stack } = machine([0xd0, 0x50, 0x05, 0x00]) // MOVL R0,#5
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.RESERVED_ADDRESSING_MODE))
    expect(stack(8)).toBe(CODE)
  })

  it('reserved instruction: an unassigned opcode', () => {
    const { cpu, stack } = machine([0x57])
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.RESERVED_INSTRUCTION))
    expect(stack(8)).toBe(CODE)
  })

  // SRM "HALT": in any mode but kernel, HALT is a privileged instruction, which takes
  // the reserved-instruction fault (SCB 0x10) instead of halting.
  for (const [mode, name] of [
    [1, 'executive'],
    [2, 'supervisor'],
    [3, 'user'],
  ] as const) {
    it(`reserved instruction: HALT in ${name} mode faults to kernel, saving that mode`, () => {
      const { cpu, stack } = machine([0x00])
      const psl = ((mode << 24) | (mode << 22)) >>> 0 // current and previous mode, IPL 0
      cpu.fullPsl = psl
      cpu.stack[0] = STACK // the kernel stack pointer, loaded when the fault enters kernel
      cpu.r[14] = 0x6000 // this mode's stack
      const result = cpu.run()
      expect(result.reason).toBe('HALT') // the handler's own HALT, in kernel mode
      expect(cpu.pc).toBe(handled(SCB.RESERVED_INSTRUCTION))
      expect(stack(8)).toBe(CODE) // a fault: the saved PC is the HALT's
      expect(stack(4)).toBe(psl) // the saved PSL is the mode that tried
      expect(cpu.r[14]).toBe(STACK - 8)
      expect(cpu.stack[mode]).toBe(0x6000)
    })
  }

  it('breakpoint (BPT) is a fault with the BPT address saved', () => {
    const { cpu, stack } = machine([0x01, 0x03, 0x00]) // NOP; BPT
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.BREAKPOINT))
    expect(stack(8)).toBe(CODE + 1)
  })
})

describe('arithmetic traps (SRM "Arithmetic traps"; type code pushed last)', () => {
  const addl3 = [0xc1, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x01, 0x50, 0x00] // ADDL3 #7FFFFFFF,#1,R0; HALT

  it('integer overflow sets V and traps only with PSW<IV>', () => {
    const quiet = machine(addl3)
    quiet.cpu.run()
    expect(quiet.cpu.pc).toBe(CODE + 9)
    expect(quiet.cpu.r[0]).toBe(-0x80000000)
    expect(quiet.cpu.cc & 2).toBe(2)

    const trapping = machine(addl3)
    trapping.cpu.psl |= PSL_IV
    trapping.cpu.run()
    expect(trapping.cpu.pc).toBe(handled(SCB.ARITHMETIC))
    expect(trapping.stack(12)).toBe(1) // integer overflow
    expect(trapping.stack(8)).toBe(CODE + 8) // a trap: the next instruction
    expect(trapping.stack(4) & 0xf).toBe(0xa) // N and V in the saved PSL
  })

  it('divide by zero always traps, with the dividend as the quotient', () => {
    const { cpu, stack } = machine([0xc6, 0x00, 0x50, 0x00]) // DIVL2 #0,R0
    cpu.r[0] = 1234
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.ARITHMETIC))
    expect(stack(12)).toBe(2)
    expect(cpu.r[0]).toBe(1234)
  })

  it('INDEX traps on a subscript outside its bounds', () => {
    // INDEX #12,#0,#9,#4,#0,R1
    const { cpu, stack } = machine([0x0a, 0x0c, 0x00, 0x09, 0x04, 0x00, 0x51, 0x00])
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.ARITHMETIC))
    expect(stack(12)).toBe(7)
    expect(cpu.r[1]).toBe(48)
  })
})

describe('CALLS and RET (SRM "Procedure call instructions", book 4.1 call frame)', () => {
  it('builds the frame at FP and RET unwinds it, popping the arguments', () => {
    // PUSHL #7; CALLS #1,@#2000; HALT -- procedure: .WORD ^M<R2,R3>; MOVL 4(AP),R2; RET
    const { cpu, memory, view } = machine([
      0xdd, 0x07, 0xfb, 0x01, 0x9f, 0x00, 0x20, 0x00, 0x00, 0x00,
    ])
    memory.load(0x2000, Uint8Array.from([0x0c, 0x00, 0xd0, 0xac, 0x04, 0x52, 0x04]))
    cpu.r[2] = 22
    cpu.r[3] = 33
    cpu.r[12] = 0x111
    cpu.r[13] = 0x222
    cpu.run(3) // PUSHL, CALLS, MOVL: now inside the procedure
    const fp = cpu.r[13] as number
    expect(view.getUint32(fp, true)).toBe(0) // condition handler
    expect(view.getUint32(fp + 4, true)).toBe((1 << 29) | (0x0c << 16)) // S, mask, SPA 0, PSW
    expect(view.getUint32(fp + 8, true)).toBe(0x111) // saved AP
    expect(view.getUint32(fp + 12, true)).toBe(0x222) // saved FP
    expect(view.getUint32(fp + 16, true)).toBe(CODE + 9) // return PC
    expect(view.getUint32(fp + 20, true)).toBe(22) // R2
    expect(view.getUint32(fp + 24, true)).toBe(33) // R3
    expect(view.getUint32(fp + 28, true)).toBe(1) // argument count
    expect(cpu.r[12]).toBe(fp + 28) // AP
    expect(cpu.r[2]).toBe(7)
    cpu.run()
    expect(cpu.pc).toBe(CODE + 10)
    expect([cpu.r[2], cpu.r[3], cpu.r[12], cpu.r[13], cpu.r[14]]).toEqual([
      22,
      33,
      0x111,
      0x222,
      STACK,
    ])
  })
})

describe('CALLS and RET with a frame across two pages (memory management on)', () => {
  // PUSHL #7; CALLS #1,@#2000; HALT -- procedure: .WORD ^M<R2,R3>; MOVL 4(AP),R2; RET
  const program = [0xdd, 0x07, 0xfb, 0x01, 0x9f, 0x00, 0x20, 0x00, 0x00, 0x00]
  const procedure = [0x0c, 0x00, 0xd0, 0xac, 0x04, 0x52, 0x04]

  /**
   * Identity mapping except page 0x7E00, which maps to frame 0xA000 (so that the frame's
   * two parts lie apart in memory); user-mode reads or writes of page `rule.page`
   * violate access when set.
   */
  function guarded(code: number[]) {
    const m = machine(code)
    m.memory.load(0x2000, Uint8Array.from(procedure))
    const rule = { page: -1, write: true, generation: 0 }
    m.cpu.translator = {
      get generation() {
        return rule.generation
      },
      translate: (va, write, mode) => {
        if (mode === 3 && va >>> 9 === rule.page && write === rule.write)
          throw new VaxException(SCB.ACCESS_VIOLATION, 'fault', [va | 0, write ? 4 : 0])
        return va >>> 9 === 0x7e00 >>> 9 ? 0xa000 | (va & 0x1ff) : va
      },
      probe: () => true,
      invalidateAll: () => {},
      invalidateSingle: () => {},
      invalidateProcess: () => {},
      check: () => false,
    }
    m.cpu.mapen = true
    return { ...m, rule }
  }

  /** The access violation's parameters on the kernel stack: [reason, address]. */
  const violation = (cpu: Cpu) => {
    expect(cpu.pc).toBe(handled(SCB.ACCESS_VIOLATION))
    const sp = cpu.r[14] as number
    return [cpu.read32(sp), cpu.read32(sp + 4) >>> 0]
  }

  it('is built and unwound as one in one page is', () => {
    const { cpu, view } = guarded(program)
    cpu.r[14] = 0x7e10 // the 32-byte frame goes from 0x7DEC to 0x7E0C
    cpu.r[2] = 22
    cpu.r[3] = 33
    cpu.r[13] = 0x222
    cpu.run(3)
    const fp = cpu.r[13] as number
    expect(fp).toBe(0x7dec)
    expect(view.getUint32(fp + 4, true)).toBe((1 << 29) | (0x0c << 16))
    expect(view.getUint32(fp + 16, true)).toBe(CODE + 9) // return PC, below the page end
    expect(view.getUint32(0xa000, true)).toBe(22) // R2 at 0x7E00, in the next page's frame
    expect(view.getUint32(0xa004, true)).toBe(33) // R3
    expect(view.getUint32(0xa008, true)).toBe(1) // argument count
    cpu.run()
    expect(cpu.pc).toBe(CODE + 10)
    expect([cpu.r[2], cpu.r[3], cpu.r[13], cpu.r[14]]).toEqual([22, 33, 0x222, 0x7e10])
  })

  it('CALLS into a page it may not write: access violation at SP-4, nothing written', () => {
    // CALLS #0,@#2000 from user mode, SP 0x7E08: the frame's top is in page 0x7E00.
    const { cpu, view, rule } = guarded([0xfb, 0x00, 0x9f, 0x00, 0x20, 0x00, 0x00, 0x00])
    cpu.stack[0] = 0x6000
    cpu.fullPsl = 0x03c00000
    cpu.r[14] = 0x7e08
    rule.page = 0x7e00 >>> 9
    cpu.run(100)
    expect(violation(cpu)).toEqual([4, 0x7e04])
    for (let a = 0x7de8; a < 0x7e00; a += 4) expect(view.getUint32(a, true)).toBe(0)
    for (let a = 0xa000; a < 0xa008; a += 4) expect(view.getUint32(a, true)).toBe(0)
    expect(cpu.stack[3]).toBe(0x7e08)
  })

  it('RET from a page it may not read: access violation at the page start, nothing restored', () => {
    // CALLS #0,@#2000; HALT -- procedure: .WORD ^M<R2,R3>; RET (read-protected by then)
    const { cpu, rule } = guarded([0xfb, 0x00, 0x9f, 0x00, 0x20, 0x00, 0x00, 0x00])
    cpu.memory.load(0x2000, Uint8Array.from([0x0c, 0x00, 0x04]))
    cpu.stack[0] = 0x6000
    cpu.fullPsl = 0x03c00000
    cpu.r[14] = 0x7e08
    cpu.run(1)
    const fp = cpu.r[13] as number
    expect(fp).toBe(0x7de8)
    rule.page = 0x7e00 >>> 9
    rule.write = false
    rule.generation++
    cpu.r[2] = 5
    cpu.run(100)
    expect(violation(cpu)).toEqual([0, 0x7e00])
    expect([cpu.r[2], cpu.r[13]]).toEqual([5, fp])
  })
})

describe('interruptible string instructions (PSL<FPD>)', () => {
  it('a MOVC3 that faults midway keeps its progress in R0-R5 with FPD set', () => {
    // MOVC3 #100,@#FFF0,@#4000 in 64 KB: the source runs off the end of memory.
    const code = [0x28, 0x8f, 100, 0, 0x9f, 0xf0, 0xff, 0, 0, 0x9f, 0, 0x40, 0, 0, 0x00]
    const { cpu, stack } = machine(code)
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.MACHINE_CHECK))
    expect(cpu.r[1]).toBe(0x10000) // 16 bytes moved
    expect(cpu.r[3]).toBe(0x4010)
    expect((cpu.r[0] as number) & 0xffff).toBe(100) // initial length, packed with the PC delta
    expect(cpu.r[2]).toBe(84) // still to move
    expect(stack(4) & PSL_FPD).toBe(PSL_FPD) // saved PSL, then PC, then the 4 parameters
    expect(stack(8)).toBe(CODE) // restarts at the MOVC3, which resumes from R0-R5
  })
})

describe('the KA655 emulates the string and decimal extensions (MicroVAX subset)', () => {
  it('CVTPL takes the emulated-instruction exception with the 12-longword frame', () => {
    // CVTPL #3,@#3000,R5
    const { cpu, stack } = machine([0x36, 0x03, 0x9f, 0x00, 0x30, 0x00, 0x00, 0x55, 0x00])
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.EMULATE))
    expect(cpu.r[14]).toBe(STACK - 48)
    expect(stack(48)).toBe(0x36) // opcode
    expect(stack(44)).toBe(CODE) // PC of the instruction
    expect(stack(40)).toBe(3) // operands: length, address,
    expect(stack(36)).toBe(0x3000)
    expect(stack(32)).toBe(~5 >>> 0) // register destination as its complement
    expect(stack(8)).toBe(CODE + 8) // next PC
    expect(stack(4)).toBe(RESET_PSL)
  })

  it('a VAX-11/780 model has no emulation trap: it executes CVTPL and H floating', () => {
    // CVTPL #3,@#^X3000,R5 with 123 (12 3C) at 0x3000, then HALT
    const cvtpl = machine([0x36, 0x03, 0x9f, 0x00, 0x30, 0x00, 0x00, 0x55, 0x00], {
      model: VAX780,
    })
    cvtpl.memory.load(0x3000, Uint8Array.from([0x12, 0x3c]))
    cvtpl.cpu.run()
    expect(cvtpl.cpu.pc).toBe(CODE + 9)
    expect(cvtpl.cpu.r[5]).toBe(123)
    // ADDH2 R0,R4: R0-R3 and R4-R7 are zero, so the sum is zero, and the HALT is reached
    const addh2 = machine([0xfd, 0x60, 0x50, 0x54, 0x00], { model: VAX780 })
    addh2.cpu.run()
    expect(addh2.cpu.pc).toBe(CODE + 5)
  })

  it('a KA655 takes a reserved-instruction fault on H floating and octaword (as a MicroVAX 3900)', () => {
    for (const code of [
      [0xfd, 0x60, 0x50, 0x54], // ADDH2 R0,R4
      [0xfd, 0x7c, 0x50], // CLRO R0
      [0xfd, 0x7d, 0x50, 0x54], // MOVO R0,R4
      [0xfd, 0x7f, 0x60], // PUSHAO (R0)
    ]) {
      const { cpu } = machine([...code, 0x00])
      cpu.run()
      expect(cpu.pc).toBe(handled(SCB.RESERVED_INSTRUCTION))
    }
  })
})

describe('guest code cannot crash the host', () => {
  // 20,000 sequences in batches of 2,500 (one seed each), so no test holds the worker long.
  const outcomes = new Set<string>()
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'batch %i: 2,500 random byte sequences each end in a halt, an exception or the step limit',
    (batch) => {
      let seed = 12345 + batch * 7919
      const next = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
        return seed >>> 16
      }
      for (let n = 0; n < 2_500; n++) {
        const code = Array.from({ length: 48 }, () => next() & 0xff)
        const { cpu } = machine(code, { memory: 0x20000 })
        for (let r = 0; r < 14; r++) cpu.r[r] = next() % 3 === 0 ? next() << 16 : next() & 0x1fff
        const result = cpu.run(500)
        expect(result.detail).not.toMatch(/internal error/)
        outcomes.add(result.reason)
      }
    },
  )
  it('among them, some halt', () => expect(outcomes).toContain('HALT'))
})

describe('octaword instructions on the 780 (SRM "MOV", "CLR", "MOVA", "PUSHA")', () => {
  it('CLRO R0 clears R0-R3: N 0, Z 1, V 0, C unchanged', () => {
    const { cpu } = machine([0xfd, 0x7c, 0x50, 0x00], { model: VAX780 })
    cpu.r.set([1, 2, 3, 4, 5])
    cpu.cc = 0xb
    cpu.run()
    expect(Array.from(cpu.r.subarray(0, 5))).toEqual([0, 0, 0, 0, 5])
    expect(cpu.cc).toBe(0x5)
  })

  it('MOVO (R6)+,R0 moves 16 bytes and steps R6 by 16; N from bit 127', () => {
    // MOVO (R6)+,R0 ; HALT
    const { cpu, view } = machine([0xfd, 0x7d, 0x86, 0x50, 0x00], { model: VAX780 })
    for (const [k, v] of [1, 2, 3, 0x80000000].entries()) view.setUint32(0x3000 + 4 * k, v, true)
    cpu.r[6] = 0x3000
    cpu.run()
    expect(Array.from(cpu.r.subarray(0, 4), (v) => v >>> 0)).toEqual([1, 2, 3, 0x80000000])
    expect(cpu.r[6]).toBe(0x3010)
    expect(cpu.cc).toBe(8)
  })

  it('MOVAO 8(R6)[R7],R0 scales the index by 16; PUSHAO pushes the address', () => {
    // MOVAO 8(R6)[R7],R0 ; PUSHAO (R6) ; HALT
    const code = [0xfd, 0x7e, 0x47, 0xa6, 0x08, 0x50, 0xfd, 0x7f, 0x66, 0x00]
    const { cpu, stack } = machine(code, { model: VAX780 })
    cpu.r[6] = 0x3000
    cpu.r[7] = 3
    cpu.run()
    expect(cpu.r[0]).toBe(0x3000 + 8 + 48)
    expect(stack(4)).toBe(0x3000)
  })

  it('an octaword in R12 would reach SP: a reserved addressing mode', () => {
    const { cpu } = machine([0xfd, 0x7d, 0x5c, 0x50, 0x00], { model: VAX780 }) // MOVO R12,R0
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.RESERVED_ADDRESSING_MODE))
  })
})
