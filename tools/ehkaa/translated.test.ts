import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Cpu, Lockstep, PhysicalMemory } from '@vax/cpu'
import { MemoryManagement } from '@vax/mmu'
import { describe, expect, it } from 'vitest'

/**
 * Issue 18: EHKAA (the MicroVAX hardware core instruction test) run translated and
 * interpreted in lockstep, every PC translated the first time it is reached, compared
 * after every stretch of 1 to 64 instructions; the translated run must end where the
 * diagnostic passes (PC 80018AD1). The run is spread over several tests of SLICE
 * instructions so that none holds the worker for long.
 */
const image = resolve(import.meta.dirname, '../../../shared/diagnostics/ehkaa.exe')
const SLICE = 40_000
const SLICES = 12

// Skipped only in a checkout without the workplace's shared/diagnostics beside it.
describe.skipIf(!existsSync(image))('EHKAA translated, in lockstep with the interpreter', () => {
  let run: Lockstep
  const make = (jit: boolean) => {
    const memory = new PhysicalMemory(16 * 1024 * 1024)
    memory.load(0, readFileSync(image))
    const cpu = new Cpu(memory, undefined, { jit, jitThreshold: 1 })
    MemoryManagement.attach(cpu)
    cpu.reset(0x200)
    cpu.consoleOutput = () => {}
    return cpu
  }

  it.each(Array.from({ length: SLICES }, (_, k) => k + 1))('instructions, slice %i', (k) => {
    if (k === 1) run = new Lockstep(make, { maxChunk: 64 })
    expect(run.advance(SLICE)).toBeUndefined()
  })

  it('both halt where EHKAA passes, with the same memory', () => {
    expect(run.finished).toBe(true)
    expect(run.translated.pc >>> 0).toBe(0x80018ad1)
    expect(run.compareMemory()).toBeUndefined()
    expect(run.translated.jitStatistics().translatedInstructions).toBeGreaterThan(100_000)
  })
})
