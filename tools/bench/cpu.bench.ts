import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assemble } from '@vax/asm'
import { Cpu, IPR, KA655, PhysicalMemory, VAX780 } from '@vax/cpu'
import { MemoryManagement } from '@vax/mmu'
import { BENCH_PROGRAMS } from './cpu-programs'

const BASE = 0x1000

/** The model a program runs as, on both sides. */
type Machine = 'ka655' | 'vax780'

/**
 * Memory management on, the program in user mode: the system page table at physical
 * 0x100000 maps 16 MB of S0 one to one; the P0 page table (in S0 at 0x80110000) maps
 * the first 2 MB of P0 one to one, protection UW. Exceptions (the final HALT is a
 * reserved instruction in user mode) go through the SCB at 0x200 to a kernel HALT.
 */
const MAPPED = {
  spt: 0x100000,
  sptEntries: 0x8000,
  p0Table: 0x110000,
  p0Entries: 0x1000,
  scb: 0x200,
  handler: 0x80000400,
  ksp: 0x80000e00,
  usp: 0x1f0000,
  psl: 0x03c00000,
}

function mappedLoads(): { address: number; bytes: Uint8Array }[] {
  const pte = (pfn: number) => (0x80000000 | (4 << 27) | pfn) >>> 0
  const table = (entries: number) => {
    const bytes = new Uint8Array(entries * 4)
    const view = new DataView(bytes.buffer)
    for (let k = 0; k < entries; k++) view.setUint32(4 * k, pte(k), true)
    return bytes
  }
  const scb = new Uint8Array(0x200)
  const view = new DataView(scb.buffer)
  for (let k = 0; k < 0x80; k++) view.setUint32(4 * k, MAPPED.handler, true)
  return [
    { address: MAPPED.spt, bytes: table(MAPPED.sptEntries) },
    { address: MAPPED.p0Table, bytes: table(MAPPED.p0Entries) },
    { address: MAPPED.scb, bytes: scb },
  ]
}

/**
 * SIMH set up to run an image to its HALT: `full()` is one run's CPU seconds, `empty()`
 * those of a run that only starts and quits (subtracted from the full run's).
 */
interface SimhRunner {
  full(): number
  empty(): number
  dispose(): void
}

