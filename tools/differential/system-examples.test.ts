import { readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { compareCpus } from '@vax/cpu'
import { describe, expect, it } from 'vitest'
import { Console } from '../../apps/system/src/console'
import { VmsSystem } from '../../apps/system/src/executive'

/**
 * Issue 18: the system's example programs (apps/system/examples) run with translation on
 * and off must show the same terminal output and leave the CPU in the same state:
 * registers, PSL, stack pointers, the instruction count and all of memory. The executive works between
 * runs of the CPU (services, scheduling), so the comparison is of whole sessions.
 */
const examples = readdirSync(resolve(import.meta.dirname, '../../apps/system/examples'))
  .filter((f) => f.endsWith('.mar'))
  .map((f) => f.slice(0, -4).toUpperCase())
  // Interactive: they wait for terminal input that these sessions do not give.
  .filter((name) => !['ASKNAME', 'CTRLC', 'TYPER'].includes(name))

function session(name: string, jit: boolean) {
  let output = ''
  const system = new VmsSystem({ output: (text) => (output += text) })
  system.cpu.jit = jit
  const status = new Console(system).execute(`RUN ${name}`)
  return { output, status, cpu: system.cpu }
}

describe('the system example programs run alike translated and interpreted', () => {
  it.each(examples)('RUN %s', (name) => {
    const translated = session(name, true)
    const interpreted = session(name, false)
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
