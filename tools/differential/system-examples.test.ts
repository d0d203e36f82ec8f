import { readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Cpu, compareCpus, type RunResult } from '@vax/cpu'
import { describe, expect, it } from 'vitest'
import { Console } from '../../apps/system/src/console'
import { VmsSystem } from '../../apps/system/src/executive'

/**
 * Issue 18: the system's example programs (apps/system/examples) run with translation on
 * and off must show the same terminal output and leave the CPU in the same state:
 * registers, PSL, stack pointers, the instruction count and all of memory. The executive
 * works between runs of the CPU (services, scheduling); within them, each run is split
 * into stretches of 1 to 64 instructions (the same pseudo-random lengths both ways), and
 * after each the registers, PC, PSL and instruction count are recorded, so that the two
 * sessions are compared instruction by instruction as well as at their end.
 */
const examples = readdirSync(resolve(import.meta.dirname, '../../apps/system/examples'))
  .filter((f) => f.endsWith('.mar'))
  .map((f) => f.slice(0, -4).toUpperCase())
  // Interactive: they wait for terminal input that these sessions do not give.
  .filter((name) => !['ASKNAME', 'CTRLC', 'TYPER'].includes(name))

/** One stretch's state: instruction count, PC, PSL and the sixteen registers. */
function signature(cpu: Cpu): string {
  return `${cpu.instructions} ${cpu.pc.toString(16)} ${(cpu.fullPsl >>> 0).toString(16)} ${Array.from(cpu.r, (v) => (v >>> 0).toString(16)).join(' ')}`
}

/** Makes every cpu.run a series of runs of 1 to 64 instructions, recording each one's end. */
function inStretches(cpu: Cpu, trail: string[]): void {
  const run = cpu.run.bind(cpu)
  let seed = 1
  cpu.run = (maxSteps = Number.POSITIVE_INFINITY): RunResult => {
    let steps = 0
    for (;;) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      const result = run(Math.min(1 + (seed >>> 26), maxSteps - steps))
      steps += result.steps
      trail.push(signature(cpu))
      if (result.reason !== 'max-steps' || steps >= maxSteps) return { ...result, steps }
    }
  }
}

function session(name: string, jit: boolean) {
  let output = ''
  const system = new VmsSystem({ output: (text) => (output += text) })
  system.cpu.jit = jit
  const trail: string[] = []
  inStretches(system.cpu, trail)
  const status = new Console(system).execute(`RUN ${name}`)
  return { output, status, cpu: system.cpu, trail }
}

describe('the system example programs run alike translated and interpreted', () => {
  it.each(examples)('RUN %s', (name) => {
    const translated = session(name, true)
    const interpreted = session(name, false)
    const k = translated.trail.findIndex((step, i) => step !== interpreted.trail[i])
    if (k >= 0)
      expect(`translated ${translated.trail[k]}`).toBe(`interpreted ${interpreted.trail[k]}`)
    expect(translated.trail.length).toBe(interpreted.trail.length)
    expect(translated.output).toBe(interpreted.output)
    expect(translated.status).toBe(interpreted.status)
    const memory = [{ address: 0, length: translated.cpu.memory.size }]
    expect(compareCpus(translated.cpu, interpreted.cpu, memory)).toEqual([])
    translatedInstructions += translated.cpu.jitStatistics().translatedInstructions
  })

  it('ran translated code (the comparison is not vacuous)', () => {
    expect(translatedInstructions).toBeGreaterThan(0)
  })
})

let translatedInstructions = 0
