import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * Command-line start-up (ARCHITECTURE.md, "Command-line start-up"): `pnpm -s vax run`
 * of a one-instruction program (HALT) against `pnpm -s exec node -e 0` in the same run,
 * and the built CLI called with node directly. Median of RUNS wall-clock times each.
 * (A benchmark may block: it runs in a process of its own, not in a test worker.)
 */
const RUNS = 9
const root = resolve(import.meta.dirname, '../..')

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

function time(command: string, args: string[]): number {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    const run = spawnSync(command, args, { cwd: root, encoding: 'utf8' })
    times.push(performance.now() - start)
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${run.stderr}`)
  }
  return median(times)
}

export default function runStartupBenchmark(): void {
  console.log('command-line start-up (median of 9 runs, milliseconds)')
  const cli = join(root, 'apps/vax/dist/cli.js')
  if (!existsSync(cli)) {
    console.log('  apps/vax is not built: run pnpm build first')
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'vax-startup-'))
  try {
    const image = join(dir, 'halt.bin')
    writeFileSync(image, Uint8Array.of(0x00)) // HALT
    const baseline = time('pnpm', ['-s', 'exec', 'node', '-e', '0'])
    const vax = time('pnpm', ['-s', 'vax', 'run', image, '--json'])
    const direct = time(process.execPath, [cli, 'run', image, '--json'])
    const bare = time(process.execPath, ['-e', '0'])
    const row = (what: string, ms: number, note = '') =>
      console.log(`  ${what.padEnd(36)}${ms.toFixed(0).padStart(7)} ms${note}`)
    row('pnpm -s exec node -e 0', baseline)
    row('pnpm -s vax run (one HALT)', vax, `   ${(vax / baseline).toFixed(2)}x pnpm's own start-up`)
    row('node -e 0', bare)
    row('node apps/vax/dist/cli.js run', direct, `   +${(direct - bare).toFixed(0)} ms over node`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
