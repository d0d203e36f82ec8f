import { describe, expect, it } from 'vitest'
import { Cpu } from './cpu'
import { IPL_CLOCK, IPL_CONSOLE } from './devices'
import { IPR } from './ipr'
import { PhysicalMemory } from './memory'
import { SCB } from './psl'

/**
 * Interrupts (VAX SRM "Interrupts"; book ch. 5 hardware and ch. 6 software interrupts,
 * IPL table 6-1). The SCB's vector k points to HANDLERS + 4k, where a HALT waits, so the
 * PC after a run names the interrupt taken.
 */
const HANDLERS = 0x800
const CODE = 0x1000

function machine(code: number[]) {
  const memory = new PhysicalMemory(0x10000)
  const view = new DataView(memory.bytes.buffer)
  for (let k = 0; k < 0x80; k++) view.setUint32(4 * k, HANDLERS + 4 * k, true)
  memory.load(CODE, Uint8Array.from(code))
  const cpu = new Cpu(memory)
  cpu.reset(CODE)
  cpu.r[14] = 0x8000
  return { cpu, view }
}

/** MTPR #level,#IPL; NOP; NOP; HALT */
const lowerIpl = (level: number) => [0xda, level, IPR.IPL, 0x01, 0x01, 0x00]
const handled = (vector: number) => HANDLERS + vector + 1

describe('software interrupts (SIRR, SISR)', () => {
  it('wait while IPL is at or above their level, then the highest is taken first', () => {
    const { cpu, view } = machine(lowerIpl(0))
    cpu.writeProcessorRegister(IPR.SIRR, 3)
    cpu.writeProcessorRegister(IPR.SIRR, 5)
    expect(cpu.readProcessorRegister(IPR.SISR)).toBe((1 << 3) | (1 << 5))
    cpu.run(1) // MTPR #0,#IPL: nothing taken yet, IPL was 31
    expect(cpu.pc).toBe(CODE + 3)
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.SOFTWARE + 4 * 5))
    expect(cpu.readProcessorRegister(IPR.SISR)).toBe(1 << 3) // level 5 taken and cleared
    expect(cpu.fullPsl).toBe(0x04050000) // still on the interrupt stack, IPL 5
    expect(view.getUint32(0x8000 - 8, true)).toBe(CODE + 3) // PC of the next instruction
    expect(view.getUint32(0x8000 - 4, true)).toBe(0x04000004) // the interrupted PSL: IPL 0, Z from MTPR #0
  })

  it('an interrupt at or below IPL stays pending', () => {
    const { cpu } = machine(lowerIpl(4))
    cpu.writeProcessorRegister(IPR.SIRR, 4)
    cpu.run()
    expect(cpu.pc).toBe(CODE + 6) // ran to the HALT
    expect(cpu.readProcessorRegister(IPR.SISR)).toBe(1 << 4)
  })

  it('refuses SIRR 0 or above 15 and ASTLVL above 4 (reserved operand)', () => {
    const { cpu } = machine([])
    expect(() => cpu.writeProcessorRegister(IPR.SIRR, 0)).toThrow()
    expect(() => cpu.writeProcessorRegister(IPR.SIRR, 16)).toThrow()
    expect(() => cpu.writeProcessorRegister(IPR.ASTLVL, 5)).toThrow()
  })
})

describe('device interrupts', () => {
  it('a device at IPL 14 comes before a software interrupt at 12, on the interrupt stack', () => {
    const { cpu } = machine(lowerIpl(0))
    cpu.writeProcessorRegister(IPR.SIRR, 12)
    const memory = cpu.memory
    new DataView(memory.bytes.buffer).setUint32(
      SCB.CONSOLE_RECEIVE,
      HANDLERS + SCB.CONSOLE_RECEIVE + 1,
      true,
    )
    cpu.requestInterrupt(IPL_CONSOLE, SCB.CONSOLE_RECEIVE)
    cpu.stack[4] = 0x7000
    cpu.psl &= ~(1 << 26) // on the kernel stack
    cpu.run()
    expect(cpu.pc).toBe(handled(SCB.CONSOLE_RECEIVE))
    expect(cpu.fullPsl).toBe(0x04140000) // interrupt stack (vector bit 0), IPL 14
    expect(cpu.r[14]).toBe(0x7000 - 8)
  })

  it('the interval clock interrupts at IPL 16 every tick of virtual time when enabled', () => {
    const { cpu } = machine([0x11, 0xfe]) // BRB .
    cpu.clock.instructionsPerTick = 100
    cpu.clock.reset()
    cpu.writeProcessorRegister(IPR.ICCS, 0x40)
    cpu.writeProcessorRegister(IPR.IPL, IPL_CLOCK - 1)
    const result = cpu.run(10_000)
    expect(result.reason).toBe('HALT')
    expect(cpu.pc).toBe(handled(SCB.INTERVAL_TIMER))
    expect(cpu.instructions).toBeGreaterThanOrEqual(100)
    expect(cpu.instructions).toBeLessThanOrEqual(102)
  })
})

describe('AST delivery request (book 7.1: REI and ASTLVL)', () => {
  it('REI to a mode at or outside ASTLVL requests the IPL 2 software interrupt', () => {
    // PUSHL #^X03C00000 ; PUSHL #^X1010 ; REI -- to user mode at 1010
    const { cpu } = machine([0xdd, 0x8f, 0, 0, 0xc0, 0x03, 0xdd, 0x8f, 0x10, 0x10, 0, 0, 0x02])
    cpu.psl = 0 // kernel, IPL 0, kernel stack
    cpu.stack[3] = 0x6000
    cpu.writeProcessorRegister(IPR.ASTLVL, 3)
    cpu.run(3)
    expect(cpu.readProcessorRegister(IPR.SISR) & 4).toBe(4)
    const other = machine([0xdd, 0x8f, 0, 0, 0xc0, 0x03, 0xdd, 0x8f, 0x10, 0x10, 0, 0, 0x02])
    other.cpu.psl = 0
    other.cpu.writeProcessorRegister(IPR.ASTLVL, 4) // no AST pending
    other.cpu.run(3)
    expect(other.cpu.readProcessorRegister(IPR.SISR) & 4).toBe(0)
  })
})

describe('console terminal (RXCS/RXDB/TXCS/TXDB)', () => {
  it('writes characters to the output and reads typed ones', () => {
    const { cpu } = machine([])
    let out = ''
    cpu.consoleOutput = (c) => {
      out += String.fromCharCode(c)
    }
    cpu.writeProcessorRegister(IPR.TXDB, 0x48)
    cpu.writeProcessorRegister(IPR.TXDB, 0x69)
    expect(out).toBe('Hi')
    cpu.console.type('x')
    expect(cpu.readProcessorRegister(IPR.RXCS) & 0x80).toBe(0)
    cpu.events.runDue(cpu.instructions + 1000)
    expect(cpu.readProcessorRegister(IPR.RXCS) & 0x80).toBe(0x80)
    expect(cpu.readProcessorRegister(IPR.RXDB)).toBe(0x78)
  })
})
