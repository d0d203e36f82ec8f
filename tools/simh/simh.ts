import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Runs programs on SIMH, the executable oracle (Debian's `simh` package: `vax` is a
 * MicroVAX 3900, `vax780` a VAX-11/780). Many programs share one SIMH process: each
 * loads its memory, sets every register, runs, and has its state examined.
 */
export interface SimhProgram {
  /** Memory contents to load before running, by physical address. */
  readonly loads: readonly { readonly address: number; readonly bytes: Uint8Array }[]
  /** R0-R14 before the run. */
  readonly registers: readonly number[]
  readonly psl: number
  readonly pc: number
  /** Instructions to run at most (SIMH `step N`). */
  readonly maxSteps: number
  /** Memory to read back afterwards; addresses and lengths multiples of 4. */
  readonly dumps: readonly { readonly address: number; readonly length: number }[]
}

export interface SimhState {
  /** SIMH's stop message, e.g. "HALT instruction" or "Step expired". */
  readonly stop: string
  readonly registers: number[]
  readonly pc: number
  readonly psl: number
  readonly dumps: Uint8Array[]
}

/** The SIMH binary for a machine, or undefined when it is not installed. */
export function simhBinary(machine: 'ka655' | 'vax780' = 'ka655'): string | undefined {
  const name = machine === 'ka655' ? 'vax' : 'vax780'
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() : undefined
}

const hex = (v: number) => (v >>> 0).toString(16)

/** Bytes of memory from address 0 cleared before each program (the test layouts stay below). */
const CLEARED_BYTES = 0x10000

/**
 * Runs the programs in one SIMH process. SIMH runs while the caller's event loop stays
 * free (a test worker must keep answering its runner), so the result is a promise.
 */
export async function runOnSimh(
  programs: readonly SimhProgram[],
  machine: 'ka655' | 'vax780' = 'ka655',
): Promise<SimhState[]> {
  const binary = simhBinary(machine)
  if (binary === undefined)
    throw new Error(`SIMH (${machine === 'ka655' ? 'vax' : 'vax780'}) is not installed`)
  const dir = mkdtempSync(join(tmpdir(), 'vax-simh-'))
  try {
    const script: string[] = ['set cpu 16m']
    // Memory persists between programs in one SIMH session too, and @vax/cpu starts each
    // program in zeroed memory: clear the low memory the test layouts use first.
    const zeros = join(dir, 'zeros.bin')
    writeFileSync(zeros, new Uint8Array(CLEARED_BYTES))
    programs.forEach((p, n) => {
      script.push(`echo ==BEGIN ${n}==`, `load -o ${zeros} 0`)
      p.loads.forEach((load, k) => {
        const file = join(dir, `p${n}-${k}.bin`)
        writeFileSync(file, load.bytes)
        script.push(`load -o ${file} ${hex(load.address)}`)
      })
      // Processor state persists between programs in one SIMH session: reset it.
      for (const ipr of [
        'mapen',
        'scbb',
        'pcbb',
        'sisr',
        'sbr',
        'slr',
        'p0br',
        'p0lr',
        'p1br',
        'p1lr',
        'ksp',
        'esp',
        'ssp',
        'usp',
      ]) {
        script.push(`deposit ${ipr} 0`)
      }
      script.push('deposit astlvl 4')
      for (const [r, value] of p.registers.entries()) script.push(`deposit r${r} ${hex(value)}`)
      script.push(`deposit psl ${hex(p.psl)}`, `deposit pc ${hex(p.pc)}`, `step ${p.maxSteps}`)
      script.push('ex r0-r14', 'ex pc', 'ex psl')
      for (const d of p.dumps)
        script.push(`ex -l ${hex(d.address)}:${hex(d.address + d.length - 1)}`)
      script.push(`echo ==END ${n}==`)
    })
    script.push('quit')
    const scriptFile = join(dir, 'run.ini')
    writeFileSync(scriptFile, `${script.join('\n')}\n`)
    const running = run(binary, [scriptFile], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      timeout: 600_000,
    })
    running.child.stdin?.end() // SIMH at its console prompt sees end of input, not a wait
    return parse((await running).stdout, programs)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function parse(output: string, programs: readonly SimhProgram[]): SimhState[] {
  const states: SimhState[] = []
  const blocks = output.split(/^==BEGIN \d+==$/m).slice(1)
  blocks.forEach((block, n) => {
    const body = block.split(/^==END \d+==$/m)[0] ?? ''
    const lines = body
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
    const registers: number[] = []
    let pc = 0
    let psl = 0
    let stop = ''
    const memory = new Map<number, number>()
    for (const line of lines) {
      const m = /^([0-9A-Z]+):\s+([0-9A-F]+)$/.exec(line)
      if (!m) {
        if (stop === '' && /,\s*PC:/.test(line)) stop = line.split(',')[0] as string
        continue
      }
      const [, name, value] = m as unknown as [string, string, string]
      const v = Number.parseInt(value, 16)
      const reg = /^R(\d+)$/.exec(name)
      if (reg) registers[Number(reg[1])] = v
      else if (name === 'PC') pc = v
      else if (name === 'PSL') psl = v
      else memory.set(Number.parseInt(name, 16), v)
    }
    const program = programs[n] as SimhProgram
    const dumps = program.dumps.map((d) => {
      const bytes = new Uint8Array(d.length)
      const view = new DataView(bytes.buffer)
      for (let a = 0; a < d.length; a += 4) view.setUint32(a, memory.get(d.address + a) ?? 0, true)
      return bytes
    })
    states.push({ stop, registers, pc, psl, dumps })
  })
  if (states.length !== programs.length) {
    throw new Error(`SIMH returned ${states.length} results for ${programs.length} programs`)
  }
  return states
}
