import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assemble } from '@vax/asm'
import { Cpu, PhysicalMemory } from '@vax/cpu'
import { BENCH_PROGRAMS } from './cpu-programs'

const BASE = 0x1000

/** Seconds SIMH takes to run an image to its HALT, less the time it takes to start. */
function timeSimh(image: Uint8Array): number | undefined {
  if (spawnSync('sh', ['-c', 'command -v vax']).status !== 0) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'vax-bench-'))
  try {
    const file = join(dir, 'image.bin')
    writeFileSync(file, image)
    const run = (script: string) => {
      writeFileSync(join(dir, 'run.ini'), script)
      const start = process.hrtime.bigint()
      execFileSync('vax', [join(dir, 'run.ini')], {
        input: '',
        stdio: ['pipe', 'ignore', 'ignore'],
      })
      return Number(process.hrtime.bigint() - start) / 1e9
    }
    const empty = run('quit\n')
    const full = run(
      `load -o ${file} ${BASE.toString(16)}\ndeposit pc ${BASE.toString(16)}\ngo\nquit\n`,
    )
    return Math.max(full - empty, 1e-6)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function timeCpu(image: Uint8Array): { seconds: number; instructions: number } {
  const memory = new PhysicalMemory(16 * 1024 * 1024)
  memory.load(BASE, image)
  const cpu = new Cpu(memory)
  cpu.reset(BASE)
  const start = process.hrtime.bigint()
  const result = cpu.run(1e9)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (result.reason !== 'HALT')
    throw new Error(`benchmark did not halt: ${result.reason} ${result.detail}`)
  return { seconds, instructions: result.steps }
}

const mips = (n: number) => (n / 1e6).toFixed(1).padStart(8)

/** `pnpm bench cpu`: instructions per second on @vax/cpu and on SIMH, same images. */
export default function runCpuBenchmarks(): void {
  console.log('@vax/cpu: millions of VAX instructions per second (MIPS), same image on both')
  console.log(
    `  ${'program'.padEnd(34)}${'instructions'.padStart(14)}${'@vax/cpu'.padStart(10)}${'SIMH'.padStart(10)}${'ratio'.padStart(8)}`,
  )
  for (const program of BENCH_PROGRAMS) {
    const image = assemble(program.source, { base: BASE }).image
    timeCpu(image) // warm up the JIT
    const ours = timeCpu(image)
    const simh = timeSimh(image)
    const oursRate = ours.instructions / ours.seconds
    const simhRate = simh === undefined ? undefined : ours.instructions / simh
    console.log(
      `  ${program.name.padEnd(34)}${ours.instructions.toLocaleString('en-US').padStart(14)}${mips(oursRate)}  ` +
        (simhRate === undefined
          ? '     n/a      n/a  (SIMH not installed)'
          : `${mips(simhRate)}${`${(oursRate / simhRate).toFixed(2)}x`.padStart(8)}`),
    )
  }
}