function simhRunner(image: Uint8Array, mapped: boolean, machine: Machine): SimhRunner | undefined {
  const binary = machine === 'vax780' ? 'vax780' : 'vax'
  if (spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'vax-bench-'))
  const file = join(dir, 'image.bin')
  writeFileSync(file, image)
  const h = (v: number) => v.toString(16)
  const lines = [`load -o ${file} ${h(BASE)}`]
  if (mapped) {
    for (const [k, load] of mappedLoads().entries()) {
      const name = join(dir, `map${k}.bin`)
      writeFileSync(name, load.bytes)
      lines.push(`load -o ${name} ${h(load.address)}`)
    }
    lines.push(`deposit sbr ${h(MAPPED.spt)}`, `deposit slr ${h(MAPPED.sptEntries)}`)
    lines.push(
      `deposit p0br ${h(0x80000000 + MAPPED.p0Table)}`,
      `deposit p0lr ${h(MAPPED.p0Entries)}`,
    )
    lines.push(`deposit scbb ${h(MAPPED.scb)}`, `deposit ksp ${h(MAPPED.ksp)}`, 'deposit mapen 1')
    lines.push(`deposit psl ${h(MAPPED.psl)}`, `deposit sp ${h(MAPPED.usp)}`)
  }
  lines.push(`deposit pc ${h(BASE)}`, 'go', 'quit')
  writeFileSync(join(dir, 'full.ini'), `${lines.join('\n')}\n`)
  writeFileSync(join(dir, 'empty.ini'), 'quit\n')
  // CPU seconds (user + system) of the simulator, from bash's `time`, as @vax/cpu's
  // are taken from process.cpuUsage: on a busy machine both sides are measured alike.
  const run = (script: string) => {
    const command = `TIMEFORMAT='%U %S'; time ${binary} ${join(dir, script)} >/dev/null 2>&1 </dev/null`
    const result = spawnSync('bash', ['-c', command], { encoding: 'utf8' })
    const [user, system] = result.stderr.trim().split(/\s+/).map(Number)
    return (user ?? 0) + (system ?? 0)
  }
  return {
    full: () => run('full.ini'),
    empty: () => run('empty.ini'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}

function timeCpu(
  image: Uint8Array,
  mapped: boolean,
  machine: Machine,
  jit: boolean,
): { seconds: number; instructions: number } {
  const memory = new PhysicalMemory(16 * 1024 * 1024)
  memory.load(BASE, image)
  const cpu = new Cpu(memory, machine === 'vax780' ? VAX780 : KA655, { jit })
  cpu.reset(BASE)
  if (mapped) {
    for (const load of mappedLoads()) memory.load(load.address, load.bytes)
    MemoryManagement.attach(cpu)
    cpu.ipr[IPR.SBR] = MAPPED.spt
    cpu.ipr[IPR.SLR] = MAPPED.sptEntries
    cpu.ipr[IPR.P0BR] = 0x80000000 + MAPPED.p0Table
    cpu.ipr[IPR.P0LR] = MAPPED.p0Entries
    cpu.ipr[IPR.SCBB] = MAPPED.scb
    cpu.stack[0] = MAPPED.ksp
    cpu.mapen = true
    cpu.fullPsl = MAPPED.psl
    cpu.r[14] = MAPPED.usp
  }
  const start = process.cpuUsage()
  const result = cpu.run(1e9)
  const used = process.cpuUsage(start)
  const seconds = (used.user + used.system) / 1e6
  if (result.reason !== 'HALT')
    throw new Error(`benchmark did not halt: ${result.reason} ${result.detail}`)
  if (mapped && cpu.pc !== (MAPPED.handler + 1) >>> 0) {
    throw new Error(`mapped benchmark ended at ${cpu.pc.toString(16)}, not in the kernel HALT`)
  }
  return { seconds, instructions: result.steps }
}

const mips = (n: number) => (n / 1e6).toFixed(1).padStart(8)

/**
 * Timed runs per figure. The shared machine's speed moves by a third within minutes, so
 * the translated runs alternate with SIMH's (both sides see the same stretch of time)
 * and each side's figure is its fastest run: other work only ever slows a run down.
 */
const RUNS = 5

/** @vax/cpu, translated, and SIMH on one image: instructions and each side's best seconds. */
function timeBoth(
  image: Uint8Array,
  mapped: boolean,
  machine: Machine,
): { instructions: number; jit: number; simh: number | undefined } {
  // One run first, not timed: V8 compiles the run loop and the blocks during it.
  const { instructions } = timeCpu(image, mapped, machine, true)
  const simh = simhRunner(image, mapped, machine)
  let jit = Number.POSITIVE_INFINITY
  let full = Number.POSITIVE_INFINITY
  let empty = Number.POSITIVE_INFINITY
  try {
    for (let k = 0; k < RUNS; k++) {
      jit = Math.min(jit, timeCpu(image, mapped, machine, true).seconds)
      if (simh !== undefined) {
        full = Math.min(full, simh.full())
        empty = Math.min(empty, simh.empty())
      }
    }
  } finally {
    simh?.dispose()
  }
  return { instructions, jit, simh: simh === undefined ? undefined : Math.max(full - empty, 1e-6) }
}

/** Instructions per second interpreted: the best of RUNS runs after one to warm up. */
function interpretedRate(image: Uint8Array, mapped: boolean, machine: Machine): number {
  timeCpu(image, mapped, machine, false)
  let best = 0
  for (let k = 0; k < RUNS; k++) {
    const run = timeCpu(image, mapped, machine, false)
    best = Math.max(best, run.instructions / run.seconds)
  }
  return best
}

const geometricMean = (xs: readonly number[]) =>
  xs.length === 0 ? Number.NaN : Math.exp(xs.reduce((sum, x) => sum + Math.log(x), 0) / xs.length)

/**
 * `pnpm bench cpu`: instructions per second on @vax/cpu, interpreted and translated
 * (the JIT, issue 18), and on SIMH, same images, as a MicroVAX 3900 (SIMH `vax`) unless a
 * program says VAX-11/780 (`vax780`, both sides); memory management off, then on. The
 * ratio is translated @vax/cpu over SIMH in the same run; each group ends with the
 * geometric mean of the ratios, and the last line with that of all. Rates are per CPU
 * second (user + system) on both sides, so that other work on the machine counts less,
 * each the fastest of RUNS runs (translated and SIMH runs alternate; see RUNS).
 */
export default function runCpuBenchmarks(): void {
  // BENCH_ONLY=text runs only the programs whose name contains it (BENCH_ONLY=POLY).
  const only = process.env.BENCH_ONLY ?? ''
  const selected = BENCH_PROGRAMS.filter((p) => p.name.includes(only))
  console.log('@vax/cpu: millions of VAX instructions per second (MIPS), same image on both')
  console.log(
    `  ${'program'.padEnd(34)}${'instructions'.padStart(14)}${'interp'.padStart(9)}${'JIT'.padStart(9)}${'SIMH'.padStart(9)}${'JIT/SIMH'.padStart(10)}${'JIT/interp'.padStart(12)}`,
  )
  const all: number[] = []
  for (const mapped of [false, true]) {
    console.log(
      mapped ? '  memory management on, in user mode:' : '  memory management off, kernel mode:',
    )
    const ratios: number[] = []
    for (const program of selected) {
      const image = assemble(program.source, { base: BASE }).image
      const machine = program.machine ?? 'ka655'
      const interpreted = interpretedRate(image, mapped, machine)
      const both = timeBoth(image, mapped, machine)
      const translated = both.instructions / both.jit
      const simhRate = both.simh === undefined ? undefined : both.instructions / both.simh
      if (simhRate !== undefined) ratios.push(translated / simhRate)
      console.log(
        `  ${program.name.padEnd(34)}${both.instructions.toLocaleString('en-US').padStart(14)}` +
          `${mips(interpreted)} ${mips(translated)} ` +
          (simhRate === undefined
            ? '     n/a       n/a'
            : `${mips(simhRate)}${`${(translated / simhRate).toFixed(2)}x`.padStart(10)}`) +
          `${`${(translated / interpreted).toFixed(2)}x`.padStart(12)}`,
      )
    }
    all.push(...ratios)
    if (ratios.length > 0)
      console.log(`  geometric mean JIT/SIMH: ${geometricMean(ratios).toFixed(2)}x`)
  }
  if (all.length > 0)
    console.log(`  geometric mean JIT/SIMH, all programs: ${geometricMean(all).toFixed(2)}x`)
  else console.log('  (SIMH not installed: no ratios)')
}
